package answer

import (
	"context"
	"testing"
)

func TestBufferLentOnce(t *testing.T) {
	ctx, release := WithBuffer(context.Background())
	first, second := Buffer(ctx), Buffer(ctx)
	if first == second {
		t.Fatal("the lent buffer was handed out twice: a second answer would overwrite the first")
	}
	if first.Len() != 0 || second.Len() != 0 {
		t.Fatalf("buffers handed out hold %q and %q, want both empty", first, second)
	}
	first.WriteString(`{"a":1}`)
	release()

	// Whatever the pool gives the next answer, it starts empty.
	next, releaseNext := WithBuffer(context.Background())
	defer releaseNext()
	if b := Buffer(next); b.Len() != 0 {
		t.Errorf("next answer's buffer holds %q, want it empty", b)
	}
}

func TestBufferWithoutLoan(t *testing.T) {
	a, b := Buffer(context.Background()), Buffer(context.Background())
	if a == nil || a == b || a.Len() != 0 {
		t.Errorf("without a loan Buffer gave %p and %p; want two new empty buffers", a, b)
	}
}
