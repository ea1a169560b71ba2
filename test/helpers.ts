/**
 * Calls the Worker's own fetch, as a client would, and makes keys for tests.
 */
import { exports } from "cloudflare:workers";

/** The operator token the test config binds as ADMIN_TOKEN. */
export const ADMIN = "test-admin-token";

export interface Call {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON response fields
  body: any;
}

/** Sends a request to the Worker; `body` objects are sent as JSON. */
export async function call(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Call> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  const response = await exports.default.fetch(`http://faas.test${path}`, {
    method,
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    // not JSON (HTML, Prometheus text): keep the text
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

let counter = 0;

/** A tenant id no other test uses. */
export function uniqueTenant(prefix = "t"): string {
  counter += 1;
  return `${prefix}-${counter}-${crypto.randomUUID().slice(0, 8)}`;
}

/** Creates a key with the operator token and returns the secret. */
export async function createKey(tenant: string, scopes: string[]): Promise<string> {
  const created = await call("POST", "/v1/keys", { key: ADMIN, body: { tenant, scopes } });
  if (created.status !== 201)
    throw new Error(`key creation failed: ${JSON.stringify(created.body)}`);
  return created.body.key as string;
}

/** A fresh tenant with a key holding every formula scope. */
export async function formulaTenant(): Promise<{ tenant: string; key: string }> {
  const tenant = uniqueTenant();
  return { tenant, key: await createKey(tenant, ["formulas:read", "formulas:write"]) };
}

/** A request the test receiver saw (`sent`/`closed`: see its streaming paths). */
export interface SeenRequest {
  path: string;
  method?: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  status?: number;
  sent?: number;
  closed?: boolean;
}

/** Requests the test receiver saw under a path prefix. */
export async function seenBy(prefix: string): Promise<SeenRequest[]> {
  const { env } = await import("cloudflare:workers");
  const res = await fetch(`${env.TEST_RECEIVER}/_seen?path=${encodeURIComponent(prefix)}`);
  return res.json();
}

/** Polls `check` until it returns a value (not undefined), or fails after `ms`. */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** A fresh tenant with every goal-related scope. */
export async function goalTenant(): Promise<{ tenant: string; key: string }> {
  const tenant = uniqueTenant("g");
  const key = await createKey(tenant, [
    "goals:read",
    "goals:write",
    "observe",
    "records:read",
    "records:write",
    "formulas:read",
    "formulas:write",
  ]);
  return { tenant, key };
}
