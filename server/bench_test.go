package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.opentelemetry.io/otel/trace/noop"
)

// BenchmarkServer answers requests through the whole HTTP surface, every
// middleware and the access log included, on the embedded seed, whose
// reads take microseconds: what a request costs the server around them.
func BenchmarkServer(b *testing.B) {
	for _, bb := range []struct{ name, body string }{
		{"lookup", `{"query":"query($id: ID!) { node(id: $id) { id ... on Person { name roles { id title organisation { id name } } } } }","variables":{"id":"diego-belmonte"}}`},
		{"nested", `{"query":"query($id: ID!) { node(id: $id) { id ... on Organisation { name people { id name spokeIn { id title practices { id name } } } } } }","variables":{"id":"comune-di-mataro"}}`},
	} {
		b.Run(bb.name, func(b *testing.B) {
			cfg, store := defaultStore(b)
			log, closeLog := newLog(io.Discard)
			defer closeLog()
			srv := newServer(cfg, store, log, noop.NewTracerProvider())
			for b.Loop() {
				req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, "/graphql", strings.NewReader(bb.body))
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Content-Type", "application/json")
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
