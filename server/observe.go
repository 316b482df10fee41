package main

import (
	"cmp"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/civicgraph/civicgraph/graph"
)

// metrics are what /metrics exposes, on a registry of the server's own so
// that tests can run several servers in one process.
type metrics struct {
	registry   *prometheus.Registry
	http       *prometheus.CounterVec
	operations *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	storeCalls *prometheus.CounterVec
	storeTime  *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		http: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "civicgraph_http_requests_total", Help: "HTTP requests by route and status.",
		}, []string{"route", "status"}),
		operations: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "civicgraph_graphql_operations_total", Help: "GraphQL operations run, by operation name and outcome (ok, or the first error's code).",
		}, []string{"operation", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "civicgraph_graphql_operation_seconds", Help: "Time to answer a GraphQL operation, by operation name.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"operation"}),
		storeCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "civicgraph_store_calls_total", Help: "Calls to the store (round trips, on Neo4j), by method and outcome.",
		}, []string{"method", "outcome"}),
		storeTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "civicgraph_store_call_seconds", Help: "Time of a store call, by method.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 18),
		}, []string{"method"}),
	}
	m.registry.MustRegister(m.http, m.operations, m.latency, m.storeCalls, m.storeTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// poolUser is a store that borrows connections from a pool: the Neo4j
// store, once it is connected.
type poolUser interface {
	InUse() int64
}

// watchPool exposes how much of the store's connection pool is in use, and
// its size, so that a saturated pool (in use at the maximum, requests
// waiting for a connection) shows.
func (m *metrics) watchPool(p poolUser, max int) {
	m.registry.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "civicgraph_neo4j_connections_in_use", Help: "Neo4j connections in use now by a transaction.",
		}, func() float64 { return float64(p.InUse()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "civicgraph_neo4j_connections_max", Help: "The most connections the Neo4j pool may hold (-neo4j-max-pool-size).",
		}, func() float64 { return float64(max) }),
	)
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// countHTTP counts every request by its route pattern, which has no ids in
// it, so the number of series stays small.
func (m *metrics) countHTTP(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		route := r.Pattern
		if route == "" {
			route = "unmatched"
		}
		m.http.WithLabelValues(route, strconv.Itoa(rec.status)).Inc()
	})
}

// operationObserver measures and traces every GraphQL operation that runs,
// refused ones included, and names it in its request's log line.
type operationObserver struct {
	metrics *metrics
	tracer  trace.Tracer
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = operationObserver{}

func (operationObserver) ExtensionName() string                          { return "OperationObserver" }
func (operationObserver) Validate(schema graphql.ExecutableSchema) error { return nil }

func (o operationObserver) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	start := time.Now()
	// Both stay empty when the request did not get that far; a body that
	// is not JSON has no operation context at all.
	var opType, opName string
	if graphql.HasOperationContext(ctx) {
		if op := graphql.GetOperationContext(ctx).Operation; op != nil {
			opType, opName = string(op.Operation), op.Name
		}
	}
	ctx, span := o.tracer.Start(ctx, operationSpanName(opType, opName), trace.WithSpanKind(trace.SpanKindServer))
	// Attributes only for a span that keeps them: with tracing off, spans
	// cost next to nothing.
	if span.IsRecording() {
		if opType != "" {
			span.SetAttributes(semconv.GraphQLOperationTypeKey.String(opType))
		}
		if opName != "" {
			span.SetAttributes(semconv.GraphQLOperationName(opName))
		}
	}
	res := next(ctx)
	outcome := "ok"
	if res != nil && len(res.Errors) > 0 {
		outcome = "error"
		if code, ok := res.Errors[0].Extensions["code"].(string); ok {
			outcome = code
		}
	}
	endSpan(span, outcome)
	elapsed := time.Since(start)
	name := cmp.Or(opName, "anonymous")
	o.metrics.operations.WithLabelValues(name, outcome).Inc()
	o.metrics.latency.WithLabelValues(name).Observe(elapsed.Seconds())
	if rec := recordOf(ctx); rec != nil {
		rec.operation, rec.outcome = name, outcome
	}
	return res
}

// operationSpanName names an operation's span as OpenTelemetry's
// conventions for GraphQL say.
func operationSpanName(opType, opName string) string {
	switch {
	case opType == "":
		return "GraphQL Operation"
	case opName == "":
		return opType
	}
	return opType + " " + opName
}

// measuredStore counts, times and traces the calls made to a store.
type measuredStore struct {
	graph.Store
	metrics *metrics
	tracer  trace.Tracer
}

// measured makes a call on the store, in a span of its own, and records its
// time and outcome.
func measured[T any](ctx context.Context, s measuredStore, method string, call func(context.Context) (T, error)) (T, error) {
	ctx, span := s.tracer.Start(ctx, "store."+method)
	if span.IsRecording() {
		span.SetAttributes(attrStoreMethod.String(method))
	}
	start := time.Now()
	v, err := call(ctx)
	outcome := "ok"
	if err != nil {
		outcome = graph.ErrorCode(err)
	}
	endSpan(span, outcome)
	s.metrics.storeCalls.WithLabelValues(method, outcome).Inc()
	s.metrics.storeTime.WithLabelValues(method).Observe(time.Since(start).Seconds())
	return v, err
}

// attrStoreMethod names the graph.Store method a span is a call of.
const attrStoreMethod = attribute.Key("civicgraph.store.method")

func (s measuredStore) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	return measured(ctx, s, "Entities", func(ctx context.Context) ([]*graph.Entity, error) { return s.Store.Entities(ctx, ids) })
}

func (s measuredStore) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	return measured(ctx, s, "Find", func(ctx context.Context) (graph.Page, error) { return s.Store.Find(ctx, q) })
}

func (s measuredStore) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	return measured(ctx, s, "Neighbours", func(ctx context.Context) ([][]graph.Neighbour, error) {
		return s.Store.Neighbours(ctx, ids, path, where)
	})
}

func (s measuredStore) Expand(ctx context.Context, ids []string, branches []graph.Branch, props graph.Props) (graph.Expansion, error) {
	return measured(ctx, s, "Expand", func(ctx context.Context) (graph.Expansion, error) {
		return s.Store.Expand(ctx, ids, branches, props)
	})
}

func (s measuredStore) NeighbourCounts(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([]int, error) {
	return measured(ctx, s, "NeighbourCounts", func(ctx context.Context) ([]int, error) {
		return s.Store.NeighbourCounts(ctx, ids, path, where)
	})
}

// Ping passes readiness through to the store, if it can tell.
func (s measuredStore) Ping(ctx context.Context) error {
	if p, ok := s.Store.(pinger); ok {
		return p.Ping(ctx)
	}
	return nil
}
