/**
 * Credentials do not follow a redirect to another origin: the headers a
 * spec sets, `authorization`, `cookie`, `proxy-authorization` and the goal's
 * signature are dropped for good once a hop leaves the first URL's origin
 * (scheme, host and port), for webhooks and polled sources alike; a
 * same-origin redirect keeps them. `127.0.0.1` and `localhost` on the
 * receiver's port are two origins reaching one receiver.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pollSources } from "../../src/goal/poll.ts";
import { GoalSpecSchema } from "../../src/spec/index.ts";
import { deliver, ledger } from "../faults/helpers.ts";
import { type SeenRequest, seenBy } from "../helpers.ts";

const port = new URL(env.TEST_RECEIVER).port;
const home = env.TEST_RECEIVER; // http://127.0.0.1:PORT
const away = `http://localhost:${port}`;

const SECRETS = {
  authorization: "Bearer spec-secret",
  "x-api-key": "spec-key",
  cookie: "session=spec-cookie",
};
const SIGNATURE = [
  "x-faas-signature",
  "x-faas-timestamp",
  "webhook-signature",
  "webhook-timestamp",
];
const DROPPED = [...Object.keys(SECRETS), ...SIGNATURE, "webhook-id"];

/** A receiver path on `from` that redirects with `status` to `to`. */
const redirect = (from: string, to: string, status: number) =>
  `${from}/redirect/${crypto.randomUUID()}?to=${encodeURIComponent(to)}&status=${status}`;

/** The one request the receiver saw under `path`. */
async function only(path: string): Promise<SeenRequest> {
  const seen = await seenBy(path);
  expect(seen).toHaveLength(1);
  return seen[0] as SeenRequest;
}

async function sendWebhook(url: string, headers: Record<string, string> = SECRETS) {
  const key = `g_test:${crypto.randomUUID()}:rule:notify`;
  const payload = { url, method: "POST", headers, body: { n: 1 }, timeout_ms: 3000 };
  const planned = { action: "notify", rule: "rule", kind: "webhook", key, payload };
  await deliver("faas-actions", {
    tenant: "redirect-credentials",
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: { ...planned, chain: { id: "c", depth: 1 }, dry_run: false, awaiting_approval: false },
  });
  return { key, ...((await ledger(key)) ?? {}) };
}

async function poll(url: string) {
  const spec = GoalSpecSchema.parse({
    name: "creds",
    observe: { p: { from: "http", url, path: "ok", headers: SECRETS } },
  });
  return (await pollSources(env, "redirect-credentials", spec, Date.now())).polls.p;
}

describe("a webhook with its own credentials, redirected", () => {
  it("(no redirect) its headers never replace the idempotency key or the signature", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    const { key } = await sendWebhook(`${home}${target}`, {
      "Idempotency-Key": "mine",
      "X-Faas-Signature": "v1=forged",
      "Webhook-Id": "mine",
      "Webhook-Signature": "v1,forged",
      "Content-Type": "application/vnd.example+json",
    });
    const seen = await only(target);
    expect(seen.headers["idempotency-key"]).toBe(key);
    expect(seen.headers["x-faas-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(seen.headers["webhook-id"]).toBe(key);
    expect(seen.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(seen.headers["content-type"]).toBe("application/vnd.example+json");
  });

  it("307 to another origin: POSTs the same body there without any credential", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    const first = redirect(home, `${away}${target}`, 307);
    expect(await sendWebhook(first)).toMatchObject({ status: "ok", http_status: 200 });
    const hop = await only(new URL(first).pathname);
    for (const name of DROPPED) expect(hop.headers[name], name).toBeDefined();
    const seen = await only(target);
    for (const name of DROPPED) expect(seen.headers[name], name).toBeUndefined();
    expect(seen).toMatchObject({ method: "POST", body: '{"n":1}' });
    expect(seen.headers["idempotency-key"]).toBe(hop.headers["idempotency-key"]);
    expect(seen.headers["content-type"]).toBe("application/json");
  });

  it("307 within the origin: keeps them", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    await sendWebhook(redirect(home, `${home}${target}`, 307));
    const seen = await only(target);
    expect(seen.headers).toMatchObject(SECRETS);
    expect(seen.headers["x-faas-signature"]).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(seen.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  });

  it("away and back again: once dropped they stay dropped", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    await sendWebhook(redirect(home, redirect(away, `${home}${target}`, 307), 307));
    const seen = await only(target);
    for (const name of DROPPED) expect(seen.headers[name], name).toBeUndefined();
  });

  it("303: the next hop is a GET without body or content-type", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    expect(await sendWebhook(redirect(home, `${home}${target}`, 303))).toMatchObject({
      status: "ok",
    });
    const seen = await only(target);
    expect(seen).toMatchObject({ method: "GET", body: "" });
    expect(seen.headers["content-type"]).toBeUndefined();
    expect(seen.headers["content-length"]).toBeUndefined();
  });
});

describe("a polled source with its own credentials, redirected", () => {
  it("to another origin: reads there without them", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    expect(await poll(redirect(home, `${away}${target}`, 302))).toMatchObject({ status: "ok" });
    const seen = await only(target);
    for (const name of Object.keys(SECRETS)) expect(seen.headers[name], name).toBeUndefined();
    expect(seen.headers.accept).toBe("application/json");
  });

  it("within the origin: keeps them", async () => {
    const target = `/ok/${crypto.randomUUID()}`;
    expect(await poll(redirect(home, `${home}${target}`, 302))).toMatchObject({ status: "ok" });
    expect((await only(target)).headers).toMatchObject(SECRETS);
  });
});
