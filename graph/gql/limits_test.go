package gql_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph/gql"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

func repeat(format string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, format, i)
	}
	return b.String()
}

// nest wraps inner in n levels of Organisation.parent.
func nest(n int, inner string) string {
	return strings.Repeat("parent { ", n) + inner + strings.Repeat(" }", n)
}

// TestHostileQueries sends queries built to exhaust the service. Each is
// refused quickly with a clear message and code, and the service answers a
// normal query afterwards.
func TestHostileQueries(t *testing.T) {
	store := memstore.New()
	storetest.MustSeed(t, store)
	limits := gql.DefaultLimits
	limits.ResultNodes = 60
	limits.Errors = 3
	srv := httptest.NewServer(gql.NewHandler(store, gql.Config{Introspection: true, TokenLimit: 5000, Limits: limits}))
	defer srv.Close()
	limit := func(msg string) []map[string]any {
		return []map[string]any{{"message": msg, "extensions": map[string]any{"code": "LIMIT_EXCEEDED"}}}
	}
	for _, tt := range []struct {
		name    string
		query   string
		want    []map[string]any
		anyPath bool
	}{
		{"deep nesting", `{ organisations { ` + nest(20, "name") + ` } }`, limit("the query's depth is 22, over the limit of 15"), false},
		{"introspection nesting", `{ __schema { types { fields { type { ` + strings.Repeat("ofType { ", 15) + "name" + strings.Repeat(" }", 15) + ` } } } } }`, limit("the query's depth is 20, over the limit of 15"), false},
		{"alias flood", `{ people { ` + repeat("a%d: name ", 40) + ` } }`, limit("the query's aliases is 40, over the limit of 30"), false},
		{"root field flood", `{ ` + repeat("r%d: sources { id } ", 25) + ` }`, limit("the query's root fields is 25, over the limit of 20"), false},
		{"directive flood", `{ people { ` + strings.Repeat("name @include(if: true) ", 60) + ` } }`, limit("the query's directives is 60, over the limit of 50"), false},
		{
			"nested pages multiply",
			`{ peopleConnection(first: 100) { edges { node { rolesConnection(first: 100) { edges { node { holdersConnection(first: 100) { totalCount } } } } } } } }`,
			limit("the query's complexity is 1030301, over the limit of 100000"), false,
		},
		{
			"nested pages from the end multiply",
			`{ peopleConnection(last: 100) { edges { node { rolesConnection(last: 100) { edges { node { holdersConnection(last: 100) { totalCount } } } } } } } }`,
			limit("the query's complexity is 1030301, over the limit of 100000"), false,
		},
		{
			// The same nesting with small pages costs what it asks for.
			"small pages from the end are answered",
			`{ peopleConnection(last: 2) { edges { node { rolesConnection(last: 2) { edges { node { holdersConnection(last: 2) { totalCount } } } } } } } }`,
			nil, false,
		},
		{
			"fragment bomb",
			`{ people { ...f0 } } ` +
				`fragment f0 on Person { ...f1 ...f1 } fragment f1 on Person { ...f2 ...f2 } fragment f2 on Person { ...f3 ...f3 } ` +
				`fragment f3 on Person { ...f4 ...f4 } fragment f4 on Person { ...f5 ...f5 } fragment f5 on Person { ...f6 ...f6 } ` +
				`fragment f6 on Person { ...f7 ...f7 } fragment f7 on Person { ...f8 ...f8 } fragment f8 on Person { ...f9 ...f9 } ` +
				`fragment f9 on Person { ...f10 ...f10 } fragment f10 on Person { ...f11 ...f11 } fragment f11 on Person { rolesConnection(first: 100) { totalCount } }`,
			limit("the query's complexity is 206849, over the limit of 100000"), false,
		},
		{
			"too many tokens", `{ people { ` + strings.Repeat("name ", 5000) + ` } }`,
			[]map[string]any{{"message": "exceeded token limit of 5000", "extensions": map[string]any{"code": "GRAPHQL_PARSE_FAILED"}}}, false,
		},
		{
			"fragment cycle", `{ people { ...a } } fragment a on Person { ...b } fragment b on Person { ...a }`,
			[]map[string]any{{"message": `Cannot spread fragment "a" within itself via "b".`, "locations": []any{map[string]any{"line": 1.0, "column": 77.0}}, "extensions": map[string]any{"code": "GRAPHQL_VALIDATION_FAILED"}}}, false,
		},
		{
			"result too large", `{ organisations { people { roles { holders { name } } } } }`,
			limit("the answer holds more than 60 entities; ask for fewer, or page with a connection's first and after"),
			true,
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			_, res := post(t, srv.URL, tt.query, nil)
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("refusing took %s", d)
			}
			if tt.anyPath && len(res.Errors) > 0 {
				// Which field crosses the limit first depends on the order
				// fields resolve in: only the message and code are fixed.
				res.Errors = []map[string]any{{"message": res.Errors[0]["message"], "extensions": res.Errors[0]["extensions"]}}
			}
			if diff := cmp.Diff(tt.want, res.Errors); diff != "" {
				t.Errorf("errors (-want +got):\n%s", diff)
			}
			_, ok := post(t, srv.URL, `{ node(id: "marta-arderio") { id } }`, nil)
			if want := `{"node":{"id":"marta-arderio"}}`; string(ok.Data) != want || len(ok.Errors) > 0 {
				t.Errorf("a normal query afterwards: %s %v", ok.Data, ok.Errors)
			}
		})
	}
}

// TestErrorsTruncated checks that a response lists at most Limits.Errors
// errors and counts the rest.
func TestErrorsTruncated(t *testing.T) {
	store := memstore.New()
	storetest.MustSeed(t, store)
	limits := gql.DefaultLimits
	limits.Errors = 3
	srv := httptest.NewServer(gql.NewHandler(store, gql.Config{TokenLimit: 5000, Limits: limits}))
	defer srv.Close()
	_, res := post(t, srv.URL, `{ people { rolesConnection(first: 0) { totalCount } } }`, nil)
	if len(res.Errors) != 4 {
		t.Fatalf("%d errors, want 3 and a count", len(res.Errors))
	}
	want := map[string]any{"message": "7 more errors not shown", "extensions": map[string]any{"code": "LIMIT_EXCEEDED"}}
	if diff := cmp.Diff(want, res.Errors[3]); diff != "" {
		t.Errorf("last error (-want +got):\n%s", diff)
	}
}

// TestListsStopAtTheResultLimit asks for lists longer than the result
// limit allows: each is refused, and the store was asked for one entity
// more than the response could hold, not for the whole list.
func TestListsStopAtTheResultLimit(t *testing.T) {
	for name, newStore := range backends {
		t.Run(name, func(t *testing.T) {
			store := &countingStore{Store: newStore(t)}
			storetest.MustSeed(t, store)
			limits := gql.DefaultLimits
			limits.ResultNodes = 3
			srv := httptest.NewServer(gql.NewHandler(store, gql.Config{TokenLimit: 5000, Limits: limits}))
			defer srv.Close()
			for _, query := range []string{
				`{ organisations { id } }`,
				`{ organisations(where: {name: {contains: "a"}}) { id } }`, // read from the text index
				`{ people { id name } }`,
			} {
				_, res := post(t, srv.URL, query, nil)
				if len(res.Errors) != 1 || res.Errors[0]["message"] != "the answer holds more than 3 entities; ask for fewer, or page with a connection's first and after" {
					t.Errorf("%s: errors %v, want the result limit's", query, res.Errors)
				}
				if got := store.findLimit.Load(); got != 4 {
					t.Errorf("%s: the store was asked for at most %d entities, want 4", query, got)
				}
			}
		})
	}
}
