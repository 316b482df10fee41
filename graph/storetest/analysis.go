package storetest

import (
	"context"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
)

// Paths of the analysis tests, beyond those in storetest.go.
var (
	talkEvent = graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeTalk, Repeat: true},
		{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeEvent},
	}
	// organisations that presented a practice, their parents included
	practicePresentedBy = graph.Path{
		{Rel: graph.RelPresents, Dir: graph.In, Target: graph.TypeTalk},
		{Rel: graph.RelSpokeIn, Dir: graph.In, Target: graph.TypePerson},
		{Rel: graph.RelHolds, Dir: graph.Out, Target: graph.TypeRole},
		{Rel: graph.RelIn, Dir: graph.Out, Target: graph.TypeOrganisation},
		{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeOrganisation, Repeat: true},
	}
)

// wantCode fails t unless err has the code, and if message is not empty,
// that message.
func wantCode(t *testing.T, err error, code, message string) {
	t.Helper()
	if graph.ErrorCode(err) != code || message != "" && graph.ErrorMessage(err) != message {
		t.Errorf("error %v; want code %q and message %q", err, code, message)
	}
}

func testCount(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	for _, tt := range []struct {
		typ   graph.EntityType
		where graph.Cond
		want  int
	}{
		{graph.TypePerson, nil, 4},
		{graph.TypeOrganisation, graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"UNIT"}}, 2},
		{graph.TypePerson, graph.Related{Path: personTalks, Quant: graph.None}, 1},
		{graph.TypeTopic, graph.Or{}, 0},
	} {
		got, err := s.Count(ctx, tt.typ, tt.where)
		if err != nil || got != tt.want {
			t.Errorf("Count(%s, %#v) = %d, %v; want %d", tt.typ, tt.where, got, err, tt.want)
		}
	}
	_, err := s.Count(ctx, graph.TypePerson, graph.Not{})
	wantCode(t, err, graph.EINVALID, "")
}

// group is a Group as the tests compare it.
type group struct {
	Key   string
	Count int
}

func testGroupCount(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		q    graph.GroupQuery
		want []group
	}{
		// Ties go by key.
		{"own kind", graph.GroupQuery{Type: graph.TypeOrganisation},
			[]group{{"MUNICIPALITY", 2}, {"UNIT", 2}, {"CONSORTIUM", 1}}},
		{"own kind, filtered", graph.GroupQuery{Type: graph.TypeTalk, Where: graph.Related{Path: talkParts, Quant: graph.None}},
			[]group{{"CONTRIBUTION", 2}, {"PRESENTATION", 1}}},
		// Anna Ginè reaches Alella along two ways and counts once for it;
		// units roll up into Alella.
		{"rolled up", graph.GroupQuery{Type: graph.TypePerson, By: personOrganisations},
			[]group{{"alella", 3}, {"alella-citizen-office", 2}, {"alella-front-desk", 1}, {"consorci-aoc", 1}}},
		// Anna Ginè's two units are one kind.
		{"by kind", graph.GroupQuery{Type: graph.TypePerson, By: personOrganisations, ByKind: true},
			[]group{{"MUNICIPALITY", 3}, {"UNIT", 2}, {"CONSORTIUM", 1}}},
		{"filtered", graph.GroupQuery{Type: graph.TypePerson, By: personOrganisations,
			Where: graph.Match{Field: graph.FieldName, Op: graph.OpContains, Values: []string{"gine"}}},
			[]group{{"alella", 2}, {"alella-citizen-office", 1}, {"alella-front-desk", 1}}},
		// Talks that present nothing count nowhere.
		{"reaching nothing", graph.GroupQuery{Type: graph.TypeTalk, By: talkPractices},
			[]group{{"practice-interop", 1}, {"practice-portal", 1}}},
		{"through a repeat", graph.GroupQuery{Type: graph.TypeTalk, By: talkEvent},
			[]group{{"meeting", 4}}},
		{"presented by, by kind", graph.GroupQuery{Type: graph.TypePractice, By: practicePresentedBy, ByKind: true},
			[]group{{"MUNICIPALITY", 2}, {"UNIT", 1}}},
		// Topics have no kind: an empty kind is no group.
		{"by kind without kinds", graph.GroupQuery{Type: graph.TypePractice, By: practiceTopics, ByKind: true},
			[]group{}},
		{"nothing matches", graph.GroupQuery{Type: graph.TypeOrganisation, Where: graph.Or{}}, []group{}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := s.GroupCount(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			groups := []group{}
			for _, g := range got {
				groups = append(groups, group{g.Key, g.Count})
				byEntity := tt.q.By != nil && !tt.q.ByKind
				if byEntity && (g.Entity == nil || g.Entity.ID != g.Key) || !byEntity && g.Entity != nil {
					t.Errorf("group %q has entity %+v", g.Key, g.Entity)
				}
			}
			if diff := cmp.Diff(tt.want, groups); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
	got, err := s.GroupCount(ctx, graph.GroupQuery{Type: graph.TypePerson, By: personOrganisations})
	if err != nil || got[0].Entity.Name != "Àlella" {
		t.Errorf("the group's entity = %+v, %v; want Àlella", got[0].Entity, err)
	}
	_, err = s.GroupCount(ctx, graph.GroupQuery{Type: graph.TypePerson})
	wantCode(t, err, graph.EINVALID, "Person has no kind to group by")
	_, err = s.GroupCount(ctx, graph.GroupQuery{Type: graph.TypeTalk, Where: graph.Not{}})
	wantCode(t, err, graph.EINVALID, "")
}

// routeString writes a route as ids joined by its relations, each arrow
// pointing the way its relation does.
func routeString(r graph.Route) string {
	var b strings.Builder
	for i, e := range r.Entities {
		b.WriteString(e.ID)
		if i == len(r.Relations) {
			break
		}
		rel := r.Relations[i]
		switch {
		case rel.From == e.ID && rel.To == r.Entities[i+1].ID:
			b.WriteString(" -" + string(rel.Type) + "-> ")
		case rel.To == e.ID && rel.From == r.Entities[i+1].ID:
			b.WriteString(" <-" + string(rel.Type) + "- ")
		default:
			b.WriteString(" ?" + string(rel.Type) + "? ")
		}
	}
	return b.String()
}

func testPaths(t *testing.T, s graph.Store) {
	ds := fixture()
	// A second relation between the same two entities: the routes through
	// either are both shortest, told apart by the relation's type.
	ds.Relations = append(ds.Relations, graph.Relation{Type: graph.RelSpokeIn, From: "marta-arderio", To: "talk-round-table",
		Evidence: []graph.Evidence{{Source: "src", Quote: "Marta spoke"}}})
	MustReplace(t, s, ds)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		q    graph.PathQuery
		want []string
	}{
		{"one, either way", graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 6, Limit: 10},
			[]string{"anna-gine -SPOKE_IN-> contribution-alella -PART_OF-> talk-round-table <-PART_OF- contribution-sitges <-SPOKE_IN- ana-gines"}},
		{"via", graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 6, Limit: 10,
			Via: []graph.RelType{graph.RelHolds, graph.RelIn, graph.RelPartOf}},
			[]string{"anna-gine -HOLDS-> role-anna-office -IN-> alella-citizen-office -PART_OF-> alella <-IN- role-ana <-HOLDS- ana-gines"}},
		{"via, too long", graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 4, Limit: 10,
			Via: []graph.RelType{graph.RelHolds, graph.RelIn, graph.RelPartOf}},
			[]string{}},
		// Ties go by the next entity's id, then the relation's type.
		{"ties", graph.PathQuery{From: "marta-arderio", To: "meeting", MaxLength: 3, Limit: 10},
			[]string{
				"marta-arderio -SPOKE_IN-> talk-opening -PART_OF-> meeting",
				"marta-arderio -MODERATED-> talk-round-table -PART_OF-> meeting",
				"marta-arderio -SPOKE_IN-> talk-round-table -PART_OF-> meeting",
			}},
		{"limit", graph.PathQuery{From: "marta-arderio", To: "meeting", MaxLength: 6, Limit: 2},
			[]string{
				"marta-arderio -SPOKE_IN-> talk-opening -PART_OF-> meeting",
				"marta-arderio -MODERATED-> talk-round-table -PART_OF-> meeting",
			}},
		{"backwards", graph.PathQuery{From: "meeting", To: "marta-arderio", MaxLength: 2, Limit: 10},
			[]string{
				"meeting <-PART_OF- talk-opening <-SPOKE_IN- marta-arderio",
				"meeting <-PART_OF- talk-round-table <-MODERATED- marta-arderio",
				"meeting <-PART_OF- talk-round-table <-SPOKE_IN- marta-arderio",
			}},
		{"beyond max length", graph.PathQuery{From: "marta-arderio", To: "meeting", MaxLength: 1, Limit: 10}, []string{}},
		{"one hop", graph.PathQuery{From: "role-marta", To: "consorci-aoc", MaxLength: 1, Limit: 1},
			[]string{"role-marta -IN-> consorci-aoc"}},
		{"unconnected", graph.PathQuery{From: "anna-gine", To: "sitges", MaxLength: 6, Limit: 10}, []string{}},
		{"to itself", graph.PathQuery{From: "anna-gine", To: "anna-gine", MaxLength: 1, Limit: 1}, []string{"anna-gine"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			routes, err := s.Paths(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := []string{}
			for _, r := range routes {
				got = append(got, routeString(r))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	routes, err := s.Paths(ctx, graph.PathQuery{From: "consorci-aoc", To: "talk-opening", MaxLength: 2, Limit: 1})
	if err != nil || len(routes) != 1 {
		t.Fatalf("Paths = %v, %v; want one route", routes, err)
	}
	want := graph.Route{
		Entities: []*graph.Entity{entity(ds, "consorci-aoc"), entity(ds, "meeting"), entity(ds, "talk-opening")},
		Relations: []*graph.Relation{
			{Type: graph.RelOrganised, From: "consorci-aoc", To: "meeting", As: "ORGANISER", Evidence: []graph.Evidence{{Source: "src", Quote: "organised by the AOC"}}},
			{Type: graph.RelPartOf, From: "talk-opening", To: "meeting", Evidence: []graph.Evidence{{Source: "src", Quote: "opened"}}},
		},
	}
	if diff := cmp.Diff(want, routes[0], cmp.Comparer(equalStrings)); diff != "" {
		t.Errorf("route with its entities and evidence (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		q             graph.PathQuery
		code, message string
	}{
		{graph.PathQuery{From: "nobody", To: "anna-gine", MaxLength: 3, Limit: 1}, graph.ENOTFOUND, `no entity has id "nobody"`},
		{graph.PathQuery{From: "anna-gine", To: "nobody", MaxLength: 3, Limit: 1}, graph.ENOTFOUND, `no entity has id "nobody"`},
		{graph.PathQuery{From: "nobody", To: "nobody", MaxLength: 3, Limit: 1}, graph.ENOTFOUND, `no entity has id "nobody"`},
		{graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 0, Limit: 1}, graph.EINVALID, "maxLength must be between 1 and 8, got 0"},
		{graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 9, Limit: 1}, graph.EINVALID, "maxLength must be between 1 and 8, got 9"},
		{graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 3, Limit: 0}, graph.EINVALID, "limit must be between 1 and 100, got 0"},
		{graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 3, Limit: 101}, graph.EINVALID, "limit must be between 1 and 100, got 101"},
		{graph.PathQuery{From: "anna-gine", To: "ana-gines", MaxLength: 3, Limit: 1, Via: []graph.RelType{"KNOWS"}}, graph.EINVALID, `unknown relation type "KNOWS"`},
	} {
		_, err := s.Paths(ctx, tt.q)
		wantCode(t, err, tt.code, tt.message)
	}
}

// entity returns the entity of ds with this id.
func entity(ds *graph.Dataset, id string) *graph.Entity {
	for i := range ds.Entities {
		if ds.Entities[i].ID == id {
			return &ds.Entities[i]
		}
	}
	panic("no entity " + id)
}

// subgraph is a Subgraph as the tests compare it.
type subgraph struct {
	Entities  []string
	Relations []string // "from TYPE to"
	Truncated bool
}

func testNeighbourhood(t *testing.T, s graph.Store) {
	MustReplace(t, s, fixture())
	ctx := context.Background()
	roundTable := []string{"talk-round-table", "contribution-alella", "contribution-sitges", "meeting", "marta-arderio"}
	roundTableRels := []string{
		"contribution-alella PART_OF talk-round-table",
		"contribution-sitges PART_OF talk-round-table",
		"marta-arderio MODERATED talk-round-table",
		"talk-round-table PART_OF meeting",
	}
	for _, tt := range []struct {
		name string
		q    graph.NeighbourhoodQuery
		want subgraph
	}{
		// The centre, then each distance in default order: talks by
		// their place, before names.
		{"depth 1", graph.NeighbourhoodQuery{ID: "talk-round-table", Depth: 1, Limit: 100},
			subgraph{roundTable, roundTableRels, false}},
		{"depth 2", graph.NeighbourhoodQuery{ID: "talk-round-table", Depth: 2, Limit: 100}, subgraph{
			append(roundTable[:5:5], "talk-opening", "ana-gines", "anna-gine", "consorci-aoc", "practice-portal", "practice-interop", "role-marta"),
			[]string{
				"ana-gines SPOKE_IN contribution-sitges",
				"anna-gine SPOKE_IN contribution-alella",
				"consorci-aoc ORGANISED meeting",
				"contribution-alella PRESENTS practice-interop",
				"contribution-alella PART_OF talk-round-table",
				"contribution-sitges PRESENTS practice-portal",
				"contribution-sitges PART_OF talk-round-table",
				"marta-arderio HOLDS role-marta",
				"marta-arderio SPOKE_IN talk-opening",
				"marta-arderio MODERATED talk-round-table",
				"role-marta IN consorci-aoc",
				"talk-opening PART_OF meeting",
				"talk-round-table PART_OF meeting",
			}, false}},
		// The nearest are kept.
		{"truncated within a distance", graph.NeighbourhoodQuery{ID: "talk-round-table", Depth: 2, Limit: 6}, subgraph{
			append(roundTable[:5:5], "talk-opening"),
			[]string{
				"contribution-alella PART_OF talk-round-table",
				"contribution-sitges PART_OF talk-round-table",
				"marta-arderio SPOKE_IN talk-opening",
				"marta-arderio MODERATED talk-round-table",
				"talk-opening PART_OF meeting",
				"talk-round-table PART_OF meeting",
			}, true}},
		{"truncated after a distance", graph.NeighbourhoodQuery{ID: "talk-round-table", Depth: 2, Limit: 5},
			subgraph{roundTable, roundTableRels, true}},
		{"exactly the limit", graph.NeighbourhoodQuery{ID: "talk-round-table", Depth: 1, Limit: 5},
			subgraph{roundTable, roundTableRels, false}},
		{"the centre alone", graph.NeighbourhoodQuery{ID: "talk-round-table", Depth: 3, Limit: 1},
			subgraph{[]string{"talk-round-table"}, []string{}, true}},
		// Only through organisations and roles: Anna Ginè's talk is not
		// a way to Alella, her units are.
		{"types", graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 3, Limit: 100,
			Types: []graph.EntityType{graph.TypeOrganisation, graph.TypeRole}}, subgraph{
			[]string{"anna-gine", "role-anna-office", "role-anna", "alella-citizen-office", "alella-front-desk", "alella", "role-emile"},
			[]string{
				"alella-citizen-office PART_OF alella",
				"alella-front-desk PART_OF alella-citizen-office",
				"anna-gine HOLDS role-anna",
				"anna-gine HOLDS role-anna-office",
				"role-anna IN alella-front-desk",
				"role-anna-office IN alella-citizen-office",
				"role-emile IN alella-citizen-office",
			}, false}},
		{"types reached by nothing", graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 3, Limit: 100,
			Types: []graph.EntityType{graph.TypePerson}}, subgraph{[]string{"anna-gine"}, []string{}, false}},
		{"unconnected", graph.NeighbourhoodQuery{ID: "sitges", Depth: 3, Limit: 100},
			subgraph{[]string{"sitges"}, []string{}, false}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			sub, err := s.Neighbourhood(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			got := subgraph{Entities: ids(sub.Entities), Relations: []string{}, Truncated: sub.Truncated}
			for _, r := range sub.Relations {
				got.Relations = append(got.Relations, r.From+" "+string(r.Type)+" "+r.To)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}

	sub, err := s.Neighbourhood(ctx, graph.NeighbourhoodQuery{ID: "meeting", Depth: 1, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	wantRel := &graph.Relation{Type: graph.RelOrganised, From: "consorci-aoc", To: "meeting", As: "ORGANISER",
		Evidence: []graph.Evidence{{Source: "src", Quote: "organised by the AOC"}}}
	if diff := cmp.Diff(wantRel, sub.Relations[0]); diff != "" {
		t.Errorf("relation with its evidence (-want +got):\n%s", diff)
	}

	for _, tt := range []struct {
		q             graph.NeighbourhoodQuery
		code, message string
	}{
		{graph.NeighbourhoodQuery{ID: "nobody", Depth: 1, Limit: 1}, graph.ENOTFOUND, `no entity has id "nobody"`},
		{graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 0, Limit: 1}, graph.EINVALID, "depth must be between 1 and 3, got 0"},
		{graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 4, Limit: 1}, graph.EINVALID, "depth must be between 1 and 3, got 4"},
		{graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 1, Limit: 0}, graph.EINVALID, "limit must be between 1 and 1000, got 0"},
		{graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 1, Limit: 1001}, graph.EINVALID, "limit must be between 1 and 1000, got 1001"},
		{graph.NeighbourhoodQuery{ID: "anna-gine", Depth: 1, Limit: 1, Types: []graph.EntityType{"Robot"}}, graph.EINVALID, `unknown entity type "Robot"`},
	} {
		_, err := s.Neighbourhood(ctx, tt.q)
		wantCode(t, err, tt.code, tt.message)
	}
}

// testAnalysisSeed asks the dashboards' questions of the curated dataset.
func testAnalysisSeed(t *testing.T, s graph.Store) {
	MustSeed(t, s)
	ctx := context.Background()
	practicesByKind, err := s.GroupCount(ctx, graph.GroupQuery{Type: graph.TypePractice, By: practicePresentedBy, ByKind: true})
	if err != nil {
		t.Fatal(err)
	}
	// Every practice presented in a talk was presented by someone of a
	// municipality's unit or service point, which rolls up into the
	// municipality; the data portal also by someone of an AOC unit.
	want := []group{{"MUNICIPALITY", 7}, {"UNIT", 5}, {"SERVICE_POINT", 2}, {"CONSORTIUM", 1}}
	got := []group{}
	for _, g := range practicesByKind {
		got = append(got, group{g.Key, g.Count})
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("practices by the kind of organisation that presented them (-want +got):\n%s", diff)
	}
	routes, err := s.Paths(ctx, graph.PathQuery{From: "sant-boi-citizen-service-department", To: "consorzio-aoc", MaxLength: 6, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	wantRoutes := []string{"sant-boi-citizen-service-department <-IN- role-maite-selva-head-citizen-service-department <-HOLDS- maite-selva -SPOKE_IN-> contribution-maite-selva -PART_OF-> round-table-success-stories -PART_OF-> first-public-attention-spaces-meeting <-ORGANISED- consorzio-aoc"}
	gotRoutes := []string{}
	for _, r := range routes {
		gotRoutes = append(gotRoutes, routeString(r))
	}
	if diff := cmp.Diff(wantRoutes, gotRoutes); diff != "" {
		t.Errorf("who links Sant Boi's department to the AOC (-want +got):\n%s", diff)
	}
	_, err = s.Paths(ctx, graph.PathQuery{From: "sant-boi", To: "consorzio-aoc", MaxLength: 6, Limit: 10})
	wantCode(t, err, graph.ENOTFOUND, `no entity has id "sant-boi"`)
}
