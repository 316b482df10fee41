// Package neo4jstore is the graph.Store on Neo4j 5: every domain query
// becomes one parameterised Cypher statement, so a read costs one round
// trip whatever the number of ids it asks about.
//
// Every node has the label Entity and its type's label, and carries every
// property of graph.Entity, empty values included: Cypher's null logic would
// otherwise give NOT and equality a meaning the memstore does not have. Names
// are folded in Go (graph.Fold), at load time and for query values alike, so
// both stores compare the same strings.
package neo4jstore

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/civicgraph/civicgraph/graph"
)

var _ graph.Store = (*Store)(nil)

// Config says where the database is and how long to wait for it. Zero
// durations and sizes take the defaults below.
type Config struct {
	URI      string // bolt://host:7687, neo4j://host, neo4j+s://… for Aura
	User     string // empty: no authentication
	Password string
	Database string // empty: the server's default database

	// TxTimeout bounds each read transaction on the server, so a costly
	// filter cannot hold the database after its caller gave up.
	// Default 15 s.
	TxTimeout time.Duration
	// ConnectTimeout bounds opening a connection and waiting for a free
	// one in the pool. Default 5 s.
	ConnectTimeout time.Duration
	// RetryTime bounds the retries of transient failures (read's and the
	// driver's, for writes): short, so a request fails within its deadline
	// instead of retrying for the driver's default 30 s. Default 1 s.
	RetryTime time.Duration
	// BatchSize is the number of rows Replace sends per statement.
	// Default 2000.
	BatchSize int
	// StageAbove is the most entities and relations Replace writes in
	// one transaction; a larger dataset is staged, a transaction per
	// batch, and switched to in one (see Replace). Default 200,000: M
	// (about 280,000) already needs an 8 GiB heap in one transaction.
	StageAbove int
	// MaxPoolSize is the most connections the driver keeps open to the
	// database; a transaction waits up to ConnectTimeout for a free one.
	// Default 100, as the driver's.
	MaxPoolSize int
}

func (c *Config) setDefaults() {
	if c.TxTimeout <= 0 {
		c.TxTimeout = 15 * time.Second
	}
	if c.ConnectTimeout <= 0 {
		c.ConnectTimeout = 5 * time.Second
	}
	if c.RetryTime <= 0 {
		c.RetryTime = time.Second
	}
	if c.BatchSize <= 0 {
		c.BatchSize = 2000
	}
	if c.StageAbove <= 0 {
		c.StageAbove = 200_000
	}
	if c.MaxPoolSize <= 0 {
		c.MaxPoolSize = 100
	}
}

// Store is a graph.Store backed by one Neo4j database. It is safe for
// concurrent use; the driver pools its connections.
type Store struct {
	driver     neo4j.DriverWithContext
	cfg        Config
	roundTrips atomic.Int64
	inUse      atomic.Int64
	// loading lets one staged Replace run at a time: each switches to
	// what it staged and retires everything else.
	loading sync.Mutex
}

// Open connects to the database, checks that it answers and makes sure the
// schema (constraint and indexes) exists. It returns EUNAVAILABLE if the
// database cannot be reached.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	cfg.setDefaults()
	auth := neo4j.NoAuth()
	if cfg.User != "" {
		auth = neo4j.BasicAuth(cfg.User, cfg.Password, "")
	}
	driver, err := neo4j.NewDriverWithContext(cfg.URI, auth, func(c *neo4j.Config) {
		c.SocketConnectTimeout = cfg.ConnectTimeout
		c.ConnectionAcquisitionTimeout = cfg.ConnectTimeout
		c.MaxTransactionRetryTime = cfg.RetryTime
		c.MaxConnectionPoolSize = cfg.MaxPoolSize
	})
	if err != nil {
		return nil, graph.Errorf(graph.EINVALID, "bad Neo4j address: %v", err)
	}
	s := &Store{driver: driver, cfg: cfg}
	if err := driver.VerifyConnectivity(ctx); err != nil {
		_ = driver.Close(context.WithoutCancel(ctx))
		return nil, s.fail(ctx, "connect", err)
	}
	if err := s.EnsureSchema(ctx); err != nil {
		_ = driver.Close(context.WithoutCancel(ctx))
		return nil, err
	}
	return s, nil
}

// Close closes the driver and its connections.
func (s *Store) Close(ctx context.Context) error { return s.driver.Close(ctx) }

// Ping runs a trivial query on the database, for a readiness probe: it
// fails with EUNAVAILABLE when the database cannot serve reads.
func (s *Store) Ping(ctx context.Context) error {
	_, err := read(ctx, s, "RETURN 1", nil, discard(ctx))
	return s.fail(ctx, "ping", err)
}

// RoundTrips returns the number of statements sent to the database so far,
// retries included, for tests and benchmarks that bound the cost of a
// request.
func (s *Store) RoundTrips() int64 { return s.roundTrips.Load() }

// run sends one statement of a write transaction; it and autoCommit
// count every statement into RoundTrips.
func (s *Store) run(ctx context.Context, tx neo4j.ManagedTransaction, cypher string, params map[string]any) (neo4j.ResultWithContext, error) {
	s.roundTrips.Add(1)
	return tx.Run(ctx, cypher, params)
}

// InUse returns the number of reads and write transactions running now,
// each on a connection borrowed from the driver's pool (at most
// MaxPoolSize), for metrics: the driver publishes no statistics of its
// pool.
func (s *Store) InUse() int64 { return s.inUse.Load() }

func (s *Store) session(ctx context.Context, mode neo4j.AccessMode) neo4j.SessionWithContext {
	return countedSession{s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: mode, DatabaseName: s.cfg.Database}), &s.inUse}
}

// countedSession counts its managed transactions into inUse while their
// work runs, which is when the driver has lent them a connection.
type countedSession struct {
	neo4j.SessionWithContext
	inUse *atomic.Int64
}

func (c countedSession) ExecuteWrite(ctx context.Context, work neo4j.ManagedTransactionWork, configurers ...func(*neo4j.TransactionConfig)) (any, error) {
	return c.SessionWithContext.ExecuteWrite(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		c.inUse.Add(1)
		defer c.inUse.Add(-1)
		return work(tx)
	}, configurers...)
}

// firstRetryPause is how long read waits before its first try again; it
// doubles after each.
const firstRetryPause = 25 * time.Millisecond

// read runs one read-only statement in an auto-commit transaction and hands
// its result to consume. That is one round trip where a managed transaction
// takes two (BEGIN with the statement, then COMMIT), and it spares the
// server the transaction's set-up: a third less time for a small read.
// The driver retries only managed transactions, so read tries again itself,
// by the driver's rule (see retryable), while RetryTime lasts; consume may
// therefore run more than once. TxTimeout bounds each try on the server.
func read[T any](ctx context.Context, s *Store, cypher string, params map[string]any, consume func(neo4j.ResultWithContext) (T, error)) (T, error) {
	began := time.Now()
	pause := firstRetryPause
	for {
		out, err := autoCommit(ctx, s, neo4j.AccessModeRead, cypher, params, consume, neo4j.WithTxTimeout(s.cfg.TxTimeout))
		if err == nil || !retryable(err) || time.Since(began)+pause > s.cfg.RetryTime {
			return out, err
		}
		select {
		case <-ctx.Done():
			return out, err
		case <-time.After(pause):
		}
		pause *= 2
	}
}

// autoCommit runs one statement in an implicit transaction and hands its
// result to consume: a read's single try, or a statement such as
// CALL … IN TRANSACTIONS that must commit as it goes.
func autoCommit[T any](ctx context.Context, s *Store, mode neo4j.AccessMode, cypher string, params map[string]any,
	consume func(neo4j.ResultWithContext) (T, error), configurers ...func(*neo4j.TransactionConfig)) (T, error) {
	session := s.driver.NewSession(ctx, neo4j.SessionConfig{AccessMode: mode, DatabaseName: s.cfg.Database})
	defer session.Close(context.WithoutCancel(ctx))
	s.roundTrips.Add(1)
	res, err := session.Run(ctx, cypher, params, configurers...)
	if err != nil {
		var none T
		return none, err
	}
	// The session holds a connection of the pool from Run until it closes;
	// the count drops just before the close, so it never runs over the pool.
	s.inUse.Add(1)
	defer s.inUse.Add(-1)
	return consume(res)
}

// discard is the consume of statements whose rows nobody reads.
func discard(ctx context.Context) func(neo4j.ResultWithContext) (struct{}, error) {
	return func(res neo4j.ResultWithContext) (struct{}, error) {
		_, err := res.Consume(ctx)
		return struct{}{}, err
	}
}

// retryable reports whether a later try may succeed where err failed, by
// the rule the driver applies to its managed transactions: a lost
// connection, or a failure the server calls transient. That rule reads err
// alone, and consume may have wrapped what the driver returned.
func retryable(err error) bool {
	for ; err != nil; err = errors.Unwrap(err) {
		if neo4j.IsRetryable(err) {
			return true
		}
	}
	return false
}

// fail turns a driver error into one the edges can show: EUNAVAILABLE when
// the database cannot answer (no connection, deadline, transient trouble),
// the caller's cancellation as such, our own *graph.Error unchanged, and
// anything else wrapped with what was being done. The driver's message is
// kept in the chain for the log, never in the user-facing message.
func (s *Store) fail(ctx context.Context, op string, err error) error {
	var gerr *graph.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &gerr):
		return err
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(ctx.Err(), context.DeadlineExceeded) ||
		hasCode(err, "TransactionTimedOut"): // the server's TxTimeout
		return fmt.Errorf("%w: %w (%v)", graph.Errorf(graph.EUNAVAILABLE, "the graph database did not answer in time"),
			context.DeadlineExceeded, err)
	case errors.Is(err, context.Canceled) || ctx.Err() != nil:
		return fmt.Errorf("neo4jstore: %s: %w", op, context.Canceled)
	case hasCode(err, "MemoryPoolOutOfMemoryError"):
		// Transient to the driver, but trying again will not help: the
		// transaction needs more memory than the server grants one.
		return fmt.Errorf("neo4jstore: %s: the transaction outgrew the server's transaction memory "+
			"(raise dbms.memory.transaction.total.max and the heap): %w", op, err)
	case unavailable(err):
		return fmt.Errorf("%w (%w)", graph.Errorf(graph.EUNAVAILABLE, "the graph database is unavailable; try again later"), err)
	}
	return fmt.Errorf("neo4jstore: %s: %w", op, err)
}

// causes returns err and the errors a retry gave up on: the driver's
// TransactionExecutionLimit lists them without unwrapping to them.
func causes(err error) []error {
	out := []error{err}
	var limit *neo4j.TransactionExecutionLimit
	if errors.As(err, &limit) {
		for _, e := range limit.Errors {
			out = append(out, causes(e)...)
		}
	}
	return out
}

// unavailable reports whether err says the database cannot serve now: no
// connection, or a transient failure (the database starting or stopping, a
// deadlock, a leader switch) that a later try may not meet.
func unavailable(err error) bool {
	for _, e := range causes(err) {
		var conn *neo4j.ConnectivityError
		var netErr net.Error
		if errors.As(e, &conn) || errors.As(e, &netErr) {
			return true
		}
	}
	return hasCode(err, "Neo.TransientError.")
}

// hasCode reports whether the server failed err, or a try before it, with
// a Neo4j error code that contains part.
func hasCode(err error, part string) bool {
	for _, e := range causes(err) {
		var neoErr *neo4j.Neo4jError
		if errors.As(e, &neoErr) && strings.Contains(neoErr.Code, part) {
			return true
		}
	}
	return false
}
