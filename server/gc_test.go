package main

import (
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestGCPercent(t *testing.T) {
	for _, tt := range []struct {
		live uint64
		want int
	}{
		{0, 100}, // no collection yet: Go's default
		{1 << 20, 25600},
		{100 << 20, 256},
		{128 << 20, 200},
		{255 << 20, 101},
		{256 << 20, 100},
		{4 << 30, 100},
	} {
		if got := gcPercent(tt.live); got != tt.want {
			t.Errorf("gcPercent(%d MiB) = %d, want %d", tt.live>>20, got, tt.want)
		}
	}
}

func TestTuneGC(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	log := slog.New(slog.DiscardHandler)

	debug.SetGCPercent(137)
	tuneGC(func(key string) string { return map[string]string{"GOGC": "137"}[key] }, log)
	if got := debug.SetGCPercent(100); got != 137 {
		t.Errorf("with GOGC set, the percent became %d; want the operator's 137", got)
	}

	debug.FreeOSMemory() // as run does before
	tuneGC(func(string) string { return "" }, log)
	if got, want := debug.SetGCPercent(100), gcPercent(liveHeap()); got != want || want <= 100 {
		t.Errorf("percent = %d, want %d (above 100 for this test's small heap of %d bytes)", got, want, liveHeap())
	}
}
