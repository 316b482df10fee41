package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestLogBatches checks when the log's lines go out: an info line waits
// for a flush or a full buffer, a warning or an error goes out at once
// with every line before it, in order.
func TestLogBatches(t *testing.T) {
	var out syncBuffer
	batch := newBatchWriter(&out, 256)
	log := slog.New(promptHandler{slog.NewTextHandler(batch, &slog.HandlerOptions{ReplaceAttr: withoutTime}), batch})
	steps := []struct {
		name string
		log  func()
		want string // all that has gone out after the step
	}{
		{"info waits", func() { log.Info("request", "path", "/graphql") }, ""},
		{"a warning takes it out", func() { log.Warn("store not ready") },
			"level=INFO msg=request path=/graphql\nlevel=WARN msg=\"store not ready\"\n"},
		{"info waits again", func() { log.Info("request", "path", "/healthz") },
			"level=INFO msg=request path=/graphql\nlevel=WARN msg=\"store not ready\"\n"},
		{"an error with attributes takes it out", func() { log.With("id", "r1").Error("panic in resolver") },
			"level=INFO msg=request path=/graphql\nlevel=WARN msg=\"store not ready\"\n" +
				"level=INFO msg=request path=/healthz\nlevel=ERROR msg=\"panic in resolver\" id=r1\n"},
	}
	for _, step := range steps {
		step.log()
		if got := out.String(); got != step.want {
			t.Fatalf("%s: out %q\nwant %q", step.name, got, step.want)
		}
	}
	out.Reset()
	line := "level=INFO msg=request path=/x\n" // 31 bytes: 8 fit in the buffer of 256
	for range 10 {
		log.Info("request", "path", "/x")
	}
	if got, want := out.String(), strings.Repeat(line, 8); got != want {
		t.Errorf("a full buffer let %q out, want the 8 whole lines before the 9th", got)
	}
}

func withoutTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

// TestLogFlushedEveryInterval checks that lines wait no longer than the
// interval, and that all are out once the flushing stops.
func TestLogFlushedEveryInterval(t *testing.T) {
	var out syncBuffer
	batch := newBatchWriter(&out, 4096)
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		batch.flushEvery(ctx, 10*time.Millisecond)
	}()
	batch.Write([]byte("first\n"))
	deadline := time.Now().Add(5 * time.Second)
	for out.String() != "first\n" {
		if time.Now().After(deadline) {
			t.Fatalf("after 5s out is %q, want the line written", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	batch.Write([]byte("last\n"))
	cancel()
	<-stopped
	if got := out.String(); got != "first\nlast\n" {
		t.Errorf("after the flushing stopped out is %q", got)
	}
}

// TestServerLogsEachRequest checks that the program writes a request's
// line to its log by the time it has stopped, the line having waited in
// the batch.
func TestServerLogsEachRequest(t *testing.T) {
	var stderr syncBuffer
	base, stop := startServerLogging(t, &stderr, nil)
	res, err := http.Get(base + "/healthz?probe=log")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	stop()
	if !strings.Contains(stderr.String(), "msg=request id="+res.Header.Get("X-Request-Id")+" method=GET path=/healthz status=200") {
		t.Errorf("log after stopping has no line for the request:\n%s", stderr.String())
	}
}
