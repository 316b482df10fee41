// Package profile runs the benchmark's questions through civicgraph's
// GraphQL handler in process, for pprof: the server has no profiling
// endpoint, and in process the profile holds nothing but civicgraph.
//
//	go test ./bench/profile -run '^$' -bench . -cpuprofile cpu.out -memprofile mem.out
//	go tool pprof -top bench/profile/profile.test cpu.out
//
// BenchmarkQuestions uses the embedded store at scale BENCH_SCALE (default M); with
// BENCH_NEO4J=1 and NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) it first
// imports that scale into Neo4j and runs on the Neo4j store instead;
// BENCH_NEO4J_REUSE=1 skips the import, for a database an earlier run
// filled with the same scale. BenchmarkLoad reads that scale's data files,
// as the embedded server's -data does. BenchmarkCollect times the
// collector's cycle over the loaded store. With BENCH_NEO4J=1,
// BenchmarkFloor sends the floor's Cypher for each question.
package profile

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/bench/gen"
	"github.com/civicgraph/civicgraph/bench/questions"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
	"github.com/civicgraph/civicgraph/graph/gql"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
	"github.com/civicgraph/civicgraph/graph/storetest"
)

// scale is the scale BENCH_SCALE names, M by default.
func scale() gen.Scale {
	sc, err := gen.ParseScale(cmp.Or(os.Getenv("BENCH_SCALE"), "M"))
	if err != nil {
		panic(err)
	}
	return sc
}

var setup = sync.OnceValues(func() (http.Handler, questions.Params) {
	ds := gen.Generate(scale(), 1)
	params := questions.For(ds)
	ctx := context.Background()
	var store graph.Store
	if os.Getenv("BENCH_NEO4J") == "1" {
		s, err := neo4jstore.Open(ctx, neo4jstore.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"),
			Password: os.Getenv("NEO4J_PASSWORD"), TxTimeout: 30 * time.Minute})
		if err != nil {
			panic(err)
		}
		if os.Getenv("BENCH_NEO4J_REUSE") != "1" {
			if err := s.Replace(ctx, ds); err != nil {
				panic(err)
			}
		}
		store = s
	} else {
		s := memstore.New()
		if err := s.Replace(ctx, ds); err != nil {
			panic(err)
		}
		store = s
	}
	return gql.NewHandler(store, gql.Config{TokenLimit: 5000, Limits: gql.DefaultLimits}), params
})

func BenchmarkQuestions(b *testing.B) {
	h, params := setup()
	for _, q := range questions.All {
		body, _ := json.Marshal(map[string]any{"query": q.Civicgraph, "variables": q.Vars(params)})
		b.Run(q.Name, func(b *testing.B) {
			storetest.Loop(b, func() error {
				// The server's default request deadline: the driver works
				// differently under one.
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/graphql", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					return fmt.Errorf("%d: %.300s", rec.Code, rec.Body.String())
				}
				return nil
			})
		})
	}
}

// BenchmarkFloor sends each question's hand-written Cypher through the
// driver as the benchmark's floor server does, in this process: beside
// BenchmarkQuestions on Neo4j, what civicgraph adds to a read, without
// HTTP. It needs BENCH_NEO4J=1.
func BenchmarkFloor(b *testing.B) {
	if os.Getenv("BENCH_NEO4J") != "1" {
		b.Skip("the floor reads Neo4j: set BENCH_NEO4J=1")
	}
	_, params := setup()
	driver, err := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"),
		neo4j.BasicAuth(os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), ""))
	if err != nil {
		b.Fatal(err)
	}
	defer driver.Close(context.Background())
	for _, q := range questions.All {
		vars := q.Vars(params)
		b.Run(q.Name, func(b *testing.B) {
			storetest.Loop(b, func() error {
				result, err := q.Floor(context.Background(), driver, vars)
				if err != nil {
					return err
				}
				// The floor server encodes its answer too.
				_, err = json.Marshal(result)
				return err
			})
		})
	}
}

// BenchmarkCollect times one full cycle of the garbage collector with the
// store loaded and idle: the marking every cycle repeats over the whole
// store, which the requests pay for in proportion to what they allocate.
func BenchmarkCollect(b *testing.B) {
	setup()
	runtime.GC()
	for b.Loop() {
		runtime.GC()
	}
}

func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	if err := gen.WriteYAML(dir, gen.Generate(scale(), 1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := dataset.Load(os.DirFS(dir), dir); err != nil {
			b.Fatal(err)
		}
	}
}
