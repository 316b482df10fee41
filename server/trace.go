package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/exporters/otlp/otlptrace/otlptracehttp"
	"go.opentelemetry.io/otel/propagation"
	"go.opentelemetry.io/otel/sdk/resource"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"
)

// tracerName names the spans' instrumentation scope.
const tracerName = "github.com/civicgraph/civicgraph/server"

// newTracing returns the tracer provider the configuration asks for, and
// the function that flushes and stops it. Without an endpoint it is the
// no-op provider: no exporter, no goroutine, and spans that record nothing.
// With one, spans go in batches to the OTLP/HTTP collector there; the
// SDK's other standard OTEL_* variables (service name, resource
// attributes, sampler, headers) apply as the SDK reads them, and its
// errors (a collector that does not answer) go to log.
func newTracing(ctx context.Context, endpoint string, log *slog.Logger) (trace.TracerProvider, func(context.Context) error, error) {
	if endpoint == "" {
		return noop.NewTracerProvider(), func(context.Context) error { return nil }, nil
	}
	// The SDK's handler is global: the process has one tracing set-up.
	otel.SetErrorHandler(otel.ErrorHandlerFunc(func(err error) { log.Warn("tracing", "error", err) }))
	// As for OTEL_EXPORTER_OTLP_ENDPOINT, the traces path follows the base URL.
	tracesURL, err := url.JoinPath(endpoint, "v1", "traces")
	if err != nil {
		return nil, nil, fmt.Errorf("otel endpoint %q: %w", endpoint, err)
	}
	exporter, err := otlptracehttp.New(ctx, otlptracehttp.WithEndpointURL(tracesURL))
	if err != nil {
		return nil, nil, fmt.Errorf("OTLP trace exporter for %s: %w", tracesURL, err)
	}
	res, err := resource.New(ctx,
		resource.WithAttributes(semconv.ServiceName("civicgraph")),
		resource.WithFromEnv(), // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES win over the name above
		resource.WithTelemetrySDK(),
		resource.WithSchemaURL(semconv.SchemaURL))
	if err != nil {
		return nil, nil, fmt.Errorf("trace resource: %w", err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(exporter), sdktrace.WithResource(res))
	return tp, tp.Shutdown, nil
}

// withTraceParent continues the caller's trace when the request carries a
// W3C traceparent header, so that the operation's span joins it.
func withTraceParent(next http.Handler) http.Handler {
	var tc propagation.TraceContext
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(tc.Extract(r.Context(), propagation.HeaderCarrier(r.Header))))
	})
}

// endSpan records an outcome as the metrics count it, ok or an error code,
// and ends the span.
func endSpan(span trace.Span, outcome string) {
	if outcome != "ok" {
		span.SetAttributes(semconv.ErrorTypeKey.String(outcome))
		span.SetStatus(codes.Error, outcome)
	}
	span.End()
}
