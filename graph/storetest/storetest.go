// Package storetest is the conformance suite every graph.Store runs: the
// same questions, the same answers. A backend's test calls RunTests with a
// function that makes a fresh, empty store. Its benchmarks, and those that
// read a store through the API, time with Loop.
package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/data"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
)

// RunTests runs the whole suite; newStore must return an empty store that
// is used by one subtest only.
func RunTests(t *testing.T, newStore func(t *testing.T) graph.Store) {
	tests := []struct {
		name string
		run  func(t *testing.T, s graph.Store)
	}{
		{"Entities", testEntities},
		{"FindOrder", testFindOrder},
		{"FindMatch", testFindMatch},
		{"FindLogic", testFindLogic},
		{"FindRelated", testFindRelated},
		{"FindOrderBy", testFindOrderBy},
		{"FindPages", testFindPages},
		{"FindPagesBackward", testFindPagesBackward},
		{"FindTextPages", testFindTextPages},
		{"FindInvalid", testFindInvalid},
		{"Neighbours", testNeighbours},
		{"NeighboursRollUp", testNeighboursRollUp},
		{"NeighbourCounts", testNeighbourCounts},
		{"Expand", testExpand},
		{"FindBelow", testFindBelow},
		{"ReadProps", testReadProps},
		{"Replace", testReplace},
		{"Seed", testSeed},
		{"Count", testCount},
		{"GroupCount", testGroupCount},
		{"Paths", testPaths},
		{"Neighbourhood", testNeighbourhood},
		{"AnalysisSeed", testAnalysisSeed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, newStore(t))
		})
	}
}

// MustReplace loads ds into s, failing the test on error.
func MustReplace(tb testing.TB, s graph.Store, ds *graph.Dataset) {
	tb.Helper()
	if err := s.Replace(context.Background(), ds); err != nil {
		tb.Fatalf("Replace: %v", err)
	}
}

// MustSeed loads the curated seed dataset into s.
func MustSeed(tb testing.TB, s graph.Store) *graph.Dataset {
	tb.Helper()
	ds, err := dataset.Load(data.Seed, "data")
	if err != nil {
		tb.Fatalf("load seed: %v", err)
	}
	MustReplace(tb, s, ds)
	return ds
}

func ids(es []*graph.Entity) []string {
	out := make([]string, len(es))
	for i, e := range es {
		if e == nil {
			out[i] = "<nil>"
			continue
		}
		out[i] = e.ID
	}
	return out
}

func neighbourIDs(ns [][]graph.Neighbour) [][]string {
	out := make([][]string, len(ns))
	for i, list := range ns {
		out[i] = []string{}
		for _, n := range list {
			out[i] = append(out[i], n.Entity.ID)
		}
	}
	return out
}

// positionOf is e's position in its type's default order, as a cursor.
func positionOf(e *graph.Entity) *graph.Position {
	p := graph.PositionOf(e)
	return &p
}

func find(t *testing.T, s graph.Store, q graph.Query) graph.Page {
	t.Helper()
	page, err := s.Find(context.Background(), q)
	if err != nil {
		t.Fatalf("Find(%+v): %v", q, err)
	}
	return page
}

func testEntities(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	got, err := s.Entities(context.Background(), []string{"ana-gines", "nobody", "alella", "src"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ana-gines", "<nil>", "alella", "src"}, ids(got)); diff != "" {
		t.Fatalf("ids (-want +got):\n%s", diff)
	}
	want := fixture().Entities
	byID := map[string]graph.Entity{}
	for _, e := range want {
		byID[e.ID] = e
	}
	for _, e := range []*graph.Entity{got[0], got[2], got[3]} {
		if diff := cmp.Diff(byID[e.ID], *e, cmp.Comparer(equalStrings)); diff != "" {
			t.Errorf("entity %s (-want +got):\n%s", e.ID, diff)
		}
	}
	empty, err := s.Entities(context.Background(), nil)
	if err != nil || len(empty) != 0 {
		t.Errorf("Entities(nil) = %v, %v; want empty, nil", empty, err)
	}
}

// equalStrings treats nil and empty string slices alike: stores need not
// keep the difference.
func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func testFindOrder(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	for _, tt := range []struct {
		typ  graph.EntityType
		want []string
	}{
		// Folded names sort "Àlella" with the a's and "émile" before "f".
		{graph.TypeOrganisation, []string{"alella", "alella-citizen-office", "alella-front-desk", "consorci-aoc", "sitges"}},
		{graph.TypePerson, []string{"ana-gines", "anna-gine", "emile-zola", "marta-arderio"}},
		// Talks go by their place within their parent, then by name.
		{graph.TypeTalk, []string{"talk-opening", "contribution-alella", "talk-round-table", "contribution-sitges"}},
		{graph.TypeSource, []string{"src"}},
	} {
		t.Run(string(tt.typ), func(t *testing.T) {
			page := find(t, s, graph.Query{Type: tt.typ})
			if diff := cmp.Diff(tt.want, ids(page.Entities)); diff != "" {
				t.Errorf("order (-want +got):\n%s", diff)
			}
		})
	}
}

func testFindMatch(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	m := func(f graph.Field, op graph.Op, v ...string) graph.Cond {
		return graph.Match{Field: f, Op: op, Values: v}
	}
	for _, tt := range []struct {
		name  string
		typ   graph.EntityType
		where graph.Cond
		want  []string
	}{
		{"id eq", graph.TypePerson, m(graph.FieldID, graph.OpEq, "anna-gine"), []string{"anna-gine"}},
		{"id is exact", graph.TypePerson, m(graph.FieldID, graph.OpEq, "Anna-Gine"), []string{}},
		{"id in", graph.TypePerson, m(graph.FieldID, graph.OpIn, "anna-gine", "marta-arderio", "nobody"), []string{"anna-gine", "marta-arderio"}},
		{"kind eq", graph.TypeOrganisation, m(graph.FieldKind, graph.OpEq, "UNIT"), []string{"alella-citizen-office", "alella-front-desk"}},
		{"kind in", graph.TypeOrganisation, m(graph.FieldKind, graph.OpIn, "MUNICIPALITY", "CONSORTIUM"), []string{"alella", "consorci-aoc", "sitges"}},
		{"kind is exact", graph.TypeOrganisation, m(graph.FieldKind, graph.OpEq, "unit"), []string{}},
		{"name contains folds accents", graph.TypePerson, m(graph.FieldName, graph.OpContains, "gine"), []string{"ana-gines", "anna-gine"}},
		{"name contains folds case", graph.TypePerson, m(graph.FieldName, graph.OpContains, "GINÉS"), []string{"ana-gines"}},
		{"name eq folds", graph.TypeOrganisation, m(graph.FieldName, graph.OpEq, "ALELLA"), []string{"alella"}},
		{"name eq collapses spaces", graph.TypePerson, m(graph.FieldName, graph.OpEq, " marta   ARDERIO "), []string{"marta-arderio"}},
		{"name startsWith", graph.TypePerson, m(graph.FieldName, graph.OpStartsWith, "an"), []string{"ana-gines", "anna-gine"}},
		{"name endsWith", graph.TypePerson, m(graph.FieldName, graph.OpEndsWith, "ZOLA"), []string{"emile-zola"}},
		{"name in", graph.TypePerson, m(graph.FieldName, graph.OpIn, "émile zola", "nobody"), []string{"emile-zola"}},
		{"name ignores aliases", graph.TypeOrganisation, m(graph.FieldName, graph.OpContains, "ajuntament"), []string{}},
		{"names match aliases", graph.TypeOrganisation, m(graph.FieldNames, graph.OpContains, "ajuntament"), []string{"alella"}},
		{"names match name", graph.TypeOrganisation, m(graph.FieldNames, graph.OpStartsWith, "sitg"), []string{"sitges"}},
		{"names never match across two names", graph.TypeOrganisation, m(graph.FieldNames, graph.OpContains, "alella ajuntament"), []string{}},
		{"typographic apostrophe folds", graph.TypeOrganisation, m(graph.FieldNames, graph.OpContains, "l'ufficio"), []string{"alella-citizen-office"}},
		{"empty contains matches all", graph.TypeTopic, m(graph.FieldName, graph.OpContains, ""), []string{"open-data", "interoperability"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := find(t, s, graph.Query{Type: tt.typ, Where: tt.where})
			if diff := cmp.Diff(tt.want, append([]string{}, ids(page.Entities)...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func testFindLogic(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	kind := func(k string) graph.Cond {
		return graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{k}}
	}
	for _, tt := range []struct {
		name  string
		where graph.Cond
		want  []string
	}{
		{"and", graph.And{kind("UNIT"), graph.Match{Field: graph.FieldName, Op: graph.OpContains, Values: []string{"front"}}}, []string{"alella-front-desk"}},
		{"empty and holds", graph.And{}, []string{"alella", "alella-citizen-office", "alella-front-desk", "consorci-aoc", "sitges"}},
		{"or", graph.Or{kind("CONSORTIUM"), kind("UNIT")}, []string{"alella-citizen-office", "alella-front-desk", "consorci-aoc"}},
		{"empty or fails", graph.Or{}, []string{}},
		{"not", graph.Not{Cond: kind("UNIT")}, []string{"alella", "consorci-aoc", "sitges"}},
		{"not on a missing kind", graph.Not{Cond: kind("")}, []string{"alella", "alella-citizen-office", "alella-front-desk", "consorci-aoc", "sitges"}},
		{"nested", graph.And{graph.Not{Cond: graph.Or{kind("UNIT"), kind("CONSORTIUM")}}, graph.Or{graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{"sitges"}}}}, []string{"sitges"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := find(t, s, graph.Query{Type: graph.TypeOrganisation, Where: tt.where})
			if diff := cmp.Diff(tt.want, append([]string{}, ids(page.Entities)...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// Paths the tests use, as the GraphQL layer defines them.
var (
	personOrganisations = graph.Path{
		{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeRole},
		{Rel: graph.RelIn, Dir: graph.Out, Target: graph.TypeOrganisation},
		{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeOrganisation, Repeat: true},
	}
	organisationPeople = graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
	}
	personTalks     = graph.Path{{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk}}
	talkPractices   = graph.Path{{Rel: graph.RelPresents, Dir: graph.Out, Target: graph.TypePractice}}
	practiceTopics  = graph.Path{{Rel: graph.RelAbout, Dir: graph.Out, Target: graph.TypeTopic}}
	talkParts       = graph.Path{{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeTalk}}
	talkModerators  = graph.Path{{Rel: graph.RelModerated, Dir: graph.In, Target: graph.TypePerson}}
	organisationOrg = graph.Path{{Rel: graph.RelOrganised, Dir: graph.Out, Target: graph.TypeEvent}}
)

func testFindRelated(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	idIs := func(id string) graph.Cond {
		return graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{id}}
	}
	// Organisations with some member (units rolled up) who spoke in some
	// talk that presents some practice about interoperability.
	presentedInterop := graph.Related{Path: organisationPeople, Quant: graph.Some, Where: graph.Related{
		Path: personTalks, Quant: graph.Some, Where: graph.Related{
			Path: talkPractices, Quant: graph.Some, Where: graph.Related{
				Path: practiceTopics, Quant: graph.Some, Where: idIs("interoperability")}}}}
	for _, tt := range []struct {
		name  string
		typ   graph.EntityType
		where graph.Cond
		want  []string
	}{
		{"some, nested, rolled up", graph.TypeOrganisation, presentedInterop, []string{"alella", "alella-citizen-office", "alella-front-desk"}},
		{"some with no condition", graph.TypePerson, graph.Related{Path: personTalks, Quant: graph.Some}, []string{"ana-gines", "anna-gine", "marta-arderio"}},
		{"none", graph.TypePerson, graph.Related{Path: personTalks, Quant: graph.None}, []string{"emile-zola"}},
		{"none with condition", graph.TypePerson, graph.Related{Path: personTalks, Quant: graph.None, Where: idIs("contribution-alella")}, []string{"ana-gines", "emile-zola", "marta-arderio"}},
		// All holds vacuously for a person who spoke nowhere.
		{"all", graph.TypePerson, graph.Related{Path: personTalks, Quant: graph.All, Where: graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"CONTRIBUTION"}}}, []string{"ana-gines", "anna-gine", "emile-zola"}},
		// Anna Ginè is in a unit of a unit of Alella: one organisation
		// reached along two ways still counts once.
		{"single counts distinct", graph.TypePerson, graph.Related{Path: personOrganisations, Quant: graph.Single, Where: idIs("alella")}, []string{"ana-gines", "anna-gine", "emile-zola"}},
		{"single", graph.TypeTalk, graph.Related{Path: talkParts, Quant: graph.Single}, []string{}},
		{"single of two", graph.TypeTalk, graph.Related{Path: talkParts, Quant: graph.Single, Where: idIs("contribution-sitges")}, []string{"talk-round-table"}},
		{"moderated", graph.TypeTalk, graph.Related{Path: talkModerators, Quant: graph.Some, Where: graph.Match{Field: graph.FieldName, Op: graph.OpEq, Values: []string{"marta arderio"}}}, []string{"talk-round-table"}},
		{"not some", graph.TypeOrganisation, graph.Not{Cond: graph.Related{Path: organisationOrg, Quant: graph.Some}}, []string{"alella", "alella-citizen-office", "alella-front-desk", "sitges"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := find(t, s, graph.Query{Type: tt.typ, Where: tt.where})
			if diff := cmp.Diff(tt.want, append([]string{}, ids(page.Entities)...)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func testFindPages(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	all := []string{"alella", "alella-citizen-office", "alella-front-desk", "consorci-aoc", "sitges"}
	first := find(t, s, graph.Query{Type: graph.TypeOrganisation, First: 2, WithTotal: true})
	if diff := cmp.Diff(all[:2], ids(first.Entities)); diff != "" || !first.HasNext || first.Total != 5 {
		t.Fatalf("first page = %v HasNext=%v Total=%d; want %v true 5 (%s)", ids(first.Entities), first.HasNext, first.Total, all[:2], diff)
	}
	second := find(t, s, graph.Query{Type: graph.TypeOrganisation, First: 2, After: positionOf(first.Entities[1]), WithTotal: true})
	if diff := cmp.Diff(all[2:4], ids(second.Entities)); diff != "" || !second.HasNext || second.Total != 5 {
		t.Fatalf("second page = %v HasNext=%v Total=%d; want %v true 5", ids(second.Entities), second.HasNext, second.Total, all[2:4])
	}
	last := find(t, s, graph.Query{Type: graph.TypeOrganisation, First: 2, After: positionOf(second.Entities[1])})
	if diff := cmp.Diff(all[4:], ids(last.Entities)); diff != "" || last.HasNext || last.Total != 0 {
		t.Fatalf("last page = %v HasNext=%v Total=%d; want %v false 0", ids(last.Entities), last.HasNext, last.Total, all[4:])
	}
	// A position stays valid when its entity is gone.
	gone := graph.Position{SortKey: graph.Fold("Alella Front Desk"), ID: "alella-front-desk-old"}
	rest := find(t, s, graph.Query{Type: graph.TypeOrganisation, After: &gone})
	if diff := cmp.Diff(all[3:], ids(rest.Entities)); diff != "" {
		t.Fatalf("after a gone position (-want +got):\n%s", diff)
	}
	exact := find(t, s, graph.Query{Type: graph.TypeOrganisation, First: 5})
	if exact.HasNext {
		t.Errorf("HasNext with First equal to the number of matches")
	}
}

func testFindOrderBy(t *testing.T, s graph.Store) {
	ds := fixture()
	summit := graph.Entity{ID: "summit", Type: graph.TypeEvent, Name: "Spring summit", Kind: "CONFERENCE",
		Date: graph.PartialDate{Year: 2024, Month: 5}, Evidence: ds.Entities[0].Evidence}
	workshop := graph.Entity{ID: "workshop", Type: graph.TypeEvent, Name: "Winter workshop", Kind: "WORKSHOP"}
	ds.Entities = append(ds.Entities, summit, workshop)
	MustReplace(t, s, ds)
	for _, tt := range []struct {
		name  string
		typ   graph.EntityType
		order graph.Order
		want  []string
	}{
		// Ties in kind go by name, then id.
		{"kind", graph.TypeOrganisation, graph.Order{Field: graph.OrderKind},
			[]string{"consorci-aoc", "alella", "sitges", "alella-citizen-office", "alella-front-desk"}},
		{"kind desc", graph.TypeOrganisation, graph.Order{Field: graph.OrderKind, Desc: true},
			[]string{"alella-front-desk", "alella-citizen-office", "sitges", "alella", "consorci-aoc"}},
		{"name desc", graph.TypePerson, graph.Order{Desc: true},
			[]string{"marta-arderio", "emile-zola", "anna-gine", "ana-gines"}},
		{"id", graph.TypeTopic, graph.Order{Field: graph.OrderID}, []string{"interoperability", "open-data"}},
		{"name", graph.TypeTopic, graph.Order{Field: graph.OrderName}, []string{"open-data", "interoperability"}},
		// Talks of one kind keep their agenda order.
		{"talk kind", graph.TypeTalk, graph.Order{Field: graph.OrderKind},
			[]string{"contribution-alella", "contribution-sitges", "talk-opening", "talk-round-table"}},
		{"talk title desc", graph.TypeTalk, graph.Order{Field: graph.OrderName, Desc: true},
			[]string{"contribution-alella", "contribution-sitges", "talk-round-table", "talk-opening"}},
		// Undated first; a date without a year before every dated one.
		{"date", graph.TypeEvent, graph.Order{Field: graph.OrderDate}, []string{"workshop", "meeting", "summit"}},
		{"date desc", graph.TypeEvent, graph.Order{Field: graph.OrderDate, Desc: true}, []string{"summit", "meeting", "workshop"}},
		{"event default", graph.TypeEvent, graph.Order{}, []string{"meeting", "summit", "workshop"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := find(t, s, graph.Query{Type: tt.typ, Order: tt.order})
			if diff := cmp.Diff(tt.want, ids(page.Entities)); diff != "" {
				t.Fatalf("order (-want +got):\n%s", diff)
			}
			// Paging one at a time, each way, walks the same order.
			var forward, backward []string
			q := graph.Query{Type: tt.typ, Order: tt.order, First: 1}
			for {
				page := find(t, s, q)
				forward = append(forward, ids(page.Entities)...)
				if !page.HasNext {
					break
				}
				p := graph.PositionIn(page.Entities[0], tt.order.On(tt.typ))
				q.After = &p
			}
			q = graph.Query{Type: tt.typ, Order: tt.order, Last: 1}
			for {
				page := find(t, s, q)
				backward = append(ids(page.Entities), backward...)
				if !page.HasPrevious {
					break
				}
				p := graph.PositionIn(page.Entities[0], tt.order.On(tt.typ))
				q.Before = &p
			}
			if diff := cmp.Diff(tt.want, forward); diff != "" {
				t.Errorf("paging forward (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.want, backward); diff != "" {
				t.Errorf("paging backward (-want +got):\n%s", diff)
			}
		})
	}
}

func testFindPagesBackward(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	pos := func(id string) *graph.Position {
		for _, e := range fixture().Entities {
			if e.ID == id {
				return positionOf(&e)
			}
		}
		t.Fatalf("no entity %q in the fixture", id)
		return nil
	}
	org := graph.TypeOrganisation
	for _, tt := range []struct {
		name     string
		q        graph.Query
		want     []string
		previous bool
		next     bool
		total    int
	}{
		{"last", graph.Query{Type: org, Last: 2, WithTotal: true}, []string{"consorci-aoc", "sitges"}, true, false, 5},
		{"last before", graph.Query{Type: org, Last: 2, Before: pos("consorci-aoc")},
			[]string{"alella-citizen-office", "alella-front-desk"}, true, false, 0},
		{"last before, reaching the start", graph.Query{Type: org, Last: 2, Before: pos("alella-citizen-office")},
			[]string{"alella"}, false, false, 0},
		{"between cursors", graph.Query{Type: org, After: pos("alella"), Before: pos("sitges")},
			[]string{"alella-citizen-office", "alella-front-desk", "consorci-aoc"}, false, false, 0},
		{"first between cursors", graph.Query{Type: org, First: 2, After: pos("alella"), Before: pos("sitges"), WithTotal: true},
			[]string{"alella-citizen-office", "alella-front-desk"}, false, true, 5},
		{"after the last, with the total", graph.Query{Type: org, First: 2, After: pos("sitges"), WithTotal: true},
			[]string{}, false, false, 5},
		{"last between cursors", graph.Query{Type: org, Last: 3, After: pos("alella"), Before: pos("sitges")},
			[]string{"alella-citizen-office", "alella-front-desk", "consorci-aoc"}, false, false, 0},
		{"last of a filter", graph.Query{Type: org, Last: 1,
			Where: graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"UNIT"}}},
			[]string{"alella-front-desk"}, true, false, 0},
		{"last desc", graph.Query{Type: org, Last: 2, Order: graph.Order{Desc: true}},
			[]string{"alella-citizen-office", "alella"}, true, false, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			page := find(t, s, tt.q)
			if diff := cmp.Diff(tt.want, ids(page.Entities)); diff != "" {
				t.Errorf("page (-want +got):\n%s", diff)
			}
			if page.HasPrevious != tt.previous || page.HasNext != tt.next || page.Total != tt.total {
				t.Errorf("HasPrevious=%v HasNext=%v Total=%d; want %v %v %d",
					page.HasPrevious, page.HasNext, page.Total, tt.previous, tt.next, tt.total)
			}
		})
	}
}

func testFindInvalid(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	for _, where := range []graph.Cond{
		graph.Match{Field: "email", Op: graph.OpEq, Values: []string{"x"}},
		graph.Match{Field: graph.FieldName, Op: "like", Values: []string{"x"}},
		graph.Match{Field: graph.FieldName, Op: graph.OpEq, Values: []string{"a", "b"}},
		graph.Related{Path: personTalks, Quant: "most"},
		graph.Related{Quant: graph.Some},
		graph.Not{},
	} {
		_, err := s.Find(context.Background(), graph.Query{Type: graph.TypePerson, Where: where})
		if code := graph.ErrorCode(err); code != graph.EINVALID {
			t.Errorf("Find(%#v): error %v (code %q); want code %q", where, err, code, graph.EINVALID)
		}
	}
	for _, tt := range []struct {
		q    graph.Query
		want string
	}{
		{graph.Query{Type: graph.TypePerson, Order: graph.Order{Field: graph.OrderKind}}, `Person cannot be ordered by "kind"`},
		{graph.Query{Type: graph.TypeOrganisation, First: 1, Last: 1}, "first and last cannot be given together"},
		{graph.Query{Type: graph.TypeOrganisation, Last: -1}, "page sizes cannot be negative"},
		{graph.Query{Type: "Planet"}, `unknown entity type "Planet"`},
	} {
		_, err := s.Find(context.Background(), tt.q)
		if code := graph.ErrorCode(err); code != graph.EINVALID || graph.ErrorMessage(err) != tt.want {
			t.Errorf("Find(%+v): error %v (code %q); want %q (code %q)", tt.q, err, code, tt.want, graph.EINVALID)
		}
	}
}

func testNeighbours(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	got, err := s.Neighbours(ctx, []string{"talk-round-table", "nobody", "talk-opening", "talk-round-table"}, talkParts, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"contribution-alella", "contribution-sitges"}, {}, {}, {"contribution-alella", "contribution-sitges"}}
	if diff := cmp.Diff(want, neighbourIDs(got)); diff != "" {
		t.Fatalf("parts (-want +got):\n%s", diff)
	}
	rel := got[0][0].Relation
	wantRel := &graph.Relation{Type: graph.RelPartOf, From: "contribution-alella", To: "talk-round-table",
		Evidence: []graph.Evidence{{Source: "src", Quote: "round table"}}}
	if diff := cmp.Diff(wantRel, rel); diff != "" {
		t.Errorf("relation (-want +got):\n%s", diff)
	}
	organised, err := s.Neighbours(ctx, []string{"consorci-aoc"}, organisationOrg, nil)
	if err != nil || len(organised[0]) != 1 || organised[0][0].Relation.As != "ORGANISER" {
		t.Errorf("ORGANISED neighbour = %+v, %v; want the event with As ORGANISER", organised, err)
	}
	filtered, err := s.Neighbours(ctx, []string{"talk-round-table"}, talkParts,
		graph.Match{Field: graph.FieldName, Op: graph.OpContains, Values: []string{"sitges"}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"contribution-sitges"}}, neighbourIDs(filtered)); diff != "" {
		t.Errorf("filtered (-want +got):\n%s", diff)
	}
	if _, err := s.Neighbours(ctx, []string{"talk-round-table"}, talkParts, graph.Not{}); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("invalid where: error %v; want code %q", err, graph.EINVALID)
	}
}

func testNeighboursRollUp(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	got, err := s.Neighbours(context.Background(), []string{"alella", "alella-citizen-office", "anna-gine"},
		organisationPeople, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Only the first two are organisations; a path that fits nothing
	// reaches nothing.
	want := [][]string{{"ana-gines", "anna-gine", "emile-zola"}, {"anna-gine", "emile-zola"}, {}}
	if diff := cmp.Diff(want, neighbourIDs(got)); diff != "" {
		t.Fatalf("people (-want +got):\n%s", diff)
	}
	for _, list := range got {
		for _, n := range list {
			if n.Relation != nil {
				t.Errorf("a path of several steps gave relation %+v", n.Relation)
			}
		}
	}
	orgs, err := s.Neighbours(context.Background(), []string{"anna-gine"}, personOrganisations, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"alella", "alella-citizen-office", "alella-front-desk"}}, neighbourIDs(orgs)); diff != "" {
		t.Errorf("organisations of a person (-want +got):\n%s", diff)
	}
}

func testNeighbourCounts(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	sitges := graph.Match{Field: graph.FieldName, Op: graph.OpContains, Values: []string{"sitges"}}
	for _, tt := range []struct {
		name  string
		ids   []string
		path  graph.Path
		where graph.Cond
		want  []int
	}{
		{"one step, a missing id, a repeat", []string{"talk-round-table", "nobody", "talk-opening", "talk-round-table"}, talkParts, nil, []int{2, 0, 0, 2}},
		{"filtered", []string{"talk-round-table"}, talkParts, sitges, []int{1}},
		{"rolled up", []string{"alella", "alella-citizen-office", "anna-gine"}, organisationPeople, nil, []int{3, 2, 0}},
		{"none", []string{}, talkParts, nil, []int{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.NeighbourCounts(ctx, tt.ids, tt.path, tt.where)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			lists, err := s.Neighbours(ctx, tt.ids, tt.path, tt.where)
			if err != nil {
				t.Fatal(err)
			}
			for i, list := range lists {
				if len(list) != got[i] {
					t.Errorf("%s: count %d, but Neighbours lists %d", tt.ids[i], got[i], len(list))
				}
			}
		})
	}
	if _, err := s.NeighbourCounts(ctx, []string{"talk-round-table"}, talkParts, graph.Not{}); graph.ErrorCode(err) != graph.EINVALID {
		t.Errorf("invalid where: error %v; want code %q", err, graph.EINVALID)
	}

	// Counts follow the graph a Replace makes: a relation gone, an entity
	// of another type at the end of one.
	ds := fixture()
	ds.Relations = slices.DeleteFunc(ds.Relations, func(r graph.Relation) bool {
		return r.Type == graph.RelPartOf && r.From == "contribution-alella"
	})
	for i := range ds.Entities {
		if e := &ds.Entities[i]; e.ID == "alella-citizen-office" {
			e.Type, e.Kind = graph.TypeTalk, "CONTRIBUTION"
		}
	}
	MustReplace(t, s, ds)
	organisationUnits := graph.Path{{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation}}
	for _, tt := range []struct {
		path graph.Path
		want []int
	}{
		{talkParts, []int{1, 2, 1}},
		{organisationUnits, []int{0, 0, 0}},
	} {
		got, err := s.NeighbourCounts(ctx, []string{"talk-round-table", "meeting", "alella"}, tt.path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("counts along %v after a second Replace (-want +got):\n%s", tt.path, diff)
		}
	}
}

func testReplace(t *testing.T, s graph.Store) {
	ctx := context.Background()
	MustReplace(t, s, fixture())
	MustReplace(t, s, fixture()) // twice: the same graph
	page := find(t, s, graph.Query{Type: graph.TypeOrganisation, WithTotal: true})
	if page.Total != 5 {
		t.Fatalf("after loading twice: %d organisations; want 5", page.Total)
	}
	small := &graph.Dataset{Entities: []graph.Entity{
		{ID: "src", Type: graph.TypeSource, Name: "S", Text: "Sitges"},
		{ID: "sitges", Type: graph.TypeOrganisation, Name: "Sitges", Kind: "MUNICIPALITY", Evidence: []graph.Evidence{{Source: "src", Quote: "Sitges"}}},
	}}
	MustReplace(t, s, small)
	got, err := s.Entities(ctx, []string{"alella", "sitges"})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"<nil>", "sitges"}, ids(got)); diff != "" {
		t.Errorf("after replace (-want +got):\n%s", diff)
	}
	ns, err := s.Neighbours(ctx, []string{"sitges"}, organisationPeople, nil)
	if err != nil || len(ns[0]) != 0 {
		t.Errorf("old relations survive a replace: %v, %v", neighbourIDs(ns), err)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := s.Replace(cancelled, fixture()); !errors.Is(err, context.Canceled) {
		t.Errorf("Replace with a cancelled context: %v; want context.Canceled", err)
	}
	if got, _ := s.Entities(ctx, []string{"alella", "sitges"}); got[0] != nil || got[1] == nil {
		t.Errorf("a failed replace changed the graph: %v", ids(got))
	}
}

// testSeed asks the headline questions of the curated dataset.
func testSeed(t *testing.T, s graph.Store) {
	MustSeed(t, s)
	municipality := graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"MUNICIPALITY"}}
	interop := graph.Related{Path: organisationPeople, Quant: graph.Some, Where: graph.Related{
		Path: personTalks, Quant: graph.Some, Where: graph.Related{
			Path: talkPractices, Quant: graph.Some, Where: graph.Related{
				Path: practiceTopics, Quant: graph.Some, Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{"interoperability"}}}}}}
	page := find(t, s, graph.Query{Type: graph.TypeOrganisation, Where: graph.And{municipality, interop}})
	if diff := cmp.Diff([]string{"comune-di-mataro"}, ids(page.Entities)); diff != "" {
		t.Errorf("municipalities that presented interoperability (-want +got):\n%s", diff)
	}
	search := find(t, s, graph.Query{Type: graph.TypePerson, Where: graph.Match{Field: graph.FieldNames, Op: graph.OpContains, Values: []string{"gine"}}})
	if diff := cmp.Diff([]string{"anna-gine"}, ids(search.Entities)); diff != "" {
		t.Errorf(`search "gine" (-want +got):\n%s`, diff)
	}
}
