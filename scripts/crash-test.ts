/**
 * The crash test (`npm run test:crash`, run by CI after `npm test`): starts
 * `wrangler dev` on a fresh persisted state, registers goals whose rule fires
 * a webhook at a real local receiver each time a pushed value changes, pushes
 * observations concurrently and `kill -9`s the whole runtime (its process
 * group: wrangler, workerd, esbuild) while pushes and cycles are in flight.
 * Then it starts the runtime again on the same state, sends again every push
 * that got no answer (same Idempotency-Key) and checks (scripts/crash-checks.ts):
 *
 * - every goal resumes: active, alarm cycles since the restart, a wake-up ahead;
 * - every accepted observation is in its goal's receipts, and none twice;
 * - no action ran twice: no decision under two idempotency keys, no key with
 *   two different bodies, no delivery that no stored cycle planned, every
 *   action planned after the restart delivered, and the D1 ledger
 *   (`action_runs`) holds one outcome per key, only for planned keys. A key
 *   delivered again after the crash is allowed (at least once; the receiver
 *   deduplicates on the key) and counted as a redelivery.
 *
 * `--store mysql` (or CRASH_STORE=mysql) runs it on MySQL: a fresh database on
 * the local MariaDB (scripts/mariadb.ts; the one at FAAS_MYSQL_URL's port,
 * default 3307, reused when running), the runtime on wrangler.mysql.toml, the
 * ledger read from MySQL, and a check that the goals are there (MySQL served).
 *
 * Options (env): CRASH_GOALS (10), CRASH_PUSHES per goal (40), CRASH_KEEP=1 keeps the state folder
 * (and the MySQL database).
 */
import { closeSync, openSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { api, freePort, migratedState, type Runtime, startRuntime } from "../bench/runtime.ts";
import {
  checkActions,
  checkObservations,
  checkResumed,
  type GoalAfter,
  type Push,
  type Receipt,
} from "./crash-checks.ts";
import { d1Ledger, mysqlLedger } from "./crash-ledger.ts";
import { envMySQLPort, freshStore, type MariaDB, startMariaDB, tenantRows } from "./mariadb.ts";
import { startReceiver } from "./webhook-receiver.ts";
import { mysqlRuntime } from "./wrangler-mysql.ts";

const GOALS = Number(process.env.CRASH_GOALS ?? 10);
const PUSHES = Number(process.env.CRASH_PUSHES ?? 40);
const storeAt = process.argv.indexOf("--store");
const STORE = (storeAt >= 0 ? process.argv[storeAt + 1] : process.env.CRASH_STORE) ?? "d1";
if (STORE !== "d1" && STORE !== "mysql") {
  console.error(`crash test: --store ${STORE}: d1 or mysql`);
  process.exit(2);
}
const CONCURRENCY = 12;
const ADMIN = "crash-test-admin-token";
const TIME_LIMIT_MS = 170_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

setTimeout(() => {
  console.error(`crash test: FAIL, not done within ${TIME_LIMIT_MS / 1000} s`);
  process.exit(1); // the exit handler of bench/runtime.ts kills any runtime still running
}, TIME_LIMIT_MS).unref();

/** Pushes one value; throws when no answer came (the runtime died under it). */
async function push(base: string, key: string, p: Push) {
  const res = await fetch(`${base}/v1/goals/${p.goal}/observations`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      "idempotency-key": p.key,
    },
    body: JSON.stringify({ name: "x", value: p.value }),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  return { status: res.status, duplicate: res.ok && JSON.parse(text).duplicate === true };
}

/** Each goal's view and every receipt it keeps. */
async function collect(base: string, key: string, ids: string[]): Promise<GoalAfter[]> {
  return Promise.all(
    ids.map(async (id) => {
      const view = await api(base, key, "GET", `/v1/goals/${id}`);
      const receipts: Receipt[] = [];
      for (let after = 0; ; ) {
        const page = await api(base, key, "GET", `/v1/goals/${id}/cycles?after=${after}&limit=200`);
        receipts.push(...page.cycles);
        if (page.cycles.length < 200) break;
        after = page.cycles[page.cycles.length - 1].cycle;
      }
      const nextWakeAt = view.next_wake_at === null ? null : Date.parse(view.next_wake_at);
      return { id, status: view.status, nextWakeAt, receipts };
    }),
  );
}

const persist = migratedState("crash-test-");
const logPath = join(persist, "wrangler.log");
const log = openSync(logPath, "a");
const receiver = await startReceiver(await freePort());
const vars = { ADMIN_TOKEN: ADMIN, ALLOW_PRIVATE_TARGETS: "true", LOG_LEVEL: "warn" };
let mariadb: MariaDB | undefined;
let mysql: Awaited<ReturnType<typeof freshStore>> | undefined;
let runtime: Runtime | undefined;
let failed = true;
try {
  if (STORE === "mysql") {
    mariadb = await startMariaDB({ port: envMySQLPort() });
    mysql = await freshStore(mariadb.url, "crash");
  }
  const store = mysql ? mysqlRuntime(mysql.url) : {};
  runtime = await startRuntime({ persist, vars, output: log, ...store });
  console.log(
    `crash test (${STORE}${mysql ? `, database ${new URL(mysql.url).pathname.slice(1)}` : ""}): runtime up on ${runtime.base} (${elapsed()}), receiver ${receiver.url}`,
  );
  const base = runtime.base;
  const { key } = await api(base, ADMIN, "POST", "/v1/keys", {
    tenant: "crash",
    scopes: ["goals:read", "goals:write", "observe"],
  });
  const ids: string[] = [];
  for (let g = 0; g < GOALS; g++) {
    const goal = await api(base, key, "POST", "/v1/goals", {
      name: `crash-${g}`,
      every: "2s",
      observe: { x: { from: "push" } },
      orient: { seen: "x" },
      decide: { rules: [{ id: "changed", when: "x != prev.seen", do: "hook" }] },
      act: { hook: { webhook: `${receiver.url}/goal/${g}`, body: { x: "=x", cycle: "=cycle" } } },
    });
    ids.push(goal.id);
  }
  // Interleaved over the goals; every value distinct within its goal.
  const pushes: Push[] = [];
  for (let n = 1; n <= PUSHES; n++)
    for (const [g, id] of ids.entries())
      pushes.push({ goal: id, value: n, key: `crash-${g}-${n}`, first: "unsent" });
  const killAt = Math.floor(pushes.length * (0.35 + 0.3 * Math.random()));
  console.log(
    `  ${GOALS} goals; ${pushes.length} pushes, ${CONCURRENCY} at a time; kill -9 after ${killAt} accepted`,
  );

  // Phase 1: push until killAt are accepted, then kill the whole runtime under the pushes in flight.
  let next = 0;
  let accepted = 0;
  let inFlight = 0;
  let inFlightAtKill = 0;
  let crash: Promise<void> | undefined;
  const live = runtime;
  const worker = async () => {
    while (!crash && next < pushes.length) {
      const p = pushes[next++] as Push;
      inFlight++;
      try {
        const answer = await push(live.base, key, p);
        p.first = answer.status < 300 ? "accepted" : "refused";
        if (answer.status < 300) accepted++;
      } catch {
        p.first = "in_doubt";
      } finally {
        inFlight--;
      }
      if (!crash && accepted >= killAt) {
        inFlightAtKill = inFlight;
        crash = live.crash();
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  await (crash ?? live.crash());
  const killedAt = Date.now();
  const deliveredBeforeKill = receiver.deliveries.length;
  const count = (state: Push["first"]) => pushes.filter((p) => p.first === state).length;
  console.log(
    `  killed (kill -9 of process group ${live.pid}) at ${elapsed()}: ${count("accepted")} accepted, ${inFlightAtKill} in flight`,
  );

  // Phase 2: the same state again; every push without a 2xx is sent again with its key.
  runtime = await startRuntime({ persist, vars, output: log, ...store });
  const again = runtime;
  console.log(`  restarted on ${again.base} at ${elapsed()}`);
  const retry = pushes.filter((p) => p.first !== "accepted");
  for (let i = 0; i < retry.length; i += CONCURRENCY) {
    await Promise.all(
      retry.slice(i, i + CONCURRENCY).map(async (p) => {
        // A harness push, so an answer that asks for a retry (none, 5xx, 409, 429) is tried
        // again with the same key before it counts.
        const retryable = (status: number) =>
          status === 0 || status >= 500 || status === 409 || status === 429;
        const unanswered = () => !p.retry || retryable(p.retry.status);
        for (let attempt = 1; attempt <= 3 && unanswered(); attempt++) {
          if (attempt > 1) await sleep(1000);
          p.retry = await push(again.base, key, p).catch(() => ({ status: 0, duplicate: false }));
        }
      }),
    );
  }

  // Settle: wait until every push is applied, every new action delivered, every goal back on its alarm.
  let goals: GoalAfter[] = [];
  let seen = -1;
  let quietSince = Date.now();
  for (const until = Date.now() + 60_000; Date.now() < until; await sleep(1000)) {
    const collected = await collect(again.base, key, ids).catch((error: Error) => error);
    if (collected instanceof Error) {
      console.log(`  reading the goals failed, trying again: ${collected.message}`);
      continue;
    }
    goals = collected;
    if (receiver.deliveries.length !== seen)
      [seen, quietSince] = [receiver.deliveries.length, Date.now()];
    const settled =
      checkObservations(pushes, goals).missing === 0 &&
      checkActions(goals, receiver.deliveries, [], killedAt).unsentAfterRestart === 0 &&
      checkResumed(goals, killedAt, Date.now()).violations.length === 0;
    if (settled && Date.now() - quietSince >= 3000) break;
  }
  const resumed = checkResumed(goals, killedAt, Date.now());
  await again.stop();
  runtime = undefined;
  const observations = checkObservations(pushes, goals);
  const actions = checkActions(
    goals,
    receiver.deliveries,
    mysql ? await mysqlLedger(mysql.url) : d1Ledger(persist),
    killedAt,
  );
  // The goal registry is in the store: on MySQL, every goal must be there, or D1 served the run.
  const inMySQL = mysql ? await tenantRows(mysql.url, "goals", "crash") : GOALS;
  const stored =
    inMySQL === GOALS ? [] : [`store: ${inMySQL ?? "no table"} of ${GOALS} goals in MySQL`];

  const inDoubt = pushes.filter((p) => p.first === "in_doubt");
  const violations = [
    ...resumed.violations,
    ...observations.violations,
    ...actions.violations,
    ...stored,
  ];
  console.log(`\ncrash test summary (${elapsed()})`);
  const row = (label: string, value: string | number) =>
    console.log(`  ${label.padEnd(34)} ${value}`);
  row("goals", `${GOALS}, resumed ${resumed.resumed} (alarm cycles after the restart)`);
  row("fault receipts", resumed.faults);
  row("observations pushed", pushes.length);
  row("  accepted before the kill", count("accepted"));
  row(
    "  in flight, no answer (in doubt)",
    `${inDoubt.length}, sent again: ${inDoubt.filter((p) => p.retry?.duplicate).length} were already in`,
  );
  row("  sent after the restart", count("unsent") + count("refused"));
  row("  found after the restart", `${observations.found} / ${pushes.length} (none twice)`);
  row("actions planned (receipts)", actions.planned);
  row(
    "webhook deliveries",
    `${actions.delivered} (${actions.distinctKeys} keys; ${deliveredBeforeKill} before the kill)`,
  );
  row("  same key again (allowed)", actions.redelivered);
  row("  planned pre-crash, not sent", `${actions.lostBeforeCrash} (in-memory local queue)`);
  row("duplicate decisions (2+ keys)", actions.duplicateDecisions);
  row("store", mysql ? `MySQL, ${inMySQL} goals in its registry` : "D1");
  row(
    "ledger outcomes (action_runs)",
    `${actions.ledgerRows} (delivered without one: ${actions.deliveredNoOutcome})`,
  );
  if (violations.length > 0) {
    console.log(`\nFAIL: ${violations.length} violation(s)`);
    for (const v of violations.slice(0, 30)) console.log(`  - ${v}`);
  } else {
    console.log(
      "\nPASS: every goal resumed, every accepted observation is in its history, no action ran twice",
    );
    failed = false;
  }
} finally {
  await runtime?.stop();
  await receiver.close();
  if (mysql && !failed && process.env.CRASH_KEEP !== "1") await mysql.drop();
  await mariadb?.stop();
  closeSync(log);
  if (failed) {
    const tail = readFileSync(logPath, "utf8").split("\n").slice(-15).join("\n");
    console.log(`\nwrangler log tail (${logPath}):\n${tail}`);
  } else if (process.env.CRASH_KEEP !== "1") rmSync(persist, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
