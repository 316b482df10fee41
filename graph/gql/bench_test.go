package gql_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/civicgraph/civicgraph/graph/storetest"
)

// Benchmark queries: the headline question and a three-level nested read.
var benchQueries = map[string]string{
	"headline": `{ organisations(where: {kind: {eq: MUNICIPALITY}, presentedPractices: {some: {topics: {some: {id: {eq: "interoperability"}}}}}}) { name } }`,
	"nested":   `{ organisations { name people { name spokeIn { title practices { name } } } } }`,
}

// BenchmarkQueries measures whole requests through the real handler over
// the seed dataset on every backend, and reports store calls per request.
func BenchmarkQueries(b *testing.B) {
	for name, newStore := range backends {
		for qname, query := range benchQueries {
			b.Run(name+"/"+qname, func(b *testing.B) {
				store := &countingStore{Store: newStore(b)}
				storetest.MustSeed(b, store)
				url := newAPI(b, store)
				body, _ := json.Marshal(map[string]string{"query": query})
				store.calls.Store(0)
				b.ResetTimer()
				for b.Loop() {
					res, err := http.Post(url, "application/json", bytes.NewReader(body))
					if err != nil {
						b.Fatal(err)
					}
					var r response
					if err := json.NewDecoder(res.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
						b.Fatalf("bad answer: %v %v", err, r.Errors)
					}
					res.Body.Close()
				}
				b.ReportMetric(float64(store.calls.Load())/float64(b.N), "storecalls/op")
			})
		}
	}
}
