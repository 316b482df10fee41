package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// neo4jScript runs scripts/neo4j with the given command for a Neo4j of the
// test's own, on port and with its data in dataDir, and returns what it
// printed on stdout.
func neo4jScript(t *testing.T, command, port, dataDir, runDir string) string {
	t.Helper()
	cmd := exec.Command("../scripts/neo4j", command)
	cmd.Env = append(os.Environ(), "NEO4J_BOLT_PORT="+port, "NEO4J_DATA_DIR="+dataDir, "NEO4J_RUN_DIR="+runDir)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("scripts/neo4j %s: %v\n%s", command, err, stderr.String())
	}
	return string(out)
}

// TestNeo4jFaultDrill makes Neo4j hang (SIGSTOP) under load and resume,
// then stops it and starts it again. While it hangs or is down, requests
// fail within their deadline with UNAVAILABLE or TIMEOUT and /readyz says
// 503 within its deadline too; after each, the same server answers again.
func TestNeo4jFaultDrill(t *testing.T) {
	if os.Getenv("CIVICGRAPH_REQUIRE_NEO4J") != "1" {
		t.Skip("the fault drill runs its own Neo4j; scripts/test runs it")
	}
	const port = "17697"
	dataDir, runDir := t.TempDir(), t.TempDir()
	env := map[string]string{}
	for _, line := range strings.Split(strings.TrimSpace(neo4jScript(t, "start", port, dataDir, runDir)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		env[k] = strings.Trim(v, "'")
	}
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			neo4jScript(t, "stop", port, dataDir, runDir)
		}
	})
	const timeout = 5 * time.Second
	base := startServer(t, env, "-request-timeout", timeout.String())
	waitReady(t, base)
	waitAnswer(t, base, headlineQuery) // a cold Neo4j plans and compiles its first queries slowly

	type outcome struct {
		code    string // "" for an answer
		elapsed time.Duration
	}
	var (
		mu       sync.Mutex
		outcomes []outcome
		stop     atomic.Bool
		wg       sync.WaitGroup
	)
	body, _ := json.Marshal(map[string]string{"query": headlineQuery})
	client := &http.Client{Timeout: 4 * timeout}
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5000 && !stop.Load(); i++ { // bounded in count and time
				start := time.Now()
				res, err := client.Post(base+"/graphql", "application/json", bytes.NewReader(body))
				o := outcome{elapsed: time.Since(start)}
				if err != nil {
					o.code = "transport: " + err.Error()
				} else {
					var r response
					json.NewDecoder(res.Body).Decode(&r)
					res.Body.Close()
					if len(r.Errors) > 0 {
						o.code, _ = r.Errors[0]["extensions"].(map[string]any)["code"].(string)
					}
				}
				mu.Lock()
				outcomes = append(outcomes, o)
				mu.Unlock()
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
	t.Cleanup(func() { stop.Store(true); wg.Wait() })

	time.Sleep(time.Second)
	// Hung: its sockets stay open and nothing answers on them.
	pidText, err := os.ReadFile(filepath.Join(runDir, "neo4j.pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(pidText)))
	if err != nil {
		t.Fatalf("neo4j.pid: %v", err)
	}
	t.Cleanup(func() { syscall.Kill(pid, syscall.SIGCONT) }) // whatever fails below
	if err := syscall.Kill(pid, syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	waitStopped(t, pid)
	hungAt := len(outcomesSnapshot(&mu, &outcomes))
	probed := time.Now()
	if status := getStatus(t, base+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Neo4j hung: %d, want 503", status)
	}
	if took := time.Since(probed); took > timeout+time.Second {
		t.Errorf("/readyz with Neo4j hung took %s, over its %s deadline", took, timeout)
	}
	time.Sleep(2 * time.Second) // requests sent during the probe meet their deadline too
	if err := syscall.Kill(pid, syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	waitAnswer(t, base, headlineQuery)
	resumedAt := len(outcomesSnapshot(&mu, &outcomes))
	time.Sleep(time.Second)

	neo4jScript(t, "stop", port, dataDir, runDir)
	stopped = true
	downAt := len(outcomesSnapshot(&mu, &outcomes))
	time.Sleep(3 * time.Second)
	if status := getStatus(t, base+"/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with Neo4j down: %d, want 503", status)
	}
	neo4jScript(t, "start", port, dataDir, runDir)
	stopped = false
	deadline := time.Now().Add(60 * time.Second)
	for getStatus(t, base+"/readyz") != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatalf("/readyz not 200 within 60s of Neo4j's return")
		}
		time.Sleep(200 * time.Millisecond)
	}
	waitAnswer(t, base, headlineQuery)
	backAt := len(outcomesSnapshot(&mu, &outcomes))
	time.Sleep(2 * time.Second)
	stop.Store(true)
	wg.Wait()

	answeredIn := func(list []outcome) int {
		n := 0
		for _, o := range list {
			if o.code == "" {
				n++
			}
		}
		return n
	}
	failedIn := func(list []outcome) int { return len(list) - answeredIn(list) }
	if answeredIn(outcomes[:hungAt]) == 0 {
		t.Errorf("no request was answered before Neo4j hung: %v", outcomes[:hungAt])
	}
	if failedIn(outcomes[hungAt:resumedAt]) == 0 {
		t.Errorf("no request failed while Neo4j hung (requests %d to %d)", hungAt, resumedAt)
	}
	if answeredIn(outcomes[resumedAt:downAt]) == 0 {
		t.Errorf("no request was answered after Neo4j resumed: %v", outcomes[resumedAt:downAt])
	}
	if answeredIn(outcomes[backAt:]) == 0 {
		t.Errorf("no request was answered after Neo4j returned: %v", outcomes[backAt:])
	}
	var failed, answered int
	for i, o := range outcomes {
		if o.elapsed > timeout+time.Second {
			t.Errorf("request %d took %s, over its %s deadline", i, o.elapsed, timeout)
		}
		switch o.code {
		case "":
			answered++
		case "UNAVAILABLE", "TIMEOUT":
			failed++
		default:
			t.Errorf("request %d failed with %q; want UNAVAILABLE or TIMEOUT", i, o.code)
		}
	}
	if failedIn(outcomes[downAt:backAt]) == 0 {
		t.Errorf("no request failed while Neo4j was down (requests %d to %d)", downAt, backAt)
	}
	t.Logf("%d requests: %d answered, %d failed while Neo4j hung or was down", len(outcomes), answered, failed)
}

// waitStopped waits until every thread of process pid has stopped: kill
// returns once SIGSTOP is sent, and a thread on a busy machine may still
// answer a request before it takes its turn to stop.
func waitStopped(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		running, err := runningThread(pid)
		if err != nil {
			t.Fatal(err)
		}
		if running == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("process %d not stopped 5 s after SIGSTOP: %s", pid, running)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runningThread describes a thread of process pid that is not stopped, or
// returns "" when all are.
func runningThread(pid int) (string, error) {
	stats, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/stat", pid))
	if err != nil || len(stats) == 0 {
		return "", fmt.Errorf("threads of process %d: %v", pid, err)
	}
	for _, path := range stats {
		stat, err := os.ReadFile(path)
		if err != nil {
			return "", err
		}
		// The state follows the command, which is in parentheses and may
		// hold any character, ")" included.
		end := bytes.LastIndexByte(stat, ')')
		if end < 0 || end+2 >= len(stat) {
			return "", fmt.Errorf("%s: no state in %q", path, stat)
		}
		if state := stat[end+2]; state != 'T' && state != 't' {
			return fmt.Sprintf("%s is in state %c", path, state), nil
		}
	}
	return "", nil
}

// waitAnswer waits until query is answered, the same server having been
// left to recover by itself.
func waitAnswer(t *testing.T, base, query string) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		var r response
		if err := json.Unmarshal([]byte(graphQL(t, base, query)), &r); err == nil && len(r.Errors) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not answered within 90s", query)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func outcomesSnapshot[T any](mu *sync.Mutex, s *[]T) []T {
	mu.Lock()
	defer mu.Unlock()
	return append([]T(nil), *s...)
}

func getStatus(t *testing.T, url string) int {
	t.Helper()
	// Longer than any deadline the drills give the server.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}

// response is a GraphQL answer as a client reads it.
type response struct {
	Data   json.RawMessage  `json:"data"`
	Errors []map[string]any `json:"errors"`
}
