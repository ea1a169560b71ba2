/**
 * One tenant's hostile traffic against another's simple requests, measured
 * from the outside (`npm run bench:stress`). The victim tenant sends, every
 * STRESS_PACE_MS (50), `GET /v1/me`, `POST /v1/eval` of `1+1` and a push to
 * its goal, all three at once; first alone (its baseline), then while the
 * attacker runs one scenario; it prints the victim's p50/p99/max before and
 * during, the attacker's answers, and judges the victim's max under 1 s.
 *
 * Scenarios (STRESS_ONLY, comma-separated; default all):
 * - `mcp-cheap`: STRESS_PARALLEL (4) `POST /mcp` at once, each a JSON-RPC
 *   batch of 100 `eval_formula` calls of `1+1`;
 * - `mcp-fn`: the same with the most expensive registered formula a
 *   registration lets through (70 × 450 `fn.` calls);
 * - `mcp-replay`: batches of `replay_goal` of a goal with a long history
 *   (STRESS_HISTORY pushes, 600) through a heavy what-if spec;
 * - `mcp-simulate`: batches of `simulate_goal` of 1,000 cycles of 768 medians;
 * - `live`: STRESS_SOCKETS (200) live tickets and sockets over 20 goals of
 *   the attacker, sockets that never read, opened and closed in a loop.
 *
 * STRESS_BASE: a service already running (its admin token in STRESS_ADMIN);
 * without it, a fresh `wrangler dev` is started and stopped.
 */
import { api, migratedState, startRuntime } from "./runtime.ts";

const PACE_MS = Number(process.env.STRESS_PACE_MS ?? 50);
const SECONDS = Number(process.env.STRESS_SECONDS ?? 6);
const PARALLEL = Number(process.env.STRESS_PARALLEL ?? 4);
const HISTORY = Number(process.env.STRESS_HISTORY ?? 600);
const SOCKETS = Number(process.env.STRESS_SOCKETS ?? 200);
const ONLY = (process.env.STRESS_ONLY ?? "mcp-cheap,mcp-fn,mcp-replay,mcp-simulate,live").split(
  ",",
);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

interface Answer {
  status: number;
  ms: number;
  body: unknown;
}

async function send(
  base: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const started = performance.now();
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json", ...headers },
      ...(body === undefined
        ? {}
        : { body: typeof body === "string" ? body : JSON.stringify(body) }),
      signal: AbortSignal.timeout(120_000),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: res.status, ms: performance.now() - started, body: parsed };
  } catch (error) {
    return { status: 0, ms: performance.now() - started, body: String(error) };
  }
}

/** The victim's paced requests until stopped: latencies per kind, and anything not 2xx. */
function victim(base: string, key: string, goal: string) {
  const latencies: Record<string, number[]> = { me: [], eval: [], push: [] };
  const failures: string[] = [];
  let stopped = false;
  let n = 0;
  const run = (async () => {
    while (!stopped) {
      const kinds: [string, () => Promise<Answer>][] = [
        ["me", () => send(base, key, "GET", "/v1/me")],
        ["eval", () => send(base, key, "POST", "/v1/eval", { expr: "1+1" })],
        [
          "push",
          () =>
            send(base, key, "POST", `/v1/goals/${goal}/observations`, { name: "x", value: n++ }),
        ],
      ];
      await Promise.all(
        kinds.map(async ([kind, request]) => {
          const answer = await request();
          latencies[kind]?.push(answer.ms);
          if (answer.status < 200 || answer.status >= 300)
            failures.push(`${kind} ${answer.status} ${JSON.stringify(answer.body).slice(0, 120)}`);
        }),
      );
      await sleep(PACE_MS);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await run;
      return { latencies, failures };
    },
  };
}

function summary(latencies: Record<string, number[]>): string {
  return Object.entries(latencies)
    .map(
      ([kind, values]) =>
        `${kind} n=${values.length} p50=${quantile(values, 0.5).toFixed(0)} p99=${quantile(values, 0.99).toFixed(0)} max=${Math.max(...values).toFixed(0)}`,
    )
    .join("; ");
}

const external = process.env.STRESS_BASE;
const ADMIN = process.env.STRESS_ADMIN ?? "stress-admin-token";
const runtime =
  external === undefined
    ? await startRuntime({
        persist: migratedState("bench-stress-"),
        vars: { ADMIN_TOKEN: ADMIN, LOG_LEVEL: "warn", ALLOW_PRIVATE_TARGETS: "true" },
      })
    : undefined;
const base = external ?? runtime?.base ?? "";
let failed = false;
try {
  const stamp = Date.now();
  const keyFor = async (tenant: string) =>
    (await api(base, ADMIN, "POST", "/v1/keys", { tenant, scopes: ["admin"] })).key as string;
  const victimKey = await keyFor(`victim-${stamp}`);
  const attacker = await keyFor(`attacker-${stamp}`);
  const victimGoal = (
    await api(base, victimKey, "POST", "/v1/goals", {
      name: "victim",
      every: "1h",
      observe: { x: { from: "push" } },
      orient: { y: "x * 2" },
    })
  ).id as string;

  const calls = (callee: string, times: number) =>
    `sum([${Array.from({ length: times }, () => `fn.${callee}(x)`).join(",")}])`;
  const batch = (n: number, params: (i: number) => unknown) =>
    JSON.stringify(
      Array.from({ length: n }, (_, i) => ({
        jsonrpc: "2.0",
        id: i + 1,
        method: "tools/call",
        params: params(i),
      })),
    );
  /** The largest batch of at most 100 calls that fits in the 1 MiB body limit. */
  const fitting = (params: (i: number) => unknown) => {
    let n = 100;
    let body = batch(n, params);
    while (body.length > 1_000_000) {
      n = Math.floor(n * 0.9);
      body = batch(n, params);
    }
    return body;
  };
  const orient = Object.fromEntries(
    Array.from({ length: 64 }, (_, i) => [
      `m${i}`,
      `sum([${Array.from({ length: 12 }, () => "median(history.x)").join(",")}])`,
    ]),
  );

  const scenarios: Record<string, () => Promise<() => Promise<string>>> = {
    "mcp-cheap": async () => {
      const body = fitting(() => ({ name: "eval_formula", arguments: { expr: "1+1" } }));
      return () => mcpBatches(body);
    },
    "mcp-fn": async () => {
      await api(base, attacker, "PUT", "/v1/formulas/f0", { expr: "x + 1", params: ["x"] });
      await api(base, attacker, "PUT", "/v1/formulas/f1", {
        expr: calls("f0", 450),
        params: ["x"],
      });
      await api(base, attacker, "PUT", "/v1/formulas/f2", { expr: calls("f1", 70), params: ["x"] });
      const body = fitting((i) => ({
        name: "eval_formula",
        arguments: { name: "f2", vars: { x: i } },
      }));
      return () => mcpBatches(body);
    },
    "mcp-replay": async () => {
      const spec = {
        name: "long",
        every: "1h",
        keep: 1000,
        observe: { x: { from: "push" } },
        orient: { y: "x + 1" },
      };
      const goal = (await api(base, attacker, "POST", "/v1/goals", spec)).id as string;
      for (let i = 0; i < HISTORY; i += 20) {
        await Promise.all(
          Array.from({ length: 20 }, (_, j) =>
            send(base, attacker, "POST", `/v1/goals/${goal}/observations`, {
              name: "x",
              value: i + j,
            }),
          ),
        );
      }
      const body = fitting(() => ({
        name: "replay_goal",
        arguments: { goal_id: goal, spec: { ...spec, name: "what-if", orient }, limit: 500 },
      }));
      return () => mcpBatches(body);
    },
    "mcp-simulate": async () => {
      const body = fitting(() => ({
        name: "simulate_goal",
        arguments: {
          spec: { name: "heavy", keep: 1000, observe: { x: { from: "push" } }, orient },
          observations: Array.from({ length: 1000 }, (_, i) => ({
            at: i * 1000,
            values: { x: i % 50 },
          })),
        },
      }));
      return () => mcpBatches(body);
    },
    live: async () => {
      const goals: string[] = [];
      for (let i = 0; i < 20; i++) {
        goals.push(
          (
            await api(base, attacker, "POST", "/v1/goals", {
              name: `live-${i}`,
              every: "1h",
              observe: { x: { from: "push" } },
            })
          ).id as string,
        );
      }
      return () => liveSockets(goals);
    },
  };

  async function mcpBatches(body: string): Promise<string> {
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, () =>
        send(base, attacker, "POST", "/mcp", body, {
          accept: "application/json, text/event-stream",
        }),
      ),
    );
    const codes: Record<string, number> = {};
    for (const answer of answers) {
      const messages = Array.isArray(answer.body) ? answer.body : [];
      if (messages.length === 0)
        codes[`http ${answer.status}`] = (codes[`http ${answer.status}`] ?? 0) + 1;
      for (const m of messages as {
        result?: { isError?: boolean; structuredContent?: { error?: { code?: string } } };
      }[]) {
        const code = m.result?.isError
          ? (m.result.structuredContent?.error?.code ?? "error")
          : "ok";
        codes[code] = (codes[code] ?? 0) + 1;
      }
    }
    const times = answers.map((a) => Math.round(a.ms)).join("/");
    return `${PARALLEL} × ${body.length} bytes: ${times} ms; ${JSON.stringify(codes)}`;
  }

  async function liveSockets(goals: string[]): Promise<string> {
    const opened: WebSocket[] = [];
    const outcomes: Record<string, number> = {};
    const count = (what: string) => {
      outcomes[what] = (outcomes[what] ?? 0) + 1;
    };
    await Promise.all(
      Array.from({ length: SOCKETS }, async (_, i) => {
        const goal = goals[i % goals.length] ?? "";
        const ticket = await send(base, attacker, "POST", `/v1/goals/${goal}/live`);
        count(`ticket ${ticket.status}`);
        const path = (ticket.body as { url?: string }).url;
        if (path === undefined) return;
        const socket = new WebSocket(`${base.replace(/^http/, "ws")}${path}`);
        await new Promise<void>((resolve) => {
          socket.onopen = () => {
            count("open");
            resolve();
          };
          socket.onerror = () => {
            count("error");
            resolve();
          };
        });
        opened.push(socket);
        // Half are closed at once; the others stay open and are never read.
        if (i % 2 === 0) socket.close();
      }),
    );
    // Pushes to every goal, so each open socket has frames it never reads.
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        goals.map((goal) =>
          send(base, attacker, "POST", `/v1/goals/${goal}/observations`, {
            name: "x",
            value: round,
          }),
        ),
      );
    }
    for (const socket of opened) socket.close();
    return JSON.stringify(outcomes);
  }

  const baseline = victim(base, victimKey, victimGoal);
  await sleep(SECONDS * 1000);
  const alone = await baseline.stop();
  console.log(`victim alone: ${summary(alone.latencies)}; failures ${alone.failures.length}`);
  for (const name of ONLY) {
    const prepare = scenarios[name];
    if (prepare === undefined) throw new Error(`no scenario ${name}`);
    const attack = await prepare();
    const during = victim(base, victimKey, victimGoal);
    await sleep(300);
    const until = Date.now() + SECONDS * 1000;
    const rounds: string[] = [];
    while (Date.now() < until) rounds.push(await attack());
    await sleep(300);
    const measured = await during.stop();
    const worst = Math.max(...Object.values(measured.latencies).flat());
    const verdict = worst < 1000 && measured.failures.length === 0 ? "PASS" : "FAIL";
    if (verdict === "FAIL") failed = true;
    console.log(`\n${name}: ${rounds.length} rounds; first: ${rounds[0]}`);
    console.log(
      `victim during: ${summary(measured.latencies)}; failures ${measured.failures.length}`,
    );
    for (const failure of measured.failures.slice(0, 3)) console.log(`  ${failure}`);
    console.log(`${verdict} (victim's slowest request ${worst.toFixed(0)} ms, limit 1000)`);
  }
} finally {
  await runtime?.stop();
}
process.exit(failed ? 1 : 0);
