package main

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/rs/cors"
	"go.opentelemetry.io/otel/trace"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/gql"
)

// pinger is a store that can tell whether it is reachable.
type pinger interface {
	Ping(ctx context.Context) error
}

// newServer returns the service's whole HTTP surface: every route is here.
// Its GraphQL operations and store calls are traced with tp.
func newServer(cfg config, store graph.Store, log *slog.Logger, tp trace.TracerProvider) http.Handler {
	m := newMetrics()
	if p, ok := store.(poolUser); ok {
		m.watchPool(p, cfg.Neo4j.MaxPoolSize)
	}
	tracer := tp.Tracer(tracerName)
	store = measuredStore{Store: store, metrics: m, tracer: tracer}
	api := gql.NewHandler(store, gql.Config{
		Introspection: !cfg.Production,
		Suggestions:   !cfg.Production,
		TokenLimit:    cfg.TokenLimit,
		Limits:        cfg.Limits,
		Logger:        log,
	})
	api.Use(operationObserver{metrics: m, tracer: tracer})
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.handler())
	mux.Handle("/graphql", limitBody(cfg.MaxBodyBytes, withDeadline(cfg.RequestTimeout, api)))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
	// A database that hangs must not hang the probe: its ping has the
	// deadline of a request.
	mux.Handle("GET /readyz", withDeadline(cfg.RequestTimeout, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p, ok := store.(pinger); ok {
			if err := p.Ping(r.Context()); err != nil {
				log.WarnContext(r.Context(), "store not ready", "error", err)
				writeText(w, http.StatusServiceUnavailable, "store unavailable")
				return
			}
		}
		writeText(w, http.StatusOK, "ready")
	})))
	if !cfg.Production {
		mux.Handle("/", graphiQL()) // GraphiQL needs introspection
	}
	c := cors.New(cors.Options{
		AllowedOrigins: cfg.CORSOrigins,
		AllowedMethods: []string{http.MethodGet, http.MethodPost},
		AllowedHeaders: []string{"Content-Type", "Authorization", "traceparent", "tracestate"}, // the last two: see withTraceParent
		MaxAge:         600,
	})
	return withTraceParent(withRequestID(accessLog(log, m.countHTTP(c.Handler(mux)))))
}
