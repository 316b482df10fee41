package gql_test

import (
	"fmt"

	"github.com/civicgraph/civicgraph/graph"
)

// syntheticDataset makes n municipalities shaped like the seed: each with a
// unit, two people holding roles in it, and talks presenting a practice
// about a shared topic.
func syntheticDataset(n int) *graph.Dataset {
	ev := []graph.Evidence{{Source: "src", Quote: "quote"}}
	ds := &graph.Dataset{Entities: []graph.Entity{
		{ID: "src", Type: graph.TypeSource, Name: "Synthetic", Text: "quote"},
		{ID: "topic", Type: graph.TypeTopic, Name: "topic", Evidence: ev},
	}}
	add := func(id string, typ graph.EntityType, kind string, order int) string {
		ds.Entities = append(ds.Entities, graph.Entity{ID: id, Type: typ, Name: id, Kind: kind, Order: order, Evidence: ev})
		return id
	}
	rel := func(from string, typ graph.RelType, to string) {
		ds.Relations = append(ds.Relations, graph.Relation{Type: typ, From: from, To: to, Evidence: ev})
	}
	for i := range n {
		m := add(fmt.Sprintf("m%d", i), graph.TypeOrganisation, "MUNICIPALITY", 0)
		u := add(m+"-unit", graph.TypeOrganisation, "UNIT", 0)
		rel(u, graph.RelPartOf, m)
		for j := range 2 {
			p := add(fmt.Sprintf("%s-p%d", m, j), graph.TypePerson, "", 0)
			r := add(p+"-role", graph.TypeRole, "", 0)
			t := add(p+"-talk", graph.TypeTalk, "CONTRIBUTION", j+1)
			pr := add(p+"-practice", graph.TypePractice, "CASE", 0)
			rel(p, graph.RelHolds, r)
			rel(r, graph.RelIn, u)
			rel(p, graph.RelSpokeIn, t)
			rel(t, graph.RelPresents, pr)
			rel(pr, graph.RelAbout, "topic")
		}
	}
	return ds
}
