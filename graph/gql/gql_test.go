package gql_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore/neo4jtest"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ with the answers given")

// backends are the stores every API test runs on.
var backends = map[string]func(tb testing.TB) graph.Store{
	"memstore": func(testing.TB) graph.Store { return memstore.New() },
	"neo4j":    func(tb testing.TB) graph.Store { return neo4jtest.Open(tb) },
}

// countingStore counts the calls a request makes to its store.
type countingStore struct {
	graph.Store
	calls atomic.Int64
	// counted counts the reads that count neighbours: NeighbourCounts
	// calls, and Count branches of Find and Expand calls.
	counted atomic.Int64
	// findLimit is the number of entities the last Find asked for at most.
	findLimit atomic.Int64
}

func (c *countingStore) countBranches(branches []graph.Branch) {
	for _, b := range branches {
		if b.Count {
			c.counted.Add(1)
		}
		c.countBranches(b.Below)
	}
}

func (c *countingStore) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	c.calls.Add(1)
	return c.Store.Entities(ctx, ids)
}

func (c *countingStore) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	c.calls.Add(1)
	c.countBranches(q.Below)
	c.findLimit.Store(int64(q.Limit()))
	return c.Store.Find(ctx, q)
}

func (c *countingStore) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	c.calls.Add(1)
	return c.Store.Neighbours(ctx, ids, path, where)
}

func (c *countingStore) Expand(ctx context.Context, ids []string, branches []graph.Branch, props graph.Props) (graph.Expansion, error) {
	c.calls.Add(1)
	c.countBranches(branches)
	return c.Store.Expand(ctx, ids, branches, props)
}

func (c *countingStore) NeighbourCounts(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([]int, error) {
	c.calls.Add(1)
	c.counted.Add(1)
	return c.Store.NeighbourCounts(ctx, ids, path, where)
}

type response struct {
	Data   json.RawMessage  `json:"data"`
	Errors []map[string]any `json:"errors,omitempty"`
}

// post sends one GraphQL request through the real handler.
func post(t *testing.T, url, query string, vars map[string]any) (int, response) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	res, err := http.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var r response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		t.Fatalf("decode response: %v", err)
	}
	return res.StatusCode, r
}

func newAPI(tb testing.TB, store graph.Store) string {
	tb.Helper()
	srv := httptest.NewServer(gql.NewHandler(store, gql.Config{Introspection: true, Suggestions: true, TokenLimit: 5000, Limits: gql.DefaultLimits}))
	tb.Cleanup(srv.Close)
	return srv.URL
}

// canonicalJSON re-indents JSON so golden files diff line by line.
func canonicalJSON(t *testing.T, raw []byte) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", raw, err)
	}
	b, _ := json.MarshalIndent(v, "", "  ")
	return string(b) + "\n"
}

// TestQueries runs each testdata/*.graphql against the seed dataset and
// compares the answer with its .json golden file, on every backend.
func TestQueries(t *testing.T) {
	files, err := filepath.Glob("testdata/*.graphql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no queries in testdata: %v", err)
	}
	for name, newStore := range backends {
		t.Run(name, func(t *testing.T) {
			store := newStore(t)
			storetest.MustSeed(t, store)
			url := newAPI(t, store)
			for _, file := range files {
				t.Run(strings.TrimSuffix(filepath.Base(file), ".graphql"), func(t *testing.T) {
					query, err := os.ReadFile(file)
					if err != nil {
						t.Fatal(err)
					}
					_, res := post(t, url, string(query), nil)
					got, _ := json.Marshal(res)
					golden := strings.TrimSuffix(file, ".graphql") + ".json"
					if *update && name == "memstore" {
						os.WriteFile(golden, []byte(canonicalJSON(t, got)), 0o644)
					}
					want, err := os.ReadFile(golden)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(string(want), canonicalJSON(t, got)); diff != "" {
						t.Errorf("answer differs from %s (-want +got):\n%s", golden, diff)
					}
				})
			}
		})
	}
}
