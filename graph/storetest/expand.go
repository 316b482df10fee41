package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
)

// Paths of the tree read below that the other tests do not use.
var (
	personRoles      = graph.Path{{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeRole}}
	roleOrganisation = graph.Path{{Rel: graph.RelIn, Dir: graph.Out, Target: graph.TypeOrganisation}}
)

// reachLines renders what Expand found, one line per entity a branch was
// read from: the branch's place in the tree, the id, and its neighbours'
// ids in order, or for a Count branch "#" and their number.
func reachLines(reached []graph.Reach, prefix string) []string {
	var out []string
	for k, r := range reached {
		place := prefix + fmt.Sprint(k)
		var lines []string
		for id, ns := range r.Neighbours {
			found := make([]string, len(ns))
			for j, n := range ns {
				found[j] = n.Entity.ID
			}
			lines = append(lines, place+" "+id+": "+strings.Join(found, " "))
		}
		for id, n := range r.Counts {
			lines = append(lines, place+" "+id+": #"+fmt.Sprint(n))
		}
		slices.Sort(lines)
		out = append(out, lines...)
		out = append(out, reachLines(r.Below, place+".")...)
	}
	return out
}

func testExpand(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	head := graph.Match{Field: graph.FieldName, Op: graph.OpContains, Values: []string{"head"}}
	branches := []graph.Branch{
		{From: graph.TypeOrganisation, Path: organisationPeople, Below: []graph.Branch{
			{From: graph.TypePerson, Path: personTalks, Relations: true, Below: []graph.Branch{
				{From: graph.TypeTalk, Path: talkPractices},
			}},
			{From: graph.TypePerson, Path: personRoles, Where: head},
			{From: graph.TypePerson, Path: personTalks, Count: true},
			{From: graph.TypePerson, Path: personRoles, Where: head, Count: true},
		}},
		{From: graph.TypePerson, Path: personRoles, Below: []graph.Branch{
			{From: graph.TypeRole, Path: roleOrganisation},
		}},
		{From: graph.TypeOrganisation, Path: organisationPeople, Count: true},
	}
	roots := []string{"alella", "nobody", "marta-arderio", "alella"}
	got, err := s.Expand(ctx, roots, branches, 0)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alella", "<nil>", "marta-arderio", "alella"}, ids(got.Entities)); diff != "" {
		t.Errorf("entities (-want +got):\n%s", diff)
	}
	// A branch has an entry for every entity of its type it was read
	// from, empty or not, and none for the others.
	want := []string{
		"0 alella: ana-gines anna-gine emile-zola",
		"0.0 ana-gines: contribution-sitges",
		"0.0 anna-gine: contribution-alella",
		"0.0 emile-zola: ",
		"0.0.0 contribution-alella: practice-interop",
		"0.0.0 contribution-sitges: practice-portal",
		"0.1 ana-gines: ",
		"0.1 anna-gine: role-anna",
		"0.1 emile-zola: ",
		"0.2 ana-gines: #1",
		"0.2 anna-gine: #1",
		"0.2 emile-zola: #0",
		"0.3 ana-gines: #0",
		"0.3 anna-gine: #1",
		"0.3 emile-zola: #0",
		"1 marta-arderio: role-marta",
		"1.0 role-marta: consorci-aoc",
		"2 alella: #3",
	}
	if diff := cmp.Diff(want, reachLines(got.Reached, "")); diff != "" {
		t.Errorf("reached (-want +got):\n%s", diff)
	}
	// What it finds is what Entities and Neighbours find, relations
	// included.
	stepwise, err := expandStepwise(ctx, s, roots, branches)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stepwise, got); diff != "" {
		t.Errorf("Expand differs from Entities and Neighbours (-stepwise +Expand):\n%s", diff)
	}
	spoke := got.Reached[0].Below[0].Neighbours["anna-gine"][0].Relation
	wantRel := &graph.Relation{Type: graph.RelSpokeIn, From: "anna-gine", To: "contribution-alella",
		Evidence: []graph.Evidence{{Source: "src", Quote: "Anna presented"}}}
	if diff := cmp.Diff(wantRel, spoke); diff != "" {
		t.Errorf("relation (-want +got):\n%s", diff)
	}
	if presented := got.Reached[0].Below[0].Below[0].Neighbours["contribution-alella"][0].Relation; presented != nil {
		t.Errorf("a branch that does not ask for relations gave %+v", presented)
	}

	none, err := s.Expand(ctx, []string{}, branches, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Entities) != 0 || len(reachLines(none.Reached, "")) != 0 || len(none.Reached[0].Below) != 4 {
		t.Errorf("no ids: got %+v; want nothing found, the tree's shape kept", none)
	}

	for _, bad := range []struct {
		name     string
		branches []graph.Branch
		message  string
	}{
		{"unknown type", []graph.Branch{{From: "Planet", Path: personRoles}}, `unknown entity type "Planet"`},
		{"invalid where below", []graph.Branch{{From: graph.TypePerson, Path: personRoles, Below: []graph.Branch{
			{From: graph.TypeRole, Path: roleOrganisation, Where: graph.Not{}}}}}, "NOT needs a condition"},
		{"a count with branches below", []graph.Branch{{From: graph.TypePerson, Path: personRoles, Count: true, Below: []graph.Branch{
			{From: graph.TypeRole, Path: roleOrganisation}}}}, "a branch that counts reads neither relations nor branches below"},
	} {
		_, err := s.Expand(ctx, roots, bad.branches, 0)
		wantCode(t, err, graph.EINVALID, bad.message)
	}
}

// testFindBelow checks that Find reads branches from its page as Expand
// reads them from its entities, paging either way.
func testFindBelow(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	below := []graph.Branch{
		{From: graph.TypeOrganisation, Path: organisationPeople, Below: []graph.Branch{
			{From: graph.TypePerson, Path: personTalks, Relations: true},
			{From: graph.TypePerson, Path: personRoles, Count: true},
		}},
		{From: graph.TypeOrganisation, Path: organisationPeople, Count: true},
	}
	for _, q := range []graph.Query{
		{Type: graph.TypeOrganisation},
		{Type: graph.TypeOrganisation, First: 2, WithTotal: true},
		{Type: graph.TypeOrganisation, Last: 2, Order: graph.Order{Field: graph.OrderName, Desc: true}},
		{Type: graph.TypeOrganisation, Where: graph.Match{Field: graph.FieldName, Op: graph.OpContains, Values: []string{"alella"}}},
		// A page with a text condition, which a store may read in order or
		// from a text index.
		{Type: graph.TypeOrganisation, First: 1, Where: graph.Match{Field: graph.FieldNames, Op: graph.OpContains, Values: []string{"alella"}}},
	} {
		t.Run(fmt.Sprintf("%+v", q), func(t *testing.T) {
			want, err := s.Find(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if want.Reached, err = reachStepwise(ctx, s, want.Entities, below); err != nil {
				t.Fatal(err)
			}
			q.Below = below
			got, err := s.Find(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Find with Below differs from Find, then Neighbours and NeighbourCounts (-want +got):\n%s", diff)
			}
			if len(reachLines(got.Reached, "")) == 0 {
				t.Errorf("nothing reached from %v", ids(got.Entities))
			}
		})
	}
	_, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Below: []graph.Branch{{From: "Planet", Path: personRoles}}})
	wantCode(t, err, graph.EINVALID, `unknown entity type "Planet"`)
}

// projected returns what of e a read asked for props must return: its ID,
// its Type and the properties of props.
func projected(e *graph.Entity, props graph.Props) graph.Entity {
	out := graph.Entity{ID: e.ID, Type: e.Type}
	if props.Has(graph.PropName) {
		out.Name = e.Name
	}
	if props.Has(graph.PropAliases) {
		out.Aliases = e.Aliases
	}
	if props.Has(graph.PropKind) {
		out.Kind = e.Kind
	}
	if props.Has(graph.PropDescription) {
		out.Description = e.Description
	}
	if props.Has(graph.PropDate) {
		out.Date = e.Date
	}
	if props.Has(graph.PropOrder) {
		out.Order = e.Order
	}
	if props.Has(graph.PropLanguage) {
		out.Language = e.Language
	}
	if props.Has(graph.PropURL) {
		out.URL = e.URL
	}
	if props.Has(graph.PropText) {
		out.Text = e.Text
	}
	if props.Has(graph.PropEvidence) {
		out.Evidence = e.Evidence
	}
	return out
}

func testReadProps(t *testing.T, s graph.Store) {
	ds := fixture()
	MustReplace(t, s, ds)
	ctx := context.Background()
	want := map[string]*graph.Entity{}
	for i := range ds.Entities {
		want[ds.Entities[i].ID] = &ds.Entities[i]
	}
	// Every entity a read returns has at least what was asked of it.
	check := func(t *testing.T, es []*graph.Entity, props graph.Props) {
		t.Helper()
		for _, e := range es {
			if diff := cmp.Diff(projected(want[e.ID], props), projected(e, props)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", e.ID, diff)
			}
		}
	}
	expand := func(t *testing.T, props graph.Props) graph.Expansion {
		t.Helper()
		x, err := s.Expand(ctx, []string{"talk-round-table", "src"}, []graph.Branch{
			{From: graph.TypeTalk, Path: talkParts, Below: []graph.Branch{{From: graph.TypeTalk, Path: talkPractices}}},
			{From: graph.TypeTalk, Path: graph.Path{{Rel: graph.RelPartOf, Dir: graph.In}}}, // parts of any type
		}, props)
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	// Lists come in their default order whatever is read of their entities;
	// entities of any type in their own type's (the agenda, for talks).
	wantLines := reachLines(expand(t, 0).Reached, "")
	if diff := cmp.Diff([]string{
		"0 talk-round-table: contribution-alella contribution-sitges",
		"0.0 contribution-alella: practice-interop",
		"0.0 contribution-sitges: practice-portal",
		"1 talk-round-table: contribution-alella contribution-sitges",
	}, wantLines); diff != "" {
		t.Fatalf("reached from the round table (-want +got):\n%s", diff)
	}
	for _, props := range []graph.Props{graph.PropName, graph.PropKind | graph.PropEvidence, graph.PropDate | graph.PropOrder,
		graph.PropAliases | graph.PropDescription | graph.PropLanguage | graph.PropURL | graph.PropText, 0} {
		t.Run(fmt.Sprintf("props %b", props), func(t *testing.T) {
			for _, typ := range []graph.EntityType{graph.TypeOrganisation, graph.TypeEvent, graph.TypeTalk, graph.TypeSource} {
				page := find(t, s, graph.Query{Type: typ, Props: props})
				if len(page.Entities) == 0 {
					t.Fatalf("no %s found", typ)
				}
				check(t, page.Entities, props)
			}
			x := expand(t, props)
			check(t, x.Entities, props)
			for _, ns := range x.Reached[0].Neighbours {
				check(t, neighbourEntities(ns), props)
			}
			for _, ns := range x.Reached[0].Below[0].Neighbours {
				check(t, neighbourEntities(ns), props)
			}
			if diff := cmp.Diff(wantLines, reachLines(x.Reached, "")); diff != "" {
				t.Errorf("reached (-as read with every property +got):\n%s", diff)
			}
		})
	}
}

func neighbourEntities(ns []graph.Neighbour) []*graph.Entity {
	out := make([]*graph.Entity, len(ns))
	for i, n := range ns {
		out[i] = n.Entity
	}
	return out
}
