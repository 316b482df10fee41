package main

import (
	"bytes"
	"cmp"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"os/signal"

	"github.com/civicgraph/civicgraph/bench/gen"
	"github.com/civicgraph/civicgraph/bench/questions"
	"github.com/civicgraph/civicgraph/graph/gql"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
)

//go:embed post.lua
var postLua []byte

// The servers compared, in the order they are timed.
const (
	serverFloor    = "floor"            // hand-written Cypher through the Go driver
	serverCG       = "civicgraph-neo4j" // civicgraph on Neo4j
	serverNGQL     = "neo4j-graphql"    // @neo4j/graphql 7 on Apollo Server
	serverEmbedded = "civicgraph-embedded"
)

var servers = []string{serverFloor, serverCG, serverNGQL, serverEmbedded}

// onNeo4j tells which servers make Neo4j work.
func onNeo4j(server string) bool { return server != serverEmbedded }

type runConfig struct {
	scales       []gen.Scale
	seed         int64
	short        bool
	concurrency  []int
	warmup, dur  time.Duration
	scaleWarmup  time.Duration
	maxRequests  int
	rounds       int
	civicgraph   string
	nodeDir      string
	neo4jPID     int
	neo4jData    string
	out, work    string
	portBase     int
	only         map[string]bool // questions to run; empty: all
	neo4jVersion string
}

func run(args []string) error {
	fs := flag.NewFlagSet("bench run", flag.ContinueOnError)
	var c runConfig
	scales := fs.String("scales", "S,M", "comma-separated scales to run")
	fs.Int64Var(&c.seed, "seed", 1, "generator seed")
	fs.BoolVar(&c.short, "short", false, "a few seconds per query and concurrency")
	conc := fs.String("c", "1,8,32", "comma-separated concurrencies (connections)")
	fs.DurationVar(&c.warmup, "warmup", 0, "warm-up per server and question (default 1s short, 5s full)")
	fs.DurationVar(&c.scaleWarmup, "scale-warmup", 0, "every question on every server over Neo4j before a scale's first run (default 30s short, 60s full)")
	fs.DurationVar(&c.dur, "duration", 0, "timed run per concurrency (default 1s short, 10s full; S takes half, at least 1s)")
	fs.IntVar(&c.maxRequests, "max-requests", 1_000_000, "most requests one timed run sends")
	fs.IntVar(&c.rounds, "rounds", 3, "turns the floor and civicgraph-neo4j take at each concurrency, each a duration/rounds run of at least 1s")
	fs.StringVar(&c.civicgraph, "civicgraph", "", "the civicgraph server binary (go build -o … ./server)")
	fs.StringVar(&c.nodeDir, "neo4j-graphql", "bench/neo4j-graphql", "folder of the @neo4j/graphql server, npm-installed")
	fs.IntVar(&c.neo4jPID, "neo4j-pid", 0, "pid of the Neo4j server, for its CPU and memory")
	fs.StringVar(&c.neo4jData, "neo4j-data", "", "Neo4j's data folder, for the store size")
	fs.StringVar(&c.out, "out", "bench/results", "folder for RESULTS.md and results.json")
	fs.StringVar(&c.work, "work", "", "scratch folder for data files and logs (default: a new temp folder)")
	fs.IntVar(&c.portBase, "port-base", 27800, "servers listen on 127.0.0.1 at port-base+1 to +4")
	only := fs.String("questions", "", "comma-separated questions to run (default all)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	for _, s := range strings.Split(*scales, ",") {
		sc, err := gen.ParseScale(strings.TrimSpace(s))
		if err != nil {
			return err
		}
		c.scales = append(c.scales, sc)
	}
	for _, s := range strings.Split(*conc, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("bad concurrency %q", s)
		}
		c.concurrency = append(c.concurrency, n)
	}
	c.only = map[string]bool{}
	for _, q := range strings.Split(*only, ",") {
		if q = strings.TrimSpace(q); q != "" {
			c.only[q] = true
		}
	}
	if c.warmup == 0 {
		c.warmup = map[bool]time.Duration{true: time.Second, false: 5 * time.Second}[c.short]
	}
	if c.scaleWarmup == 0 {
		c.scaleWarmup = map[bool]time.Duration{true: 30 * time.Second, false: time.Minute}[c.short]
	}
	if c.dur == 0 {
		// Short: the servers the floor target compares take -rounds runs
		// of a second each, and wrk counts whole seconds.
		c.dur = map[bool]time.Duration{true: time.Second, false: 10 * time.Second}[c.short]
	}
	if c.rounds < 1 {
		return fmt.Errorf("bad -rounds %d: want 1 or more", c.rounds)
	}
	if c.civicgraph == "" || os.Getenv("NEO4J_URI") == "" {
		return errors.New("needs -civicgraph BIN and NEO4J_URI (scripts/bench sets both)")
	}
	if _, err := exec.LookPath("wrk"); err != nil {
		return errors.New("wrk not found (Debian: apt-get install wrk)")
	}
	if c.work == "" {
		dir, err := os.MkdirTemp("", "civicgraph-bench-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		c.work = dir
	}
	if err := os.MkdirAll(c.work, 0o755); err != nil {
		return err
	}
	var err error
	if c.nodeDir, err = filepath.Abs(c.nodeDir); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	began := time.Now()
	res := &Results{Started: began.UTC().Format(time.RFC3339), Short: c.short, Seed: c.seed,
		Concurrency: c.concurrency, WarmupSec: c.warmup.Seconds(), ScaleWarmupSec: c.scaleWarmup.Seconds(), DurationSec: c.dur.Seconds(), Rounds: c.rounds}
	res.Machine = machine(ctx, c.nodeDir)
	c.neo4jVersion = res.Machine.Neo4j
	for _, sc := range c.scales {
		sr, err := runScale(ctx, &c, sc)
		if sr != nil {
			res.Scales = append(res.Scales, *sr)
		}
		res.TotalSec = time.Since(began).Seconds()
		if werr := writeResults(c.out, res); werr != nil {
			return werr
		}
		if err != nil {
			return fmt.Errorf("scale %s: %w", sc, err)
		}
	}
	log.Printf("done in %s; results in %s", time.Since(began).Round(time.Second), c.out)
	return nil
}

func runScale(ctx context.Context, c *runConfig, sc gen.Scale) (*ScaleResult, error) {
	sr := &ScaleResult{Scale: string(sc), LoadBefore: loadAverage()}
	defer func() { sr.LoadAfter = loadAverage() }()
	log.Printf("scale %s: generating", sc)
	ds := generate(sc, c.seed, &sr.Import)
	log.Printf("scale %s: %d entities, %d relations in %.1fs; loading the memstore", sc, sr.Import.Entities, sr.Import.Relations, sr.Import.GenerateSec)
	mem, err := loadMemstore(ctx, ds, &sr.Import)
	if err != nil {
		return sr, err
	}
	log.Printf("scale %s: importing into Neo4j", sc)
	store, err := loadNeo4j(ctx, neo4jConfig(), ds, &sr.Import)
	if err != nil {
		return sr, fmt.Errorf("import into Neo4j: %w", err)
	}
	defer store.Close(context.Background())
	if c.neo4jPID > 0 {
		sr.Import.Neo4jRSSMB = float64(rssBytes(c.neo4jPID)) / (1 << 20)
	}
	if c.neo4jData != "" {
		sr.Import.Neo4jStoreMB = float64(dirBytes(c.neo4jData)) / (1 << 20)
	}
	log.Printf("scale %s: imported into Neo4j in %.1fs", sc, sr.Import.Neo4jSec)
	// The embedded server reads the data files, as a user's would, but at
	// L that would take about 10 GB while Neo4j holds its own: there it
	// generates the same graph itself.
	dataDir := ""
	if sc == gen.M {
		dataDir = filepath.Join(c.work, "data-"+string(sc))
		if err := writeYAML(dataDir, ds, &sr.Import); err != nil {
			return sr, err
		}
	}
	sr.Params = questions.For(ds)
	ds = nil // the servers hold the graph from here on
	runtime.GC()

	sv, err := startServers(ctx, c, sc, dataDir, &sr.Import)
	defer sv.stop()
	if err != nil {
		return sr, err
	}
	log.Printf("scale %s: embedded server ready in %.1fs (%.0f MB)", sc, sr.Import.EmbeddedStartSec, sr.Import.EmbeddedRSSMB)

	inProcess := httptest.NewServer(gql.NewHandler(store, gql.Config{TokenLimit: 5000, Limits: gql.DefaultLimits}))
	defer inProcess.Close()
	reference := httptest.NewServer(gql.NewHandler(mem, gql.Config{TokenLimit: 5000, Limits: gql.DefaultLimits}))
	defer reference.Close()
	if err := warmUpScale(ctx, c, sv, sr.Params); err != nil {
		return sr, err
	}
	dur, warmup := c.dur, c.warmup
	if sc == gen.S {
		dur, warmup = max(dur/2, time.Second), max(warmup/2, time.Second)
	}
	for _, q := range questions.All {
		if !c.asks(q) {
			continue
		}
		qr := QueryResult{Name: q.Name, Title: q.Title, Note: q.Note, Ordered: q.Ordered}
		err := runQuestion(ctx, c, sv, q, sr.Params, store, inProcess.URL, reference.URL, dur, warmup, &qr)
		sr.Queries = append(sr.Queries, qr)
		if err != nil {
			return sr, err
		}
	}
	return sr, nil
}

// serverSet is the running servers of one scale.
type serverSet struct {
	procs map[string]*proc
	urls  map[string]string // where questions are POSTed
	stats map[string]string // where statement counters are read
}

func (s *serverSet) stop() {
	for _, p := range s.procs {
		p.stop()
	}
}

func startServers(ctx context.Context, c *runConfig, sc gen.Scale, dataDir string, st *ImportStats) (*serverSet, error) {
	s := &serverSet{procs: map[string]*proc{}, urls: map[string]string{}, stats: map[string]string{}}
	url := func(i int) string { return "http://127.0.0.1:" + strconv.Itoa(c.portBase+i) }
	logf := func(name string) string { return filepath.Join(c.work, string(sc)+"-"+name+".log") }
	self, err := os.Executable()
	if err != nil {
		return s, err
	}
	type spec struct {
		name, dir, bin, ready string
		env, args             []string
		i                     int
	}
	embeddedArgs := []string{"-port", strconv.Itoa(c.portBase + 4)}
	switch {
	case dataDir != "":
		embeddedArgs = append(embeddedArgs, "-data", dataDir)
	case sc == gen.L:
		embeddedArgs = append(embeddedArgs, "-synthetic", string(sc), "-synthetic-seed", strconv.FormatInt(c.seed, 10))
	}
	specs := []spec{
		{name: serverFloor, bin: self, args: []string{"floor", "-port", strconv.Itoa(c.portBase + 1)}, ready: "/healthz", i: 1},
		{name: serverCG, bin: c.civicgraph, args: []string{"-port", strconv.Itoa(c.portBase + 2)}, ready: "/readyz", i: 2},
		{name: serverNGQL, bin: "node", dir: c.nodeDir, args: []string{"server.mjs"}, ready: "/healthz", i: 3,
			env: []string{"PORT=" + strconv.Itoa(c.portBase+3), "NODE_ENV=production"}},
		// The embedded server must not see NEO4J_URI.
		{name: serverEmbedded, bin: c.civicgraph, args: embeddedArgs, ready: "/healthz", i: 4, env: []string{"NEO4J_URI="}},
	}
	for _, sp := range specs {
		p, err := start(sp.name, logf(sp.name), sp.dir, sp.env, sp.bin, sp.args...)
		if err != nil {
			return s, err
		}
		s.procs[sp.name] = p
		took, err := p.waitReady(ctx, url(sp.i)+sp.ready, 10*time.Minute)
		if err != nil {
			return s, err
		}
		switch sp.name {
		case serverFloor:
			s.urls[sp.name] = url(sp.i) + "/q/"
			s.stats[sp.name] = url(sp.i) + "/stats"
		case serverNGQL:
			s.urls[sp.name] = url(sp.i) + "/graphql"
			s.stats[sp.name] = url(sp.i) + "/stats"
		default:
			s.urls[sp.name] = url(sp.i) + "/graphql"
		}
		if sp.name == serverEmbedded {
			st.EmbeddedStartSec = took.Seconds()
			st.EmbeddedRSSMB = float64(rssBytes(p.pid())) / (1 << 20)
		}
	}
	return s, nil
}

// body is what a server is sent for a question.
func body(server string, q questions.Question, p questions.Params) []byte {
	vars := q.Vars(p)
	var b []byte
	switch server {
	case serverFloor:
		b, _ = json.Marshal(vars)
	case serverNGQL:
		b, _ = json.Marshal(map[string]any{"query": q.Neo4jGraphQL, "variables": vars})
	default:
		b, _ = json.Marshal(map[string]any{"query": q.Civicgraph, "variables": vars})
	}
	return b
}

func target(sv *serverSet, server string, q questions.Question) string {
	if server == serverFloor {
		return sv.urls[server] + q.Name
	}
	return sv.urls[server]
}

type answer struct {
	Data   json.RawMessage  `json:"data"`
	Errors []map[string]any `json:"errors"`
}

// ask sends one request and returns the normalised answer and its size.
func ask(ctx context.Context, url string, b []byte, ordered bool) (string, int, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(b))
	if err != nil {
		return "", 0, 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	began := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", 0, 0, err
	}
	raw, err := io.ReadAll(res.Body)
	res.Body.Close()
	took := time.Since(began)
	if err != nil {
		return "", 0, 0, err
	}
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		return "", 0, 0, fmt.Errorf("status %d, not JSON: %.300s", res.StatusCode, raw)
	}
	if len(a.Errors) > 0 || res.StatusCode != http.StatusOK {
		return "", 0, 0, fmt.Errorf("status %d, errors: %.500s", res.StatusCode, raw)
	}
	norm, err := questions.Normalise(a.Data, ordered)
	return norm, len(raw), took, err
}

func statements(url string) (int64, bool) {
	if url == "" {
		return 0, false
	}
	res, err := http.Get(url)
	if err != nil {
		return 0, false
	}
	defer res.Body.Close()
	var s struct{ Statements int64 }
	if json.NewDecoder(res.Body).Decode(&s) != nil {
		return 0, false
	}
	return s.Statements, true
}

func runQuestion(ctx context.Context, c *runConfig, sv *serverSet, q questions.Question, p questions.Params,
	store *neo4jstore.Store, inProcess, reference string, dur, warmup time.Duration, qr *QueryResult) error {
	// The reference answer is civicgraph's embedded store in process, the
	// reference implementation; every server must give the same.
	ref, size, _, err := ask(ctx, reference+"/query", body(serverEmbedded, q, p), q.Ordered)
	if err != nil {
		return fmt.Errorf("%s on the reference store: %w", q.Name, err)
	}
	qr.AnswerBytes = size
	qr.AnswerSHA = digest(ref)
	before := store.RoundTrips()
	inAnswer, _, _, err := ask(ctx, inProcess+"/query", body(serverCG, q, p), q.Ordered)
	if err != nil {
		return fmt.Errorf("%s in process on Neo4j: %w", q.Name, err)
	}
	qr.CivicgraphRoundTrips = store.RoundTrips() - before
	if inAnswer != ref {
		qr.Mismatches = append(qr.Mismatches, "civicgraph in process on Neo4j: "+questions.Diff(ref, inAnswer))
	}
	qr.Checked = map[string]bool{}
	for _, server := range servers {
		if sv.urls[server] == "" {
			continue // not run at this scale
		}
		got, _, took, err := ask(ctx, target(sv, server, q), body(server, q, p), q.Ordered)
		switch {
		case err != nil:
			qr.Mismatches = append(qr.Mismatches, fmt.Sprintf("%s: %v", server, err))
		case got != ref:
			qr.Mismatches = append(qr.Mismatches, fmt.Sprintf("%s answers differently %s", server, questions.Diff(ref, got)))
		default:
			qr.Checked[server] = true
		}
		log.Printf("  %s %-20s first answer in %s, equal: %v", q.Name, server, took.Round(time.Millisecond), qr.Checked[server])
	}
	for _, m := range qr.Mismatches {
		log.Printf("  %s MISMATCH %s", q.Name, m)
	}
	type planned struct {
		server, url string
		body        []byte
		runFor      time.Duration
	}
	var plan []planned
	for _, server := range servers {
		if !qr.Checked[server] {
			continue
		}
		url, b := target(sv, server, q), body(server, q, p)
		waitQuiet(ctx, c, sv)
		warm, err := runWrk(ctx, c, url, b, min(8, c.concurrency[len(c.concurrency)-1]), warmup)
		if err != nil {
			return fmt.Errorf("warm-up %s %s: %w", q.Name, server, err)
		}
		pl := planned{server: server, url: url, body: b, runFor: dur}
		if paired(server) {
			pl.runFor = max(time.Second, (dur / time.Duration(c.rounds)).Round(time.Second))
		}
		// A slow server gets longer runs, so that each still completes
		// enough requests for percentiles to mean something.
		longest := maxRunFor
		if c.short {
			longest = maxRunFor / 6 // the short mode must stay under 10 minutes
		}
		if rps := float64(warm.Requests) / max(float64(warm.DurationUS)/1e6, 1e-3); rps*pl.runFor.Seconds() < minRequests {
			pl.runFor = min(time.Duration(minRequests/max(rps, 0.1)*float64(time.Second)), longest).Round(time.Second)
		}
		plan = append(plan, pl)
	}
	// The servers take turns at each concurrency, so that the runs a ratio
	// compares are seconds apart: on a shared machine the load drifts over
	// the half minute one server's three runs take. The floor and
	// civicgraph-neo4j go on taking turns for c.rounds rounds, since the
	// ratio of their p50s is near its target and a single pair of runs
	// moved by up to 0.4 between runs of the same code (FINDINGS 63).
	for _, conc := range c.concurrency {
		rounds := map[string][]Run{}
		for round := range c.rounds {
			for _, pl := range plan {
				if round > 0 && !paired(pl.server) {
					continue
				}
				waitQuiet(ctx, c, sv)
				r, err := timedRun(ctx, c, sv, pl.server, pl.url, pl.body, conc, pl.runFor)
				if err != nil {
					return fmt.Errorf("%s %s c=%d: %w", q.Name, pl.server, conc, err)
				}
				if pl.server == serverCG {
					r.RoundTrips = float64(qr.CivicgraphRoundTrips)
					r.RoundTripsKnown = true
				}
				log.Printf("  %s %-20s c=%-3d %8.1f req/s  p50 %7.2f ms  p99 %7.2f ms  cpu %.3f+%.3f s/1k  rt %.1f  bad %d",
					q.Name, pl.server, conc, r.RPS, r.P50ms, r.P99ms, r.CPUServerPer1k, r.CPUNeo4jPer1k, r.RoundTrips, r.Bad)
				rounds[pl.server] = append(rounds[pl.server], r)
			}
		}
		for _, pl := range plan {
			qr.Runs = append(qr.Runs, combine(rounds[pl.server]))
		}
	}
	// Results list a server's runs together, as the tables show them.
	slices.SortStableFunc(qr.Runs, func(a, b Run) int {
		return cmp.Compare(slices.Index(servers, a.Server), slices.Index(servers, b.Server))
	})
	return nil
}

// paired tells the servers that take c.rounds turns at each concurrency:
// the two whose p50s the floor target compares.
func paired(server string) bool { return server == serverFloor || server == serverCG }

// combine makes one server's rounds at a concurrency into one run: the
// requests, time and CPU of all, and the median of the rounds' p50s, p90s
// and p99s: each an estimate of one run's, like the single run of a server
// that takes one turn (the highest of three p99s would be set against one).
// A single round is returned as it is.
func combine(rounds []Run) Run {
	if len(rounds) == 1 {
		return rounds[0]
	}
	r := Run{Server: rounds[0].Server, Concurrency: rounds[0].Concurrency, Rounds: rounds, RoundTripsKnown: true}
	var cpuServer, cpuNeo4j, roundTrips, latency float64
	var p50s, p90s, p99s []float64
	for _, x := range rounds {
		r.Requests += x.Requests
		r.Seconds += x.Seconds
		r.Bad += x.Bad
		r.Capped = r.Capped || x.Capped
		r.RoundTripsKnown = r.RoundTripsKnown && x.RoundTripsKnown
		p50s, p90s, p99s = append(p50s, x.P50ms), append(p90s, x.P90ms), append(p99s, x.P99ms)
		n := float64(x.Requests)
		cpuServer += x.CPUServerPer1k * n
		cpuNeo4j += x.CPUNeo4jPer1k * n
		roundTrips += x.RoundTrips * n
		latency += x.MeanMS * n
	}
	r.P50ms, r.P90ms, r.P99ms = median(p50s), median(p90s), median(p99s)
	if r.Seconds > 0 {
		r.RPS = float64(r.Requests) / r.Seconds
	}
	if n := float64(r.Requests); n > 0 {
		r.CPUServerPer1k, r.CPUNeo4jPer1k, r.RoundTrips, r.MeanMS = cpuServer/n, cpuNeo4j/n, roundTrips/n, latency/n
	}
	return r
}

// median is the middle value of xs, or the mean of the middle two.
func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	n := len(s)
	if n == 0 {
		return 0
	}
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// asks reports whether the run times q: every question, unless -questions
// names some.
func (c *runConfig) asks(q questions.Question) bool {
	return len(c.only) == 0 || c.only[q.Name]
}

// warmUpConns is how many connections drive a warm-up.
const warmUpConns = 8

// warmUpScale has the servers on Neo4j answer every question in turn, a
// second each, for c.scaleWarmup. A Neo4j just started answered the
// floor's lookup at M in 16 ms in its first second of load, 1 ms after
// ten and 0.6 ms only after thirty, its CPU per request falling from 88 ms
// to 0.3, while its JVM compiled the paths a read takes; a scale just
// imported has plans to make again, and Node's V8 compiles as it goes
// too. The warm-up of each question alone (a second or so per server)
// left the first scale's runs measuring that.
func warmUpScale(ctx context.Context, c *runConfig, sv *serverSet, p questions.Params) error {
	began := time.Now()
	for time.Since(began) < c.scaleWarmup {
		ran := false
		for _, q := range questions.All {
			if !c.asks(q) {
				continue
			}
			for _, server := range servers {
				if !onNeo4j(server) || sv.urls[server] == "" || time.Since(began) >= c.scaleWarmup {
					continue
				}
				if _, err := runWrk(ctx, c, target(sv, server, q), body(server, q, p), warmUpConns, time.Second); err != nil {
					return fmt.Errorf("warming up %s on %s: %w", q.Name, server, err)
				}
				ran = true
			}
		}
		if !ran {
			break // no question asked, or no server on Neo4j
		}
	}
	log.Printf("  warmed up the servers on Neo4j in %s", time.Since(began).Round(time.Second))
	return nil
}

// waitQuiet waits until Neo4j and the servers are next to idle, for at most
// quietLongest: a slow server keeps answering the requests in flight when
// wrk stops, for as long as its latency (seconds, at L), and that work
// would otherwise fall into the next server's run.
func waitQuiet(ctx context.Context, c *runConfig, sv *serverSet) {
	var pids []int
	if c.neo4jPID > 0 {
		pids = append(pids, c.neo4jPID)
	}
	for _, p := range sv.procs {
		pids = append(pids, p.pid())
	}
	cpuTotal := func() float64 {
		total := 0.0
		for _, pid := range pids {
			s, _ := cpuSeconds(pid) // a process gone counts as idle
			total += s
		}
		return total
	}
	start := time.Now()
	for time.Since(start) < quietLongest {
		before := cpuTotal()
		select {
		case <-ctx.Done():
			return
		case <-time.After(quietSample):
		}
		if (cpuTotal()-before)/quietSample.Seconds() < quietCores {
			if waited := time.Since(start); waited > 2*time.Second {
				log.Printf("  waited %s for the servers and Neo4j to go quiet", waited.Round(time.Second))
			}
			return
		}
	}
	log.Printf("  the servers and Neo4j still busy after %s; going on", quietLongest)
}

// What waitQuiet takes for quiet: under quietCores of CPU over quietSample.
// /proc counts CPU in ticks of 10 ms: over 100 ms one tick, which an idle
// Neo4j spends about once a second, passes and two do not. A longer sample
// made each of a short run's 400 waits take half a second.
const (
	quietCores   = 0.15
	quietSample  = 100 * time.Millisecond
	quietLongest = 90 * time.Second
)

// minRequests is how many requests a timed run should complete; a run is
// made longer, up to maxRunFor, when a server is too slow for that.
const (
	minRequests = 30
	maxRunFor   = 60 * time.Second
)

func timedRun(ctx context.Context, c *runConfig, sv *serverSet, server, url string, b []byte, conc int, dur time.Duration) (Run, error) {
	r := Run{Server: server, Concurrency: conc}
	pid := sv.procs[server].pid()
	cpu0, err := cpuSeconds(pid)
	if err != nil {
		return r, err
	}
	neo0 := 0.0
	if c.neo4jPID > 0 && onNeo4j(server) {
		neo0, _ = cpuSeconds(c.neo4jPID)
	}
	st0, counted := statements(sv.stats[server])
	w, err := runWrk(ctx, c, url, b, conc, dur)
	if err != nil {
		return r, err
	}
	cpu1, _ := cpuSeconds(pid)
	if c.neo4jPID > 0 && onNeo4j(server) {
		neo1, _ := cpuSeconds(c.neo4jPID)
		if w.Requests > 0 {
			r.CPUNeo4jPer1k = (neo1 - neo0) / float64(w.Requests) * 1000
		}
	}
	st1, _ := statements(sv.stats[server])
	r.Requests, r.Bad = w.Requests, w.Bad+w.SocketErrors+w.Timeouts
	r.Capped = w.Requests >= w.cap
	r.Seconds = float64(w.DurationUS) / 1e6
	if r.Seconds > 0 {
		r.RPS = float64(w.Requests) / r.Seconds
	}
	r.P50ms, r.P90ms, r.P99ms, r.MeanMS = float64(w.P50US)/1000, float64(w.P90US)/1000, float64(w.P99US)/1000, w.MeanUS/1000
	if w.Requests > 0 {
		r.CPUServerPer1k = (cpu1 - cpu0) / float64(w.Requests) * 1000
		if counted {
			// The counter also sees requests in flight when wrk stopped:
			// a slight overcount at worst.
			r.RoundTrips = float64(st1-st0) / float64(w.Requests)
			r.RoundTripsKnown = true
		}
	}
	return r, nil
}

type wrkSummary struct {
	Requests     int     `json:"requests"`
	DurationUS   int64   `json:"duration_us"`
	Bad          int     `json:"bad"`
	SocketErrors int     `json:"socket_errors"`
	Timeouts     int     `json:"timeouts"`
	P50US        int64   `json:"p50_us"`
	P90US        int64   `json:"p90_us"`
	P99US        int64   `json:"p99_us"`
	MeanUS       float64 `json:"mean_us"`
	MaxUS        int64   `json:"max_us"`
	// cap is the most requests the run could send: wrk goes on counting
	// time after its threads stop at the cap, so a run that reached it
	// ran for less than its duration says.
	cap int
}

// runWrk drives url with wrk for dur at conc connections, bounded also by
// c.maxRequests.
func runWrk(ctx context.Context, c *runConfig, url string, b []byte, conc int, dur time.Duration) (wrkSummary, error) {
	var w wrkSummary
	script := filepath.Join(c.work, "post.lua")
	if _, err := os.Stat(script); err != nil {
		if err := os.WriteFile(script, postLua, 0o644); err != nil {
			return w, err
		}
	}
	bodyFile := filepath.Join(c.work, "body.json")
	if err := os.WriteFile(bodyFile, b, 0o644); err != nil {
		return w, err
	}
	threads := min(conc, 2) // the machine has 2 cores; wrk shares them with the servers
	perThread := max(1, c.maxRequests/threads)
	w.cap = perThread * threads
	secs := max(1, int(dur.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, "wrk", "-t", strconv.Itoa(threads), "-c", strconv.Itoa(conc), "-d", strconv.Itoa(secs)+"s",
		"--timeout", "60s", "-s", script, url, "--", bodyFile, strconv.Itoa(perThread))
	out, err := cmd.CombinedOutput()
	if err != nil {
		return w, fmt.Errorf("wrk: %w: %s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "WRKJSON "); ok {
			return w, json.Unmarshal([]byte(rest), &w)
		}
	}
	return w, fmt.Errorf("wrk printed no summary: %s", out)
}
