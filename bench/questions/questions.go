// Package questions holds the benchmark's questions, each written three
// ways: for civicgraph's API, for the Neo4j GraphQL Library's schema over
// the same Neo4j graph (bench/neo4j-graphql/typedefs.graphql), and as
// hand-written Cypher, the floor. It also says how to compare their
// answers.
package questions

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

// Question is one benchmark query. Every form names its root field
// `result`, so answers line up.
type Question struct {
	Name  string
	Title string
	// Ordered says the top-level list has the same defined order on every
	// server; otherwise lists are compared as sets.
	Ordered      bool
	Civicgraph   string
	Neo4jGraphQL string
	// Cypher answers with one row, as civicgraph's statements do: the
	// driver spends more on each row it reads than on the same values in
	// one list. The row's column result is the list; with Single the row
	// is result itself, its columns result's fields, and no row is null.
	Cypher string
	Single bool
	Vars   func(Params) map[string]any
	// Note says what differs between the forms, for the results.
	Note string
}

// Params are the ids and texts the questions ask about, picked from the
// dataset so that each has a non-trivial answer at every scale.
type Params struct {
	Topic     string // the headline's topic
	PageTopic string // the filtered page's topic
	PersonID  string // looked up by id
	OrgID     string // the nested query's organisation
	Search    string // as a user types it
}

// practicesAbout is the headline's chain from a role to the topic, for the
// Neo4j GraphQL Library, which filters along explicit relationships only.
const practicesAbout = `{holders: {some: {spokeIn: {some: {practices: {some: {topics: {some: {id: {eq: $topic}}}}}}}}}}`

// The Cypher matches ids with the Entity label too: the unique id
// constraint, and so the index, is on :Entity(id).

// All lists the questions in the order the results show them.
var All = []Question{
	{
		Name:  "headline",
		Title: "municipalities that presented practices about a topic (units roll up)",
		Civicgraph: `query($topic: ID!) { result: organisations(where: {kind: {eq: MUNICIPALITY},
			presentedPractices: {some: {topics: {some: {id: {eq: $topic}}}}}}) { id name } }`,
		Neo4jGraphQL: `query($topic: ID!) { result: organisations(where: {kind: {eq: MUNICIPALITY},
			OR: [{roles: {some: ` + practicesAbout + `}}, {units: {some: {roles: {some: ` + practicesAbout + `}}}}]}) { id name } }`,
		Cypher: `MATCH (:Topic:Entity {id: $topic})<-[:ABOUT]-(:Practice)<-[:PRESENTS]-(:Talk)<-[:SPOKE_IN]-(:Person)-[:HOLDS]->(:Role)-[:IN]->(o:Organisation)
			MATCH (o)-[:PART_OF*0..]->(m:Organisation {kind: 'MUNICIPALITY'})
			WITH DISTINCT m ORDER BY m.sortKey, m.id RETURN collect({id: m.id, name: m.name}) AS result`,
		Vars: func(p Params) map[string]any { return map[string]any{"topic": p.Topic} },
		Note: "@neo4j/graphql has no transitive filter: its query spells out the municipality and its direct units, which is every depth the datasets have",
	},
	{
		Name:         "lookup",
		Title:        "a person by id, with roles and their organisations",
		Ordered:      true,
		Civicgraph:   `query($id: ID!) { result: node(id: $id) { id ... on Person { name aliases roles { id title organisation { id name } } } } }`,
		Neo4jGraphQL: `query($id: ID!) { result: people(where: {id: {eq: $id}}) { id name aliases roles { id title organisation { id name } } } }`,
		Cypher: `MATCH (p:Person:Entity {id: $id})
			RETURN p.id AS id, p.name AS name, p.aliases AS aliases,
			  COLLECT { MATCH (p)-[:HOLDS]->(r:Role) OPTIONAL MATCH (r)-[:IN]->(o:Organisation)
			    RETURN {id: r.id, title: r.name, organisation: CASE WHEN o IS NULL THEN null ELSE {id: o.id, name: o.name} END} } AS roles`,
		Single: true,
		Vars:   func(p Params) map[string]any { return map[string]any{"id": p.PersonID} },
		Note:   "civicgraph uses node(id); @neo4j/graphql a people list filtered by id",
	},
	{
		Name:         "nested",
		Title:        "organisation → people (units roll up) → talks → practices",
		Ordered:      true,
		Civicgraph:   `query($id: ID!) { result: node(id: $id) { id ... on Organisation { name people { id name spokeIn { id title practices { id name } } } } } }`,
		Neo4jGraphQL: `query($id: ID!) { result: organisations(where: {id: {eq: $id}}) { id name people { id name spokeIn { id title practices { id name } } } } }`,
		Cypher: `MATCH (o:Organisation:Entity {id: $id})
			RETURN o.id AS id, o.name AS name,
			  COLLECT { MATCH (o)<-[:PART_OF*0..]-(:Organisation)<-[:IN]-(:Role)<-[:HOLDS]-(p:Person) WITH DISTINCT p
			    RETURN {id: p.id, name: p.name, spokeIn: [(p)-[:SPOKE_IN]->(t:Talk) |
			      {id: t.id, title: t.name, practices: [(t)-[:PRESENTS]->(x:Practice) | {id: x.id, name: x.name}]}]} } AS people`,
		Single: true,
		Vars:   func(p Params) map[string]any { return map[string]any{"id": p.OrgID} },
		Note:   "@neo4j/graphql's people is a @cypher field (PART_OF*0..), the library having no roll-up; nested lists compared as sets",
	},
	{
		Name:       "page",
		Title:      "practices about a topic, in order, first page of 20 with the total",
		Ordered:    true,
		Civicgraph: `query($topic: ID!) { result: practicesConnection(where: {topics: {some: {id: {eq: $topic}}}}, first: 20) { totalCount edges { node { id name } } } }`,
		Neo4jGraphQL: `query($topic: ID!) { result: practicesConnection(where: {topics: {some: {id: {eq: $topic}}}}, first: 20,
			sort: [{sortKey: ASC}, {id: ASC}]) { totalCount edges { node { id name } } } }`,
		Cypher: `CALL () { MATCH (x:Practice) WHERE EXISTS { (x)-[:ABOUT]->(:Topic:Entity {id: $topic}) } RETURN count(x) AS totalCount }
			CALL () { MATCH (x:Practice) WHERE EXISTS { (x)-[:ABOUT]->(:Topic:Entity {id: $topic}) }
			  WITH x ORDER BY x.sortKey, x.id LIMIT 20 RETURN collect({node: {id: x.id, name: x.name}}) AS edges }
			RETURN totalCount, edges`,
		Single: true,
		Vars:   func(p Params) map[string]any { return map[string]any{"topic": p.PageTopic} },
		Note:   "civicgraph orders by folded name then id; @neo4j/graphql sorts on the stored sortKey and id, the same order",
	},
	{
		Name:         "search",
		Title:        "people whose names contain a text, folding case and accents, first 20",
		Ordered:      true,
		Civicgraph:   `query($text: String!) { result: search(text: $text, types: [Person], first: 20) { id ... on Person { name } } }`,
		Neo4jGraphQL: `query($folded: String!) { result: people(where: {namesText: {contains: $folded}}, sort: [{sortKey: ASC}, {id: ASC}], limit: 20) { id name } }`,
		Cypher: `CALL () { MATCH (p:Person) WHERE p.position > '' WITH p ORDER BY p.position LIMIT 1000
			  WITH p WHERE p.namesText CONTAINS $folded WITH p ORDER BY p.position LIMIT 20 RETURN collect(p) AS early }
			CALL (early) { WITH early WHERE size(early) = 20 UNWIND early AS p RETURN p
			  UNION ALL UNWIND CASE WHEN size(early) < 20 THEN [''] ELSE [] END AS low
			  MATCH (p:Person) WHERE p.position > low AND p.namesText CONTAINS $folded WITH p ORDER BY p.position LIMIT 20 RETURN p }
			WITH p ORDER BY p.position RETURN collect({id: p.id, name: p.name}) AS result`,
		Vars: func(p Params) map[string]any {
			return map[string]any{"text": p.Search, "folded": graph.Fold(p.Search)}
		},
		Note: "civicgraph folds the text itself; the others get it folded (graph.Fold) and match the stored folded names. " +
			"civicgraph and the floor read up to 1,000 people in order before they ask the text index, which @neo4j/graphql asks at once",
	},
	{
		Name:         "dashboard",
		Title:        "group-by count: practices per topic",
		Civicgraph:   `{ result: topics { id name practicesConnection(first: 1) { totalCount } } }`,
		Neo4jGraphQL: `{ result: topics { id name practicesConnection { totalCount } } }`,
		Cypher: `MATCH (t:Topic) WITH t ORDER BY t.sortKey, t.id
			RETURN collect({id: t.id, name: t.name, practicesConnection: {totalCount: coalesce(t.degree_ABOUT_in_Practice, 0)}}) AS result`,
		Vars: func(Params) map[string]any { return nil },
		Note: "a connection asked only its totalCount: civicgraph and the floor read the count each topic stores, which civicgraph's import writes; @neo4j/graphql counts the relationships",
	},
}

// Floor runs q's Cypher with vars in one auto-commit read transaction, as
// civicgraph's Neo4j store sends its reads, and shapes the rows as the
// GraphQL servers shape result: the floor's answer.
func (q Question) Floor(ctx context.Context, driver neo4j.DriverWithContext, vars map[string]any) (any, error) {
	session := driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: neo4j.AccessModeRead})
	defer session.Close(context.WithoutCancel(ctx))
	res, err := session.Run(ctx, q.Cypher, vars)
	if err != nil {
		return nil, err
	}
	var rows []map[string]any
	for res.Next(ctx) {
		rows = append(rows, res.Record().AsMap())
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	switch {
	case q.Single && len(rows) == 0:
		return nil, nil
	case q.Single:
		return rows[0], nil
	case len(rows) != 1:
		return nil, fmt.Errorf("%s: %d rows, want one", q.Name, len(rows))
	}
	return rows[0]["result"], nil
}

// Find returns the question with this name.
func Find(name string) (Question, bool) {
	i := slices.IndexFunc(All, func(q Question) bool { return q.Name == name })
	if i < 0 {
		return Question{}, false
	}
	return All[i], true
}

// For picks the parameters for a dataset: the organisation whose people
// (units included) spoke most, the person who spoke most, and topics that
// exist in it.
func For(ds *graph.Dataset) Params {
	types := map[string]graph.EntityType{}
	for _, e := range ds.Entities {
		types[e.ID] = e.Type
	}
	talks := map[string]int{}      // person -> talks spoken in
	roleOrg := map[string]string{} // role -> organisation
	parent := map[string]string{}  // organisation -> the one it is part of
	var holds []graph.Relation
	for _, r := range ds.Relations {
		switch {
		case r.Type == graph.RelSpokeIn:
			talks[r.From]++
		case r.Type == graph.RelIn:
			roleOrg[r.From] = r.To
		case r.Type == graph.RelPartOf && types[r.From] == graph.TypeOrganisation:
			parent[r.From] = r.To
		case r.Type == graph.RelHolds:
			holds = append(holds, r)
		}
	}
	orgTalks := map[string]int{}
	for _, h := range holds {
		for org := roleOrg[h.To]; org != ""; org = parent[org] {
			orgTalks[org] += talks[h.From]
		}
	}
	p := Params{Topic: "interoperability", PageTopic: "digital-identity", Search: "Ginè",
		PersonID: argmax(talks), OrgID: argmax(orgTalks)}
	if types[p.PageTopic] == "" {
		p.PageTopic = p.Topic // the seed has no such topic
	}
	return p
}

// argmax returns the key with the largest count, the smallest key among
// ties, so that the pick is the same on every run.
func argmax(counts map[string]int) string {
	best, n := "", -1
	for k, c := range counts {
		if c > n || c == n && k < best {
			best, n = k, c
		}
	}
	return best
}

// Normalise puts an answer's data in the form answers are compared in:
// lists of one element become that element and empty lists null (so that a
// to-one field and a one-element list agree), and lists are sorted, but for
// the top-level result list of an ordered question.
func Normalise(data json.RawMessage, ordered bool) (string, error) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return "", err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return "", fmt.Errorf("data is not an object: %.200s", data)
	}
	b, err := json.Marshal(normalise(m["result"], ordered))
	return string(b), err
}

func normalise(v any, keepOrder bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, x := range v {
			// A page's edges keep their order; everything below is a set.
			out[k] = normalise(x, keepOrder && k == "edges")
		}
		return out
	case []any:
		switch len(v) {
		case 0:
			return nil
		case 1:
			return normalise(v[0], false)
		}
		items := make([]any, len(v))
		keys := make([]string, len(v))
		for i, x := range v {
			items[i] = normalise(x, false)
			b, _ := json.Marshal(items[i])
			keys[i] = string(b)
		}
		if !keepOrder {
			idx := make([]int, len(v))
			for i := range idx {
				idx[i] = i
			}
			slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(keys[a], keys[b]) })
			sorted := make([]any, len(v))
			for i, j := range idx {
				sorted[i] = items[j]
			}
			items = sorted
		}
		return items
	}
	return v
}

// Diff describes where two normalised answers first differ.
func Diff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d:\n  %s\n  %s", i, snippet(a, from), snippet(b, from))
}

func snippet(s string, from int) string {
	if from >= len(s) {
		return "(end)"
	}
	s = s[from:]
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.TrimSpace(s)
}
