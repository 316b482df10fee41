package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/civicgraph/civicgraph/bench/gen"
	"github.com/civicgraph/civicgraph/graph/gql"
)

// config is everything the service can be told at start. Each setting has a
// flag and an environment variable; a flag wins over the variable, and the
// variable over the default. The README's configuration table lists them.
type config struct {
	Host           string
	Port           int
	Production     bool
	CORSOrigins    []string
	DataDir        string // "" means the embedded seed dataset
	Synthetic      string // S, M or L: a generated graph (bench/gen) instead of data files
	SyntheticSeed  int64
	RequestTimeout time.Duration
	MaxBodyBytes   int64
	TokenLimit     int
	Limits         gql.Limits
	ShutdownGrace  time.Duration
	OTelEndpoint   string // OTLP/HTTP collector to send traces to; "" turns tracing off
	Neo4j          neo4jConfig
}

type neo4jConfig struct {
	URI, User, Password, Database string
	MaxPoolSize                   int
}

func (c config) addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// parseConfig reads flags from args over environment variables from getenv.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var envErrs []error
	str := func(key, fallback string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return fallback
	}
	// parsed reads an environment variable with the flag's own parser, so
	// both say the same about a bad value.
	parsed := func(key string, fallback flag.Value) {
		if v := getenv(key); v != "" {
			if err := fallback.Set(v); err != nil {
				envErrs = append(envErrs, fmt.Errorf("$%s: %q: %w", key, v, err))
			}
		}
	}
	var c config
	intVar := func(p *int, flagName, key string, def int, usage string) {
		*p = def
		parsed(key, (*intValue)(p))
		fs.Var((*intValue)(p), flagName, usage+" ($"+key+")")
	}
	durationVar := func(p *time.Duration, flagName, key string, def time.Duration, usage string) {
		*p = def
		parsed(key, (*durationValue)(p))
		fs.Var((*durationValue)(p), flagName, usage+" ($"+key+")")
	}
	var origins string
	var maxBody int
	limits := gql.DefaultLimits
	fs.StringVar(&c.Host, "host", str("CIVICGRAPH_HOST", "127.0.0.1"), "address to listen on ($CIVICGRAPH_HOST)")
	intVar(&c.Port, "port", "CIVICGRAPH_PORT", 8080, "port to listen on; 0 picks a free one")
	c.Production = str("CIVICGRAPH_PRODUCTION", "false") == "true"
	fs.BoolVar(&c.Production, "production", c.Production, "production mode: no introspection, no suggestions, no GraphiQL, an explicit CORS allow-list ($CIVICGRAPH_PRODUCTION=true)")
	fs.StringVar(&origins, "cors-origins", str("CIVICGRAPH_CORS_ORIGINS", ""), "comma-separated origins allowed to call the API from a browser; * for any, outside production ($CIVICGRAPH_CORS_ORIGINS)")
	fs.StringVar(&c.DataDir, "data", str("CIVICGRAPH_DATA", ""), "folder of *.yaml data files; empty serves the embedded seed dataset ($CIVICGRAPH_DATA)")
	fs.StringVar(&c.Synthetic, "synthetic", str("CIVICGRAPH_SYNTHETIC", ""), "serve a generated graph of scale S, M (~100,000 entities) or L (~840,000) instead of data files ($CIVICGRAPH_SYNTHETIC)")
	fs.Int64Var(&c.SyntheticSeed, "synthetic-seed", 1, "seed of the generated graph: the same scale and seed give the same graph")
	durationVar(&c.RequestTimeout, "request-timeout", "CIVICGRAPH_REQUEST_TIMEOUT", 10*time.Second, "deadline of one request, passed on to Neo4j")
	intVar(&maxBody, "max-body-bytes", "CIVICGRAPH_MAX_BODY_BYTES", 1<<20, "largest request body accepted")
	intVar(&c.TokenLimit, "max-tokens", "CIVICGRAPH_MAX_TOKENS", 5000, "most tokens one GraphQL query may have")
	intVar(&limits.Depth, "max-depth", "CIVICGRAPH_MAX_DEPTH", limits.Depth, "deepest nesting of selections")
	intVar(&limits.Aliases, "max-aliases", "CIVICGRAPH_MAX_ALIASES", limits.Aliases, "most aliases in one query")
	intVar(&limits.RootFields, "max-root-fields", "CIVICGRAPH_MAX_ROOT_FIELDS", limits.RootFields, "most root fields in one query")
	intVar(&limits.Directives, "max-directives", "CIVICGRAPH_MAX_DIRECTIVES", limits.Directives, "most directives in one query")
	intVar(&limits.Complexity, "max-complexity", "CIVICGRAPH_MAX_COMPLEXITY", limits.Complexity, "highest estimated cost of one query; a connection multiplies by its first or last")
	intVar(&limits.ResultNodes, "max-result-nodes", "CIVICGRAPH_MAX_RESULT_NODES", limits.ResultNodes, "most entities in one response")
	intVar(&limits.Errors, "max-errors", "CIVICGRAPH_MAX_ERRORS", limits.Errors, "most errors listed in one response")
	durationVar(&c.ShutdownGrace, "shutdown-grace", "CIVICGRAPH_SHUTDOWN_GRACE", 15*time.Second, "time requests in flight get to finish at shutdown")
	fs.StringVar(&c.OTelEndpoint, "otel-endpoint", str("OTEL_EXPORTER_OTLP_ENDPOINT", ""), "OpenTelemetry collector (OTLP over HTTP) to send traces to, e.g. http://127.0.0.1:4318; empty: no tracing ($OTEL_EXPORTER_OTLP_ENDPOINT)")
	fs.StringVar(&c.Neo4j.URI, "neo4j-uri", str("NEO4J_URI", ""), "Neo4j to use instead of the embedded store, e.g. bolt://127.0.0.1:7687 ($NEO4J_URI)")
	fs.StringVar(&c.Neo4j.User, "neo4j-user", str("NEO4J_USER", "neo4j"), "Neo4j user ($NEO4J_USER)")
	fs.StringVar(&c.Neo4j.Password, "neo4j-password", str("NEO4J_PASSWORD", ""), "Neo4j password ($NEO4J_PASSWORD)")
	fs.StringVar(&c.Neo4j.Database, "neo4j-database", str("NEO4J_DATABASE", "neo4j"), "Neo4j database ($NEO4J_DATABASE)")
	intVar(&c.Neo4j.MaxPoolSize, "neo4j-max-pool-size", "NEO4J_MAX_POOL_SIZE", 100, "most connections open to Neo4j")
	if err := errors.Join(envErrs...); err != nil {
		return config{}, err
	}
	if err := fs.Parse(args); err != nil {
		return config{}, errUsage // the flag package has said what is wrong
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	c.MaxBodyBytes = int64(maxBody)
	c.Limits = limits
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	return c, c.check()
}

// check refuses settings that cannot work or would be unsafe.
func (c config) check() error {
	switch {
	case c.Port < 0 || c.Port > 65535:
		return fmt.Errorf("port %d is not between 0 and 65535", c.Port)
	case c.RequestTimeout <= 0:
		return errors.New("request-timeout must be positive")
	case c.MaxBodyBytes < 1 || c.TokenLimit < 1:
		return errors.New("max-body-bytes and max-tokens must be positive")
	case c.Synthetic != "" && c.DataDir != "":
		return errors.New("give -data or -synthetic, not both")
	case c.Neo4j.MaxPoolSize < 1:
		return errors.New("neo4j-max-pool-size must be positive")
	case c.OTelEndpoint != "" && !isHTTPURL(c.OTelEndpoint):
		// The exporter would silently send to its default instead.
		return fmt.Errorf("otel-endpoint %q is not an http:// or https:// URL such as http://127.0.0.1:4318", c.OTelEndpoint)
	case c.Production && (len(c.CORSOrigins) == 0 || slices.Contains(c.CORSOrigins, "*")):
		return errors.New("production mode needs an explicit CORS allow-list: -cors-origins https://your.dashboard,... (not *)")
	}
	if c.Synthetic != "" {
		if _, err := gen.ParseScale(c.Synthetic); err != nil {
			return fmt.Errorf("synthetic: %w", err)
		}
	}
	for _, n := range []int{c.Limits.Depth, c.Limits.Aliases, c.Limits.RootFields, c.Limits.Directives, c.Limits.Complexity, c.Limits.ResultNodes, c.Limits.Errors} {
		if n < 0 {
			return errors.New("limits must be 0 (none) or positive")
		}
	}
	return nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// intValue and durationValue are flag.Values whose parse errors read well
// for environment variables too.
type intValue int

func (v *intValue) String() string { return strconv.Itoa(int(*v)) }
func (v *intValue) Set(s string) error {
	n, err := strconv.Atoi(s)
	if err != nil {
		return errors.New("not a whole number")
	}
	*v = intValue(n)
	return nil
}

type durationValue time.Duration

func (v *durationValue) String() string { return time.Duration(*v).String() }
func (v *durationValue) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil {
		return errors.New("not a duration such as 10s or 1m30s")
	}
	*v = durationValue(d)
	return nil
}
