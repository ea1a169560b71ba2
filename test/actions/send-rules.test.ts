/**
 * The target rules as the Worker applies them from its vars: webhooks run by
 * the actions queue and polled http sources, with ALLOW_PRIVATE_TARGETS off
 * (an env with the switch off, as deployed) and on (the test config's).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pollSources } from "../../src/goal/poll.ts";
import { targetRules } from "../../src/outbound/http.ts";
import { allowPrivateTargets, DEFAULT_RESOLVER } from "../../src/outbound/targets.ts";
import type { ActionMessage } from "../../src/queues.ts";
import { GoalSpecSchema } from "../../src/spec/index.ts";
import { seenBy } from "../helpers.ts";
import { storeRows } from "../store-sql.ts";

type Worker = {
  queue(batch: MessageBatch<ActionMessage>, env: Env, ctx: ExecutionContext): Promise<void>;
};
const worker = (await import("../../src/index.ts")).default as unknown as Worker;

/** The test env with the switch as deployed: off. */
const closed: Env = { ...env, ALLOW_PRIVATE_TARGETS: "false" };

function message(payload: Record<string, unknown>, kind: "webhook" | "spawn" = "webhook") {
  const key = `g_test:${crypto.randomUUID()}:rule:act`;
  const planned = {
    action: "act",
    rule: "rule",
    kind,
    key,
    dry_run: false,
    chain: { id: "c", depth: 1 },
  };
  return {
    tenant: "send-rules",
    goalId: "g_00000000000000000000",
    cycle: 1,
    planned: { ...planned, payload, awaiting_approval: false },
  } as unknown as ActionMessage;
}

const hook = (url: string, extra: Record<string, unknown> = {}) =>
  message({ url, method: "POST", headers: {}, body: null, timeout_ms: 2000, ...extra });

async function deliver(body: ActionMessage, withEnv: Env) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch<ActionMessage>("faas-actions", [
    { id, timestamp: new Date(), attempts: 1, body },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, withEnv, ctx);
  const [row] = await storeRows<{ result: string }>(
    "SELECT result FROM action_runs WHERE `key` = ?",
    [body.planned.key],
  );
  return { id, queue: await getQueueResult(batch, ctx), result: JSON.parse(row?.result ?? "null") };
}

describe("the switch", () => {
  it('is on only when exactly "true"', () => {
    for (const value of [undefined, "", "false", "TRUE", "True", "1", "yes", " true"])
      expect(allowPrivateTargets({ ALLOW_PRIVATE_TARGETS: value })).toBe(false);
    expect(allowPrivateTargets({ ALLOW_PRIVATE_TARGETS: "true" })).toBe(true);
  });

  it("takes the resolver from DNS_RESOLVER_URL, or the default", () => {
    expect(targetRules(closed).resolver).toBe(env.DNS_RESOLVER_URL);
    expect(targetRules({ ALLOW_PRIVATE_TARGETS: "false" }).resolver).toBe(DEFAULT_RESOLVER);
    expect(targetRules({ DNS_RESOLVER_URL: " " }).resolver).toBe(DEFAULT_RESOLVER);
  });
});

describe("webhooks from the actions queue", () => {
  it("with the switch off, refuse a name resolving to loopback for good", async () => {
    const { id, queue, result } = await deliver(hook("http://rebind.test/hook"), closed);
    expect(queue.explicitAcks).toEqual([id]);
    expect(result).toMatchObject({ status: "failed", error: expect.stringContaining("127.0.0.1") });
  });

  it("with the switch off, refuse a private address literal without a lookup", async () => {
    const { result } = await deliver(hook(`${env.TEST_RECEIVER}/ok/off`), closed);
    expect(result).toMatchObject({
      status: "failed",
      error: "host 127.0.0.1 is in 127.0.0.0/8 (loopback)",
    });
    expect(await seenBy("/ok/off")).toHaveLength(0);
  });

  it("retry when the lookup failed, rather than fail for good", async () => {
    const { id, queue, result } = await deliver(hook("http://fail.test/hook"), closed);
    expect(queue.retryMessages).toEqual([{ msgId: id }]);
    expect(result).toBeNull();
  });

  it("hold redirects to the goal's allow_hosts, which the payload carries", async () => {
    const port = new URL(env.TEST_RECEIVER).port;
    const path = `/ok/${crypto.randomUUID()}`;
    const to = encodeURIComponent(`http://localhost:${port}${path}`);
    const url = `${env.TEST_RECEIVER}/redirect/allow?to=${to}`;
    const held = await deliver(hook(url, { allow_hosts: ["127.0.0.1"] }), env);
    expect(held.result).toMatchObject({
      status: "failed",
      error: "host localhost is not in allow_hosts",
    });
    expect(await seenBy(path)).toHaveLength(0);
    // The same redirect without allow_hosts is followed (the switch is on in this env).
    const followed = await deliver(hook(url), env);
    expect(followed.result).toMatchObject({ status: "ok", http_status: 200 });
    expect(await seenBy(path)).toHaveLength(1);
  });

  it("a spawned spec refused now fails the spawn at once instead of being retried", async () => {
    const spec = {
      name: "child",
      act: { leak: { webhook: "http://169.254.169.254/latest/meta-data/" } },
    };
    const { id, queue, result } = await deliver(message({ spec }, "spawn"), closed);
    expect(queue.explicitAcks).toEqual([id]);
    expect(result).toMatchObject({
      status: "failed",
      error: expect.stringContaining("act.leak.webhook"),
    });
  });
});

describe("polled http sources", () => {
  const spec = (url: string) =>
    GoalSpecSchema.parse({ name: "p", observe: { p: { from: "http", url, timeout: "2s" } } });

  it("with the switch off, fail a source resolving to a private address", async () => {
    const polled = await pollSources(
      closed,
      "send-rules",
      spec("http://metadata.test/x"),
      Date.now(),
    );
    expect(polled.observations).toEqual([]);
    expect(polled.polls.p).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("resolves to 169.254.169.254"),
    });
  });

  it("with the switch on, read the same loopback source", async () => {
    const url = `${env.TEST_RECEIVER}/price/${crypto.randomUUID()}`;
    expect((await pollSources(env, "send-rules", spec(url), Date.now())).polls.p).toMatchObject({
      status: "ok",
    });
    const off = await pollSources(closed, "send-rules", spec(url), Date.now());
    expect(off.polls.p).toMatchObject({
      status: "failed",
      detail: expect.stringContaining("loopback"),
    });
  });
});
