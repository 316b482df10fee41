package main

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/civicgraph/civicgraph/bench/gen"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
)

// ImportStats are what making and loading one scale cost.
type ImportStats struct {
	Entities  int `json:"entities"`
	Relations int `json:"relations"`

	GenerateSec   float64 `json:"generate_sec"`
	DatasetHeapMB float64 `json:"dataset_heap_mb"` // the graph.Dataset in Go memory

	MemstoreSec    float64 `json:"memstore_sec"`     // memstore.Replace
	MemstoreHeapMB float64 `json:"memstore_heap_mb"` // what Replace adds to the dataset

	Neo4jSec     float64 `json:"neo4j_sec"`      // neo4jstore.Open + Replace, as `server import` does
	Neo4jRSSMB   float64 `json:"neo4j_rss_mb"`   // the Neo4j process after the import
	Neo4jStoreMB float64 `json:"neo4j_store_mb"` // its data directory on disk

	YAMLWriteSec float64 `json:"yaml_write_sec,omitempty"`
	YAMLMB       float64 `json:"yaml_mb,omitempty"`
	// The embedded server reading the YAML files and serving: from its
	// start to its first healthy answer, and its memory then.
	EmbeddedStartSec float64 `json:"embedded_start_sec"`
	EmbeddedRSSMB    float64 `json:"embedded_rss_mb"`
}

func heapMB() float64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.HeapAlloc) / (1 << 20)
}

// generate makes a scale's dataset, timing it and weighing it.
func generate(sc gen.Scale, seed int64, st *ImportStats) *graph.Dataset {
	before := heapMB()
	began := time.Now()
	ds := gen.Generate(sc, seed)
	st.GenerateSec = time.Since(began).Seconds()
	st.DatasetHeapMB = heapMB() - before
	st.Entities, st.Relations = len(ds.Entities), len(ds.Relations)
	return ds
}

// loadMemstore loads ds into a fresh embedded store, measures it and
// returns it.
func loadMemstore(ctx context.Context, ds *graph.Dataset, st *ImportStats) (*memstore.Store, error) {
	before := heapMB()
	began := time.Now()
	s := memstore.New()
	if err := s.Replace(ctx, ds); err != nil {
		return nil, err
	}
	st.MemstoreSec = time.Since(began).Seconds()
	st.MemstoreHeapMB = heapMB() - before
	return s, nil
}

// loadNeo4j replaces the graph in Neo4j with ds through the store's own
// import path, and returns the open store.
func loadNeo4j(ctx context.Context, cfg neo4jstore.Config, ds *graph.Dataset, st *ImportStats) (*neo4jstore.Store, error) {
	began := time.Now()
	s, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := s.Replace(ctx, ds); err != nil {
		s.Close(context.Background())
		return nil, err
	}
	st.Neo4jSec = time.Since(began).Seconds()
	return s, nil
}

// writeYAML writes ds as data files for the embedded server.
func writeYAML(dir string, ds *graph.Dataset, st *ImportStats) error {
	began := time.Now()
	if err := gen.WriteYAML(dir, ds); err != nil {
		return err
	}
	st.YAMLWriteSec = time.Since(began).Seconds()
	st.YAMLMB = float64(dirBytes(dir)) / (1 << 20)
	return nil
}

func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

func neo4jConfig() neo4jstore.Config {
	return neo4jstore.Config{URI: os.Getenv("NEO4J_URI"), User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD"),
		TxTimeout: 30 * time.Minute} // one transaction loads the whole of L
}
