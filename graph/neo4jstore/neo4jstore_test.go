package neo4jstore_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore/neo4jtest"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

func TestConformance(t *testing.T) {
	storetest.RunTests(t, func(t *testing.T) graph.Store { return neo4jtest.Open(t) })
}

// TestConformanceStaged runs the suite with every load staged, as one too
// large for a transaction is.
func TestConformanceStaged(t *testing.T) {
	storetest.RunTests(t, func(t *testing.T) graph.Store {
		return neo4jtest.OpenConfig(t, func(c *neo4jstore.Config) { c.StageAbove = 1 })
	})
}

// small is a graph of a few organisations with a unit, one person and
// relations between them.
func small() *graph.Dataset {
	ev := []graph.Evidence{{Source: "src", Quote: "q"}}
	org := func(id, name, kind string) graph.Entity {
		return graph.Entity{ID: id, Type: graph.TypeOrganisation, Name: name, Kind: kind, Evidence: ev}
	}
	return &graph.Dataset{
		Entities: []graph.Entity{
			{ID: "src", Type: graph.TypeSource, Name: "Source", Text: "q"},
			org("alella", "Alella", "MUNICIPALITY"),
			org("alella-office", "Alella Office", "UNIT"),
			org("sitges", "Sitges", "MUNICIPALITY"),
			{ID: "role", Type: graph.TypeRole, Name: "head", Evidence: ev},
			{ID: "ana", Type: graph.TypePerson, Name: "Ana", Evidence: ev},
		},
		Relations: []graph.Relation{
			{Type: graph.RelPartOf, From: "alella-office", To: "alella", Evidence: ev},
			{Type: graph.RelIn, From: "role", To: "alella-office", Evidence: ev},
			{Type: graph.RelHolds, From: "ana", To: "role", Evidence: ev},
		},
	}
}

var (
	units = graph.Path{{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation}}
	// people of an organisation, its units' included
	people = graph.Path{
		{Rel: graph.RelPartOf, Dir: graph.In, Target: graph.TypeOrganisation, Repeat: true},
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelHolds, Dir: graph.In, Target: graph.TypePerson},
	}
)

func ids(es []*graph.Entity) []string {
	out := []string{}
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// assertSmall fails unless s holds exactly the graph small() describes.
func assertSmall(t *testing.T, s graph.Store) {
	t.Helper()
	ctx := context.Background()
	page, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, WithTotal: true})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alella", "alella-office", "sitges"}, ids(page.Entities)); diff != "" || page.Total != 3 {
		t.Errorf("organisations (-want +got), total %d:\n%s", page.Total, diff)
	}
	for _, typ := range []graph.EntityType{graph.TypePerson, graph.TypeRole} {
		page, err := s.Find(ctx, graph.Query{Type: typ, WithTotal: true})
		if err != nil || page.Total != 1 {
			t.Errorf("%s: %d entities, %v; want 1", typ, page.Total, err)
		}
	}
	ns, err := s.Neighbours(ctx, []string{"alella"}, people, nil)
	if err != nil || len(ns[0]) != 1 || ns[0][0].Entity.ID != "ana" {
		t.Errorf("people of alella = %v, %v; want ana", ns, err)
	}
}

func TestEnsureSchemaTwice(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := context.Background()
	for range 2 {
		before := s.RoundTrips()
		if err := s.EnsureSchema(ctx); err != nil {
			t.Fatalf("EnsureSchema: %v", err)
		}
		if n := s.RoundTrips() - before; n != 2 {
			t.Errorf("EnsureSchema on an existing schema sent %d statements; want 2", n)
		}
	}
}

func TestReplaceIsAtomic(t *testing.T) {
	for _, mode := range []struct {
		name       string
		stageAbove int
	}{{"one transaction", 0}, {"staged", 1}} {
		t.Run(mode.name, func(t *testing.T) {
			// Batches of one row: a failing load has written many batches
			// before it fails.
			s := neo4jtest.OpenConfig(t, func(c *neo4jstore.Config) { c.BatchSize, c.StageAbove = 1, mode.stageAbove })
			testReplaceIsAtomic(t, s)
		})
	}
}

func testReplaceIsAtomic(t *testing.T, s *neo4jstore.Store) {
	ctx := context.Background()
	storetest.MustReplace(t, s, small())

	big := func(n int) *graph.Dataset {
		ds := &graph.Dataset{Entities: []graph.Entity{{ID: "src", Type: graph.TypeSource, Name: "S", Text: "q"}}}
		for i := range n {
			ds.Entities = append(ds.Entities, graph.Entity{ID: fmt.Sprintf("p%04d", i), Type: graph.TypePerson,
				Name: fmt.Sprintf("Person %d", i), Evidence: []graph.Evidence{{Source: "src", Quote: "q"}}})
		}
		return ds
	}

	t.Run("relation to a missing entity", func(t *testing.T) {
		ds := big(20)
		ds.Relations = []graph.Relation{{Type: graph.RelHolds, From: "p0001", To: "nobody"}}
		err := s.Replace(ctx, ds)
		if graph.ErrorCode(err) != graph.EINVALID {
			t.Fatalf("Replace: %v; want code %q", err, graph.EINVALID)
		}
		assertSmall(t, s)
	})
	t.Run("relation to an entity only the old graph has", func(t *testing.T) {
		ds := big(2)
		ds.Relations = []graph.Relation{{Type: graph.RelHolds, From: "p0001", To: "role"}}
		if err := s.Replace(ctx, ds); graph.ErrorCode(err) != graph.EINVALID {
			t.Fatalf("Replace: %v; want code %q", err, graph.EINVALID)
		}
		assertSmall(t, s)
	})
	t.Run("unknown type", func(t *testing.T) {
		ds := big(3)
		ds.Entities[2].Type = "Person) DETACH DELETE (n"
		if err := s.Replace(ctx, ds); graph.ErrorCode(err) != graph.EINVALID {
			t.Fatalf("Replace: %v; want code %q", err, graph.EINVALID)
		}
		ds = big(3)
		ds.Relations = []graph.Relation{{Type: "HOLDS]->() DETACH DELETE (n", From: "p0000", To: "p0001"}}
		if err := s.Replace(ctx, ds); graph.ErrorCode(err) != graph.EINVALID {
			t.Fatalf("Replace: %v; want code %q", err, graph.EINVALID)
		}
		assertSmall(t, s)
	})
	t.Run("cancelled midway", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		start := s.RoundTrips()
		go func() {
			for s.RoundTrips() < start+5 {
				time.Sleep(100 * time.Microsecond)
			}
			cancel()
		}()
		err := s.Replace(ctx, big(2000))
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Replace: %v; want context.Canceled", err)
		}
		if n := s.RoundTrips() - start; n >= 2000 {
			t.Fatalf("the load ran to the end (%d statements) before the cancellation", n)
		}
		assertSmall(t, s)
	})
	t.Run("read while loading", func(t *testing.T) {
		// Every read sees the old graph (one person) or the new one,
		// never a part of it.
		done := make(chan error, 1)
		go func() { done <- s.Replace(ctx, big(300)) }()
		seen := map[int]bool{}
		for loading := true; loading; {
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("Replace: %v", err)
				}
				loading = false
			default:
			}
			n, err := s.Count(ctx, graph.TypePerson, nil)
			if err != nil {
				t.Fatal(err)
			}
			seen[n] = true
		}
		for n := range seen {
			if n != 1 && n != 300 {
				t.Errorf("a read saw %d people; want 1 (before) or 300 (after)", n)
			}
		}
		if !seen[300] {
			t.Errorf("the last read saw %v people, not the 300 loaded", seen)
		}
		storetest.MustReplace(t, s, small())
		assertSmall(t, s)
	})
}

func TestReplaceTwiceAndTypeChange(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := context.Background()
	storetest.MustReplace(t, s, small())
	storetest.MustReplace(t, s, small())
	assertSmall(t, s)

	// sitges becomes a person, and the office leaves alella.
	ds := small()
	ds.Entities[3].Type, ds.Entities[3].Kind = graph.TypePerson, ""
	ds.Relations = ds.Relations[1:]
	storetest.MustReplace(t, s, ds)
	orgs, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"alella", "alella-office"}, ids(orgs.Entities)); diff != "" {
		t.Errorf("organisations (-want +got):\n%s", diff)
	}
	got, err := s.Entities(ctx, []string{"sitges"})
	if err != nil || got[0] == nil || got[0].Type != graph.TypePerson {
		t.Errorf("sitges = %+v, %v; want a person", got, err)
	}
	ns, err := s.Neighbours(ctx, []string{"alella"}, units, nil)
	if err != nil || len(ns[0]) != 0 {
		t.Errorf("units of alella = %v, %v; want none", ns, err)
	}
}

func TestInjection(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := context.Background()
	storetest.MustReplace(t, s, small())
	evil := []string{
		`x' }) DETACH DELETE n //`,
		`x" }) DETACH DELETE n //`,
		"x` }) MATCH (m) DETACH DELETE m //",
		`$p0`,
		`') OR true OR ('`,
		`\' OR 1=1 //`,
	}
	for _, field := range []graph.Field{graph.FieldID, graph.FieldKind, graph.FieldName, graph.FieldNames} {
		for _, op := range []graph.Op{graph.OpEq, graph.OpIn, graph.OpContains, graph.OpStartsWith, graph.OpEndsWith} {
			for _, v := range evil {
				where := graph.Cond(graph.Match{Field: field, Op: op, Values: []string{v}})
				page, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Where: where})
				if err != nil || len(page.Entities) != 0 {
					t.Errorf("Find %s %s %q = %v, %v; want nothing", field, op, v, ids(page.Entities), err)
				}
				ns, err := s.Neighbours(ctx, []string{v, "alella"}, people, graph.Not{Cond: where})
				if err != nil || len(ns[0]) != 0 || len(ns[1]) != 1 {
					t.Errorf("Neighbours with %s %s %q = %v, %v", field, op, v, ns, err)
				}
			}
		}
	}
	got, err := s.Entities(ctx, evil)
	if err != nil || slices.ContainsFunc(got, func(e *graph.Entity) bool { return e != nil }) {
		t.Errorf("Entities(evil) = %v, %v; want all nil", got, err)
	}
	assertSmall(t, s)
}

func TestRoundTrips(t *testing.T) {
	s := neo4jtest.Open(t)
	ctx := context.Background()
	storetest.MustSeed(t, s)
	orgs, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation})
	if err != nil {
		t.Fatal(err)
	}
	orgIDs := ids(orgs.Entities)
	related := graph.Related{Path: people, Quant: graph.Some, Where: graph.Related{
		Path: graph.Path{{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk}}, Quant: graph.Single}}
	for _, tt := range []struct {
		name string
		call func() error
		want int64
	}{
		{"Entities", func() error { _, err := s.Entities(ctx, orgIDs); return err }, 1},
		{"Entities of none", func() error { _, err := s.Entities(ctx, nil); return err }, 0},
		{"Find", func() error {
			_, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Where: related, First: 2})
			return err
		}, 1},
		{"Find with total", func() error {
			_, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Where: related, WithTotal: true})
			return err
		}, 1},
		{"Neighbours", func() error { _, err := s.Neighbours(ctx, orgIDs, people, related.Where); return err }, 1},
		{"Neighbours single", func() error { _, err := s.Neighbours(ctx, orgIDs, units, nil); return err }, 1},
		{"Ping", func() error { return s.Ping(ctx) }, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := s.RoundTrips()
			if err := tt.call(); err != nil {
				t.Fatal(err)
			}
			if got := s.RoundTrips() - before; got != tt.want {
				t.Errorf("%d round trips; want %d", got, tt.want)
			}
		})
	}
}

// TestOrder pins default order to Go's byte-wise string order where UTF-16
// order differs: a BMP character from U+E000 up sorts before a supplementary
// one in Go, after it in UTF-16.
func TestOrder(t *testing.T) {
	s := neo4jtest.Open(t)
	mem := memstore.New()
	ctx := context.Background()
	names := []string{"a\U0001F600", "a\uFFFD", "a\uE000", "a", "a\U00010000 b", "a\uFF21", "z", "\u00e9", "\U0001F600", "\uFB01"}
	ds := &graph.Dataset{}
	for i, name := range names {
		ds.Entities = append(ds.Entities, graph.Entity{ID: fmt.Sprintf("t%d", i), Type: graph.TypeTopic, Name: name})
		if i > 0 {
			ds.Relations = append(ds.Relations, graph.Relation{Type: graph.RelBroader, From: "t0", To: fmt.Sprintf("t%d", i)})
		}
	}
	for _, st := range []graph.Store{s, mem} {
		storetest.MustReplace(t, st, ds)
	}
	query := graph.Query{Type: graph.TypeTopic}
	want, err := mem.Find(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Find(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ids(want.Entities), ids(got.Entities)); diff != "" {
		t.Errorf("Find order (-memstore +neo4j):\n%s", diff)
	}
	// Page through one at a time: keyset pagination must agree too.
	var paged []string
	query.First = 1
	for range len(names) + 1 {
		page, err := s.Find(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		paged = append(paged, ids(page.Entities)...)
		if !page.HasNext {
			break
		}
		p := graph.PositionOf(page.Entities[0])
		query.After = &p
	}
	if diff := cmp.Diff(ids(want.Entities), paged); diff != "" {
		t.Errorf("paged order (-memstore +neo4j):\n%s", diff)
	}
	broader := graph.Path{{Rel: graph.RelBroader, Dir: graph.Out, Target: graph.TypeTopic}}
	wantNs, _ := mem.Neighbours(ctx, []string{"t0"}, broader, nil)
	gotNs, err := s.Neighbours(ctx, []string{"t0"}, broader, nil)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantNs, gotNs, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Neighbours (-memstore +neo4j):\n%s", diff)
	}
}

// TestMatchesMemstore asks both stores questions the conformance suite does
// not: an empty path, an empty IN, quantifiers over repeated steps.
func TestMatchesMemstore(t *testing.T) {
	s := neo4jtest.Open(t)
	mem := memstore.New()
	ctx := context.Background()
	storetest.MustSeed(t, s)
	storetest.MustSeed(t, mem)
	org := graph.TypeOrganisation
	kind := func(k string) graph.Cond {
		return graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{k}}
	}
	for _, tt := range []struct {
		name  string
		where graph.Cond
	}{
		{"empty in", graph.Match{Field: graph.FieldID, Op: graph.OpIn}},
		{"not empty in", graph.Not{Cond: graph.Match{Field: graph.FieldName, Op: graph.OpIn}}},
		{"names eq", graph.Match{Field: graph.FieldNames, Op: graph.OpEq, Values: []string{"espai mataro"}}},
		{"names endsWith", graph.Match{Field: graph.FieldNames, Op: graph.OpEndsWith, Values: []string{"MATARÓ"}}},
		{"all units are units", graph.Related{Path: units, Quant: graph.All, Where: kind("UNIT")}},
		{"all with no where", graph.Related{Path: units, Quant: graph.All}},
		{"single unit", graph.Related{Path: units, Quant: graph.Single}},
		{"none of the people", graph.Related{Path: people, Quant: graph.None}},
		{"single person", graph.Related{Path: people, Quant: graph.Single}},
		{"not all people spoke", graph.Not{Cond: graph.Related{Path: people, Quant: graph.All, Where: graph.Related{
			Path: graph.Path{{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk}}, Quant: graph.Some}}}},
		{"or of related", graph.Or{kind("MUNICIPALITY"), graph.Related{Path: graph.Path{
			{Rel: graph.RelPartOf, Dir: graph.Out, Target: graph.TypeOrganisation, Repeat: true}}, Quant: graph.Some, Where: kind("CONSORTIUM")}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			q := graph.Query{Type: org, Where: tt.where, WithTotal: true}
			want, err := mem.Find(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got, err := s.Find(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("(-memstore +neo4j):\n%s", diff)
			}
		})
	}
	all, err := mem.Find(ctx, graph.Query{Type: org})
	if err != nil {
		t.Fatal(err)
	}
	orgIDs := append(ids(all.Entities), "nobody", "comune-di-mataro")
	for _, path := range []graph.Path{nil, units, people, {
		{Rel: graph.RelIn, Dir: graph.In, Target: graph.TypeRole},
		{Rel: graph.RelIn, Dir: graph.Out, Target: graph.TypeOrganisation},
	}} {
		want, err := mem.Neighbours(ctx, orgIDs, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Neighbours(ctx, orgIDs, path, nil)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("Neighbours along %v (-memstore +neo4j):\n%s", path, diff)
		}
	}
}

func TestUnavailable(t *testing.T) {
	start := time.Now()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: "bolt://127.0.0.1:1", ConnectTimeout: time.Second})
	if graph.ErrorCode(err) != graph.EUNAVAILABLE {
		t.Fatalf("Open on a closed port: %v; want code %q", err, graph.EUNAVAILABLE)
	}
	if msg := graph.ErrorMessage(err); strings.Contains(msg, "127.0.0.1") || strings.Contains(strings.ToLower(msg), "bolt") {
		t.Errorf("the message %q names internals", msg)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Open took %v to fail", d)
	}
}

func TestDeadline(t *testing.T) {
	s := neo4jtest.Open(t)
	storetest.MustReplace(t, s, small())
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	_, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation})
	if graph.ErrorCode(err) != graph.EUNAVAILABLE || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Find past its deadline: %v; want code %q and context.DeadlineExceeded", err, graph.EUNAVAILABLE)
	}
	if err := s.Ping(context.Background()); err != nil {
		t.Errorf("Ping: %v", err)
	}
}

// TestReadTriesAgain has the server close the store's one pooled
// connection: the next read fails on it and is tried again on a new one,
// as the driver tries its managed transactions again, so the caller sees
// the answer and the store counts two statements.
func TestReadTriesAgain(t *testing.T) {
	s := neo4jtest.OpenConfig(t, func(c *neo4jstore.Config) { c.MaxPoolSize = 1 })
	storetest.MustReplace(t, s, small())
	ctx := context.Background()
	if err := s.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if killed := killConnections(t); killed != 1 {
		t.Fatalf("killed %d connections; want the store's one", killed)
	}
	before := s.RoundTrips()
	page, err := s.Find(ctx, graph.Query{Type: graph.TypePerson})
	if err != nil {
		t.Fatalf("Find after its connection was closed: %v", err)
	}
	if got := ids(page.Entities); !slices.Equal(got, []string{"ana"}) {
		t.Errorf("Find after its connection was closed = %v; want [ana]", got)
	}
	if got := s.RoundTrips() - before; got != 2 {
		t.Errorf("%d statements; want 2, the one on the closed connection and its retry", got)
	}
}

// killConnections has the test database close every Bolt connection but
// the one it asks on, waits until they are gone and returns how many there
// were.
func killConnections(t *testing.T) int64 {
	t.Helper()
	const self = "civicgraph-test-killer"
	cfg := neo4jtest.Config(t)
	driver, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, ""),
		func(c *neo4j.Config) { c.UserAgent = self })
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	defer driver.Close(ctx)
	others := func(then string) int64 {
		res, err := neo4j.ExecuteQuery(ctx, driver, `CALL dbms.listConnections() YIELD connectionId, connector, userAgent
			WHERE connector = 'bolt' AND userAgent <> $self
			WITH collect(connectionId) AS ids `+then, map[string]any{"self": self}, neo4j.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		n, _, err := neo4j.GetRecordValue[int64](res.Records[0], "n")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	killed := others("CALL dbms.killConnections(ids) YIELD connectionId RETURN count(connectionId) AS n")
	for deadline := time.Now().Add(10 * time.Second); others("RETURN size(ids) AS n") > 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the killed connections still open after 10 s")
		}
	}
	return killed
}

// benchStores runs op on the seed dataset in the memstore, for a ratio, and
// in Neo4j, counting its statements.
func benchStores(b *testing.B, op func(ctx context.Context, s graph.Store) error) {
	ctx := context.Background()
	b.Run("memstore", func(b *testing.B) {
		s := memstore.New()
		storetest.MustSeed(b, s)
		for b.Loop() {
			if err := op(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("neo4j", func(b *testing.B) {
		s := neo4jtest.Open(b)
		storetest.MustSeed(b, s)
		before := s.RoundTrips()
		for b.Loop() {
			if err := op(ctx, s); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(s.RoundTrips()-before)/float64(b.N), "roundtrips/op")
	})
}

// BenchmarkNeighbours asks for the people of every organisation, units
// rolled up, in one call.
func BenchmarkNeighbours(b *testing.B) {
	mem := memstore.New()
	storetest.MustSeed(b, mem)
	orgs, err := mem.Find(context.Background(), graph.Query{Type: graph.TypeOrganisation})
	if err != nil {
		b.Fatal(err)
	}
	orgIDs := ids(orgs.Entities)
	benchStores(b, func(ctx context.Context, s graph.Store) error {
		_, err := s.Neighbours(ctx, orgIDs, people, nil)
		return err
	})
}

// BenchmarkFindRelated asks the headline question, with a total:
// municipalities where someone, units included, spoke in a talk presenting
// a practice about interoperability.
func BenchmarkFindRelated(b *testing.B) {
	where := graph.And{
		graph.Match{Field: graph.FieldKind, Op: graph.OpEq, Values: []string{"MUNICIPALITY"}},
		graph.Related{Path: people, Quant: graph.Some, Where: graph.Related{
			Path: graph.Path{{Rel: graph.RelSpokeIn, Dir: graph.Out, Target: graph.TypeTalk}}, Quant: graph.Some, Where: graph.Related{
				Path: graph.Path{{Rel: graph.RelPresents, Dir: graph.Out, Target: graph.TypePractice}}, Quant: graph.Some, Where: graph.Related{
					Path:  graph.Path{{Rel: graph.RelAbout, Dir: graph.Out, Target: graph.TypeTopic}},
					Quant: graph.Some, Where: graph.Match{Field: graph.FieldID, Op: graph.OpEq, Values: []string{"interoperability"}}}}}},
	}
	benchStores(b, func(ctx context.Context, s graph.Store) error {
		page, err := s.Find(ctx, graph.Query{Type: graph.TypeOrganisation, Where: where, First: 10, WithTotal: true})
		if err == nil && len(page.Entities) != 1 {
			err = fmt.Errorf("found %v; want one municipality", ids(page.Entities))
		}
		return err
	})
}
