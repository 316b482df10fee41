package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var loadReport = flag.String("load.report", "", "write the figures of TestNeo4jLoad to this Markdown file")

// loadQueries are the requests of the load test, taken in turn: lookups,
// nested relationship filters, search, pages with counts and a group-by
// count, so that every kind of store call is in the mix.
var loadQueries = []string{
	headlineQuery,
	`{ search(text: "gine") { __typename id } }`,
	`{ node(id: "role-diego-belmonte-manager-espai-mataro-service") { ... on Role { title holdersConnection { edges { node { name } } } } } }`,
	`{ peopleConnection(first: 5) { totalCount edges { node { name roles { title organisation { name } } } } } }`,
	`{ practicesGroupCount(by: PRESENTED_BY, byKind: true) { key count } }`,
}

// loadRun is what one run of the load saw.
type loadRun struct {
	requests  int
	errors    []string        // the first few
	failed    int             // every failed request
	latencies []time.Duration // of every request, in no order
}

// runLoad sends loadQueries from clients goroutines at once until d has
// passed or len(latencies) requests have been sent, whichever comes first,
// and puts the time of request i in latencies[i].
func runLoad(client *http.Client, base string, clients int, d time.Duration, latencies []time.Duration) loadRun {
	bodies := make([][]byte, len(loadQueries))
	for i, q := range loadQueries {
		bodies[i], _ = json.Marshal(map[string]string{"query": q})
	}
	var (
		next   atomic.Int64
		mu     sync.Mutex
		run    loadRun
		wg     sync.WaitGroup
		finish = time.Now().Add(d)
	)
	fail := func(msg string) {
		mu.Lock()
		defer mu.Unlock()
		run.failed++
		if len(run.errors) < 5 {
			run.errors = append(run.errors, msg)
		}
	}
	for range clients {
		wg.Go(func() {
			for time.Now().Before(finish) {
				i := int(next.Add(1) - 1)
				if i >= len(latencies) {
					return
				}
				start := time.Now()
				err := post(client, base, bodies[i%len(bodies)])
				latencies[i] = time.Since(start)
				if err != nil {
					fail(err.Error())
				}
			}
		})
	}
	wg.Wait()
	run.requests = min(int(next.Load()), len(latencies))
	run.latencies = latencies[:run.requests]
	return run
}

// post sends one GraphQL request and reads its answer, which must have no
// errors.
func post(client *http.Client, base string, body []byte) error {
	res, err := client.Post(base+"/graphql", "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var r response
	if err := json.NewDecoder(res.Body).Decode(&r); err != nil {
		return fmt.Errorf("status %d: %w", res.StatusCode, err)
	}
	if res.StatusCode != http.StatusOK || len(r.Errors) > 0 {
		return fmt.Errorf("status %d: %v", res.StatusCode, r.Errors)
	}
	return nil
}

// settled returns the heap in use after a collection and the number of
// goroutines once it has stopped changing, the client's idle connections
// being closed so that the server's goroutines for them end.
func settled(client *http.Client) (heap uint64, goroutines int) {
	client.CloseIdleConnections()
	goroutines = runtime.NumGoroutine()
	for stable, deadline := 0, time.Now().Add(10*time.Second); stable < 5 && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
		n := runtime.NumGoroutine()
		if n == goroutines {
			stable++
		} else {
			stable, goroutines = 0, n
		}
	}
	runtime.GC()
	runtime.GC() // the first may leave finalised objects for the second
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse, goroutines
}

// gauge reads one unlabelled metric from /metrics.
func gauge(base, name string) (float64, error) {
	res, err := http.Get(base + "/metrics")
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			return strconv.ParseFloat(v, 64)
		}
	}
	return 0, fmt.Errorf("/metrics has no %s", name)
}

// TestNeo4jLoad puts the whole server on the real Neo4j under a bounded
// load (loopback only, a fixed time, a bounded count) from four times as
// many clients as the pool has connections. Every request must be
// answered; the heap and the goroutines must come back to where they were
// before the load; the pool metrics must show it in use and never over its
// size. With -load.report FILE it writes its figures there.
func TestNeo4jLoad(t *testing.T) {
	const (
		poolSize    = 4
		clients     = 4 * poolSize
		warmUp      = 2 * time.Second
		duration    = 5 * time.Second
		maxRequests = 100_000
		// Allowed growth: several times what runs show from buffers and
		// caches still filling, less than a leak of a few kilobytes a
		// request over the run's hundreds of requests.
		heapSlack       = 2 << 20
		goroutinesSlack = 2
	)
	base := startServer(t, neo4jEnv(t), "-neo4j-max-pool-size", strconv.Itoa(poolSize))
	waitReady(t, base)
	for _, q := range loadQueries {
		waitAnswer(t, base, q) // a cold Neo4j plans and compiles each query slowly
	}
	if got, err := gauge(base, "civicgraph_neo4j_connections_max"); got != poolSize {
		t.Errorf("civicgraph_neo4j_connections_max %v (%v), want %d", got, err, poolSize)
	}
	client := &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: clients}, // one connection a client, kept
	}
	latencies := make([]time.Duration, maxRequests) // before the first measure, so not counted as growth

	// A warm-up fills the pool and the caches of queries and plans.
	if run := runLoad(client, base, clients, warmUp, latencies); run.failed > 0 {
		t.Fatalf("warm-up: %d of %d requests failed: %q", run.failed, run.requests, run.errors)
	}
	heapBefore, goroutinesBefore := settled(client)

	var (
		peakInUse    int
		samplingErr  error
		stopSampling = make(chan struct{})
		sampler      sync.WaitGroup
	)
	sampler.Go(func() {
		for samplingErr == nil {
			select {
			case <-stopSampling:
				return
			case <-time.After(20 * time.Millisecond):
			}
			var n float64
			n, samplingErr = gauge(base, "civicgraph_neo4j_connections_in_use")
			peakInUse = max(peakInUse, int(n))
		}
	})
	start := time.Now()
	run := runLoad(client, base, clients, duration, latencies)
	elapsed := time.Since(start)
	close(stopSampling)
	sampler.Wait()
	if samplingErr != nil {
		t.Errorf("sampling /metrics: %v", samplingErr)
	}
	heapAfter, goroutinesAfter := settled(client)
	if run.requests < clients {
		t.Fatalf("only %d requests from %d clients in %s", run.requests, clients, duration)
	}

	slices.Sort(run.latencies)
	percentile := func(p float64) time.Duration { return run.latencies[int(p*float64(len(run.latencies)-1))] }
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f ms", float64(d)/float64(time.Millisecond)) }
	t.Logf("%d requests in %s (%d failed), p50 %s, p99 %s; heap in use %d → %d bytes; goroutines %d → %d; peak connections in use %d",
		run.requests, elapsed.Round(time.Millisecond), run.failed, percentile(0.5), percentile(0.99),
		heapBefore, heapAfter, goroutinesBefore, goroutinesAfter, peakInUse)

	if run.failed > 0 {
		t.Errorf("%d of %d requests failed, the first: %q", run.failed, run.requests, run.errors)
	}
	if heapAfter > heapBefore+heapSlack {
		t.Errorf("heap in use grew from %d to %d bytes, over the %d allowed", heapBefore, heapAfter, heapSlack)
	}
	if goroutinesAfter > goroutinesBefore+goroutinesSlack {
		t.Errorf("goroutines grew from %d to %d", goroutinesBefore, goroutinesAfter)
	}
	if peakInUse < 1 || peakInUse > poolSize {
		t.Errorf("peak of civicgraph_neo4j_connections_in_use %d, want 1 to %d", peakInUse, poolSize)
	}
	if got, err := gauge(base, "civicgraph_neo4j_connections_in_use"); got != 0 || err != nil {
		t.Errorf("civicgraph_neo4j_connections_in_use after the load: %v (%v), want 0", got, err)
	}

	if *loadReport == "" {
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Load test\n\n")
	fmt.Fprintf(&b, "Written by `go test ./server -run TestNeo4jLoad -load.report FILE` (with NEO4J_URI set) on %s: "+
		"the whole server in the test process on the real Neo4j, over loopback, %d clients sending the %d queries of "+
		"`loadQueries` in turn for %s after a %s warm-up, with the Neo4j pool set to %d connections. "+
		"Heap and goroutines are the whole test process's (server, driver and clients), each measured after a GC "+
		"once the clients' idle connections are closed.\n\n",
		time.Now().UTC().Format("2006-01-02"), clients, len(loadQueries), duration, warmUp, poolSize)
	fmt.Fprintf(&b, "Machine: %d CPUs, %s/%s, %s", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, runtime.Version())
	if avg, err := os.ReadFile("/proc/loadavg"); err == nil { // other work on the machine slows the figures
		fmt.Fprintf(&b, "; load average (1, 5, 15 min) when written %s", strings.Join(strings.Fields(string(avg))[:3], " "))
	}
	fmt.Fprintf(&b, ".\n\n")
	fmt.Fprintf(&b, "| figure | value |\n|---|---|\n")
	for _, row := range [][2]string{
		{"clients (concurrent)", strconv.Itoa(clients)},
		{"Neo4j pool size", strconv.Itoa(poolSize)},
		{"duration", elapsed.Round(time.Millisecond).String()},
		{"requests", strconv.Itoa(run.requests)},
		{"requests per second", strconv.Itoa(int(float64(run.requests) / elapsed.Seconds()))},
		{"errors", strconv.Itoa(run.failed)},
		{"latency p50", ms(percentile(0.5))},
		{"latency p99", ms(percentile(0.99))},
		{"latency max", ms(run.latencies[len(run.latencies)-1])},
		{"peak Neo4j connections in use (sampled every 20 ms)", strconv.Itoa(peakInUse)},
		{"heap in use before", fmt.Sprintf("%.1f MiB", float64(heapBefore)/(1<<20))},
		{"heap in use after", fmt.Sprintf("%.1f MiB", float64(heapAfter)/(1<<20))},
		{"goroutines before", strconv.Itoa(goroutinesBefore)},
		{"goroutines after", strconv.Itoa(goroutinesAfter)},
	} {
		fmt.Fprintf(&b, "| %s | %s |\n", row[0], row[1])
	}
	if err := os.WriteFile(*loadReport, []byte(b.String()), 0o644); err != nil {
		t.Fatalf("write the load report: %v", err)
	}
}
