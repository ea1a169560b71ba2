/**
 * The decision loop's benchmark (`npm run bench:loop`), against real
 * `wrangler dev` runtimes on this machine, printing figures:
 *
 * 1. push → webhook received, at a real local receiver: p50 / p99 over N pushes;
 * 2. G goals at `every: "1s"` for D seconds: missed cycles and cadence drift
 *    (how late each cadence cycle ran), next to a bare Durable Object alarm
 *    loop (one storage write per fire) of G objects measured in the same run.
 *
 * Both runtimes are `wrangler dev` started through wrangler's API with the
 * DevTools inspector off (bench/dev-server.ts): with it on, as the CLI always
 * has it, every console.log is also serialised into the DevTools session and
 * relayed to wrangler, a cost of local tooling that a deployed Worker never pays
 * (about 0.3 ms of the runtime's thread per log line here, and up to 0.7 of a
 * core at 1,000 lines a second). BENCH_INSPECTOR=on runs the CLI instead.
 * wrangler's local trace explorer is off too (see LOCAL_TRACES in runtime.ts).
 *
 * Options (env): BENCH_PUSHES (200), BENCH_GOALS (1000), BENCH_SECONDS (60),
 * BENCH_LOG_LEVEL (info), BENCH_INSPECTOR (off), X_LOCAL_OBSERVABILITY (false).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startReceiver } from "../scripts/webhook-receiver.ts";
import { api, migratedState, startRuntime } from "./runtime.ts";

const PUSHES = Number(process.env.BENCH_PUSHES ?? 200);
const GOALS = Number(process.env.BENCH_GOALS ?? 1000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const ADMIN = "bench-admin-token";
/** The goals runtime's LOG_LEVEL: `info` (the default) logs every loop phase. */
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "info";
/** Whether the runtimes run under the CLI, DevTools inspector and all. */
const INSPECTOR = process.env.BENCH_INSPECTOR === "on";

/** wrangler's errors show; its request log does not. */
const STDERR_ONLY: ["ignore", "inherit"] = ["ignore", "inherit"];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? Number.NaN
    : (s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN);
};

async function bareLoop(): Promise<number[]> {
  const persist = mkdtempSync(join(tmpdir(), "bench-bare-"));
  const dev = await startRuntime(
    {
      persist,
      vars: {},
      args: ["--config", "bench/bare/wrangler.toml"],
      output: STDERR_ONLY,
      inspector: INSPECTOR,
    },
    "/",
  );
  try {
    await fetch(`${dev.base}/start?n=${GOALS}&period=1000`);
    await sleep(SECONDS * 1000);
    const { lateness } = (await (await fetch(`${dev.base}/finish?n=${GOALS}`)).json()) as {
      lateness: number[][];
    };
    return lateness.flat();
  } finally {
    await dev.stop();
    rmSync(persist, { recursive: true, force: true });
  }
}

async function goals(): Promise<{
  push: number[];
  lateness: number[];
  missed: number;
  cycles: number;
  faults: number;
}> {
  const persist = migratedState("bench-goals-");
  const rx = await startReceiver();
  const dev = await startRuntime({
    persist,
    vars: { ADMIN_TOKEN: ADMIN, ALLOW_PRIVATE_TARGETS: "true", LOG_LEVEL },
    output: STDERR_ONLY,
    inspector: INSPECTOR,
  });
  const base = dev.base;
  try {
    const { key } = await api(base, ADMIN, "POST", "/v1/keys", {
      tenant: "bench",
      scopes: ["goals:read", "goals:write", "observe"],
    });

    // 1. push → webhook. The rule fires on a change, so each push causes exactly one
    // webhook. Its results never fire it again (they only continue the push's chain);
    // the goal's hourly action budget is raised above the pushes measured (default 100).
    const spec = {
      name: "latency",
      every: "1h",
      observe: { x: { from: "push" } },
      orient: { seen: "x" },
      decide: { rules: [{ id: "changed", when: "x != prev.seen", do: "hook" }] },
      act: { hook: { webhook: `${rx.url}/hook`, body: { x: "=x" } } },
      guard: { max_actions_per_hour: 100_000 },
    };
    const goal = await api(base, key, "POST", "/v1/goals", spec);
    const push: number[] = [];
    for (let i = 1; i <= PUSHES + 10; i++) {
      const sent = performance.now();
      await api(base, key, "POST", `/v1/goals/${goal.id}/observations`, { name: "x", value: i });
      // The delivery this push caused: its body carries the pushed value.
      const mine = () => rx.deliveries.find((d) => d.body === JSON.stringify({ x: i }));
      while (!mine()) await sleep(0.5);
      const arrived = mine()?.arrivedAt ?? Number.NaN;
      if (i > 10) push.push(arrived - sent); // the first ten warm the runtime up
    }
    await api(base, key, "DELETE", `/v1/goals/${goal.id}`);
    if (rx.deliveries.length !== PUSHES + 10)
      console.warn(`push → webhook: ${rx.deliveries.length} webhooks for ${PUSHES + 10} pushes`);

    // 2. cadence
    const cadence = {
      name: "cadence",
      every: "1s",
      observe: { x: { from: "push" } },
      orient: { twice: "cycle * 2" },
    };
    const ids: string[] = [];
    for (let i = 0; i < GOALS; i += 50) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(50, GOALS - i) }, () =>
          api(base, key, "POST", "/v1/goals", cadence),
        ),
      );
      ids.push(...batch.map((g: { id: string }) => g.id));
    }
    // Measure the steady state only, as for the bare loop: from one period after the
    // last goal exists until pausing starts (creating and pausing load the runtime too).
    const steadyFrom = Date.now() + 1000;
    await sleep(SECONDS * 1000);
    const steadyTo = Date.now();
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(
        ids.slice(i, i + 50).map((id) => api(base, key, "POST", `/v1/goals/${id}/pause`)),
      );
    }
    const lateness: number[] = [];
    let missed = 0;
    let cycles = 0;
    let faults = 0;
    for (let i = 0; i < ids.length; i += 50) {
      const trails = await Promise.all(
        ids.slice(i, i + 50).map((id) => api(base, key, "GET", `/v1/goals/${id}/cycles?limit=200`)),
      );
      for (const { cycles: receipts } of trails as {
        cycles: { at: string; trigger: string; missed?: number; fault?: unknown }[];
      }[]) {
        const alarms = receipts
          .map((r) => ({ ...r, at: Date.parse(r.at) }))
          .filter((r) => r.trigger === "alarm" && r.at >= steadyFrom && r.at <= steadyTo);
        faults += receipts.filter((r) => r.fault).length;
        cycles += alarms.length;
        for (const r of alarms) missed += r.missed ?? 0;
        for (let k = 1; k < alarms.length; k++)
          lateness.push((alarms[k]?.at ?? 0) - (alarms[k - 1]?.at ?? 0) - 1000);
      }
    }
    return { push, lateness, missed, cycles, faults };
  } finally {
    await dev.stop();
    await rx.close();
    rmSync(persist, { recursive: true, force: true });
  }
}

const fmt = (n: number) => `${n.toFixed(1)} ms`;
console.log(
  `decision loop benchmark: ${PUSHES} pushes; ${GOALS} goals at 1s for ${SECONDS}s ; goals LOG_LEVEL=${LOG_LEVEL}; wrangler dev ${INSPECTOR ? "CLI (DevTools inspector on)" : "API (DevTools inspector off)"}, local trace explorer ${process.env.X_LOCAL_OBSERVABILITY === "true" ? "on" : "off"} (node ${process.version})`,
);
const bare = await bareLoop();
const result = await goals();
const p50 = quantile(result.push, 0.5);
const p99 = quantile(result.push, 0.99);
console.log("\npush → webhook received (real receiver, wrangler dev)");
console.log(
  `  p50 ${fmt(p50)}  p99 ${fmt(p99)}  max ${fmt(Math.max(...result.push))}   target p50 ≤ 20 ms, p99 ≤ 100 ms: ${p50 <= 20 && p99 <= 100 ? "PASS" : "FAIL"}`,
);
const b50 = quantile(bare, 0.5);
const b99 = quantile(bare, 0.99);
const g50 = quantile(result.lateness, 0.5);
const g99 = quantile(result.lateness, 0.99);
console.log(`\ncadence drift, ${GOALS} objects at 1s for ${SECONDS}s (how late each fire ran)`);
console.log(`  bare alarm loop  fires ${bare.length}  p50 ${fmt(b50)}  p99 ${fmt(b99)}`);
console.log(
  `  goals            cycles ${result.cycles}  p50 ${fmt(g50)}  p99 ${fmt(g99)}  missed ${result.missed}  faults ${result.faults}`,
);
const ratio50 = (1000 + g50) / (1000 + b50);
const ratio99 = (1000 + g99) / (1000 + b99);
console.log(
  `  period ratio goals/bare: p50 ${ratio50.toFixed(3)}  p99 ${ratio99.toFixed(3)};  drift ratio p50 ${(g50 / b50).toFixed(2)}  p99 ${(g99 / b99).toFixed(2)}`,
);
console.log(
  `  target: no missed cycle (${result.missed === 0 ? "PASS" : "FAIL"}); drift within 1.25× of bare (p99 ${g99 <= 1.25 * b99 ? "PASS" : "FAIL"})`,
);
