package main

import (
	"log/slog"
	"runtime/debug"
	runtimemetrics "runtime/metrics"
)

// gcHeadroom is the least the heap grows between two garbage collections.
// Go's default collects whenever the heap has doubled since the last one:
// on Neo4j the live heap is a few megabytes (a connection pool, parsed
// queries), so that is every few dozen requests: a nested read under load
// took 1.8-1.95 ms of CPU per request, 1.35-1.5 with this headroom. The
// embedded store's live heap is the graph: past gcHeadroom, Go's default
// holds.
const gcHeadroom = 256 << 20

// tuneGC sets the collector's percent for the heap the last collection
// left, which the caller has just made after the store loaded: 100, as
// Go's default, or as much more as keeps gcHeadroom between collections.
// GOGC, when set, is the operator's and stays.
func tuneGC(getenv func(string) string, log *slog.Logger) {
	if getenv("GOGC") != "" {
		return
	}
	live := liveHeap()
	percent := gcPercent(live)
	debug.SetGCPercent(percent)
	log.Info("garbage collection", "live_heap_bytes", live, "gc_percent", percent)
}

// gcPercent is the percent that lets a heap of live bytes grow by
// gcHeadroom, or by itself if that is more, before the next collection.
func gcPercent(live uint64) int {
	if live == 0 || live >= gcHeadroom {
		return 100
	}
	return int((gcHeadroom*100 + live - 1) / live) // rounded up
}

// liveHeap is the heap the last collection left.
func liveHeap() uint64 {
	sample := []runtimemetrics.Sample{{Name: "/gc/heap/live:bytes"}}
	runtimemetrics.Read(sample)
	return sample[0].Value.Uint64()
}
