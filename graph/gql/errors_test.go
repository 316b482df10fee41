package gql_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

// TestErrors checks what a client is told when it asks wrongly: the exact
// message, the code, and where (path or location).
func TestErrors(t *testing.T) {
	for name, newStore := range backends {
		t.Run(name, func(t *testing.T) {
			store := newStore(t)
			storetest.MustSeed(t, store)
			url := newAPI(t, store)
			for _, tt := range []struct {
				name   string
				query  string
				vars   map[string]any
				status int
				want   []map[string]any
			}{
				{
					name:   "unknown enum value",
					query:  `{ organisations(where: {kind: {eq: TOWN}}) { name } }`,
					status: http.StatusUnprocessableEntity,
					want: []map[string]any{{
						"message":    `Value "TOWN" does not exist in "OrganisationKind" enum.`,
						"locations":  []any{map[string]any{"line": 1.0, "column": 36.0}},
						"extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
					}},
				},
				{
					name:   "unknown enum value in a variable",
					query:  `query($kind: OrganisationKind!) { organisations(where: {kind: {eq: $kind}}) { name } }`,
					vars:   map[string]any{"kind": "TOWN"},
					status: http.StatusUnprocessableEntity,
					want: []map[string]any{{
						"message":    `TOWN is not a valid OrganisationKind`,
						"path":       []any{"variable", "kind"},
						"extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
					}},
				},
				{
					name:   "unknown argument",
					query:  `{ people(filter: {}) { name } }`,
					status: http.StatusUnprocessableEntity,
					want: []map[string]any{{
						"message":    `Unknown argument "filter" on field "Query.people".`,
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
					}},
				},
				{
					name:   "page too large",
					query:  `{ peopleConnection(first: 500) { totalCount } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "first must be between 1 and 100, got 500",
						"path":       []any{"peopleConnection"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "page too large on a relationship",
					query:  `{ node(id: "diego-belmonte") { ... on Person { rolesConnection(first: 0) { totalCount } } } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "first must be between 1 and 100, got 0",
						"path":       []any{"node", "rolesConnection"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 48.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "cursor not from us",
					query:  `{ talksConnection(after: "not-a-cursor") { totalCount } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    `after: "not-a-cursor" is not a cursor this API gave`,
						"path":       []any{"talksConnection"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "first and last together",
					query:  `{ peopleConnection(first: 2, last: 2) { totalCount } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "first and last cannot be given together: page forward with first and after, or backward with last and before",
						"path":       []any{"peopleConnection"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "last too large",
					query:  `{ node(id: "diego-belmonte") { ... on Person { spokeInConnection(last: 101) { totalCount } } } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "last must be between 1 and 100, got 101",
						"path":       []any{"node", "spokeInConnection"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 48.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "before not a cursor",
					query:  `{ eventsConnection(last: 1, before: "WzFd") { totalCount } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    `before: "WzFd" is not a cursor this API gave`,
						"path":       []any{"eventsConnection"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "order by a field the type has not",
					query:  `{ people(orderBy: {field: KIND}) { name } }`,
					status: http.StatusUnprocessableEntity,
					want: []map[string]any{{
						"message":    `Value "KIND" does not exist in "PersonOrderField!" enum. Did you mean the enum value "ID"?`,
						"locations":  []any{map[string]any{"line": 1.0, "column": 27.0}},
						"extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
					}},
				},
				{
					name:   "search page too large",
					query:  `{ search(text: "a", first: 1000) { id } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "first must be between 1 and 100, got 1000",
						"path":       []any{"search"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "paths too long",
					query:  `{ paths(from: "maite-selva", to: "consorzio-aoc", maxLength: 9) { length } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "maxLength must be between 1 and 8, got 9",
						"path":       []any{"paths"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "too many paths",
					query:  `{ paths(from: "maite-selva", to: "consorzio-aoc", first: 101) { length } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "first must be between 1 and 100, got 101",
						"path":       []any{"paths"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "paths from an unknown id",
					query:  `{ paths(from: "sant-boi", to: "consorzio-aoc") { length } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    `no entity has id "sant-boi"`,
						"path":       []any{"paths"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "NOT_FOUND"},
					}},
				},
				{
					name:   "neighbourhood too deep",
					query:  `{ neighbourhood(id: "diego-belmonte", depth: 4) { truncated } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "depth must be between 1 and 3, got 4",
						"path":       []any{"neighbourhood"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "neighbourhood too large",
					query:  `{ neighbourhood(id: "diego-belmonte", first: 5000) { truncated } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "first must be between 1 and 1000, got 5000",
						"path":       []any{"neighbourhood"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "neighbourhood of an unknown id",
					query:  `{ neighbourhood(id: "nobody") { truncated } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    `no entity has id "nobody"`,
						"path":       []any{"neighbourhood"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "NOT_FOUND"},
					}},
				},
				{
					name:   "group by the kind of what has none",
					query:  `{ talksGroupCount(by: TOPICS, byKind: true) { key } }`,
					status: http.StatusOK,
					want: []map[string]any{{
						"message":    "byKind: Topic has no kind",
						"path":       []any{"talksGroupCount"},
						"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
						"extensions": map[string]any{"code": "BAD_USER_INPUT"},
					}},
				},
				{
					name:   "group by a kind the type has not",
					query:  `{ peopleGroupCount(by: KIND) { key } }`,
					status: http.StatusUnprocessableEntity,
					want: []map[string]any{{
						"message":    `Value "KIND" does not exist in "PersonGroupBy!" enum.`,
						"locations":  []any{map[string]any{"line": 1.0, "column": 24.0}},
						"extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"},
					}},
				},
				{
					name:   "syntax error",
					query:  `{ people { name }`,
					status: http.StatusUnprocessableEntity,
					want: []map[string]any{{
						"message":    "Expected Name, found <EOF>",
						"locations":  []any{map[string]any{"line": 1.0, "column": 18.0}},
						"extensions": map[string]any{"code": "GRAPHQL_PARSE_FAILED"},
					}},
				},
			} {
				t.Run(tt.name, func(t *testing.T) {
					status, res := post(t, url, tt.query, tt.vars)
					if status != tt.status {
						t.Errorf("status %d, want %d", status, tt.status)
					}
					if diff := cmp.Diff(tt.want, res.Errors); diff != "" {
						t.Errorf("errors (-want +got):\n%s", diff)
					}
				})
			}
		})
	}
}

// TestRoundTrips checks that the store calls a request makes depend on the
// shape of the query, not the size of its answer.
func TestRoundTrips(t *testing.T) {
	for _, tt := range []struct {
		name, query string
		vars        func(size int) map[string]any
		want        int
	}{
		// One Find, which reads the six relationship fields at every
		// depth; one read of evidence sources.
		{"list", `{
		  organisations(where: {kind: {eq: MUNICIPALITY}}) {
		    name
		    evidence { source { title } }
		    units { name }
		    people {
		      name
		      roles { title }
		      spokeInConnection { edges { node { title practices { name topics { name } } } relation { evidence { quote } } } }
		    }
		  }
		}`, func(int) map[string]any { return nil }, 2},
		// A search of one type, and what its selection asks, in one Find.
		{"search", `{ search(text: "m", types: [Organisation], first: 20) {
		  id ... on Organisation { name people { name spokeIn { title } } }
		} }`, func(int) map[string]any { return nil }, 1},
		// The person and its talks' edges in one Expand; the roles of the
		// person at the far end of each relation, which the look-ahead
		// does not see, and their organisations in one more.
		{"unforeseen", `{ node(id: "m0-p0") { ... on Person { spokeInConnection { edges { relation { from {
		  ... on Person { roles { title organisation { name } } }
		} } } } } } }`, func(int) map[string]any { return nil }, 2},
		// Both ends of relations two levels down, remembered from the
		// Expand that read them.
		{"relation ends", `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Organisation {
		  people { spokeInConnection { edges { relation { from { id } to { id } } } } }
		} } }`, municipalityIDs, 1},
		// The entities and everything below them in one Expand.
		{"nodes", `query($ids: [ID!]!) { nodes(ids: $ids) {
		  id ... on Organisation { name people { name roles { title } spokeIn { title practices { name } } } }
		} }`, municipalityIDs, 1},
	} {
		for name, newStore := range backends {
			for _, size := range []int{1, 10, 100} {
				t.Run(fmt.Sprintf("%s/%s/%d municipalities", tt.name, name, size), func(t *testing.T) {
					checkRoundTrips(t, newStore, size, tt.query, tt.vars(size), tt.want)
				})
			}
		}
	}
}

// municipalityIDs are the ids of the municipalities of a synthetic graph
// of size municipalities, as variables.
func municipalityIDs(size int) map[string]any {
	ids := make([]any, size)
	for i := range ids {
		ids[i] = fmt.Sprintf("m%d", i)
	}
	return map[string]any{"ids": ids}
}

// checkRoundTrips asks query of a synthetic graph of size municipalities
// and checks that it costs want store calls, and on a database as many
// statements.
func checkRoundTrips(t *testing.T, newStore func(testing.TB) graph.Store, size int, query string, vars map[string]any, want int) {
	t.Helper()
	inner := newStore(t)
	store := &countingStore{Store: inner}
	storetest.MustReplace(t, store, syntheticDataset(size))
	url := newAPI(t, store)
	store.calls.Store(0)
	// A database store also counts the statements it sends.
	sent, counts := inner.(interface{ RoundTrips() int64 })
	var before int64
	if counts {
		before = sent.RoundTrips()
	}
	_, res := post(t, url, query, vars)
	if len(res.Errors) > 0 {
		t.Fatalf("errors: %v", res.Errors)
	}
	if got := store.calls.Load(); got != int64(want) {
		t.Errorf("%d store calls, want %d", got, want)
	}
	if counts {
		if got := sent.RoundTrips() - before; got != int64(want) {
			t.Errorf("%d statements sent to the database, want %d", got, want)
		}
	}
}
