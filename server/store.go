package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/civicgraph/civicgraph/graph"
	"github.com/civicgraph/civicgraph/graph/memstore"
	"github.com/civicgraph/civicgraph/graph/neo4jstore"
)

// openStore returns the store the configuration asks for, ready to serve:
// the embedded store loaded with the dataset, or, when a Neo4j URI is set,
// a store that connects to Neo4j in the background (see pendingStore).
// The function it returns releases the store.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (graph.Store, func(), error) {
	if cfg.Neo4j.URI == "" {
		ds, err := cfg.dataset()
		if err != nil {
			return nil, nil, err
		}
		mem := memstore.New()
		if err := mem.Replace(ctx, ds); err != nil {
			return nil, nil, fmt.Errorf("load dataset: %w", err)
		}
		log.Info("serving the embedded store", "entities", len(ds.Entities), "relations", len(ds.Relations))
		return mem, func() {}, nil
	}
	pending := &pendingStore{}
	connectCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		pending.connect(connectCtx, cfg, log)
	}()
	return pending, func() {
		stop()
		<-done
		if s := pending.ready.Load(); s != nil {
			if err := s.Close(context.Background()); err != nil {
				log.Warn("closing the Neo4j driver", "error", err)
			}
		}
	}, nil
}

func neo4jConfigOf(cfg config) neo4jstore.Config {
	return neo4jstore.Config{URI: cfg.Neo4j.URI, User: cfg.Neo4j.User, Password: cfg.Neo4j.Password,
		Database: cfg.Neo4j.Database, TxTimeout: cfg.RequestTimeout, MaxPoolSize: cfg.Neo4j.MaxPoolSize}
}

// retryEvery is how often the server tries again to reach Neo4j.
const retryEvery = 2 * time.Second

// pendingStore is the Neo4j store once it is open, and until then answers
// every call with EUNAVAILABLE, so the server starts, says what is wrong
// and reports not-ready instead of crashing or hanging while Neo4j is down.
type pendingStore struct {
	ready atomic.Pointer[neo4jstore.Store]
}

var _ graph.Store = (*pendingStore)(nil)

var errNotConnected = graph.Errorf(graph.EUNAVAILABLE, "the database is not reachable yet; try again shortly")

// connect opens the Neo4j store, retrying until it answers or ctx ends,
// and loads the seed dataset into a database that has no graph yet.
func (p *pendingStore) connect(ctx context.Context, cfg config, log *slog.Logger) {
	for attempt := 1; ; attempt++ {
		s, err := neo4jstore.Open(ctx, neo4jConfigOf(cfg))
		if err == nil {
			if err := seedIfEmpty(ctx, s, cfg, log); err != nil {
				log.Error("loading the dataset into the empty database failed", "error", err)
			}
			p.ready.Store(s)
			log.Info("connected to Neo4j", "uri", cfg.Neo4j.URI, "attempts", attempt)
			return
		}
		if attempt == 1 {
			log.Error(fmt.Sprintf("Neo4j at %s is not reachable (%s); retrying every %s, /readyz says 503 meanwhile",
				cfg.Neo4j.URI, graph.ErrorMessage(err), retryEvery))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(retryEvery):
		}
	}
}

// seedIfEmpty loads the dataset when the database holds no source yet:
// a fresh database serves the seed on first start.
func seedIfEmpty(ctx context.Context, s graph.Store, cfg config, log *slog.Logger) error {
	page, err := s.Find(ctx, graph.Query{Type: graph.TypeSource, First: 1})
	if err != nil || len(page.Entities) > 0 {
		return err
	}
	ds, err := cfg.dataset()
	if err != nil {
		return err
	}
	log.Info("the database is empty: loading the dataset", "entities", len(ds.Entities), "relations", len(ds.Relations))
	return s.Replace(ctx, ds)
}

func (p *pendingStore) current() (*neo4jstore.Store, error) {
	if s := p.ready.Load(); s != nil {
		return s, nil
	}
	return nil, errNotConnected
}

// whenConnected makes a call on the Neo4j store once it is open, and fails
// with errNotConnected until then.
func whenConnected[T any](p *pendingStore, call func(*neo4jstore.Store) (T, error)) (T, error) {
	s, err := p.current()
	if err != nil {
		var none T
		return none, err
	}
	return call(s)
}

func (p *pendingStore) Entities(ctx context.Context, ids []string) ([]*graph.Entity, error) {
	return whenConnected(p, func(s *neo4jstore.Store) ([]*graph.Entity, error) { return s.Entities(ctx, ids) })
}

func (p *pendingStore) Find(ctx context.Context, q graph.Query) (graph.Page, error) {
	return whenConnected(p, func(s *neo4jstore.Store) (graph.Page, error) { return s.Find(ctx, q) })
}

func (p *pendingStore) Neighbours(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([][]graph.Neighbour, error) {
	return whenConnected(p, func(s *neo4jstore.Store) ([][]graph.Neighbour, error) { return s.Neighbours(ctx, ids, path, where) })
}

func (p *pendingStore) Expand(ctx context.Context, ids []string, branches []graph.Branch, props graph.Props) (graph.Expansion, error) {
	return whenConnected(p, func(s *neo4jstore.Store) (graph.Expansion, error) { return s.Expand(ctx, ids, branches, props) })
}

func (p *pendingStore) NeighbourCounts(ctx context.Context, ids []string, path graph.Path, where graph.Cond) ([]int, error) {
	return whenConnected(p, func(s *neo4jstore.Store) ([]int, error) { return s.NeighbourCounts(ctx, ids, path, where) })
}

func (p *pendingStore) Replace(ctx context.Context, ds *graph.Dataset) error {
	s, err := p.current()
	if err != nil {
		return err
	}
	return s.Replace(ctx, ds)
}

// InUse returns the number of Neo4j connections in use now: none before
// the database is reached.
func (p *pendingStore) InUse() int64 {
	if s := p.ready.Load(); s != nil {
		return s.InUse()
	}
	return 0
}

// Ping reports whether the database answers now.
func (p *pendingStore) Ping(ctx context.Context) error {
	s, err := p.current()
	if err != nil {
		return err
	}
	return s.Ping(ctx)
}

// importData loads a dataset into Neo4j, replacing the graph there in one
// transaction: a dataset with problems, or a failure midway, leaves the
// database as it was.
func importData(ctx context.Context, cfg config, stdout io.Writer) error {
	if cfg.Neo4j.URI == "" {
		return errors.New("import needs a Neo4j: set NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) or -neo4j-uri")
	}
	ds, err := cfg.dataset()
	if err != nil {
		return err
	}
	start := time.Now()
	s, err := neo4jstore.Open(ctx, neo4jConfigOf(cfg))
	if err != nil {
		return fmt.Errorf("open Neo4j at %s: %w", cfg.Neo4j.URI, err)
	}
	defer s.Close(context.Background())
	if err := s.Replace(ctx, ds); err != nil {
		return fmt.Errorf("import into %s: %w", cfg.Neo4j.URI, err)
	}
	fmt.Fprintf(stdout, "imported %d entities and %d relations into %s in %s\n",
		len(ds.Entities), len(ds.Relations), cfg.Neo4j.URI, time.Since(start).Round(time.Millisecond))
	return nil
}
