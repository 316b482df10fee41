package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"
)

// config is everything the service can be told at start. Each setting has a
// flag and an environment variable; a flag wins over the variable, and the
// variable over the default. The README's configuration table lists them.
type config struct {
	Host           string
	Port           int
	CORSOrigins    []string
	DataDir        string // "" means the embedded seed dataset
	RequestTimeout time.Duration
	MaxBodyBytes   int64
	TokenLimit     int
	ShutdownGrace  time.Duration
	Neo4j          neo4jConfig
}

type neo4jConfig struct {
	URI, User, Password, Database string
}

func (c config) addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// parseConfig reads flags from args over environment variables from getenv.
func parseConfig(name string, args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(key, fallback string) string {
		if v := getenv(key); v != "" {
			return v
		}
		return fallback
	}
	var c config
	var origins, timeout, grace string
	var port, maxBody, tokens string
	fs.StringVar(&c.Host, "host", env("CIVICGRAPH_HOST", "127.0.0.1"), "address to listen on ($CIVICGRAPH_HOST)")
	fs.StringVar(&port, "port", env("CIVICGRAPH_PORT", "8080"), "port to listen on; 0 picks a free one ($CIVICGRAPH_PORT)")
	fs.StringVar(&origins, "cors-origins", env("CIVICGRAPH_CORS_ORIGINS", ""), "comma-separated origins allowed to call the API from a browser; * for any ($CIVICGRAPH_CORS_ORIGINS)")
	fs.StringVar(&c.DataDir, "data", env("CIVICGRAPH_DATA", ""), "folder of *.yaml data files; empty serves the embedded seed dataset ($CIVICGRAPH_DATA)")
	fs.StringVar(&timeout, "request-timeout", env("CIVICGRAPH_REQUEST_TIMEOUT", "10s"), "deadline of one request ($CIVICGRAPH_REQUEST_TIMEOUT)")
	fs.StringVar(&maxBody, "max-body-bytes", env("CIVICGRAPH_MAX_BODY_BYTES", "1048576"), "largest request body accepted ($CIVICGRAPH_MAX_BODY_BYTES)")
	fs.StringVar(&tokens, "max-tokens", env("CIVICGRAPH_MAX_TOKENS", "5000"), "most tokens one GraphQL query may have ($CIVICGRAPH_MAX_TOKENS)")
	fs.StringVar(&grace, "shutdown-grace", env("CIVICGRAPH_SHUTDOWN_GRACE", "15s"), "time requests in flight get to finish at shutdown ($CIVICGRAPH_SHUTDOWN_GRACE)")
	fs.StringVar(&c.Neo4j.URI, "neo4j-uri", env("NEO4J_URI", ""), "Neo4j to use instead of the embedded store, e.g. bolt://127.0.0.1:7687 ($NEO4J_URI)")
	fs.StringVar(&c.Neo4j.User, "neo4j-user", env("NEO4J_USER", "neo4j"), "Neo4j user ($NEO4J_USER)")
	fs.StringVar(&c.Neo4j.Password, "neo4j-password", env("NEO4J_PASSWORD", ""), "Neo4j password ($NEO4J_PASSWORD)")
	fs.StringVar(&c.Neo4j.Database, "neo4j-database", env("NEO4J_DATABASE", "neo4j"), "Neo4j database ($NEO4J_DATABASE)")
	if err := fs.Parse(args); err != nil {
		return config{}, errUsage // the flag package has said what is wrong
	}
	if fs.NArg() > 0 {
		return config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	var err error
	if c.Port, err = strconv.Atoi(port); err != nil || c.Port < 0 || c.Port > 65535 {
		return config{}, fmt.Errorf("port: %q is not a port number", port)
	}
	if c.RequestTimeout, err = time.ParseDuration(timeout); err != nil || c.RequestTimeout <= 0 {
		return config{}, fmt.Errorf("request-timeout: %q is not a positive duration such as 10s", timeout)
	}
	if c.ShutdownGrace, err = time.ParseDuration(grace); err != nil || c.ShutdownGrace < 0 {
		return config{}, fmt.Errorf("shutdown-grace: %q is not a duration such as 15s", grace)
	}
	if c.MaxBodyBytes, err = strconv.ParseInt(maxBody, 10, 64); err != nil || c.MaxBodyBytes < 1 {
		return config{}, fmt.Errorf("max-body-bytes: %q is not a positive number", maxBody)
	}
	if c.TokenLimit, err = strconv.Atoi(tokens); err != nil || c.TokenLimit < 1 {
		return config{}, fmt.Errorf("max-tokens: %q is not a positive number", tokens)
	}
	for _, o := range strings.Split(origins, ",") {
		if o = strings.TrimSpace(o); o != "" {
			c.CORSOrigins = append(c.CORSOrigins, o)
		}
	}
	return c, nil
}
