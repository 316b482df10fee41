// Package neo4jtest gives tests a store on the real Neo4j that scripts/test
// starts, named by NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD.
//
// Test packages run in parallel processes and Neo4j Community Edition has
// one database, so a test holds an exclusive lock on the database from Open
// until its cleanup: tests on the same database never interleave. A test
// must therefore not call Open while it (or its parent) holds a store from
// Open.
package neo4jtest

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/civicgraph/civicgraph/graph/neo4jstore"
)

// Open returns a store on the test database, holding the database's lock
// until tb's cleanup, which also closes the store. The graph is whatever the
// last test left: load yours with Replace.
//
// With NEO4J_URI unset it skips the test, or fails it when
// CIVICGRAPH_REQUIRE_NEO4J=1, so that CI never skips silently.
func Open(tb testing.TB) *neo4jstore.Store {
	tb.Helper()
	return OpenConfig(tb, func(*neo4jstore.Config) {})
}

// OpenConfig is Open with a chance to change the configuration, for tests
// of the store's own settings.
func OpenConfig(tb testing.TB, configure func(*neo4jstore.Config)) *neo4jstore.Store {
	tb.Helper()
	cfg := Config(tb)
	configure(&cfg)
	lock(tb, cfg.URI)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	s, err := neo4jstore.Open(ctx, cfg)
	if err != nil {
		tb.Fatalf("open Neo4j at %s: %v", cfg.URI, err)
	}
	tb.Cleanup(func() {
		if err := s.Close(context.Background()); err != nil {
			tb.Errorf("close Neo4j store: %v", err)
		}
	})
	return s
}

// Config returns the test database's configuration from the environment,
// skipping or failing tb as Open does when there is none.
func Config(tb testing.TB) neo4jstore.Config {
	tb.Helper()
	uri := os.Getenv("NEO4J_URI")
	if uri == "" {
		if os.Getenv("CIVICGRAPH_REQUIRE_NEO4J") == "1" {
			tb.Fatal("NEO4J_URI not set, and CIVICGRAPH_REQUIRE_NEO4J=1 requires Neo4j; scripts/test starts a real Neo4j")
		}
		tb.Skip("NEO4J_URI not set; scripts/test starts a real Neo4j")
	}
	return neo4jstore.Config{URI: uri, User: os.Getenv("NEO4J_USER"), Password: os.Getenv("NEO4J_PASSWORD")}
}

// lock takes the cross-process lock of the database at uri, blocking until
// other test processes release it, and releases it in tb's cleanup. It is
// registered before the store's own cleanup, so it is released after the
// store is closed.
func lock(tb testing.TB, uri string) {
	tb.Helper()
	host := uri
	if u, err := url.Parse(uri); err == nil && u.Host != "" {
		host = u.Host
		if u.Port() == "" {
			host += ":7687"
		}
	}
	name := "civicgraph-neo4j-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' {
			return r
		}
		return '_'
	}, host) + ".lock"
	f, err := os.OpenFile(filepath.Join(os.TempDir(), name), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		tb.Fatalf("open Neo4j test lock: %v", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		tb.Fatalf("lock Neo4j test database: %v", err)
	}
	tb.Cleanup(func() {
		// Closing the file releases the lock.
		if err := f.Close(); err != nil {
			tb.Errorf("release Neo4j test lock: %v", err)
		}
	})
}
