/**
 * Where a goal cycle's time goes (`npm run bench:profile`): runs G goals at
 * `every: "1s"` under `wrangler dev`, samples the runtime's CPU through the
 * DevTools inspector for S seconds, and prints the functions with the most
 * self time. A tool for finding hot spots, not a pass/fail benchmark.
 *
 * Options (env): PROFILE_GOALS (300), PROFILE_SECONDS (10), BENCH_LOG_LEVEL (info).
 */
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { api as call, migratedState } from "./runtime.ts";

const GOALS = Number(process.env.PROFILE_GOALS ?? 300);
const SECONDS = Number(process.env.PROFILE_SECONDS ?? 10);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? "info";
const PORT = 8803;
const BASE = `http://127.0.0.1:${PORT}`;
const INSPECTOR = 9233;
const ADMIN = "profile-admin-token";
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Sends one DevTools command and waits for its answer. */
function command(
  ws: WebSocket,
  id: number,
  method: string,
  params: object = {},
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent) => {
      const message = JSON.parse(String(event.data));
      if (message.id === id) {
        ws.removeEventListener("message", onMessage);
        resolve(message.result ?? {});
      }
    };
    ws.addEventListener("message", onMessage);
    ws.send(JSON.stringify({ id, method, params }));
  });
}

const persist = migratedState("profile-goals-");
const dev = spawn(
  "wrangler",
  [
    "dev",
    "--port",
    String(PORT),
    "--ip",
    "127.0.0.1",
    "--inspector-port",
    String(INSPECTOR),
    "--persist-to",
    persist,
    "--var",
    `ADMIN_TOKEN:${ADMIN}`,
    "--var",
    `LOG_LEVEL:${LOG_LEVEL}`,
  ],
  { stdio: "ignore", detached: true },
);
try {
  for (let i = 0; i < 240; i++) {
    try {
      await fetch(`http://127.0.0.1:${PORT}/healthz`);
      break;
    } catch {
      await sleep(250);
    }
  }
  const { key } = await call(BASE, ADMIN, "POST", "/v1/keys", {
    tenant: "profile",
    scopes: ["goals:write"],
  });
  const spec = {
    name: "cadence",
    every: "1s",
    observe: { x: { from: "push" } },
    orient: { twice: "cycle * 2" },
  };
  for (let i = 0; i < GOALS; i += 50) {
    await Promise.all(
      Array.from({ length: Math.min(50, GOALS - i) }, () =>
        call(BASE, key, "POST", "/v1/goals", spec),
      ),
    );
  }
  await sleep(3000);
  const targets = (await (await fetch(`http://127.0.0.1:${INSPECTOR}/json`)).json()) as {
    webSocketDebuggerUrl: string;
    title?: string;
  }[];
  const target = targets.find((t) => !String(t.title ?? "").includes("Pages")) ?? targets[0];
  if (!target) throw new Error("no inspector target");
  // wrangler's inspector proxy only accepts DevTools origins; Node's WebSocket can send one.
  const ws = new WebSocket(target.webSocketDebuggerUrl, {
    headers: { origin: "https://devtools.devprod.cloudflare.dev" },
  } as unknown as string[]);
  ws.addEventListener("error", () => console.error("could not connect to the inspector"));
  await new Promise((r) => ws.addEventListener("open", r, { once: true }));
  await command(ws, 1, "Profiler.enable");
  await command(ws, 2, "Profiler.setSamplingInterval", { interval: 200 });
  await command(ws, 3, "Profiler.start");
  await sleep(SECONDS * 1000);
  const { profile } = (await command(ws, 4, "Profiler.stop")) as {
    profile: { nodes: ProfileNode[]; samples: number[] };
  };
  ws.close();
  const self = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const id of profile.samples) {
    const node = byId.get(id);
    if (!node) continue;
    const f = node.callFrame;
    const where = f.url ? `${f.url.split("/").slice(-2).join("/")}:${f.lineNumber + 1}` : "";
    const name = `${f.functionName || "(anonymous)"} ${where}`.trim();
    self.set(name, (self.get(name) ?? 0) + 1);
  }
  const total = profile.samples.length;
  console.log(
    `${GOALS} goals at 1s, LOG_LEVEL=${LOG_LEVEL}: ${total} samples over ${SECONDS}s (sampled every 200 µs)`,
  );
  for (const [name, hits] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
    console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
} finally {
  if (dev.pid) process.kill(-dev.pid, "SIGTERM");
  await sleep(1000);
  rmSync(persist, { recursive: true, force: true });
}
