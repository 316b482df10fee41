package gql_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

// The analysis methods count as store calls too.

func (c *countingStore) Count(ctx context.Context, typ graph.EntityType, where graph.Cond) (int, error) {
	c.calls.Add(1)
	return c.Store.Count(ctx, typ, where)
}

func (c *countingStore) GroupCount(ctx context.Context, q graph.GroupQuery) ([]graph.Group, error) {
	c.calls.Add(1)
	return c.Store.GroupCount(ctx, q)
}

func (c *countingStore) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Route, error) {
	c.calls.Add(1)
	return c.Store.Paths(ctx, q)
}

func (c *countingStore) Neighbourhood(ctx context.Context, q graph.NeighbourhoodQuery) (graph.Subgraph, error) {
	c.calls.Add(1)
	return c.Store.Neighbourhood(ctx, q)
}

// TestGroupByValues checks every group-by enum against its type: KIND where
// the type has kinds, and one value for each relationship field, each of
// which answers.
func TestGroupByValues(t *testing.T) {
	store := memstore.New()
	storetest.MustSeed(t, store)
	url := newAPI(t, store)
	entityTypes := map[string]bool{}
	for _, typ := range graph.EntityTypes() {
		entityTypes[string(typ)] = true
	}
	upperSnake := regexp.MustCompile(`([a-z])([A-Z])`)
	roots := map[graph.EntityType]string{
		graph.TypePerson: "people", graph.TypeOrganisation: "organisations", graph.TypeRole: "roles", graph.TypeEvent: "events",
		graph.TypeTalk: "talks", graph.TypePractice: "practices", graph.TypeService: "services", graph.TypeTopic: "topics",
	}
	for typ, root := range roots {
		t.Run(string(typ), func(t *testing.T) {
			_, res := post(t, url, `query($type: String!, $enum: String!) {
			  type: __type(name: $type) { fields { name type { name ofType { name ofType { name ofType { name } } } } } }
			  enum: __type(name: $enum) { enumValues { name } }
			}`, map[string]any{"type": string(typ), "enum": string(typ) + "GroupBy"})
			var schema struct {
				Type struct {
					Fields []struct {
						Name string
						Type typeRef
					}
				}
				Enum struct{ EnumValues []struct{ Name string } }
			}
			if err := json.Unmarshal(res.Data, &schema); err != nil || len(res.Errors) > 0 {
				t.Fatalf("introspection: %v %v", err, res.Errors)
			}
			var want, got []string
			if typ.Kinds() != nil {
				want = append(want, "KIND")
			}
			for _, f := range schema.Type.Fields {
				if entityTypes[f.Type.named()] && !strings.HasSuffix(f.Name, "Connection") {
					want = append(want, strings.ToUpper(upperSnake.ReplaceAllString(f.Name, "${1}_${2}")))
				}
			}
			for _, v := range schema.Enum.EnumValues {
				got = append(got, v.Name)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%sGroupBy values (-want +got):\n%s", typ, diff)
			}
			for _, by := range got {
				_, res := post(t, url, fmt.Sprintf(`{ %sGroupCount(by: %s) { key count } }`, root, by), nil)
				if len(res.Errors) > 0 {
					t.Errorf("by %s: %v", by, res.Errors)
				}
			}
		})
	}
}

// typeRef is a GraphQL type as introspection gives it.
type typeRef struct {
	Name   string
	OfType *typeRef
}

// named returns the name of the type inside lists and non-nulls.
func (r typeRef) named() string {
	if r.OfType != nil {
		return r.OfType.named()
	}
	return r.Name
}

// TestAnalysisRoundTrips checks that the analysis fields cost the same
// number of store calls, and on a database of statements, whatever the
// size of the graph and of their answers.
func TestAnalysisRoundTrips(t *testing.T) {
	for _, tt := range []struct {
		name, query string
		want        int
	}{
		{"count", `{ talksCount(where: {speakers: {some: {organisations: {some: {kind: {eq: MUNICIPALITY}}}}}}) }`, 1},
		// The group count, then the roles of the people it groups by.
		{"group count", `{ organisationsGroupCount(where: {kind: {eq: UNIT}}, by: PEOPLE) {
		    key label count node { ... on Person { roles { title } } } } }`, 2},
		{"group count by kind", `{ practicesGroupCount(by: PRESENTED_BY, byKind: true) { key count } }`, 1},
		// The paths, then the sources of the evidence shown.
		{"paths", `{ paths(from: "m0-p0", to: "m0-p1") {
		    length nodes { id } relations { type from { id } evidence { quote source { title } } } } }`, 2},
		// The neighbourhood, the speakers of its talks, and the sources.
		{"neighbourhood", `{ neighbourhood(id: "topic", depth: 2, first: 1000) {
		    truncated nodes { id ... on Talk { speakers { name } } } relations { to { id } evidence { source { id } } } } }`, 3},
	} {
		for name, newStore := range backends {
			for _, size := range []int{1, 10, 100} {
				t.Run(fmt.Sprintf("%s/%s/%d municipalities", tt.name, name, size), func(t *testing.T) {
					checkRoundTrips(t, newStore, size, tt.query, nil, tt.want)
				})
			}
		}
	}
}

// TestAnalysisAgree asks the analysis fields of two graphs on every
// backend and requires the embedded store's answers, ties, truncation and
// route order included: a random graph, sparse and irregular, and the
// synthetic one, regular and full of ties. -diff.seed picks another random
// graph and other questions.
func TestAnalysisAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(*diffSeed, 2))
	random := randomDataset(rng, 100)
	explorer := memstore.New()
	storetest.MustReplace(t, explorer, random)
	pick := func(prefix string, n int) string { return fmt.Sprintf("%s-%d", prefix, rng.IntN(n)) }
	// Two entities up to six relations apart, found through the reference
	// store, so that most routes asked for exist.
	linked := func() (string, string) {
		from := random.Entities[1+rng.IntN(len(random.Entities)-1)].ID
		to := from
		for range 2 {
			sub, err := explorer.Neighbourhood(context.Background(), graph.NeighbourhoodQuery{ID: to, Depth: 3, Limit: 1000})
			if err != nil {
				t.Fatal(err)
			}
			to = sub.Entities[rng.IntN(len(sub.Entities))].ID
		}
		return from, to
	}
	randomQueries := []string{
		`{ organisationsGroupCount(by: PEOPLE) { key label count } byKind: organisationsGroupCount(by: KIND) { key count } }`,
		`{ talksGroupCount(by: TOPICS) { key count } byKind: talksGroupCount(by: EVENT, byKind: true) { key count } }`,
		`{ practicesGroupCount(by: PRESENTED_BY, byKind: true) { key count } peopleGroupCount(by: ORGANISATIONS) { key count } }`,
		`{ topicsGroupCount(where: {names: {contains: "dades"}}, by: TALKS) { key count } }`,
	}
	for range 20 {
		from, to := linked()
		randomQueries = append(randomQueries, fmt.Sprintf(`{ paths(from: %q, to: %q, maxLength: 6, first: %d) { length nodes { id } relations { type from { id } } } }`,
			from, to, 1+rng.IntN(100)))
		from, to = linked()
		randomQueries = append(randomQueries, fmt.Sprintf(`{ paths(from: %q, to: %q, maxLength: %d, via: [HOLDS, IN, PART_OF, SPOKE_IN, ABOUT], first: 100) { nodes { id } relations { type } } }`,
			from, to, 1+rng.IntN(6)))
		randomQueries = append(randomQueries, fmt.Sprintf(`{ neighbourhood(id: %q, depth: %d, first: %d) { truncated nodes { id } relations { type from { id } to { id } } } }`,
			pick("talk", 200), 1+rng.IntN(3), 1+rng.IntN(300)))
		randomQueries = append(randomQueries, fmt.Sprintf(`{ neighbourhood(id: %q, depth: 3, types: [Person, Role, Organisation], first: %d) { truncated nodes { id } relations { type } } }`,
			pick("organisation", 200), 1+rng.IntN(50)))
	}
	syntheticQueries := []string{
		`{ topicsGroupCount(by: TALKS) { key count } organisationsGroupCount(by: PRESENTED_PRACTICES) { key count } }`,
		`{ paths(from: "m3", to: "topic", maxLength: 6) { nodes { id } } }`,
		`{ paths(from: "m3-unit", to: "topic", maxLength: 5, first: 1) { nodes { id } } }`,
		`{ paths(from: "m1-p0", to: "m7-p1", maxLength: 6) { nodes { id } relations { type } } }`,
		`{ neighbourhood(id: "topic", depth: 3, first: 50) { truncated nodes { id } relations { from { id } } } }`,
		`{ neighbourhood(id: "m2-unit", depth: 3, types: [Person, Organisation, Talk]) { truncated nodes { id } } }`,
	}
	for _, set := range []struct {
		name    string
		ds      *graph.Dataset
		queries []string
	}{{"random", random, randomQueries}, {"synthetic", syntheticDataset(20), syntheticQueries}} {
		reference := memstore.New()
		storetest.MustReplace(t, reference, set.ds)
		referenceURL := newAPI(t, reference)
		for name, newStore := range backends {
			if name == "memstore" {
				continue
			}
			t.Run(name+"/"+set.name, func(t *testing.T) {
				store := newStore(t)
				storetest.MustReplace(t, store, set.ds)
				url := newAPI(t, store)
				for _, query := range set.queries {
					_, want := post(t, referenceURL, query, nil)
					_, got := post(t, url, query, nil)
					if len(want.Errors) > 0 || len(got.Errors) > 0 {
						t.Fatalf("%s: errors: memstore %v, %s %v", query, want.Errors, name, got.Errors)
					}
					if diff := cmp.Diff(canonicalJSON(t, want.Data), canonicalJSON(t, got.Data)); diff != "" {
						t.Errorf("%s differs (-memstore +%s):\n%s", query, name, diff)
					}
				}
			})
		}
	}
}
