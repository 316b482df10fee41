package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCombine(t *testing.T) {
	rounds := []Run{
		{Server: serverCG, Concurrency: 8, Requests: 1000, Seconds: 1, P50ms: 3, P90ms: 5, P99ms: 9, MeanMS: 3.5,
			CPUServerPer1k: 0.4, CPUNeo4jPer1k: 0.6, RoundTrips: 1, RoundTripsKnown: true},
		{Server: serverCG, Concurrency: 8, Requests: 3000, Seconds: 2, Bad: 2, P50ms: 1, P90ms: 2, P99ms: 30, MeanMS: 1.5,
			CPUServerPer1k: 0.2, CPUNeo4jPer1k: 0.2, RoundTrips: 1, RoundTripsKnown: true, Capped: true},
		{Server: serverCG, Concurrency: 8, Requests: 1000, Seconds: 1, P50ms: 2, P90ms: 4, P99ms: 6, MeanMS: 2,
			CPUServerPer1k: 0.4, CPUNeo4jPer1k: 0.2, RoundTrips: 1, RoundTripsKnown: true},
	}
	got := combine(rounds)
	want := Run{Server: serverCG, Concurrency: 8, Requests: 5000, Seconds: 4, RPS: 1250, Bad: 2,
		P50ms: 2, P90ms: 4, P99ms: 9, MeanMS: 2,
		CPUServerPer1k: 0.28, CPUNeo4jPer1k: 0.28, RoundTrips: 1, RoundTripsKnown: true, Capped: true, Rounds: rounds}
	if diff := cmp.Diff(want, got, cmp.Comparer(approximately)); diff != "" {
		t.Errorf("combine (-want +got):\n%s", diff)
	}
	if one := combine(rounds[:1]); !cmp.Equal(one, rounds[0]) {
		t.Errorf("combine of one round = %+v, want the round itself", one)
	}
	rounds[1].RoundTripsKnown = false
	if combine(rounds).RoundTripsKnown {
		t.Error("round trips known when one round did not count them")
	}
}

func approximately(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{4}, 4},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	} {
		if got := median(tc.xs); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.xs, got, tc.want)
		}
	}
}

func TestFloorRatio(t *testing.T) {
	rounds := func(p50s ...float64) *Run {
		r := &Run{Requests: 100}
		for _, p := range p50s {
			r.Rounds = append(r.Rounds, Run{Requests: 100, P50ms: p})
		}
		r.P50ms = median(p50s)
		return r
	}
	for _, tc := range []struct {
		name   string
		cg, fl *Run
		want   string
	}{
		// Like the L run's search at c=1: one slow round of civicgraph's and one
		// fast of the floor's decide nothing; the rounds' own ratios follow.
		{"rounds", rounds(3.3, 1.7, 1.5), rounds(1.6, 1.25, 1.7), "1.06 ✓ (0.88–2.06)"},
		{"missed", rounds(1.3, 1.4, 1.3), rounds(1, 1, 1), "1.30 ✗ (1.30–1.40)"},
		{"single runs", &Run{Requests: 100, P50ms: 1.2}, &Run{Requests: 100, P50ms: 1}, "1.20 ✓"},
		{"rounds on one side only", rounds(1.2, 1.2, 1.2), &Run{Requests: 100, P50ms: 1}, "1.20 ✓"},
		{"floor not timed", rounds(1, 1, 1), nil, "–"},
	} {
		if got := floorRatio(tc.cg, tc.fl); got != tc.want {
			t.Errorf("%s: floorRatio = %q, want %q", tc.name, got, tc.want)
		}
	}
}
