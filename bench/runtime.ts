/**
 * What the runtime benchmarks and the crash test share: a fresh local D1 with
 * the migrations applied, `wrangler dev` started and stopped as one process
 * group (never leaving a workerd behind), and a client for the service's API.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A new persistence folder for `wrangler dev`, with the D1 migrations applied. */
export function migratedState(prefix: string): string {
  const persist = mkdtempSync(join(tmpdir(), prefix));
  const migrate = spawnSync(
    "wrangler",
    ["d1", "migrations", "apply", "agentic-faas", "--local", "--persist-to", persist],
    { stdio: "ignore", env: { ...process.env, CI: "true" } },
  );
  if (migrate.status !== 0) throw new Error("migrations failed");
  return persist;
}

/**
 * Calls the API with a key; throws on any non-2xx; an empty body is null. A 429
 * (the per-key rate limit) waits out its Retry-After and tries again.
 */
export async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (res.status === 429 && attempt < 10) {
      await sleep(1000 * Number(res.headers.get("retry-after") ?? 1));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return text === "" ? null : JSON.parse(text);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A port in 8900–8999 (the range these tools use) that nothing listens on right now. */
export async function freePort(avoid: readonly number[] = []): Promise<number> {
  const start = 8900 + Math.floor(Math.random() * 100);
  for (let i = 0; i < 100; i++) {
    const port = 8900 + ((start - 8900 + i) % 100);
    if (avoid.includes(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error("no free port in 8900-8999");
}

/** Polls `url` until it answers (below 500), or throws after `ms` (or when `alive()` turns false). */
export async function waitUp(url: string, ms = 90_000, alive = () => true): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && alive()) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`${url} did not come up`);
}

/** Process groups of runtimes started here and not yet stopped; killed when this process ends. */
const running = new Set<number>();
let handlersInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const pid of running) killGroup(pid, "SIGKILL");
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      for (const pid of running) killGroup(pid, "SIGKILL");
      process.exit(130);
    });
  }
}

export interface Runtime {
  base: string;
  port: number;
  /** The process group: wrangler, its workerd and esbuild children. */
  pid: number;
  /** `kill -9` of the whole process group (the crash); resolves once wrangler is gone. */
  crash(): Promise<void>;
  /** SIGTERM to the process group, SIGKILL after 10 s; resolves once wrangler is gone. */
  stop(): Promise<void>;
}

type Output = number | "inherit" | "ignore";

export interface RuntimeOptions {
  persist: string;
  vars: Record<string, string>;
  /** Default: a free port in 8900–8999. */
  port?: number;
  /**
   * Where wrangler's output goes: an open file descriptor, "inherit" or "ignore"
   * (the default); a pair sets stdout and stderr apart.
   */
  output?: Output | [Output, Output];
  /** More `wrangler dev` arguments (e.g. `--config`). */
  args?: string[];
  /** More environment variables for wrangler (e.g. a Hyperdrive binding's local connection string). */
  env?: Record<string, string>;
  /**
   * false: start it through wrangler's API with the DevTools inspector off
   * (bench/dev-server.ts), which the CLI cannot do. Default: the CLI.
   */
  inspector?: boolean;
}

/**
 * wrangler dev's local trace explorer, off unless X_LOCAL_OBSERVABILITY=true.
 * When on (wrangler's default), the runtime hands every span (each D1 query,
 * storage call, fetch, queue send) and every log line of every invocation to
 * a collector worker in the same runtime, which inserts them into a SQLite
 * table there: work on the runtime's one thread that a deployed Worker never
 * does (Workers Logs and traces are collected outside it). Measured here:
 * push -> webhook p50 25 ms with it, 15 ms without.
 */
const LOCAL_TRACES = process.env.X_LOCAL_OBSERVABILITY ?? "false";

/**
 * Starts `wrangler dev` on loopback in its own process group and waits until
 * GET /healthz (or `readyPath`) answers. Every runtime still running when
 * this process exits or gets a signal is killed with its whole group.
 */
export async function startRuntime(options: RuntimeOptions, readyPath = "/healthz") {
  const port = options.port ?? (await freePort());
  const vars = Object.entries(options.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const args = ["--port", String(port), "--ip", "127.0.0.1", "--persist-to", options.persist];
  const [command, start] =
    options.inspector === false
      ? ["node", ["bench/dev-server.ts"]]
      : ["wrangler", ["dev", "--inspector-port", String(await freePort([port]))]];
  const output = options.output ?? "ignore";
  const [out, err] = Array.isArray(output) ? output : [output, output];
  const child = spawn(command, [...start, ...args, ...vars, ...(options.args ?? [])], {
    stdio: ["ignore", out, err],
    detached: true,
    // The declared secret also as an environment variable, where wrangler looks
    // for it before warning that it is missing (the --var above sets its value).
    env: {
      ...process.env,
      ...(options.vars.ADMIN_TOKEN === undefined ? {} : { ADMIN_TOKEN: options.vars.ADMIN_TOKEN }),
      X_LOCAL_OBSERVABILITY: LOCAL_TRACES,
      ...options.env,
    },
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error("wrangler did not start");
  installHandlers();
  running.add(pid);
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    child.once("exit", () => {
      exited = true;
      resolve();
    }),
  );
  const end = async (signal: NodeJS.Signals) => {
    killGroup(pid, signal);
    if (signal !== "SIGKILL") {
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    await gone;
    killGroup(pid, "SIGKILL"); // workerd and esbuild children, should any outlive wrangler
    running.delete(pid);
  };
  const runtime: Runtime = {
    base: `http://127.0.0.1:${port}`,
    port,
    pid,
    crash: () => end("SIGKILL"),
    stop: () => end("SIGTERM"),
  };
  try {
    await waitUp(`${runtime.base}${readyPath}`, 120_000, () => !exited);
  } catch (error) {
    await runtime.stop();
    throw error;
  }
  return runtime;
}

/** CPU seconds (user + system) used so far by the live processes of process group `pgid` (Linux /proc). */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Fields after the command name, which is in parentheses and may hold spaces.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100; // USER_HZ
}
