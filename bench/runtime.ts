/**
 * What the runtime benchmarks share: a fresh local D1 with the migrations
 * applied, and a client for the service's API.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
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

/** Calls the API with a key; throws on any non-2xx; an empty body is null. */
export async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text === "" ? null : JSON.parse(text);
}
