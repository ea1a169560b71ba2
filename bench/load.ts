/**
 * The load test (`npm run bench:load`): autocannon against a real
 * `wrangler dev` on loopback, every stream at once for LOAD_SECONDS while
 * LOAD_GOALS goals cycle at `every: "1s"`:
 *
 * - formula evaluations: `POST /v1/eval` and the cacheable `GET /v1/formulas/:name/eval`;
 * - observation pushes, spread over the goals;
 * - trivial routes for comparison: `GET /healthz` (no key), and an authenticated
 *   trivial request, `GET /v1/load-baseline` (the key is checked, then 404 by design:
 *   there is no authenticated route without work of its own).
 *
 * Requests are spread over LOAD_KEYS API keys, each of its own tenant (with
 * its own copy of the formula and its share of the goals), so neither the
 * per-key nor the per-tenant rate limit is what is measured; 429s are counted
 * apart from errors. It
 * reports throughput, p50/p99 latency and errors per stream, and each formula
 * stream's throughput as a ratio of both trivial routes' in the same run
 * (every stream has the same number of connections). Targets: zero errors;
 * formula ÷ trivial ≥ 0.8. Then the trivial and formula streams run alone,
 * LOAD_SOLO_SECONDS each (goals still cycling), for their ratios without
 * queueing behind the others (reported, not judged). Exit 1 on any FAIL.
 *
 * Options (env): LOAD_SECONDS (60), LOAD_GOALS (100), LOAD_KEYS (20),
 * LOAD_CONNECTIONS per stream (8), LOAD_SOLO_SECONDS (10), BENCH_LOG_LEVEL (warn).
 */
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { Result } from "autocannon";
import { type Figures, figures, type Goal, printTable, run, streams } from "./load-streams.ts";
import { api, groupCpuSeconds, migratedState, startRuntime } from "./runtime.ts";

const SECONDS = Number(process.env.LOAD_SECONDS ?? 60);
const GOALS = Number(process.env.LOAD_GOALS ?? 100);
const KEYS = Number(process.env.LOAD_KEYS ?? 20);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 8);
const SOLO_SECONDS = Number(process.env.LOAD_SOLO_SECONDS ?? 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "warn";
const ADMIN = "load-admin-token";
const TARGET_RATIO = 0.8;

setTimeout(
  () => {
    console.error("load test: did not finish in time");
    process.exit(1); // bench/runtime.ts kills the runtime on exit
  },
  (SECONDS + 4 * SOLO_SECONDS + 240) * 1000,
).unref();

/** The goals' cycle numbers, to count the cycles run during the load. */
async function cycles(base: string, goals: Goal[]): Promise<number> {
  let total = 0;
  for (let i = 0; i < goals.length; i += 20) {
    const views = await Promise.all(
      goals.slice(i, i + 20).map(({ id, key }) => api(base, key, "GET", `/v1/goals/${id}`)),
    );
    total += views.reduce((sum, view) => sum + view.cycle, 0);
  }
  return total;
}

const persist = migratedState("bench-load-");
const logPath = join(persist, "wrangler.log");
const log = openSync(logPath, "a");
let failed = true;
let finished = false;
const runtime = await startRuntime({
  persist,
  vars: { ADMIN_TOKEN: ADMIN, LOG_LEVEL },
  output: log,
  args: ["--log-level", "warn"], // no wrangler line per request
});
try {
  const base = runtime.base;
  const scopes = ["formulas:read", "formulas:write", "goals:read", "goals:write", "observe"];
  const keys: string[] = [];
  for (let i = 0; i < KEYS; i++) {
    const { key } = await api(base, ADMIN, "POST", "/v1/keys", { tenant: `load-${i}`, scopes });
    await api(base, key, "PUT", "/v1/formulas/monthly_payment", {
      expr: "-pmt(rate / 12, years * 12, principal)",
      params: [
        { name: "principal", min: 0 },
        { name: "rate", min: 0, max: 1 },
        { name: "years", default: 30 },
      ],
    });
    keys.push(key);
  }
  const spec = {
    name: "load",
    every: "1s",
    keep: 20,
    observe: { x: { from: "push" } },
    orient: { avg: "mean(history.x)", high: "x > 90" },
  };
  // Goal i belongs to the tenant of key i mod KEYS; pushes to it use that key.
  const goals: Goal[] = [];
  for (let i = 0; i < GOALS; i += 20) {
    const batch = Array.from({ length: Math.min(20, GOALS - i) }, async (_, j) => {
      const key = keys[(i + j) % KEYS] as string;
      return { id: (await api(base, key, "POST", "/v1/goals", spec)).id as string, key };
    });
    goals.push(...(await Promise.all(batch)));
  }
  const all = streams(keys, goals);
  console.log(
    `load test: ${all.length} streams × ${CONNECTIONS} connections, together for ${SECONDS} s, then the trivial and formula streams alone for ${SOLO_SECONDS} s each; ${GOALS} goals at 1s; ${KEYS} keys; ${base} (node ${process.version})`,
  );
  await run(base, all, 3, 2); // warm-up: compile paths, fill caches

  const cyclesBefore = await cycles(base, goals);
  const cpuBefore = groupCpuSeconds(runtime.pid);
  const together = await run(base, all, SECONDS, CONNECTIONS);
  const cores = (groupCpuSeconds(runtime.pid) - cpuBefore) / SECONDS;
  const goalCycles = (await cycles(base, goals)) - cyclesBefore;
  const rows = all.map((stream, i) => figures(stream, together[i] as Result));
  printTable(`all together for ${SECONDS} s`, rows);
  console.log(`  goal cycles meanwhile: ${goalCycles} (${(goalCycles / SECONDS).toFixed(0)}/s)`);
  const load = loadavg()[0]?.toFixed(1);
  console.log(
    `  runtime CPU: ${cores.toFixed(2)} cores busy of ${cpus().length}; load average ${load}`,
  );

  // Alone: what each request costs when it does not queue behind the others (goals still cycle).
  const solo: Figures[] = [];
  for (const stream of all.slice(0, 4)) {
    const [result] = await run(base, [stream], SOLO_SECONDS, CONNECTIONS);
    solo.push(figures(stream, result as Result));
  }
  printTable(`each alone for ${SOLO_SECONDS} s (the goals cycling)`, solo);

  const errors = [...rows, ...solo].reduce((n, r) => n + r.errors, 0);
  const limited = [...rows, ...solo].reduce((n, r) => n + r.limited, 0);
  // Verdicts on the run with every stream together (the measure asked for); the runs
  // alone show what each request costs when it does not queue behind the others.
  const lines: [string, string][] = [
    [errors === 0 ? "PASS" : "FAIL", `errors: ${errors} (429s apart: ${limited}); target 0`],
  ];
  const ratios = (label: string, set: Figures[], gate: boolean) => {
    for (const baseline of set.slice(0, 2))
      for (const f of set.slice(2, 4)) {
        const value = f.rps / baseline.rps;
        const text = `${label}: ${f.name} ÷ ${baseline.name.split(" (")[0]} = ${value.toFixed(2)}`;
        const verdict = !gate ? "info" : value >= TARGET_RATIO ? "PASS" : "FAIL";
        lines.push([verdict, gate ? `${text}; target ≥ ${TARGET_RATIO}` : text]);
      }
  };
  ratios("together", rows, true);
  ratios("alone", solo, false);
  console.log("");
  for (const [verdict, text] of lines) console.log(`  ${verdict.padEnd(4)}  ${text}`);
  failed = lines.some(([verdict]) => verdict === "FAIL");
  finished = true;
} finally {
  await runtime.stop();
  closeSync(log);
  if (!finished)
    console.log(
      `wrangler log tail (${logPath}):\n${readFileSync(logPath, "utf8").split("\n").slice(-10).join("\n")}`,
    );
  else rmSync(persist, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
