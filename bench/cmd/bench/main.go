// Command bench compares civicgraph with the Neo4j GraphQL Library on the
// same Neo4j, and both with hand-written Cypher through the Go driver (the
// floor), at the scales of bench/gen. scripts/bench runs it whole.
//
//	bench run [flags]      generate, import, start the servers, check answers, time them, write results
//	bench load -scale M    generate a scale and import it into Neo4j ($NEO4J_URI) and the memstore, with timings
//	bench yaml -scale M -out DIR   write a scale as data files for `server -data DIR`
//	bench floor -port N    serve the questions' Cypher over HTTP (started by run)
//	bench report -out DIR  write DIR/RESULTS.md again from DIR/results.json, after a change to the report
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/civicgraph/civicgraph/bench/gen"
)

func main() {
	if err := dispatch(os.Args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "bench:", err)
		}
		os.Exit(1)
	}
}

func dispatch(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: bench run|load|yaml|floor|report [flags]")
	}
	switch args[0] {
	case "run":
		return run(args[1:])
	case "load":
		return load(args[1:])
	case "yaml":
		return yamlCmd(args[1:])
	case "floor":
		return floor(args[1:])
	case "report":
		return report(args[1:])
	}
	return fmt.Errorf("unknown command %q (want run, load, yaml, floor or report)", args[0])
}

func load(args []string) error {
	fs := flag.NewFlagSet("bench load", flag.ContinueOnError)
	scale := fs.String("scale", "M", "S, M or L")
	seed := fs.Int64("seed", 1, "generator seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, err := gen.ParseScale(*scale)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var st ImportStats
	ds := generate(sc, *seed, &st)
	if _, err := loadMemstore(ctx, ds, &st); err != nil {
		return err
	}
	if os.Getenv("NEO4J_URI") != "" {
		s, err := loadNeo4j(ctx, neo4jConfig(), ds, &st)
		if err != nil {
			return err
		}
		s.Close(context.Background())
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(st)
}

func yamlCmd(args []string) error {
	fs := flag.NewFlagSet("bench yaml", flag.ContinueOnError)
	scale := fs.String("scale", "M", "S, M or L")
	seed := fs.Int64("seed", 1, "generator seed")
	out := fs.String("out", "", "folder to write the data files into")
	if err := fs.Parse(args); err != nil {
		return err
	}
	sc, err := gen.ParseScale(*scale)
	if err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-out is required")
	}
	var st ImportStats
	return writeYAML(*out, generate(sc, *seed, &st), &st)
}

func report(args []string) error {
	fs := flag.NewFlagSet("bench report", flag.ContinueOnError)
	out := fs.String("out", "bench/results", "folder of results.json, and of the RESULTS.md written from it")
	if err := fs.Parse(args); err != nil {
		return err
	}
	b, err := os.ReadFile(filepath.Join(*out, "results.json"))
	if err != nil {
		return err
	}
	var res Results
	if err := json.Unmarshal(b, &res); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(*out, "results.json"), err)
	}
	return writeResults(*out, &res)
}
