// Stock GraphQL clients against a running gateway; prints one JSON line per check for the e2e
// test `clients` (tests/tests/clients.rs), which starts the gateway and judges the lines.
//
//   node check.mjs <http url of /graphql> <json: { usegemzToken, jobId, schemaPath, apolloPath, tokens }>
import { readdirSync, readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import {
  buildClientSchema,
  buildSchema,
  getIntrospectionQuery,
  lexicographicSortSchema,
  printSchema,
} from "graphql";
import { auditServer } from "graphql-http";
import { createClient as createSseClient } from "graphql-sse";
import { createClient as createWsClient } from "graphql-ws";
import WebSocket from "ws";

const [url, argsJson] = process.argv.slice(2);
const args = JSON.parse(argsJson);
const report = (check, result) => console.log(JSON.stringify({ check, ...result }));
const JOB = "subscription($id: UUID!) { usegemzJobProgress(jobId: $id) { jobId status progress } }";

async function audit() {
  const results = await auditServer({ url, fetchFn: fetch });
  const failed = results
    .filter((r) => r.status !== "ok")
    .map((r) => ({ id: r.id, name: r.name, status: r.status, reason: r.reason }));
  report("graphql-http audit", { total: results.length, failed });
}

async function introspection() {
  const query = getIntrospectionQuery({
    descriptions: true,
    specifiedByUrl: true,
    directiveIsRepeatable: true,
    schemaDescription: true,
    inputValueDeprecation: true,
    oneOf: true,
  });
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify({ query }),
  });
  const body = await res.json();
  if (body.errors) return report("introspection", { errors: body.errors });
  const served = printSchema(lexicographicSortSchema(buildClientSchema(body.data)));
  const committed = printSchema(lexicographicSortSchema(buildSchema(readFileSync(args.schemaPath, "utf8"))));
  report("introspection", { same: served === committed, servedLength: served.length });
}

// The first event of a job's progress through `client`, which the check then stops and
// disposes of.
async function firstEvent(check, client) {
  try {
    const iterator = client.iterate({ query: JOB, variables: { id: args.jobId } });
    for await (const first of iterator) {
      await iterator.return?.();
      return report(check, { first });
    }
    report(check, { first: null });
  } finally {
    await client.dispose();
  }
}

const authorization = () => `Bearer ${args.usegemzToken}`;

const websocket = () =>
  firstEvent(
    "graphql-ws",
    createWsClient({
      url: url.replace(/^http/, "ws") + "/ws",
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: authorization() },
      retryAttempts: 0,
    })
  );

const sse = () =>
  firstEvent("graphql-sse", createSseClient({ url, headers: { Authorization: authorization() }, retryAttempts: 0 }));

// Apollo Client with the exported cache setup: fragments on a union and an interface are
// read back from the normalized cache, and two queries under one namespace object keep
// each other's fields (the namespace merges) without cache warnings.
async function apollo() {
  const warnings = [];
  const warn = console.warn;
  const error = console.error;
  console.warn = (...a) => warnings.push(a.map(String).join(" "));
  console.error = (...a) => warnings.push(a.map(String).join(" "));
  try {
    const setup = JSON.parse(readFileSync(args.apolloPath, "utf8"));
    const client = new ApolloClient({
      link: new HttpLink({ uri: url, fetch }),
      cache: new InMemoryCache(setup),
    });
    const likes = gql`
      query Likes {
        headShakers {
          likes(first: 10, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) {
            nodes { id target { ...Target } }
          }
        }
      }
      fragment Target on HeadShakersLikeTarget {
        __typename
        ... on Node { id }
        ... on HeadShakersBobblehead { name }
        ... on HeadShakersCollection { name }
        ... on HeadShakersComment { content }
      }
    `;
    const tags = gql`
      query Tags { headShakers { tags(first: 3) { nodes { id name } } } }
    `;
    const first = await client.query({ query: likes });
    await client.query({ query: tags });
    const cached = client.readQuery({ query: likes });
    const nodes = cached?.headShakers?.likes?.nodes ?? [];
    report("apollo", {
      answered: first.data.headShakers.likes.nodes.length,
      cached: nodes.length,
      targets: nodes.filter((n) => n.target && (n.target.name || n.target.content)).length,
      kinds: [...new Set(nodes.map((n) => n.target?.__typename))],
      warnings,
    });
  } finally {
    console.warn = warn;
    console.error = error;
  }
}

// The operation texts relay-compiler generated from `relay/src` (the test runs it first), as
// Relay sends them (with the `id` and `__typename` selections it adds): every query that
// needs no variables runs without errors, signed out or, for an operation whose name starts
// with a key of `args.tokens`, as that token's holder.
async function relay() {
  const dir = new URL("./generated/relay/", import.meta.url);
  const errors = [];
  let ran = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith("Query.graphql.js")).sort()) {
    const { default: node } = await import(pathToFileURL(new URL(file, dir).pathname).href);
    if (node.params.operationKind !== "query" || node.fragment.argumentDefinitions.length) continue;
    const headers = { "content-type": "application/json", accept: "application/graphql-response+json" };
    const signed = Object.entries(args.tokens || {}).find(([p]) => node.params.name.startsWith(p));
    if (signed) headers.authorization = `Bearer ${signed[1]}`;
    const res = await fetch(url, {
      method: "POST",
      headers,
      body: JSON.stringify({ query: node.params.text, operationName: node.params.name }),
    });
    const body = await res.json();
    ran += 1;
    if (res.status !== 200 || body.errors) errors.push({ file, status: res.status, errors: body.errors });
  }
  report("relay", { ran, errors });
}

for (const check of [audit, introspection, websocket, sse, apollo, relay]) {
  try {
    await check();
  } catch (e) {
    report(check.name, { exception: String(e && e.stack ? e.stack : e) });
  }
}
