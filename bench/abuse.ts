/**
 * The abuse benchmark (`npm run bench:abuse`): the worst requests one tenant
 * can build, against a second tenant's steady traffic, on one real
 * `wrangler dev` runtime on loopback (one isolate serves every tenant there,
 * as the worst case of sharing).
 *
 * The victim tenant sends, paced, `POST /v1/eval` (a quadratic) and
 * `GET /v1/formulas/:name/eval` (a registered one), and a probe reads
 * `GET /healthz` (no key) every 20 ms. The attacker runs ABUSE_ATTACKERS
 * closed loops over the reported worst requests:
 *
 * - `GET /v1/formulas/f2/eval` where f2 sums 70 calls of f1, which sums 450
 *   calls of f0 (just under a million units: the most a registration lets
 *   through); with 450 calls, as reported, f2 is refused at registration;
 * - `POST /v1/eval` of 371 medians of a 100,000-element array;
 * - `POST /v1/eval` of a batch of rows that exhausts the request budget;
 * - `POST /v1/goals/simulate` of 1,000 cycles of 768 medians over the history.
 *
 * First the victim runs alone for ABUSE_SECONDS (its baseline), then with the
 * attacker for as long. It prints the victim's p50/p99 beside its baseline,
 * the health probe's, and the attacker's requests of each kind, their
 * answers and how long they ran on the server (Server-Timing), and judges:
 * the victim's p99 within 2× of its baseline, the probe's p99 under 100 ms,
 * and no attacker request running over 1 s. Exit 1 on a FAIL.
 *
 * The attacker waits out a 429's Retry-After, as any client must: what is
 * measured is the worst work a tenant can make the isolate do at the rate
 * the service lets it, not a flood of refused requests (ABUSE_FLOOD=1 sends
 * one anyway, for information: on Cloudflare the edge absorbs those; under
 * `wrangler dev` every body crosses its Node proxy on the same two cores).
 *
 * Options (env): ABUSE_SECONDS (15), ABUSE_ATTACKERS (3), ABUSE_ONLY (indexes
 * of the worst requests to send, default all), ABUSE_FLOOD, ABUSE_LOG (a file
 * for the runtime's output), BENCH_LOG_LEVEL (warn).
 */
import { openSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { api, migratedState, startRuntime } from "./runtime.ts";
import { median } from "./timing.ts";

const SECONDS = Number(process.env.ABUSE_SECONDS ?? 15);
const ATTACKERS = Number(process.env.ABUSE_ATTACKERS ?? 3);
/** The attacker ignores Retry-After on 429 (a request flood) when "1". */
const FLOOD = process.env.ABUSE_FLOOD === "1";
/** Which of the worst requests the attacker sends (indexes, comma-separated; default all). */
const ONLY = (process.env.ABUSE_ONLY ?? "0,1,2,3").split(",").map(Number);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";
const ADMIN = "abuse-admin-token";
/** The victim's pace: one request per stream every this many ms. */
const PACE_MS = 25;

setTimeout(
  () => {
    console.error("abuse benchmark: did not finish in time");
    process.exit(1);
  },
  (2 * SECONDS + 300) * 1000,
).unref();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** One timed request: its status, wall time (ms) and Retry-After (s). */
async function timed(
  url: string,
  init: RequestInit,
): Promise<{ status: number; ms: number; run?: number; code?: string; retryAfter?: number }> {
  const started = performance.now();
  const res = await fetch(url, init);
  const text = await res.text();
  const ms = performance.now() - started;
  const retryAfter = Number(res.headers.get("retry-after") ?? Number.NaN);
  // The server's own account: how long the request ran once it had its tenant's turn.
  const run = Number(
    /run;dur=(\d+)/.exec(res.headers.get("server-timing") ?? "")?.[1] ?? Number.NaN,
  );
  let code: string | undefined;
  if (!res.ok) {
    try {
      code = JSON.parse(text).error?.code;
    } catch {
      code = undefined;
    }
  }
  return {
    status: res.status,
    ms,
    ...(Number.isFinite(run) ? { run } : {}),
    ...(code === undefined ? {} : { code }),
    ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
  };
}

/** A request's init; a body given as a string is sent as it is (the attacker's big ones are serialized once). */
const json = (key: string, method: string, body?: unknown): RequestInit => ({
  method,
  headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
});

const persist = migratedState("bench-abuse-");
const logFile = process.env.ABUSE_LOG;
const runtime = await startRuntime({
  persist,
  vars: { ADMIN_TOKEN: ADMIN, LOG_LEVEL, ALLOW_PRIVATE_TARGETS: "true" },
  inspector: false,
  ...(logFile === undefined ? {} : { output: openSync(logFile, "w") }),
});
const base = runtime.base;
let failed = false;
try {
  const keyFor = async (tenant: string) =>
    (
      await api(base, ADMIN, "POST", "/v1/keys", {
        tenant,
        scopes: ["formulas:read", "formulas:write", "goals:read", "goals:write", "observe"],
      })
    ).key as string;
  const victim = await keyFor("victim");
  const attacker = await keyFor("attacker");

  // The victim's registered formula; the attacker's chain of fan-out.
  await api(base, victim, "PUT", "/v1/formulas/tax", {
    expr: "round(price * (1 + rate), 2)",
    params: ["price", "rate"],
  });
  const calls = (callee: string, times: number) =>
    `sum([${Array.from({ length: times }, () => `fn.${callee}(x)`).join(",")}])`;
  await api(base, attacker, "PUT", "/v1/formulas/f0", { expr: "x + 1", params: ["x"] });
  await api(base, attacker, "PUT", "/v1/formulas/f1", { expr: calls("f0", 450), params: ["x"] });
  const asReported = await timed(
    `${base}/v1/formulas/f2`,
    json(attacker, "PUT", { expr: calls("f1", 450), params: ["x"] }),
  );
  await api(base, attacker, "PUT", "/v1/formulas/f2", { expr: calls("f1", 70), params: ["x"] });

  const xs = Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 1000);
  const medians = `sum([${Array.from({ length: 371 }, () => "median(xs)").join(",")}])`;
  const rowXs = Array.from({ length: 5000 }, (_, i) => (i * 31) % 1000);
  const rowsExpr = `sum([${Array.from({ length: 29 }, () => "median(xs)").join(",")}])`;
  const orient = Object.fromEntries(
    Array.from({ length: 64 }, (_, i) => [
      `m${i}`,
      `sum([${Array.from({ length: 12 }, () => "median(history.x)").join(",")}])`,
    ]),
  );
  const simulation = {
    spec: { name: "heavy", keep: 1000, observe: { x: { from: "push" } }, orient },
    observations: Array.from({ length: 1000 }, (_, i) => ({ at: i * 1000, values: { x: i % 50 } })),
  };
  // Serialized once: the benchmark's own client shares the machine's two cores.
  const mediansBody = JSON.stringify({ expr: medians, vars: { xs } });
  const rowsBody = JSON.stringify({
    expr: rowsExpr,
    rows: Array.from({ length: 30 }, () => ({ xs: rowXs })),
  });
  const simulationBody = JSON.stringify(simulation);
  const worst: { name: string; request: () => [string, RequestInit] }[] = [
    {
      name: "GET f2 (70 × 450 fn. calls)",
      request: () => [
        `${base}/v1/formulas/f2/eval?x=${Math.floor(Math.random() * 100)}`,
        json(attacker, "GET"),
      ],
    },
    {
      name: "POST 371 medians of 100k",
      request: () => [`${base}/v1/eval`, json(attacker, "POST", mediansBody)],
    },
    {
      name: "POST rows over the request budget",
      request: () => [`${base}/v1/eval`, json(attacker, "POST", rowsBody)],
    },
    {
      name: "POST simulate 1,000 × 768 medians",
      request: () => [`${base}/v1/goals/simulate`, json(attacker, "POST", simulationBody)],
    },
  ];

  /** The victim's traffic and the health probe until `stop()`; their latencies. */
  const victimRun = (seconds: number) => {
    const latencies = { eval: [] as number[], get: [] as number[], health: [] as number[] };
    const errors: string[] = [];
    const until = Date.now() + seconds * 1000;
    const paced = async (
      into: number[],
      request: () => [string, RequestInit],
      pace: number,
    ): Promise<void> => {
      while (Date.now() < until) {
        const next = Date.now() + pace;
        const [url, init] = request();
        const result = await timed(url, init);
        if (result.status !== 200) errors.push(`${url} ${result.status} ${result.code ?? ""}`);
        into.push(result.ms);
        await sleep(Math.max(0, next - Date.now()));
      }
    };
    return Promise.all([
      paced(
        latencies.eval,
        () => [
          `${base}/v1/eval`,
          json(victim, "POST", {
            expr: "a*x^2 + b*x + c",
            vars: { a: 1, b: 2, c: 3, x: Math.random() * 10 },
          }),
        ],
        PACE_MS,
      ),
      paced(
        latencies.get,
        () => [
          `${base}/v1/formulas/tax/eval?price=${(Math.random() * 100).toFixed(2)}&rate=0.2`,
          json(victim, "GET"),
        ],
        PACE_MS,
      ),
      paced(latencies.health, () => [`${base}/healthz`, { method: "GET" }], 20),
    ]).then(() => ({ latencies, errors }));
  };

  /** The attacker's closed loops until `until`; per kind, the answers and wall times. */
  const attack = async (until: number) => {
    const seen = new Map<string, { ms: number[]; run: number[]; answers: Map<string, number> }>();
    const loop = async (offset: number) => {
      for (let i = offset; Date.now() < until; i++) {
        const kind = worst[ONLY[i % ONLY.length] ?? 0];
        if (kind === undefined) continue;
        const [url, init] = kind.request();
        const result = await timed(url, init);
        const entry = seen.get(kind.name) ?? { ms: [], run: [], answers: new Map() };
        entry.ms.push(result.ms);
        if (result.run !== undefined) entry.run.push(result.run);
        const answer = `${result.status}${result.code ? ` ${result.code}` : ""}`;
        entry.answers.set(answer, (entry.answers.get(answer) ?? 0) + 1);
        seen.set(kind.name, entry);
        // As a client must (a flood of refused requests is the edge's to absorb, not the isolate's).
        if (result.status === 429 && !FLOOD) await sleep(1000 * (result.retryAfter ?? 1));
      }
    };
    await Promise.all(Array.from({ length: ATTACKERS }, (_, i) => loop(i * ONLY.length)));
    return seen;
  };

  console.log(
    `abuse benchmark: victim paced at ${Math.round(1000 / PACE_MS)} req/s per stream for ${SECONDS}s alone, then beside ${ATTACKERS} attacker loops (${FLOOD ? "ignoring" : "waiting out"} Retry-After); ${cpus().length} cores, load ${loadavg()[0]?.toFixed(2)}; LOG_LEVEL=${LOG_LEVEL}`,
  );
  console.log(
    `  f2 = 450 × f1 (as reported) at registration: ${asReported.status} ${asReported.code ?? ""}`,
  );
  const baseline = await victimRun(SECONDS);
  const until = Date.now() + SECONDS * 1000;
  const [under, attacked] = await Promise.all([victimRun(SECONDS), attack(until)]);

  const row = (label: string, alone: number[], loaded: number[]) => {
    const p99a = quantile(alone, 0.99);
    const p99b = quantile(loaded, 0.99);
    console.log(
      `  ${label.padEnd(34)} alone p50 ${median(alone).toFixed(1)} p99 ${p99a.toFixed(1)} ms | under attack p50 ${median(loaded).toFixed(1)} p99 ${p99b.toFixed(1)} max ${Math.max(...loaded).toFixed(1)} ms | p99 ratio ${(p99b / p99a).toFixed(2)} (${alone.length}/${loaded.length} requests)`,
    );
    return p99b / p99a;
  };
  console.log("\nvictim tenant");
  const ratios = [
    row("POST /v1/eval (quadratic)", baseline.latencies.eval, under.latencies.eval),
    row("GET /v1/formulas/tax/eval", baseline.latencies.get, under.latencies.get),
  ];
  row("GET /healthz (probe, no key)", baseline.latencies.health, under.latencies.health);
  const healthP99 = quantile(under.latencies.health, 0.99);
  const errors = [...baseline.errors, ...under.errors];
  if (errors.length > 0) console.log(`  victim errors: ${errors.length}, e.g. ${errors[0]}`);

  console.log(
    "\nattacker tenant (wall: client side, waits for its own turn included; run: the server's Server-Timing, once it had its turn)",
  );
  let slowest = 0;
  for (const [name, entry] of attacked) {
    const max = Math.max(...entry.ms);
    const run = entry.run.length > 0 ? Math.max(...entry.run) : 0;
    slowest = Math.max(slowest, run);
    const answers = [...entry.answers].map(([answer, n]) => `${n}× ${answer}`).join(", ");
    console.log(
      `  ${name.padEnd(36)} n ${String(entry.ms.length).padStart(3)}  wall p50 ${median(entry.ms).toFixed(0)} max ${max.toFixed(0)} ms  run max ${run} ms  answers: ${answers}`,
    );
  }

  const verdict = (ok: boolean) => (ok ? "PASS" : "FAIL");
  const victimOk = ratios.every((r) => r <= 2) && errors.length === 0;
  const healthOk = healthP99 < 100;
  const attackerOk = slowest < 1000 && asReported.status === 422;
  console.log(
    `\ntargets: victim p99 within 2× of its baseline, no victim error: ${verdict(victimOk)}; /healthz p99 under attack < 100 ms (${healthP99.toFixed(1)} ms): ${verdict(healthOk)}; every attacker request runs < 1 s on the server (slowest ${slowest.toFixed(0)} ms) and 450 × 450 refused: ${verdict(attackerOk)}`,
  );
  failed = !(victimOk && healthOk && attackerOk);
} finally {
  await runtime.stop();
}
process.exit(failed ? 1 : 0);
