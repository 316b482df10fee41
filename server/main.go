// Command server runs civicgraph: the GraphQL API over the knowledge graph,
// the GraphiQL page, and health probes. With no configuration it serves the
// embedded seed dataset from memory; with NEO4J_URI it serves a Neo4j
// database.
//
//	go run ./server [flags]          serve (see -help for the settings)
//	go run ./server import [flags]   load the dataset (-data, or the seed) into Neo4j
//	go run ./server check DIR        check a folder of data files and report every problem
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"go.opentelemetry.io/otel/trace"

	"github.com/civicgraph/civicgraph/bench/gen"
	"github.com/civicgraph/civicgraph/data"
	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/dataset"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "civicgraph:", err)
		}
		os.Exit(1)
	}
}

// errUsage is returned after the usage text has been printed.
var errUsage = errors.New("usage")

// run is the whole program; main only gives it the process's world, so
// tests can run it with their own.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "check" {
		return check(args[1:], stdout)
	}
	command := "serve"
	if len(args) > 0 && args[0] == "import" {
		command, args = "import", args[1:]
	}
	cfg, err := parseConfig("civicgraph "+command, args, getenv, stderr)
	if err != nil {
		return err
	}
	if command == "import" {
		return importData(ctx, cfg, stdout)
	}
	log, closeLog := newLog(stderr)
	defer closeLog()
	store, closeStore, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeStore()
	// Reading data files leaves garbage several times the store's size
	// (the files' YAML trees): collect it and give its memory back now,
	// not over the minutes the runtime's scavenger would take.
	debug.FreeOSMemory()
	tuneGC(getenv, log)
	tp, stopTracing, err := newTracing(ctx, cfg.OTelEndpoint, log)
	if err != nil {
		return err
	}
	defer func() {
		// Send the spans still buffered, but do not hold up the exit for long.
		flushCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := stopTracing(flushCtx); err != nil {
			log.Warn("flushing traces", "error", err)
		}
	}()
	return serve(ctx, cfg, store, tp, log, stdout)
}

// dataset returns the graph the configuration asks for: generated, read
// from data files, or the embedded seed.
func (c config) dataset() (*graph.Dataset, error) {
	if c.Synthetic != "" {
		sc, err := gen.ParseScale(c.Synthetic)
		if err != nil {
			return nil, err
		}
		return gen.Generate(sc, c.SyntheticSeed), nil
	}
	return loadDataset(c.DataDir)
}

// loadDataset reads the data files in dir, or the embedded seed if dir is "".
func loadDataset(dir string) (*graph.Dataset, error) {
	if dir == "" {
		return dataset.Load(data.Seed, "data")
	}
	return dataset.Load(os.DirFS(dir), dir)
}

// check validates a folder of data files without serving them.
func check(args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: check DIR")
	}
	ds, err := loadDataset(args[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s: %d entities, %d relations, no problems\n", args[0], len(ds.Entities), len(ds.Relations))
	return nil
}

// serve answers HTTP until ctx is done, then lets requests in flight finish
// within the grace period.
func serve(ctx context.Context, cfg config, store graph.Store, tp trace.TracerProvider, log *slog.Logger, stdout io.Writer) error {
	ln, err := net.Listen("tcp", cfg.addr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr(), err)
	}
	srv := &http.Server{
		Handler:           newServer(cfg, store, log, tp),
		ReadHeaderTimeout: cfg.RequestTimeout,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(stdout, "civicgraph serving http://%s/ (GraphiQL) and http://%s/graphql\n", ln.Addr(), ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.ShutdownGrace)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
