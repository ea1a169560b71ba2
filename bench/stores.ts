/**
 * The two stores side by side (`npm run bench:stores`): in one run, a
 * `wrangler dev` runtime on D1 and one on MySQL (wrangler.mysql.toml: the
 * HYPERDRIVE binding, on a fresh database of the local MariaDB, scripts/mariadb.ts),
 * each on fresh state, both up for the whole run and measured in turns (four
 * rounds, alternating which goes first), printing one table:
 *
 * 1. push → webhook received at a real local receiver (bench/loop.ts's
 *    measurement): p50 / p95 / p99 over BENCH_PUSHES pushes, one at a time;
 * 2. formula registration, `PUT /v1/formulas/:name` of a new name: p50 / p95 /
 *    p99 one at a time, then throughput with BENCH_CONCURRENCY requests in flight.
 *
 * It also says which store served each runtime: the formulas registered on
 * the MySQL runtime are read back from MariaDB directly (mysql2). Where the
 * Worker has no MySQL store (a build without it), that runtime ran on D1, and
 * the table says so rather than labelling D1's figures MySQL.
 *
 * A registration refused (a 5xx, say) is counted, shown in the table and
 * makes the run exit 1; the figures still include its time.
 *
 * Both runtimes start through wrangler's API with the DevTools inspector off,
 * as bench/loop.ts's do. Options (env): BENCH_PUSHES (300), BENCH_FORMULAS
 * (300), BENCH_CONCURRENCY (8), BENCH_LOG_LEVEL (info), FAAS_MYSQL_URL (its
 * port: the MariaDB to use or start, default 3307).
 */
import { rmSync } from "node:fs";
import {
  envMySQLPort,
  freshStore,
  type MariaDB,
  startMariaDB,
  tenantRows,
} from "../scripts/mariadb.ts";
import { type Receiver, startReceiver } from "../scripts/webhook-receiver.ts";
import { mysqlRuntime } from "../scripts/wrangler-mysql.ts";
import { api, migratedState, type Runtime, startRuntime } from "./runtime.ts";

const PUSHES = Number(process.env.BENCH_PUSHES ?? 300);
const FORMULAS = Number(process.env.BENCH_FORMULAS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "info";
const WARMUP = 10;
/** Turns the two sides take at each measurement. */
const ROUNDS = 4;
const ADMIN = "bench-admin-token";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Side {
  label: "D1" | "MySQL";
  runtime: Runtime;
  receiver: Receiver;
  key: string;
  tenant: string;
  /** The MySQL database this runtime was given, if any. */
  mysqlUrl?: string;
  /** Formulas registered (2xx), and the errors of those refused. */
  registered: number;
  failures: string[];
  cleanup: () => Promise<void>;
}

interface Figures {
  push: number[];
  failures: string[];
  register: number[];
  throughput: number;
  served: string;
}

const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

async function startSide(label: Side["label"], mariadb: MariaDB): Promise<Side> {
  const persist = migratedState(`bench-stores-${label.toLowerCase()}-`);
  const mysql = label === "MySQL" ? await freshStore(mariadb.url, "bench") : undefined;
  const receiver = await startReceiver();
  const runtime = await startRuntime({
    persist,
    vars: {
      ADMIN_TOKEN: ADMIN,
      ALLOW_PRIVATE_TARGETS: "true",
      LOG_LEVEL,
      QUOTA_FORMULAS: String(2 * FORMULAS + 2 * WARMUP + 10),
    },
    output: ["ignore", "inherit"], // wrangler's errors show; its request log does not
    inspector: false,
    ...(mysql ? mysqlRuntime(mysql.url) : {}),
  });
  const tenant = `bench-${label.toLowerCase()}`;
  const { key } = await api(runtime.base, ADMIN, "POST", "/v1/keys", {
    tenant,
    scopes: ["goals:read", "goals:write", "observe", "formulas:read", "formulas:write"],
  });
  return {
    label,
    runtime,
    receiver,
    key,
    tenant,
    mysqlUrl: mysql?.url,
    registered: 0,
    failures: [],
    cleanup: async () => {
      await runtime.stop();
      await receiver.close();
      await mysql?.drop();
      rmSync(persist, { recursive: true, force: true });
    },
  };
}

/** The goal pushed to: its rule fires on each change, so each push causes exactly one webhook. */
async function latencyGoal(side: Side): Promise<string> {
  const goal = await api(side.runtime.base, side.key, "POST", "/v1/goals", {
    name: "latency",
    every: "1h",
    observe: { x: { from: "push" } },
    orient: { seen: "x" },
    decide: { rules: [{ id: "changed", when: "x != prev.seen", do: "hook" }] },
    act: { hook: { webhook: `${side.receiver.url}/hook`, body: { x: "=x" } } },
    guard: { max_actions_per_hour: 100_000 },
  });
  return goal.id;
}

/** Push → webhook received for values `from`…`from + count - 1`, one push at a time. */
async function pushes(side: Side, goal: string, from: number, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let value = from; value < from + count; value++) {
    const sent = performance.now();
    await api(side.runtime.base, side.key, "POST", `/v1/goals/${goal}/observations`, {
      name: "x",
      value,
    });
    const body = JSON.stringify({ x: value });
    const mine = () => side.receiver.deliveries.find((d) => d.body === body);
    for (const until = Date.now() + 30_000; !mine(); await sleep(0.5))
      if (Date.now() > until) throw new Error(`${side.label}: no webhook for push ${value}`);
    times.push((mine()?.arrivedAt ?? Number.NaN) - sent);
  }
  return times;
}

/**
 * Registers one new name. A refusal (an error status after api()'s 429 retries) is
 * counted on the side, and the run goes on: the table shows how many failed.
 */
async function register(side: Side, name: string, n: number): Promise<void> {
  try {
    await api(side.runtime.base, side.key, "PUT", `/v1/formulas/${name}`, {
      expr: "principal * rate / 12 + fee * n",
      params: [{ name: "principal" }, { name: "rate" }, { name: "fee", default: n }, { name: "n" }],
      description: `benchmark formula ${n}`,
    });
    side.registered++;
  } catch (error) {
    side.failures.push((error as Error).message);
  }
}

/** Registration latencies of `count` new names, one at a time. */
async function registrations(side: Side, prefix: string, count: number): Promise<number[]> {
  const latency: number[] = [];
  for (let i = 0; i < count; i++) {
    const sent = performance.now();
    await register(side, `${prefix}_${i}`, i);
    latency.push(performance.now() - sent);
  }
  return latency;
}

/** Seconds to register `count` new names with CONCURRENCY requests in flight. */
async function burst(side: Side, prefix: string, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await register(side, `${prefix}_${i}`, i);
      }
    }),
  );
  return (performance.now() - started) / 1000;
}

/** Which store holds what this runtime registered: MySQL if every formula is in its database. */
async function served(side: Side, registered: number): Promise<string> {
  if (side.mysqlUrl === undefined) return "D1";
  const rows = await tenantRows(side.mysqlUrl, "formulas", side.tenant);
  if (rows === registered) return "MySQL";
  notes.push(
    `the ${side.label} runtime's database holds ${rows === null ? "no formulas table" : `${rows} of its ${registered} formulas`}: D1 served it (this build does not switch stores on HYPERDRIVE)`,
  );
  return "D1 (see below)";
}
const notes: string[] = [];

console.log(
  `stores benchmark: ${PUSHES} pushes, ${FORMULAS} registrations one at a time and ${FORMULAS} with ${CONCURRENCY} in flight, per store; LOG_LEVEL=${LOG_LEVEL}; wrangler dev API, inspector off (node ${process.version})`,
);
const mariadb = await startMariaDB({ port: envMySQLPort() });
const sides: Side[] = [];
const results = new Map<Side, Figures>();
try {
  sides.push(await startSide("D1", mariadb), await startSide("MySQL", mariadb));
  for (const side of sides) console.log(`  ${side.label} runtime on ${side.runtime.base}`);
  // Warm both up (not counted), then measure in ROUNDS rounds, the two sides taking turns and
  // alternating which goes first, so neither gets the quieter minutes of a shared machine.
  const goals = new Map<Side, string>();
  for (const side of sides) {
    goals.set(side, await latencyGoal(side));
    await pushes(side, goals.get(side) ?? "", 1, WARMUP);
    await registrations(side, "warm", WARMUP);
    results.set(side, {
      push: [],
      failures: side.failures,
      register: [],
      throughput: 0,
      served: "",
    });
  }
  const seconds = new Map<Side, number>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    const share = (total: number) => Math.floor(total / ROUNDS) + (round < total % ROUNDS ? 1 : 0);
    const from = WARMUP + 1 + round * Math.ceil(PUSHES / ROUNDS);
    for (const side of order)
      results
        .get(side)
        ?.push.push(...(await pushes(side, goals.get(side) ?? "", from, share(PUSHES))));
    for (const side of order)
      results
        .get(side)
        ?.register.push(...(await registrations(side, `seq${round}`, share(FORMULAS))));
    for (const side of order)
      seconds.set(
        side,
        (seconds.get(side) ?? 0) + (await burst(side, `par${round}`, share(FORMULAS))),
      );
  }
  for (const side of sides) {
    const figures = results.get(side);
    if (!figures) continue;
    figures.throughput = FORMULAS / (seconds.get(side) ?? Number.NaN);
    figures.served = await served(side, side.registered);
  }
} finally {
  for (const side of sides) await side.cleanup();
  await mariadb.stop();
}

const ms = (n: number) => `${n.toFixed(1)} ms`;
const rows: [string, (f: Figures) => string][] = [
  ["store that served", (f) => f.served],
  ["push → webhook p50", (f) => ms(quantile(f.push, 0.5))],
  ["push → webhook p95", (f) => ms(quantile(f.push, 0.95))],
  ["push → webhook p99", (f) => ms(quantile(f.push, 0.99))],
  ["PUT /v1/formulas p50", (f) => ms(quantile(f.register, 0.5))],
  ["PUT /v1/formulas p95", (f) => ms(quantile(f.register, 0.95))],
  ["PUT /v1/formulas p99", (f) => ms(quantile(f.register, 0.99))],
  [`PUT /v1/formulas, ${CONCURRENCY} in flight`, (f) => `${f.throughput.toFixed(0)} / s`],
  ["PUT /v1/formulas refused", (f) => String(f.failures.length)],
];
const columns = sides.map((side) => results.get(side));
console.log(`\n${"".padEnd(32)}${sides.map((s) => `${s.label} runtime`.padEnd(30)).join("")}`);
for (const [label, cell] of rows)
  console.log(`${label.padEnd(32)}${columns.map((f) => (f ? cell(f) : "-").padEnd(30)).join("")}`);
for (const note of notes) console.log(`\nnote: ${note}`);
for (const side of sides.filter((s) => s.failures.length > 0)) {
  console.log(
    `\n${side.label} runtime: ${side.failures.length} registrations refused, e.g. ${side.failures[0]}`,
  );
  process.exitCode = 1;
}
