// Package answer lends the executor the buffer it writes an operation's
// data into, from a pool, so that answers stop growing a buffer from
// empty on every request: for a nested query that growth was a fifth of
// the bytes the request allocated, and so of the collector's work, whose
// every cycle marks the whole store when the store is the embedded one (a
// gigabyte at scale L).
//
// The transport that writes the answer lends the buffer (WithBuffer) and
// takes it back once the answer is written; graph/gql/generate makes the
// generated code ask for it (Buffer) instead of declaring its own.
package answer

import (
	"bytes"
	"context"
	"sync"
)

// maxKept is the largest buffer the pool keeps: a rare huge answer should
// not pin its memory for the requests after it.
const maxKept = 1 << 20

var pool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

type loanKey struct{}

// loan is a buffer lent for one answer, handed out once.
type loan struct {
	buf       *bytes.Buffer
	handedOut bool
}

// WithBuffer returns ctx lending a buffer from the pool to the first
// Buffer call under it, and the function that returns the buffer to the
// pool: call it once the answer's data has been written, and not use the
// data after.
func WithBuffer(ctx context.Context) (context.Context, func()) {
	buf, giveBack := Borrow()
	l := &loan{buf: buf}
	return context.WithValue(ctx, loanKey{}, l), func() {
		giveBack()
		l.buf = nil
	}
}

// Borrow returns an empty buffer from the pool and the function that
// gives it back, for the bytes around an answer's data: the transport
// sends the whole response with one write.
func Borrow() (*bytes.Buffer, func()) {
	buf := pool.Get().(*bytes.Buffer)
	return buf, func() {
		if buf.Cap() <= maxKept {
			buf.Reset()
			pool.Put(buf)
		}
	}
}

// Buffer returns the empty buffer ctx lends, or a new one if ctx lends
// none or has lent it already (an operation with deferred parts writes
// more than one answer).
func Buffer(ctx context.Context) *bytes.Buffer {
	l, ok := ctx.Value(loanKey{}).(*loan)
	if !ok || l.handedOut || l.buf == nil {
		return new(bytes.Buffer)
	}
	l.handedOut = true
	return l.buf
}
