package main

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/bench/questions"
)

// Results is everything one run measured; results.json holds it as is.
type Results struct {
	Started     string  `json:"started"`
	TotalSec    float64 `json:"total_sec"`
	Short       bool    `json:"short"`
	Seed        int64   `json:"seed"`
	Concurrency []int   `json:"concurrency"`
	WarmupSec   float64 `json:"warmup_sec"`
	// ScaleWarmupSec is how long the servers on Neo4j were driven with
	// every question before a scale's first run (see warmUpScale).
	ScaleWarmupSec float64 `json:"scale_warmup_sec,omitempty"`
	DurationSec    float64 `json:"duration_sec"`
	// Rounds is how many turns the floor and civicgraph-neo4j took at
	// each concurrency (see paired); 0 in results from before rounds.
	Rounds  int           `json:"rounds,omitempty"`
	Machine Machine       `json:"machine"`
	Scales  []ScaleResult `json:"scales"`
}

type Machine struct {
	CPUs         int    `json:"cpus"`
	CPUModel     string `json:"cpu_model"`
	MemoryGiB    int    `json:"memory_gib"`
	Go           string `json:"go"`
	Node         string `json:"node"`
	Java         string `json:"java"`
	Neo4j        string `json:"neo4j"`
	Neo4jGraphQL string `json:"neo4j_graphql"`
	Wrk          string `json:"wrk"`
	// Neo4j's memory decides how much of a scale its reads find cached.
	Neo4jHeap      string `json:"neo4j_heap,omitempty"`
	Neo4jPageCache string `json:"neo4j_page_cache,omitempty"`
}

type ScaleResult struct {
	Scale string `json:"scale"`
	// The machine's load average (1, 5, 15 min) when the scale began and
	// ended: other work on the machine shows here.
	LoadBefore string           `json:"loadavg_before"`
	LoadAfter  string           `json:"loadavg_after"`
	Import     ImportStats      `json:"import"`
	Params     questions.Params `json:"params"`
	Queries    []QueryResult    `json:"queries"`
}

type QueryResult struct {
	Name                 string          `json:"name"`
	Title                string          `json:"title"`
	Note                 string          `json:"note"`
	Ordered              bool            `json:"ordered"`
	AnswerBytes          int             `json:"answer_bytes"`
	AnswerSHA            string          `json:"answer_sha256"` // of the normalised answer
	CivicgraphRoundTrips int64           `json:"civicgraph_round_trips"`
	Checked              map[string]bool `json:"equal"` // servers whose answer equals the reference
	Mismatches           []string        `json:"mismatches,omitempty"`
	Runs                 []Run           `json:"runs"`
}

type Run struct {
	Server          string  `json:"server"`
	Concurrency     int     `json:"concurrency"`
	Requests        int     `json:"requests"`
	Seconds         float64 `json:"seconds"`
	RPS             float64 `json:"rps"`
	P50ms           float64 `json:"p50_ms"`
	P90ms           float64 `json:"p90_ms"`
	P99ms           float64 `json:"p99_ms"`
	MeanMS          float64 `json:"mean_ms"`
	Bad             int     `json:"bad"`
	CPUServerPer1k  float64 `json:"cpu_server_sec_per_1k"`
	CPUNeo4jPer1k   float64 `json:"cpu_neo4j_sec_per_1k"`
	RoundTrips      float64 `json:"neo4j_round_trips_per_request"`
	RoundTripsKnown bool    `json:"round_trips_known"`
	// Capped: the run reached -max-requests before its time was up, so its
	// RPS, over the whole time, is a lower bound.
	Capped bool `json:"capped,omitempty"`
	// Rounds are the runs this one combines (see combine), in the order
	// they were timed; empty for a single run.
	Rounds []Run `json:"rounds,omitempty"`
}

func loadAverage() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

func digest(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

func command(name string, args ...string) string {
	out, _ := exec.Command(name, args...).CombinedOutput()
	return firstLine(string(out))
}

func machine(ctx context.Context, nodeDir string) Machine {
	m := Machine{CPUs: runtime.NumCPU(), Go: runtime.Version(), Node: command("node", "--version"),
		Java: command("java", "-version"), Wrk: strings.Fields(command("wrk", "--version") + " ?")[1]}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.CPUModel = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(firstLine(string(b)), "MemTotal:"), "%d", &kb)
		m.MemoryGiB = int((kb + 1<<19) >> 20)
	}
	var pkg struct{ Version string }
	if b, err := os.ReadFile(filepath.Join(nodeDir, "node_modules", "@neo4j", "graphql", "package.json")); err == nil {
		json.Unmarshal(b, &pkg)
		m.Neo4jGraphQL = pkg.Version
	}
	cfg := neo4jConfig()
	if d, err := neo4j.NewDriverWithContext(cfg.URI, neo4j.BasicAuth(cfg.User, cfg.Password, "")); err == nil {
		defer d.Close(ctx)
		m.Neo4j = neo4jString(ctx, d, "CALL dbms.components() YIELD versions, edition RETURN versions[0] + ' ' + edition AS v")
		// The JVM's own maximum: scripts/neo4j sets the heap with -Xmx, which
		// Neo4j's settings do not show.
		m.Neo4jHeap = neo4jString(ctx, d, "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "+
			"RETURN toString(round(attributes.HeapMemoryUsage.value.properties.max / 1024.0^3, 1)) + ' GiB' AS v")
		m.Neo4jPageCache = neo4jString(ctx, d, "SHOW SETTINGS YIELD name, value WHERE name = 'server.memory.pagecache.size' RETURN value AS v")
	}
	return m
}

// neo4jString returns the string column v of the statement's first row,
// or "" if there is none: the report says what it could learn.
func neo4jString(ctx context.Context, d neo4j.DriverWithContext, cypher string) string {
	r, err := neo4j.ExecuteQuery(ctx, d, cypher, nil, neo4j.EagerResultTransformer)
	if err != nil || len(r.Records) == 0 {
		return ""
	}
	v, _ := r.Records[0].Get("v")
	s, _ := v.(string)
	return s
}

func writeResults(dir string, res *Results) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "RESULTS.md"), []byte(markdown(res)), 0o644)
}

// Targets, as ratios measured in the same run (issue 5).
const (
	targetThroughput = 2.0  // civicgraph on Neo4j vs @neo4j/graphql
	targetFloor      = 1.25 // civicgraph on Neo4j p50 vs the floor's
	targetEmbedded   = 10.0 // embedded civicgraph vs @neo4j/graphql
)

func markdown(res *Results) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	mode := "full"
	if res.Short {
		mode = "short (-short)"
	}
	p("# civicgraph benchmark results\n\n")
	p("Written by `scripts/bench` (bench/cmd/bench); do not edit by hand. Mode: %s; started %s; took %.0f s.\n\n",
		mode, res.Started, res.TotalSec)
	mc := res.Machine
	p("Machine: %d CPUs (%s), %d GiB; Go %s, Node %s, %s, Neo4j %s (heap %s, page cache %s), @neo4j/graphql %s, wrk %s.\n\n",
		mc.CPUs, mc.CPUModel, mc.MemoryGiB, mc.Go, mc.Node, mc.Java, mc.Neo4j, cmp.Or(mc.Neo4jHeap, "?"), cmp.Or(mc.Neo4jPageCache, "?"),
		mc.Neo4jGraphQL, mc.Wrk)
	p("Every server runs on this one machine, with the load tool, over loopback. ")
	if res.ScaleWarmupSec > 0 {
		p("Before a scale's first timed run, the servers on Neo4j answer every question in turn for %.0f s (%d connections, "+
			"1 s each): Neo4j's JVM and Node's V8 compile their hot paths over the first half minute of load, which a freshly "+
			"started Neo4j and a freshly loaded scale would otherwise spend in the first runs. ", res.ScaleWarmupSec, warmUpConns)
	}
	p("For each question every server is warmed up "+
		"for %.0f s; then the servers take turns at each of %v connections (wrk, closed loop), so that the runs a ratio compares "+
		"are seconds apart; before each warm-up and each run the servers and Neo4j are left to go quiet (under %.2f of a core "+
		"for %.2f s, at most %.0f s), since a slow server goes on answering the requests in flight when wrk stops. "+
		"A timed run lasts %.0f s (half that at S, at least 1 s; longer for a question whose single answer takes over a tenth of that). Servers: **floor** = the hand-written Cypher through neo4j-go-driver in a small Go HTTP server, "+
		"each statement an auto-commit read transaction (one round trip), as civicgraph sends its reads; "+
		"**civicgraph-neo4j** = civicgraph on Neo4j; **neo4j-graphql** = @neo4j/graphql on Apollo Server 5 (one Node process), "+
		"each statement in a managed read transaction (BEGIN with it, then COMMIT), the library's way; "+
		"**civicgraph-embedded** = civicgraph on its in-memory store. All but the embedded one share the same Neo4j.\n\n",
		res.WarmupSec, res.Concurrency, quietCores, quietSample.Seconds(), quietLongest.Seconds(), res.DurationSec)
	if res.Rounds > 1 {
		p("The floor and civicgraph-neo4j, whose p50s the floor target compares, take %d turns at each concurrency, each run "+
			"lasting that time divided by %d (at least 1 s): the first turn with the other servers, the rest with each other. "+
			"Their rows give the requests, time and CPU of all their rounds and the median of their p50s, p90s and p99s; their p50 "+
			"ratio is that of those medians, followed in brackets by the range of the rounds' own ratios.\n\n", res.Rounds, res.Rounds)
	}
	p("CPU columns are CPU seconds per 1,000 requests (/proc/PID/stat user+system): of the server process, and of Neo4j. " +
		"Round trips are Cypher statements per request: counted in the driver of the @neo4j/graphql server and of the floor over the " +
		"whole run, and for civicgraph on one request through the same handler in process (neo4jstore.Store.RoundTrips). " +
		"A run marked capped sent the most requests a run may (-max-requests) before its time was up; wrk counts the whole time, " +
		"so its req/s is a lower bound.\n\n")

	p("## Import\n\n")
	p("| scale | entities | relations | generate | dataset in Go heap | memstore.Replace | memstore heap added | Neo4j import (Open+Replace) | Neo4j RSS after | Neo4j store | YAML files | embedded server start (YAML load) | embedded RSS |\n")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range res.Scales {
		im := s.Import
		p("| %s | %d | %d | %.2f s | %.0f MB | %.2f s | %.0f MB | %.1f s | %.0f MB | %.0f MB | %.0f MB | %.1f s | %.0f MB |\n",
			s.Scale, im.Entities, im.Relations, im.GenerateSec, im.DatasetHeapMB, im.MemstoreSec, im.MemstoreHeapMB,
			im.Neo4jSec, im.Neo4jRSSMB, im.Neo4jStoreMB, im.YAMLMB, im.EmbeddedStartSec, im.EmbeddedRSSMB)
	}
	p("\nS is the curated seed dataset, which the embedded server serves built in (no YAML files). " +
		"At L the embedded server generates the graph itself (`-synthetic L`), so its start is no YAML load: " +
		"reading L's data files would take about 10 GB beside Neo4j's. " +
		"Every answer is checked against the embedded store in the benchmark's own process.\n\n")

	p("## Questions\n\n")
	for _, q := range questions.All {
		p("- **%s**: %s. %s.\n", q.Name, q.Title, q.Note)
	}
	p("\nAnswers are compared before timing, normalised: lists of one element stand for the element (to-one fields of civicgraph " +
		"are lists in @neo4j/graphql's schema), and lists are compared as sets except the top-level list of an ordered question " +
		"(lookup, nested, page, search), whose order every server defines the same way. A server whose answer differs is not timed.\n\n")

	for _, s := range res.Scales {
		p("## Scale %s\n\n", s.Scale)
		p("Load average (1, 5, 15 min) at start: %s; at end: %s.\n\n", s.LoadBefore, s.LoadAfter)
		p("Parameters: topic `%s`, page topic `%s`, person `%s`, organisation `%s`, search `%s`.\n\n",
			s.Params.Topic, s.Params.PageTopic, s.Params.PersonID, s.Params.OrgID, s.Params.Search)
		for _, q := range s.Queries {
			for _, m := range q.Mismatches {
				p("- **%s: answers differ** — %s\n", q.Name, strings.ReplaceAll(m, "\n", " "))
			}
		}
		p("\n| question | server | c | req/s | p50 ms | p99 ms | CPU s/1k server | CPU s/1k Neo4j | round trips/req |\n")
		p("|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
		for _, q := range s.Queries {
			for _, r := range q.Runs {
				rt := "–"
				if r.RoundTripsKnown {
					rt = fmt.Sprintf("%.1f", r.RoundTrips)
				}
				neo := "–"
				if onNeo4j(r.Server) {
					neo = fmt.Sprintf("%.3f", r.CPUNeo4jPer1k)
				}
				marks := ""
				if r.Bad > 0 {
					marks = fmt.Sprintf(" (%d bad)", r.Bad)
				}
				if r.Capped {
					marks += " (capped)"
				}
				p("| %s | %s | %d | %.1f%s | %.2f | %.2f | %.3f | %s | %s |\n",
					q.Name, r.Server, r.Concurrency, r.RPS, marks, r.P50ms, r.P99ms, r.CPUServerPer1k, neo, rt)
			}
		}
		p("\nRatios (✓ meets the target, ✗ misses it): civicgraph-neo4j / neo4j-graphql throughput (target ≥ %.0f) and p99 (target ≤ 1); "+
			"civicgraph-neo4j / floor p50 (target ≤ %.2f; of the rounds' medians, see above); civicgraph-embedded / neo4j-graphql throughput (target ≥ %.0f). "+
			"Last, with no target, floor / neo4j-graphql throughput: what the same statements through the same driver, with no GraphQL, "+
			"reach against @neo4j/graphql; where it is under %.0f, Neo4j's own time is most of each request and the %.0f× asked "+
			"of civicgraph-neo4j is beyond the floor too.\n\n",
			targetThroughput, targetFloor, targetEmbedded, targetThroughput, targetThroughput)
		p("| question | c | cg/ngql req/s | cg/ngql p99 | cg/floor p50 | embedded/ngql req/s | floor/ngql req/s |\n")
		p("|---|---:|---:|---:|---:|---:|---:|\n")
		for _, q := range s.Queries {
			for _, c := range res.Concurrency {
				cg, ngql, fl, emb := find(q, serverCG, c), find(q, serverNGQL, c), find(q, serverFloor, c), find(q, serverEmbedded, c)
				rps, p99 := func(r *Run) float64 { return r.RPS }, func(r *Run) float64 { return r.P99ms }
				p("| %s | %d | %s | %s | %s | %s | %s |\n", q.Name, c,
					ratio(cg, ngql, rps, targetThroughput, true),
					ratio(cg, ngql, p99, 1, false),
					floorRatio(cg, fl),
					ratio(emb, ngql, rps, targetEmbedded, true),
					plainRatio(fl, ngql, rps))
			}
		}
		p("\n")
	}
	return b.String()
}

func find(q QueryResult, server string, c int) *Run {
	for i := range q.Runs {
		if q.Runs[i].Server == server && q.Runs[i].Concurrency == c {
			return &q.Runs[i]
		}
	}
	return nil
}

// ratio formats a/b of a measure with a mark for the target: at least
// target if higher is better, else at most.
func ratio(a, b *Run, of func(*Run) float64, target float64, higher bool) string {
	r, ok := quotient(a, b, of)
	if !ok {
		return "–"
	}
	return verdict(r, target, higher)
}

// verdict formats ratio r with its mark for the target (see ratio).
func verdict(r, target float64, higher bool) string {
	mark := "✗"
	if higher && r >= target || !higher && r <= target {
		mark = "✓"
	}
	return fmt.Sprintf("%.2f %s", r, mark)
}

// floorRatio formats civicgraph-neo4j's p50 over the floor's. Taken in
// rounds, each p50 is the median of its server's rounds, so that one slow
// round of either does not decide, and the range of the rounds' own
// ratios, each of two runs timed one after the other, follows.
func floorRatio(cg, fl *Run) string {
	p50 := func(r *Run) float64 { return r.P50ms }
	out := ratio(cg, fl, p50, targetFloor, false)
	if out == "–" || len(cg.Rounds) < 2 || len(cg.Rounds) != len(fl.Rounds) {
		return out
	}
	var rs []float64
	for i := range cg.Rounds {
		if r, ok := quotient(&cg.Rounds[i], &fl.Rounds[i], p50); ok {
			rs = append(rs, r)
		}
	}
	if len(rs) == 0 {
		return out
	}
	return fmt.Sprintf("%s (%.2f–%.2f)", out, slices.Min(rs), slices.Max(rs))
}

// plainRatio formats a/b of a measure that has no target.
func plainRatio(a, b *Run, of func(*Run) float64) string {
	r, ok := quotient(a, b, of)
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.2f", r)
}

// quotient is a/b of a measure, if both runs were timed.
func quotient(a, b *Run, of func(*Run) float64) (float64, bool) {
	if a == nil || b == nil || of(b) == 0 || a.Requests == 0 {
		return 0, false
	}
	return of(a) / of(b), true
}
