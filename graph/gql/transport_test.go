package gql

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/google/go-cmp/cmp"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

// TestPostTransport checks that postTransport answers every kind of POST
// request as gqlgen's transport.POST does: status, media type and body.
func TestPostTransport(t *testing.T) {
	store := memstore.New()
	storetest.MustSeed(t, store)
	cfg := Config{TokenLimit: 5000, Limits: DefaultLimits}
	ours, theirs := newHandler(store, cfg, postTransport{}), newHandler(store, cfg, transport.POST{})
	for _, tt := range []struct {
		name, body, accept string
		status             int
	}{
		{"answer", `{"query": "{ organisations { id name evidence { quote } } }"}`, "", http.StatusOK},
		{"variables", `{"query": "query($id: ID!) { node(id: $id) { id } }", "variables": {"id": "sant-boi"}}`, "", http.StatusOK},
		{"graphql response type asked", `{"query": "{ topics { id } }"}`, "application/graphql-response+json", http.StatusOK},
		{"json listed first", `{"query": "{ topics { id } }"}`, "application/json, application/graphql-response+json", http.StatusOK},
		{"any type", `{"query": "{ topics { id } }"}`, "*/*", http.StatusOK},
		{"neither type", `{"query": "{ topics { id } }"}`, "text/html", http.StatusOK},
		{"resolver error", `{"query": "{ peopleConnection(first: 500) { totalCount } }"}`, "", http.StatusOK},
		{"errors beside data", `{"query": "{ topics { id } paths(from: \"sant-boi\", to: \"consorzio-aoc\") { length } }"}`, "", http.StatusOK},
		{"validation error", `{"query": "{ nope }"}`, "", http.StatusUnprocessableEntity},
		{"validation error, graphql response type", `{"query": "{ nope }"}`, "application/graphql-response+json", http.StatusBadRequest},
		{"syntax error", `{"query": "{ people { name }"}`, "", http.StatusUnprocessableEntity},
		{"no query", `{}`, "", http.StatusUnprocessableEntity},
		{"not JSON", `{"query": `, "", http.StatusBadRequest},
		{"persisted query unknown", `{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "00"}}}`, "", http.StatusOK},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, want := postTo(ours, tt.body, tt.accept), postTo(theirs, tt.body, tt.accept)
			if got.Code != tt.status || want.Code != tt.status {
				t.Errorf("status %d, transport.POST's %d, want %d", got.Code, want.Code, tt.status)
			}
			if g, w := got.Header().Get("Content-Type"), want.Header().Get("Content-Type"); g != w {
				t.Errorf("Content-Type %q, transport.POST's %q", g, w)
			}
			if diff := cmp.Diff(decoded(t, want.Body.Bytes()), decoded(t, got.Body.Bytes())); diff != "" {
				t.Errorf("body (-transport.POST's +ours):\n%s", diff)
			}
			// Operations that ran are written by ours, the others by
			// transport.POST (which sends no length).
			ran := tt.status == http.StatusOK && !strings.Contains(tt.name, "persisted")
			if length := got.Header().Get("Content-Length"); ran && length != strconv.Itoa(got.Body.Len()) {
				t.Errorf("Content-Length %q, body of %d bytes", length, got.Body.Len())
			}
		})
	}
}

// TestPostTransportAnswersSideBySide checks that answers of different
// sizes, written into buffers the transport lends and takes back, stay
// whole when requests run side by side: each is the answer its request
// gets alone.
func TestPostTransportAnswersSideBySide(t *testing.T) {
	store := memstore.New()
	storetest.MustSeed(t, store)
	h := NewHandler(store, Config{TokenLimit: 5000, Limits: DefaultLimits})
	bodies := []string{
		`{"query": "{ organisations { id name evidence { quote } } }"}`,
		`{"query": "{ topics { id } }"}`,
		`{"query": "{ topics { id } paths(from: \"sant-boi\", to: \"consorzio-aoc\") { length } }"}`,
	}
	alone := make([]string, len(bodies))
	for i, body := range bodies {
		alone[i] = postTo(h, body, "").Body.String()
	}
	var wg sync.WaitGroup
	for worker := range 4 {
		wg.Go(func() {
			for n := range 100 {
				i := (worker + n) % len(bodies)
				if got := postTo(h, bodies[i], "").Body.String(); got != alone[i] {
					t.Errorf("request %d of worker %d, %s:\ngot  %.300s\nwant %.300s", n, worker, bodies[i], got, alone[i])
					return
				}
			}
		})
	}
	wg.Wait()
}

func postTo(h http.Handler, body, accept string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// decoded parses a body, keeping the order of its top-level fields.
func decoded(t *testing.T, body []byte) []any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(body)))
	var out []any
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		if key, ok := tok.(string); ok && dec.More() {
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("bad body %s: %v", body, err)
			}
			out = append(out, key, v)
		}
	}
	if len(out) == 0 {
		t.Fatalf("empty body %q", body)
	}
	return out
}

// TestWriteResponse checks that writeResponse writes what encoding/json
// writes for every field a response may have.
func TestWriteResponse(t *testing.T) {
	hasNext := false
	for _, tt := range []struct {
		name string
		res  *graphql.Response
	}{
		{"data", &graphql.Response{Data: json.RawMessage(`{"topics":[{"id":"t"}]}`)}},
		{"no data", &graphql.Response{}},
		{"errors beside data", &graphql.Response{Data: json.RawMessage(`{"a":null}`), Errors: gqlerror.List{{Message: "m", Path: ast.Path{ast.PathName("a")}}}}},
		{"extensions", &graphql.Response{Data: json.RawMessage(`{}`), Extensions: map[string]any{"cost": 3}}},
		{"incremental fields", &graphql.Response{Data: json.RawMessage(`{}`), Label: "l", Path: ast.Path{ast.PathName("a"), ast.PathIndex(0)}, HasNext: &hasNext}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(tt.res)
			if err != nil {
				t.Fatal(err)
			}
			rec := &countedWrites{ResponseRecorder: httptest.NewRecorder()}
			writeResponse(rec, tt.res)
			if got := rec.Body.String(); got != string(want) {
				t.Errorf("wrote %s\nwant  %s", got, want)
			}
			if length := rec.Header().Get("Content-Length"); length != strconv.Itoa(len(want)) {
				t.Errorf("Content-Length %q, want %d", length, len(want))
			}
			// In parts, net/http would send a large answer in more system
			// calls and TCP segments.
			if rec.writes != 1 {
				t.Errorf("written in %d parts, want 1", rec.writes)
			}
		})
	}
}

// countedWrites counts the writes of a response's body.
type countedWrites struct {
	*httptest.ResponseRecorder
	writes int
}

func (w *countedWrites) Write(p []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(p)
}
