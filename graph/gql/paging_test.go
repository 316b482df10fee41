package gql_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph/storetest"
)

// pageSelection is what TestPaging asks of each page.
const pageSelection = "{ pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { id } } }"

// TestPaging walks connections page by page, forward with first/after and
// backward with last/before, in several orders, and checks that both walks
// give the list field's answer in the same order, every entity once.
func TestPaging(t *testing.T) {
	for _, tt := range []struct {
		name string
		// list answers at data.x a list of ids; conn at the end of path a
		// connection, with %s for the paging arguments and the selection.
		list, conn string
		path       []string
	}{
		{
			name: "people by name, descending",
			list: `{ x: people(orderBy: {field: NAME, direction: DESC}) { id } }`,
			conn: `{ x: peopleConnection(orderBy: {field: NAME, direction: DESC}, %s) %s }`,
			path: []string{"x"},
		},
		{
			name: "organisations by kind, filtered",
			list: `{ x: organisations(orderBy: {field: KIND}, where: {kind: {in: [UNIT, MUNICIPALITY]}}) { id } }`,
			conn: `{ x: organisationsConnection(orderBy: {field: KIND}, where: {kind: {in: [UNIT, MUNICIPALITY]}}, %s) %s }`,
			path: []string{"x"},
		},
		{
			name: "talks in agenda order",
			list: `{ x: talks { id } }`,
			conn: `{ x: talksConnection(%s) %s }`,
			path: []string{"x"},
		},
		{
			name: "parts of a talk by title",
			list: `{ n: node(id: "round-table-success-stories") { ... on Talk { x: parts(orderBy: {field: TITLE}) { id } } } }`,
			conn: `{ n: node(id: "round-table-success-stories") { ... on Talk { x: partsConnection(orderBy: {field: TITLE}, %s) %s } } }`,
			path: []string{"n", "x"},
		},
	} {
		for name, newStore := range backends {
			t.Run(name+"/"+tt.name, func(t *testing.T) {
				store := newStore(t)
				storetest.MustSeed(t, store)
				url := newAPI(t, store)
				var want []string
				for _, e := range answerAt[[]struct{ ID string }](t, url, tt.list, tt.path) {
					want = append(want, e.ID)
				}
				if len(want) < 4 {
					t.Fatalf("the list has %d entities: too few to page through", len(want))
				}
				var forward, backward []string
				args := "first: 2"
				for range want {
					p := answerAt[page](t, url, fmt.Sprintf(tt.conn, args, pageSelection), tt.path)
					forward = append(forward, p.ids()...)
					if !p.PageInfo.HasNextPage || p.PageInfo.HasPreviousPage {
						break
					}
					args = fmt.Sprintf("first: 2, after: %q", *p.PageInfo.EndCursor)
				}
				args = "last: 2"
				for range want {
					p := answerAt[page](t, url, fmt.Sprintf(tt.conn, args, pageSelection), tt.path)
					backward = append(p.ids(), backward...)
					if !p.PageInfo.HasPreviousPage || p.PageInfo.HasNextPage {
						break
					}
					args = fmt.Sprintf("last: 2, before: %q", *p.PageInfo.StartCursor)
				}
				if diff := cmp.Diff(want, forward); diff != "" {
					t.Errorf("forward (-list +pages):\n%s", diff)
				}
				if diff := cmp.Diff(want, backward); diff != "" {
					t.Errorf("backward (-list +pages):\n%s", diff)
				}
			})
		}
	}
}

// page is the part of a connection TestPaging reads.
type page struct {
	PageInfo struct {
		HasNextPage, HasPreviousPage bool
		StartCursor, EndCursor       *string
	}
	Edges []struct{ Node struct{ ID string } }
}

func (p page) ids() []string {
	var out []string
	for _, e := range p.Edges {
		out = append(out, e.Node.ID)
	}
	return out
}

// answerAt posts query and decodes the answer at the end of path in data,
// failing on any error.
func answerAt[T any](t *testing.T, url, query string, path []string) T {
	t.Helper()
	var answer T
	_, res := post(t, url, query, nil)
	if len(res.Errors) > 0 {
		t.Fatalf("%s: errors %v", query, res.Errors)
	}
	raw := res.Data
	for _, key := range path {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(raw, &fields); err != nil {
			t.Fatalf("%s: no %s in %s", query, key, raw)
		}
		raw = fields[key]
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatalf("%s: decode %s: %v", query, raw, err)
	}
	return answer
}

// TestCursorOfAnotherOrder checks that a cursor is refused, with a message
// that says why, when passed with another order than the one it came from.
func TestCursorOfAnotherOrder(t *testing.T) {
	store := backends["memstore"](t)
	storetest.MustSeed(t, store)
	url := newAPI(t, store)
	p := answerAt[page](t, url, `{ x: organisationsConnection(orderBy: {field: KIND}, first: 1) `+pageSelection+` }`, []string{"x"})
	query := fmt.Sprintf(`{ organisationsConnection(after: %q) { totalCount } }`, *p.PageInfo.EndCursor)
	_, res := post(t, url, query, nil)
	want := []map[string]any{{
		"message":    "after: the cursor comes from a list ordered by KIND, not by NAME; pass it with the orderBy it came with",
		"path":       []any{"organisationsConnection"},
		"locations":  []any{map[string]any{"line": 1.0, "column": 3.0}},
		"extensions": map[string]any{"code": "BAD_USER_INPUT"},
	}}
	if diff := cmp.Diff(want, res.Errors); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	// The direction may change: the same cursor pages the other way.
	query = fmt.Sprintf(`{ x: organisationsConnection(orderBy: {field: KIND, direction: DESC}, first: 1, after: %q) %s }`, *p.PageInfo.EndCursor, pageSelection)
	if got := answerAt[page](t, url, query, []string{"x"}).ids(); len(got) != 0 {
		t.Errorf("after the first in ascending order, descending: %v; want nothing", got)
	}
}
