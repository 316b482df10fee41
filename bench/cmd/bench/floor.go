package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/bench/questions"
)

// floor serves the questions' hand-written Cypher over HTTP, through the Go
// driver and nothing else: POST /q/NAME with the variables as a JSON
// object. It is the floor civicgraph's cost on Neo4j is measured against,
// timed by the same load tool, in a process of its own.
func floor(args []string) error {
	fs := flag.NewFlagSet("bench floor", flag.ContinueOnError)
	port := fs.Int("port", 27804, "port to listen on (127.0.0.1)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	driver, err := neo4j.NewDriverWithContext(os.Getenv("NEO4J_URI"),
		neo4j.BasicAuth(os.Getenv("NEO4J_USER"), os.Getenv("NEO4J_PASSWORD"), ""))
	if err != nil {
		return err
	}
	defer driver.Close(context.Background())
	if err := driver.VerifyConnectivity(ctx); err != nil {
		return err
	}
	var statements atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"statements":%d}`, statements.Load())
	})
	mux.HandleFunc("POST /q/{name}", func(w http.ResponseWriter, r *http.Request) {
		q, ok := questions.Find(r.PathValue("name"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		var vars map[string]any
		if err := json.NewDecoder(r.Body).Decode(&vars); err != nil && err != io.EOF {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		statements.Add(1)
		result, err := q.Floor(r.Context(), driver, vars)
		w.Header().Set("Content-Type", "application/json")
		if err != nil {
			w.WriteHeader(http.StatusInternalServerError)
			json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]string{"message": err.Error()}}})
			return
		}
		json.NewEncoder(w).Encode(map[string]any{"data": map[string]any{"result": result}})
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(*port)))
	if err != nil {
		return err
	}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.Serve(ln); err != http.ErrServerClosed {
		return err
	}
	return nil
}
