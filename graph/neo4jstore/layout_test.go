package neo4jstore_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore/neo4jtest"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

// TestUpgradeLayout stores a graph as an older version left it, without
// the positions of the orders added since, without degrees and without a
// layout record, and checks that opening the store derives them again:
// ordering by kind finds every organisation, in order, and counting
// practices by topic counts them all.
func TestUpgradeLayout(t *testing.T) {
	s := neo4jtest.OpenConfig(t, func(c *neo4jstore.Config) { c.BatchSize = 2 }) // several batches
	storetest.MustSeed(t, s)
	ctx := context.Background()
	byKind := graph.Query{Type: graph.TypeOrganisation, Order: graph.Order{Field: graph.OrderKind}}
	want, err := s.Find(ctx, byKind)
	if err != nil {
		t.Fatal(err)
	}
	topics := []string{"interoperability", "public-attention"}
	practices := graph.Path{{Rel: graph.RelAbout, Dir: graph.In, Target: graph.TypePractice}}
	wantCounts, err := s.NeighbourCounts(ctx, topics, practices, nil)
	if err != nil || wantCounts[0] == 0 {
		t.Fatalf("practices about %v: %v (%v); want some", topics, wantCounts, err)
	}

	cfg := neo4jtest.Config(t)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	for _, cypher := range []string{
		"MATCH (n:Entity) REMOVE n.positionId, n.positionKind, n.positionDate, n.positionName, n.degree_ABOUT_in_Practice",
		"MATCH (l:CivicgraphLayout) DELETE l",
	} {
		if _, err := neo4j.ExecuteQuery(ctx, driver, cypher, nil, neo4j.EagerResultTransformer); err != nil {
			t.Fatalf("%s: %v", cypher, err)
		}
	}
	if page, err := s.Find(ctx, byKind); err != nil || len(page.Entities) != 0 {
		t.Fatalf("before the upgrade, ordering by kind found %d organisations (%v); want none, as an old graph would", len(page.Entities), err)
	}
	if counts, err := s.NeighbourCounts(ctx, topics, practices, nil); err != nil || counts[0] != 0 {
		t.Fatalf("before the upgrade, practices about %v: %v (%v); want none, as an old graph would", topics, counts, err)
	}

	if err := s.EnsureSchema(ctx); err != nil {
		t.Fatalf("EnsureSchema: %v", err)
	}
	got, err := s.Find(ctx, byKind)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(es []*graph.Entity) (out []string) {
		for _, e := range es {
			out = append(out, e.ID)
		}
		return out
	}
	if diff := cmp.Diff(ids(want.Entities), ids(got.Entities)); diff != "" {
		t.Errorf("after the upgrade (-want +got):\n%s", diff)
	}
	counts, err := s.NeighbourCounts(ctx, topics, practices, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantCounts, counts); diff != "" {
		t.Errorf("practices about %v after the upgrade (-want +got):\n%s", topics, diff)
	}
}

// TestBadStoredDate reads a date the store did not write: the read fails,
// saying which entity, as the store's failure rather than the caller's
// invalid request.
func TestBadStoredDate(t *testing.T) {
	s := neo4jtest.Open(t)
	storetest.MustSeed(t, s)
	ctx := context.Background()
	cfg := neo4jtest.Config(t)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	if _, err := neo4j.ExecuteQuery(ctx, driver, "MATCH (n:Event) SET n.date = '2024-13-45'", nil, neo4j.EagerResultTransformer); err != nil {
		t.Fatal(err)
	}
	_, err = s.Find(ctx, graph.Query{Type: graph.TypeEvent, First: 1, Props: graph.PropDate})
	want := `neo4jstore: find: entity "first-public-attention-spaces-meeting": stored date "2024-13-45" is not YYYY-MM-DD, YYYY-MM, YYYY or --MM-DD`
	if err == nil || err.Error() != want || graph.ErrorCode(err) != graph.EINTERNAL {
		t.Errorf("Find: %v (code %q); want %q, code %q", err, graph.ErrorCode(err), want, graph.EINTERNAL)
	}
}
