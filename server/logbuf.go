package main

import (
	"bufio"
	"context"
	"io"
	"log/slog"
	"sync"
	"time"
)

// The log is written in batches, as nginx's access_log buffer= and flush=
// write theirs: a line per request written straight to stderr was a write
// call of its own, and at 32 clients the requests queued on the logger's
// lock around it. Lines wait at most logFlushInterval, or until logBuffer
// bytes have gathered; a warning or an error goes out at once, after the
// lines before it.
const (
	logBuffer        = 64 << 10
	logFlushInterval = time.Second
)

// newLog returns the program's logger, which writes to w in batches, and
// the function that writes out the lines still waiting and stops it.
func newLog(w io.Writer) (*slog.Logger, func()) {
	out := newBatchWriter(w, logBuffer)
	ctx, stop := context.WithCancel(context.Background())
	flushed := make(chan struct{})
	go func() {
		defer close(flushed)
		out.flushEvery(ctx, logFlushInterval)
	}()
	return slog.New(promptHandler{slog.NewTextHandler(out, nil), out}), func() { stop(); <-flushed }
}

// batchWriter gathers what is written to it and passes it on in batches,
// when its buffer fills or Flush is called.
type batchWriter struct {
	mu  sync.Mutex
	buf *bufio.Writer
}

func newBatchWriter(w io.Writer, size int) *batchWriter {
	return &batchWriter{buf: bufio.NewWriterSize(w, size)}
}

// Write keeps p whole, a log record being one write: what has gathered
// goes out first if p does not fit beside it.
func (b *batchWriter) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(p) > b.buf.Available() && b.buf.Buffered() > 0 {
		if err := b.buf.Flush(); err != nil {
			return 0, err
		}
	}
	return b.buf.Write(p)
}

// Flush passes on what has gathered.
func (b *batchWriter) Flush() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Flush()
}

// flushEvery flushes b every interval until ctx is done, then once more.
func (b *batchWriter) flushEvery(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-tick.C:
			b.Flush()
		case <-ctx.Done():
			b.Flush()
			return
		}
	}
}

// promptHandler flushes its batch after every record at warning level or
// above.
type promptHandler struct {
	slog.Handler
	out *batchWriter
}

func (h promptHandler) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	if r.Level >= slog.LevelWarn {
		if flushErr := h.out.Flush(); err == nil {
			err = flushErr
		}
	}
	return err
}

func (h promptHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return promptHandler{h.Handler.WithAttrs(attrs), h.out}
}

func (h promptHandler) WithGroup(name string) slog.Handler {
	return promptHandler{h.Handler.WithGroup(name), h.out}
}
