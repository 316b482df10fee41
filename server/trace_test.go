package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/codes"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	collectortrace "go.opentelemetry.io/proto/otlp/collector/trace/v1"
	"google.golang.org/protobuf/proto"

	"github.com/civicgraph/civicgraph/graph"
)

// tracedSpan is what a test checks of a recorded span.
type tracedSpan struct {
	Name        string
	Parent      string // the parent span's name; "caller" for the caller's span, "" for none
	Kind        trace.SpanKind
	Status      codes.Code
	Description string
	Attributes  map[string]string
}

// unavailableFind is a store whose Find fails as an unreachable database's does.
type unavailableFind struct{ graph.Store }

func (unavailableFind) Find(context.Context, graph.Query) (graph.Page, error) {
	return graph.Page{}, graph.Errorf(graph.EUNAVAILABLE, "the graph database is unavailable; try again later")
}

// TestTracing sends requests through the whole HTTP handler, with the SDK
// recording spans in memory, and checks every span of each request.
func TestTracing(t *testing.T) {
	cfg, seed := defaultStore(t)

	const callerTrace, callerSpan = "0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331"
	span := func(name string, kind trace.SpanKind, parent string, attrs ...string) tracedSpan {
		s := tracedSpan{Name: name, Parent: parent, Kind: kind, Attributes: map[string]string{}}
		for i := 0; i < len(attrs); i += 2 {
			s.Attributes[attrs[i]] = attrs[i+1]
		}
		return s
	}
	operation := func(name string, parent string, attrs ...string) tracedSpan {
		return span(name, trace.SpanKindServer, parent, attrs...)
	}
	storeCall := func(method, parent string) tracedSpan {
		return span("store."+method, trace.SpanKindInternal, parent, "civicgraph.store.method", method)
	}
	failed := func(s tracedSpan, code string) tracedSpan {
		s.Status, s.Description = codes.Error, code
		s.Attributes["error.type"] = code
		return s
	}
	const opType = "graphql.operation.type"

	for _, tt := range []struct {
		name       string
		store      graph.Store
		body       string
		header     map[string]string
		wantStatus int
		want       []tracedSpan // in the order they end
	}{
		{
			name:       "named query",
			body:       `{"query":"query Moderators { talks(where: {kind: {eq: ROUND_TABLE}}) { moderators { name } } }"}`,
			wantStatus: http.StatusOK, want: []tracedSpan{
				storeCall("Find", "query Moderators"),
				operation("query Moderators", "", opType, "query", "graphql.operation.name", "Moderators"),
			},
		},
		{
			name:       "in the caller's trace",
			body:       `{"query":"{ node(id: \"marta-arderio\") { id } }"}`,
			header:     map[string]string{"traceparent": "00-" + callerTrace + "-" + callerSpan + "-01"},
			wantStatus: http.StatusOK, want: []tracedSpan{
				storeCall("Expand", "query"),
				operation("query", "caller", opType, "query"),
			},
		},
		{
			name:       "refused argument",
			body:       `{"query":"query Big { peopleConnection(first: 500) { totalCount } }"}`,
			wantStatus: http.StatusOK, want: []tracedSpan{
				failed(operation("query Big", "", opType, "query", "graphql.operation.name", "Big"), "BAD_USER_INPUT"),
			},
		},
		{
			name:       "invalid query",
			body:       `{"query":"{ peple { name } }"}`,
			wantStatus: http.StatusUnprocessableEntity, want: []tracedSpan{
				failed(operation("GraphQL Operation", ""), "GRAPHQL_VALIDATION_FAILED"),
			},
		},
		{
			name:       "store unavailable",
			store:      unavailableFind{seed},
			body:       `{"query":"{ people { name } }"}`,
			wantStatus: http.StatusOK, want: []tracedSpan{
				failed(storeCall("Find", "query"), "unavailable"), // the store's code, as in the metrics
				failed(operation("query", "", opType, "query"), "UNAVAILABLE"),
			},
		},
		{
			name:       "body not JSON",
			body:       `{"query":`,
			wantStatus: http.StatusBadRequest, want: []tracedSpan{
				failed(operation("GraphQL Operation", ""), "error"), // no code from the transport
			},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			store := tt.store
			if store == nil {
				store = seed
			}
			recorder := tracetest.NewSpanRecorder()
			tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(recorder))
			srv := httptest.NewServer(newServer(cfg, store, slog.New(slog.DiscardHandler), tp))
			defer srv.Close()
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d (body %s)", res.StatusCode, tt.wantStatus, body)
			}

			spans := recorder.Ended()
			if len(spans) == 0 {
				t.Fatal("no span recorded")
			}
			names := map[trace.SpanID]string{}
			for _, s := range spans {
				names[s.SpanContext().SpanID()] = s.Name()
			}
			wantTrace := spans[len(spans)-1].SpanContext().TraceID().String()
			if tt.header["traceparent"] != "" {
				wantTrace = callerTrace
			}
			var got []tracedSpan
			for _, s := range spans {
				if id := s.SpanContext().TraceID().String(); id != wantTrace {
					t.Errorf("span %q in trace %s, want %s", s.Name(), id, wantTrace)
				}
				g := tracedSpan{Name: s.Name(), Parent: names[s.Parent().SpanID()], Kind: s.SpanKind(),
					Status: s.Status().Code, Description: s.Status().Description, Attributes: map[string]string{}}
				if s.Parent().IsRemote() && s.Parent().SpanID().String() == callerSpan {
					g.Parent = "caller"
				}
				for _, a := range s.Attributes() {
					g.Attributes[string(a.Key)] = a.Value.Emit()
				}
				got = append(got, g)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("spans (-want +got):\n%s", diff)
			}
		})
	}
}

// Tracing is off unless an endpoint is set, and then records nothing.
func TestTracingOff(t *testing.T) {
	tp, stop, err := newTracing(context.Background(), "", slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	_, span := tp.Tracer(tracerName).Start(context.Background(), "query")
	if span.IsRecording() || span.SpanContext().IsValid() {
		t.Errorf("span with tracing off: recording %t, valid %t; want neither", span.IsRecording(), span.SpanContext().IsValid())
	}
	if err := stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
}

// With an endpoint set, the server sends its spans over OTLP/HTTP to the
// collector there: here, one on 127.0.0.1 that decodes what it gets.
func TestTracingExportsOTLP(t *testing.T) {
	t.Setenv("OTEL_BSP_SCHEDULE_DELAY", "50") // milliseconds between batches
	var (
		mu    sync.Mutex
		names []string
		bad   []string
	)
	collector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req collectortrace.ExportTraceServiceRequest
		mu.Lock()
		defer mu.Unlock()
		if r.URL.Path != "/v1/traces" || r.Header.Get("Content-Type") != "application/x-protobuf" {
			bad = append(bad, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type"))
		} else if err := proto.Unmarshal(body, &req); err != nil {
			bad = append(bad, err.Error())
		}
		for _, rs := range req.ResourceSpans {
			service := ""
			for _, a := range rs.Resource.Attributes {
				if a.Key == "service.name" {
					service = a.Value.GetStringValue()
				}
			}
			for _, ss := range rs.ScopeSpans {
				for _, s := range ss.Spans {
					names = append(names, service+": "+ss.Scope.Name+": "+s.Name)
				}
			}
		}
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer collector.Close()

	base := startServer(t, map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": collector.URL})
	graphQL(t, base, "query Moderators { talks(where: {kind: {eq: ROUND_TABLE}}) { moderators { name } } }")
	want := []string{
		"civicgraph: " + tracerName + ": store.Find",
		"civicgraph: " + tracerName + ": query Moderators",
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		got, gotBad := slices.Clone(names), slices.Clone(bad)
		mu.Unlock()
		if len(got) >= len(want) || time.Now().After(deadline) {
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("spans the collector got (-want +got):\n%s", diff)
			}
			if len(gotBad) > 0 {
				t.Errorf("requests the collector could not read: %q", gotBad)
			}
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
