package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/civicgraph/civicgraph/graph"
)

// startServer runs the whole program as main would, with env as its
// environment, on a free port of 127.0.0.1, and returns its base URL. The
// server stops when the test ends, and must stop cleanly.
func startServer(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	base, _ := startServerLogging(t, io.Discard, env, args...)
	return base
}

// startServerLogging is startServer with the program's log written to
// stderr, and a function that stops the server and waits until it has.
func startServerLogging(t *testing.T, stderr io.Writer, env map[string]string, args ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, w := io.Pipe()
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() {
		done <- run(ctx, append([]string{"-host", "127.0.0.1", "-port", "0"}, args...), getenv, w, stderr)
		w.Close()
	}()
	stop = sync.OnceFunc(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("run after shutdown: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("server did not stop within 20s")
		}
	})
	t.Cleanup(stop)
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("server printed no address: %v", err)
	}
	go io.Copy(io.Discard, out)
	var addr string
	if _, err := fmt.Sscanf(line, "civicgraph serving http://%s", &addr); err != nil {
		t.Fatalf("unexpected first line %q", line)
	}
	base = "http://" + strings.TrimSuffix(addr, "/")
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base, stop
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not healthy within 10s: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeHeadline(t *testing.T) {
	base := startServer(t, nil)
	body := `{"query":"{ organisations(where: {kind: {eq: MUNICIPALITY}, presentedPractices: {some: {topics: {some: {id: {eq: \"interoperability\"}}}}}}) { name } }"}`
	res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	want := `{"data":{"organisations":[{"name":"Comune di Mataró"}]}}`
	if string(got) != want {
		t.Errorf("answer %s, want %s", got, want)
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Errorf("no X-Request-Id header")
	}
}

func TestServeLimitsAndProbes(t *testing.T) {
	base := startServer(t, nil, "-max-body-bytes", "200", "-cors-origins", "https://dashboard.example")
	for _, tt := range []struct {
		name       string
		method     string
		path       string
		body       string
		headers    map[string]string
		wantStatus int
		wantBody   string
		wantHeader map[string]string
	}{
		{name: "healthz", method: "GET", path: "/healthz", wantStatus: 200, wantBody: "ok\n"},
		{name: "readyz", method: "GET", path: "/readyz", wantStatus: 200, wantBody: "ready\n"},
		{
			name: "body too large", method: "POST", path: "/graphql",
			body:       `{"query":"{ people { name } }", "padding": "` + strings.Repeat("x", 300) + `"}`,
			headers:    map[string]string{"Content-Type": "application/json"},
			wantStatus: http.StatusRequestEntityTooLarge,
			wantBody:   `{"errors":[{"extensions":{"code":"PAYLOAD_TOO_LARGE"},"message":"the request body is larger than the 200 bytes this server accepts"}]}` + "\n",
		},
		{
			name: "query over GET", method: "GET", path: "/graphql?query=%7Bnode(id:%22marta-arderio%22)%7Bid%7D%7D",
			wantStatus: 200, wantBody: `{"data":{"node":{"id":"marta-arderio"}}}`,
		},
		{
			name: "mutation-free schema refuses one", method: "POST", path: "/graphql",
			body:       `{"query":"mutation { x }"}`,
			headers:    map[string]string{"Content-Type": "application/json"},
			wantStatus: http.StatusUnprocessableEntity,
			wantBody:   `{"errors":[{"message":"Schema does not support operation type \"mutation\"","locations":[{"line":1,"column":1}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}],"data":null}`,
		},
		{
			name: "CORS preflight from an allowed origin", method: "OPTIONS", path: "/graphql",
			headers:    map[string]string{"Origin": "https://dashboard.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"},
			wantStatus: http.StatusNoContent,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://dashboard.example"},
		},
		{
			name: "CORS preflight of a traced request", method: "OPTIONS", path: "/graphql",
			headers:    map[string]string{"Origin": "https://dashboard.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,traceparent"},
			wantStatus: http.StatusNoContent,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": "https://dashboard.example", "Access-Control-Allow-Headers": "content-type,traceparent"},
		},
		{
			name: "CORS preflight from another origin", method: "OPTIONS", path: "/graphql",
			headers:    map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
			wantStatus: http.StatusNoContent,
			wantHeader: map[string]string{"Access-Control-Allow-Origin": ""},
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(tt.body))
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus {
				t.Errorf("status %d, want %d (body %s)", res.StatusCode, tt.wantStatus, body)
			}
			if tt.wantBody != "" && string(body) != tt.wantBody {
				t.Errorf("body %s\nwant %s", body, tt.wantBody)
			}
			for k, v := range tt.wantHeader {
				if got := res.Header.Get(k); got != v {
					t.Errorf("header %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestConfig(t *testing.T) {
	env := map[string]string{"CIVICGRAPH_PORT": "9000", "CIVICGRAPH_CORS_ORIGINS": "https://a.example, https://b.example",
		"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}
	cfg, err := parseConfig("civicgraph", []string{"-port", "9100"}, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Port != 9100 {
		t.Errorf("flag did not win over the environment: port %d", cfg.Port)
	}
	if cfg.OTelEndpoint != "http://127.0.0.1:4318" || cfg.Neo4j.MaxPoolSize != 100 {
		t.Errorf("otel endpoint %q, Neo4j pool size %d; want http://127.0.0.1:4318 and 100", cfg.OTelEndpoint, cfg.Neo4j.MaxPoolSize)
	}
	if diff := cmp.Diff([]string{"https://a.example", "https://b.example"}, cfg.CORSOrigins); diff != "" {
		t.Errorf("origins (-want +got):\n%s", diff)
	}
	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"-port", "70000"}, nil, "port 70000 is not between 0 and 65535"},
		{nil, map[string]string{"CIVICGRAPH_REQUEST_TIMEOUT": "soon"}, `$CIVICGRAPH_REQUEST_TIMEOUT: "soon": not a duration such as 10s or 1m30s`},
		{nil, map[string]string{"CIVICGRAPH_MAX_DEPTH": "deep"}, `$CIVICGRAPH_MAX_DEPTH: "deep": not a whole number`},
		{[]string{"-production"}, nil, "production mode needs an explicit CORS allow-list: -cors-origins https://your.dashboard,... (not *)"},
		{[]string{"-production", "-cors-origins", "*"}, nil, "production mode needs an explicit CORS allow-list: -cors-origins https://your.dashboard,... (not *)"},
		{[]string{"extra"}, nil, `unexpected argument "extra"`},
		{[]string{"-otel-endpoint", "127.0.0.1:4318"}, nil, `otel-endpoint "127.0.0.1:4318" is not an http:// or https:// URL such as http://127.0.0.1:4318`},
		{nil, map[string]string{"NEO4J_MAX_POOL_SIZE": "0"}, "neo4j-max-pool-size must be positive"},
		{[]string{"-synthetic", "XL"}, nil, `synthetic: unknown scale "XL" (want S, M or L)`},
		{[]string{"-synthetic", "M", "-data", "../data"}, nil, "give -data or -synthetic, not both"},
	} {
		_, err := parseConfig("civicgraph", tt.args, func(k string) string { return tt.env[k] }, io.Discard)
		if err == nil || err.Error() != tt.want {
			t.Errorf("parseConfig(%q, %v) = %v, want %q", tt.args, tt.env, err, tt.want)
		}
	}
}

// TestSyntheticGraph serves a generated graph: M has the 947
// municipalities of Catalonia.
func TestSyntheticGraph(t *testing.T) {
	base := startServer(t, map[string]string{"CIVICGRAPH_SYNTHETIC": "M"})
	res, err := http.Post(base+"/graphql", "application/json",
		strings.NewReader(`{"query":"{ organisationsCount(where: {kind: {eq: MUNICIPALITY}}) }"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	got, _ := io.ReadAll(res.Body)
	if want := `{"data":{"organisationsCount":947}}`; string(got) != want {
		t.Errorf("answer %s, want %s", got, want)
	}
}

func TestCheckCommand(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), []string{"check", "../data"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if want := "../data: 71 entities, 81 relations, no problems\n"; out.String() != want {
		t.Errorf("check printed %q, want %q", out.String(), want)
	}
	err := run(context.Background(), []string{"check", "testdata/broken"}, func(string) string { return "" }, io.Discard, io.Discard)
	want := `testdata/broken/broken.yaml:9: entity "nobody": missing evidence`
	if err == nil || err.Error() != want {
		t.Errorf("check of a broken folder: %v, want %q", err, want)
	}
}

func TestProductionMode(t *testing.T) {
	base := startServer(t, map[string]string{"CIVICGRAPH_PRODUCTION": "true", "CIVICGRAPH_CORS_ORIGINS": "https://dashboard.example"})
	for _, tt := range []struct {
		name, query, want string
	}{
		{"no introspection", `{ __schema { queryType { name } } }`,
			`{"errors":[{"message":"introspection is disabled on this server","extensions":{"code":"INTROSPECTION_DISABLED"}}],"data":null}`},
		{"no suggestions", `{ peple { name } }`,
			`{"errors":[{"message":"Cannot query field \"peple\" on type \"Query\".","locations":[{"line":1,"column":3}],"extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}],"data":null}`},
		{"answers", `{ node(id: "marta-arderio") { id } }`, `{"data":{"node":{"id":"marta-arderio"}}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":`+strconv.Quote(tt.query)+`}`))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(body) != tt.want {
				t.Errorf("answer %s\nwant   %s", body, tt.want)
			}
		})
	}
	res, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("GraphiQL in production: status %d, want 404", res.StatusCode)
	}
}

func TestMetrics(t *testing.T) {
	base := startServer(t, nil)
	res, err := http.Post(base+"/graphql", "application/json", strings.NewReader(`{"query":"query Moderators { talks(where: {kind: {eq: ROUND_TABLE}}) { moderators { name } } }"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	res, err = http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	for _, want := range []string{
		`civicgraph_graphql_operations_total{operation="Moderators",outcome="ok"} 1`,
		`civicgraph_graphql_operation_seconds_count{operation="Moderators"} 1`,
		`civicgraph_http_requests_total{route="/graphql",status="200"} 1`,
		`civicgraph_store_calls_total{method="Find",outcome="ok"} 1`,
	} {
		if !strings.Contains(string(body), want+"\n") {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(string(body), "civicgraph_neo4j_") {
		t.Errorf("/metrics of the embedded store has Neo4j pool metrics")
	}
}

// defaultStore returns the default configuration and the store it opens
// (the embedded seed), closed when the test ends.
func defaultStore(t testing.TB) (config, graph.Store) {
	t.Helper()
	cfg, err := parseConfig("civicgraph", nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	store, closeStore, err := openStore(context.Background(), cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(closeStore)
	return cfg, store
}

// TestRequestLogLine checks that each request writes one log line, with
// the GraphQL operation it ran when it ran one.
func TestRequestLogLine(t *testing.T) {
	cfg, seed := defaultStore(t)
	var logged syncBuffer
	// Without the time and the duration, which change from run to run.
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == "duration" {
			return slog.Attr{}
		}
		return a
	}}))
	srv := httptest.NewServer(newServer(cfg, seed, log, noop.NewTracerProvider()))
	defer srv.Close()
	for _, tt := range []struct {
		name, method, path, body string
		want                     string // %s is the request's id
	}{
		{"named operation", http.MethodPost, "/graphql", `{"query":"query Moderators { talks(where: {kind: {eq: ROUND_TABLE}}) { moderators { name } } }"}`,
			"level=INFO msg=request id=%s method=POST path=/graphql status=200 operation=Moderators outcome=ok\n"},
		{"refused operation", http.MethodPost, "/graphql", `{"query":"{ peple }"}`,
			"level=INFO msg=request id=%s method=POST path=/graphql status=422 operation=anonymous outcome=GRAPHQL_VALIDATION_FAILED\n"},
		{"no operation", http.MethodGet, "/healthz", "",
			"level=INFO msg=request id=%s method=GET path=/healthz status=200\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			logged.Reset()
			req, _ := http.NewRequest(tt.method, srv.URL+tt.path, strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			// The answer is sent before the line is written (see
			// TestAnswerBeforeLogLine): wait for it.
			for deadline := time.Now().Add(5 * time.Second); logged.String() == "" && time.Now().Before(deadline); {
				time.Sleep(time.Millisecond)
			}
			if got, want := logged.String(), fmt.Sprintf(tt.want, res.Header.Get("X-Request-Id")); got != want {
				t.Errorf("logged %q\nwant   %q", got, want)
			}
		})
	}
}

// TestAnswerBeforeLogLine checks that a GraphQL answer reaches the client
// before the middlewares log and count its request: here the log line
// waits until the client has read the whole answer.
func TestAnswerBeforeLogLine(t *testing.T) {
	cfg, seed := defaultStore(t)
	answered := make(chan struct{})
	held := writerFunc(func(p []byte) (int, error) {
		select {
		case <-answered:
		case <-time.After(10 * time.Second):
		}
		return len(p), nil
	})
	srv := httptest.NewServer(newServer(cfg, seed, slog.New(slog.NewTextHandler(held, nil)), noop.NewTracerProvider()))
	defer srv.Close()
	defer close(answered) // before the close above waits for the handler
	client := &http.Client{Timeout: 5 * time.Second}
	res, err := client.Post(srv.URL+"/graphql", "application/json", strings.NewReader(`{"query":"{ node(id: \"diego-belmonte\") { id } }"}`))
	if err != nil {
		t.Fatalf("no answer while the log line waits: %v", err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("reading the answer while the log line waits: %v", err)
	}
	if want := `{"data":{"node":{"id":"diego-belmonte"}}}`; string(body) != want {
		t.Errorf("answer %s, want %s", body, want)
	}
}

// writerFunc is an io.Writer made of a function.
type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// syncBuffer is a bytes.Buffer the handler's goroutines may write while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}
