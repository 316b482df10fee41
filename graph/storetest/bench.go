package storetest

import (
	"syscall"
	"testing"
	"time"
)

// Loop runs f b.N times, and reports besides the time per op the CPU time
// per op of the whole process, the garbage collector's and the database
// driver's goroutines included: on a shared machine the time depends on
// what else runs, the CPU time much less.
func Loop(b *testing.B, f func() error) {
	start := cpuTime(b)
	for b.Loop() {
		if err := f(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime(b)-start)/float64(b.N), "cpu-ns/op")
}

func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
