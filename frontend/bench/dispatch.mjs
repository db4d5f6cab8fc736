// Work orders under load, against two servers on one PostgreSQL database (started by
// scripts/bench-dispatch): first how many orders a dispatcher's requests file and dispatch per
// second, then how soon a change reaches every subscriber of workOrderChanged, half of them
// connected to the server that made the change and half to the other (relayed by NOTIFY).
//
// Latency is measured from the moment the filing request is sent — an upper bound on the time
// from its commit — to the moment each subscriber's socket delivers the notice.
import { createClient } from 'graphql-ws';

const env = (name, fallback) => Number(process.env[name] ?? fallback);
const [A, B] = [process.env.SERVER_A, process.env.SERVER_B];
const ORDERS = env('ORDERS', 2000);
const CONCURRENCY = env('CONCURRENCY', 32);
const SUBSCRIBERS = env('SUBSCRIBERS', 1000);
const UPDATES = env('UPDATES', 100);
const SPACING_MS = env('SPACING_MS', 50);

async function gql(base, token, query, variables = {}) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = await res.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];
const ms = (x) => `${x.toFixed(1)} ms`;

/** Runs `task(i)` for i in 0..n, `width` at a time; each task's duration in ms. */
async function pool(n, width, task) {
  const took = [];
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      await task(i);
      took.push(performance.now() - t0);
    }
  }));
  return took.sort((x, y) => x - y);
}

const { login } = await gql(A, null, 'mutation { login(input: { identifier: "dispatcher@demo.test", password: "courtyard-demo" }) { token } }');
const token = login.token;
const compound = (await gql(A, token, '{ compounds(search: "燎原新村") { edges { node { id } } } }')).compounds.edges[0].node.id;
const chen = (await gql(A, token, '{ contractors { id name } }')).contractors.find((c) => c.name === '陈师傅水电维修').id;

const REPORT = `mutation($i: ReportWorkOrderInput!) { reportWorkOrder(input: $i) { id } }`;
const FILE = `mutation($id: ID!) { fileWorkOrder(id: $id, input: { trade: ELECTRICAL, priority: NORMAL, bearer: COMPOUND_BUDGET }) { state } }`;
const DISPATCH = `mutation($id: ID!, $c: ID) { dispatchWorkOrder(id: $id, contractorId: $c) { state } }`;
async function report(n) {
  const ids = [];
  await pool(n, CONCURRENCY, async (i) => {
    const input = { compoundId: compound, locationKind: 'STAIRWELL', location: `${(i % 40) + 1}栋`, trade: 'ELECTRICAL', priority: 'NORMAL', description: '灯不亮' };
    ids.push((await gql(A, token, REPORT, { i: input })).reportWorkOrder.id);
  });
  return ids;
}

// 1. Filing and dispatching: the reports are made first, untimed.
const reported = await report(ORDERS);
const t0 = performance.now();
const took = await pool(ORDERS, CONCURRENCY, async (i) => {
  await gql(A, token, FILE, { id: reported[i] });
  await gql(A, token, DISPATCH, { id: reported[i], c: chen });
});
const seconds = (performance.now() - t0) / 1000;
console.log(`filed and dispatched ${ORDERS} orders with ${CONCURRENCY} at once in ${seconds.toFixed(2)} s: ` +
  `${Math.round(ORDERS / seconds)} orders/s; per order (two requests) p50 ${ms(percentile(took, 50))}, p99 ${ms(percentile(took, 99))}`);

// 2. Fan-out: the orders to change are reported before anyone listens.
const toFile = await report(UPDATES);
const sentAt = new Map();
const heard = { [A]: [], [B]: [] };
let connected = 0;
const clients = Array.from({ length: SUBSCRIBERS }, (_, i) => {
  const server = i % 2 === 0 ? A : B;
  const client = createClient({
    url: `${server.replace('http', 'ws')}/graphql/ws`,
    webSocketImpl: WebSocket,
    connectionParams: { token },
    lazy: false,
    retryAttempts: 0,
    on: { connected: () => { connected += 1; } },
  });
  client.subscribe({ query: 'subscription { workOrderChanged { orderId state } }' }, {
    next: ({ data }) => {
      const c = data?.workOrderChanged;
      const start = c?.state === 'FILED' && sentAt.get(c.orderId);
      if (start) heard[server].push(performance.now() - start);
    },
    error: (e) => console.error('subscriber', i, e),
    complete: () => {},
  });
  return client;
});
while (connected < SUBSCRIBERS) await new Promise((r) => setTimeout(r, 100));
await new Promise((r) => setTimeout(r, 1000));
for (const id of toFile) {
  sentAt.set(id, performance.now());
  await gql(A, token, FILE, { id });
  await new Promise((r) => setTimeout(r, SPACING_MS));
}
await new Promise((r) => setTimeout(r, 2000));
const expected = (UPDATES * SUBSCRIBERS) / 2;
for (const [name, server] of [['same server', A], ['other server', B]]) {
  const l = heard[server].sort((x, y) => x - y);
  console.log(`${name}: ${l.length} of ${expected} notices; p50 ${ms(percentile(l, 50))}, p99 ${ms(percentile(l, 99))}, max ${ms(l[l.length - 1])}`);
}
const all = [...heard[A], ...heard[B]].sort((x, y) => x - y);
console.log(`all ${SUBSCRIBERS} subscribers: ${all.length} of ${UPDATES * SUBSCRIBERS} notices; p50 ${ms(percentile(all, 50))}, p99 ${ms(percentile(all, 99))}`);
await Promise.all(clients.map((c) => c.dispose()));
