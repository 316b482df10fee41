// The Neo4j GraphQL Library (@neo4j/graphql 7) served by Apollo Server 5
// over the graph civicgraph stores in Neo4j, for the side-by-side benchmark.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 NEO4J_USER=neo4j NEO4J_PASSWORD=... PORT=4000 node server.mjs
//
// POST /graphql answers GraphQL; GET /healthz says it is up; GET /stats
// counts the Cypher statements sent to Neo4j, so the benchmark can report
// round trips per request.
import { readFileSync } from "node:fs";
import http from "node:http";
import { ApolloServer, HeaderMap } from "@apollo/server";
import { Neo4jGraphQL } from "@neo4j/graphql";
import neo4j from "neo4j-driver";

const env = (name, fallback) => process.env[name] ?? fallback;
const port = Number(env("PORT", "4000"));

const driver = neo4j.driver(
  env("NEO4J_URI", "bolt://127.0.0.1:7687"),
  neo4j.auth.basic(env("NEO4J_USER", "neo4j"), env("NEO4J_PASSWORD", "")),
);

// Statements sent, counted where the library hands them to a transaction.
let statements = 0;
const countingDriver = new Proxy(driver, {
  get(target, prop) {
    if (prop !== "session") return Reflect.get(target, prop, target);
    return (config) => {
      const session = target.session(config);
      const wrapTx = (tx) =>
        new Proxy(tx, {
          get(t, p) {
            if (p === "run") return (...args) => (statements++, t.run(...args));
            const v = Reflect.get(t, p, t);
            return typeof v === "function" ? v.bind(t) : v;
          },
        });
      for (const name of ["executeRead", "executeWrite"]) {
        const original = session[name].bind(session);
        session[name] = (work, txConfig) => original((tx) => work(wrapTx(tx)), txConfig);
      }
      const run = session.run.bind(session);
      session.run = (...args) => (statements++, run(...args));
      return session;
    };
  },
});

const typeDefs = readFileSync(new URL("./typedefs.graphql", import.meta.url), "utf8");
const schema = await new Neo4jGraphQL({ typeDefs, driver: countingDriver }).getSchema();
const apollo = new ApolloServer({ schema, csrfPrevention: false });
await apollo.start();

async function graphql(req, res, body) {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (typeof value === "string") headers.set(key, value);
  }
  const url = new URL(req.url, "http://localhost");
  const answer = await apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method, headers, search: url.search, body },
    context: async () => ({}),
  });
  for (const [key, value] of answer.headers) res.setHeader(key, value);
  res.statusCode = answer.status ?? 200;
  if (answer.body.kind === "complete") {
    res.end(answer.body.string);
    return;
  }
  for await (const chunk of answer.body.asyncIterator) res.write(chunk);
  res.end();
}

const server = http.createServer((req, res) => {
  const path = new URL(req.url, "http://localhost").pathname;
  if (path === "/healthz") {
    res.end("ok\n");
    return;
  }
  if (path === "/stats") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ statements }));
    return;
  }
  if (path !== "/graphql") {
    res.statusCode = 404;
    res.end();
    return;
  }
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    let body;
    try {
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString("utf8")) : undefined;
    } catch {
      res.statusCode = 400;
      res.end("bad JSON\n");
      return;
    }
    graphql(req, res, body).catch((err) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
});
// Keep-alive longer than the load tool's connections live.
server.keepAliveTimeout = 120_000;
server.listen(port, "127.0.0.1", () => console.log(`@neo4j/graphql serving http://127.0.0.1:${port}/graphql`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    server.close();
    await apollo.stop();
    await driver.close();
    process.exit(0);
  });
}
