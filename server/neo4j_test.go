package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/neo4jstore/neo4jtest"
)

// neo4jEnv empties the test database and returns the environment that
// points the server at it. The lock neo4jtest takes keeps other test
// packages off the database until this test ends.
func neo4jEnv(t *testing.T) map[string]string {
	t.Helper()
	store := neo4jtest.Open(t)
	if err := store.Replace(context.Background(), &graph.Dataset{}); err != nil {
		t.Fatalf("empty the database: %v", err)
	}
	cfg := neo4jtest.Config(t)
	return map[string]string{"NEO4J_URI": cfg.URI, "NEO4J_USER": cfg.User, "NEO4J_PASSWORD": cfg.Password}
}

func graphQL(t *testing.T, base, query string) string {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	res, err := http.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(res.Body)
	return string(answer)
}

// waitReady polls /readyz until the store answers.
func waitReady(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		res, err := http.Get(base + "/readyz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready within 60s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

const headlineQuery = `{ organisations(where: {kind: {eq: MUNICIPALITY}, presentedPractices: {some: {topics: {some: {id: {eq: "interoperability"}}}}}}) { name } }`

// A fresh, empty Neo4j gets the seed dataset on the server's first start.
func TestNeo4jSeedsEmptyDatabase(t *testing.T) {
	base := startServer(t, neo4jEnv(t))
	waitReady(t, base)
	want := `{"data":{"organisations":[{"name":"Comune di Mataró"}]}}`
	if got := graphQL(t, base, headlineQuery); got != want {
		t.Errorf("answer %s, want %s", got, want)
	}
}

func TestNeo4jImport(t *testing.T) {
	env := neo4jEnv(t)
	getenv := func(k string) string { return env[k] }
	var out strings.Builder
	if err := run(context.Background(), []string{"import", "-data", "../data"}, getenv, &out, io.Discard); err != nil {
		t.Fatalf("import: %v", err)
	}
	if !strings.HasPrefix(out.String(), "imported 71 entities and 81 relations into "+env["NEO4J_URI"]+" in ") {
		t.Errorf("import printed %q", out.String())
	}
	// A broken dataset is refused before the database is touched.
	err := run(context.Background(), []string{"import", "-data", "testdata/broken"}, getenv, io.Discard, io.Discard)
	if want := `testdata/broken/broken.yaml:9: entity "nobody": missing evidence`; err == nil || err.Error() != want {
		t.Errorf("import of a broken dataset: %v, want %q", err, want)
	}
	base := startServer(t, env)
	waitReady(t, base)
	want := `{"data":{"organisations":[{"name":"Comune di Mataró"}]}}`
	if got := graphQL(t, base, headlineQuery); got != want {
		t.Errorf("after import: %s, want %s", got, want)
	}
}

// With Neo4j unreachable the server still starts, says it is not ready,
// and answers UNAVAILABLE instead of hanging.
func TestNeo4jUnreachable(t *testing.T) {
	base := startServer(t, map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": "x"})
	res, err := http.Get(base + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz: %d, want 503", res.StatusCode)
	}
	start := time.Now()
	got := graphQL(t, base, `{ people { name } }`)
	want := `{"errors":[{"message":"the database is not reachable yet; try again shortly","path":["people"],"locations":[{"line":1,"column":3}],"extensions":{"code":"UNAVAILABLE"}}],"data":null}`
	if got != want {
		t.Errorf("answer %s\nwant %s", got, want)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("the answer took %s; want it at once", d)
	}
}
