/**
 * Fault: a webhook target or polled source answers far more than 64 KiB. The
 * actions consumer serves every tenant, so a webhook's huge answer is cut at
 * the budget and its status decides the outcome (the body is informative
 * only); a polled source needs its body, so a huge one is a failed poll that
 * says why, never a truncated JSON read as something else.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pollSources } from "../../src/goal/poll.ts";
import { GoalSpecSchema } from "../../src/spec/index.ts";
import { eventually, seenBy } from "../helpers.ts";
import { deliver, ledger } from "./helpers.ts";

/** A webhook action message to `path` on the receiver. */
function hook(path: string) {
  const key = `g_test:${crypto.randomUUID()}:rule:notify`;
  const payload = {
    url: `${env.TEST_RECEIVER}${path}`,
    method: "POST",
    headers: {},
    body: { n: 1 },
    timeout_ms: 5000,
  };
  const planned = { action: "notify", rule: "rule", kind: "webhook", key, payload };
  return {
    key,
    message: {
      tenant: "huge-response",
      goalId: "g_00000000000000000000",
      cycle: 1,
      planned: {
        ...planned,
        chain: { id: "c", depth: 1 },
        dry_run: false,
        awaiting_approval: false,
      },
    },
  };
}

const closed = (path: string) => eventually(async () => (await seenBy(path)).find((s) => s.closed));

describe("a huge answer", () => {
  it("to a webhook: the 200 counts, the body is cut at 64 KiB and the stream closed", async () => {
    const path = `/stream/endless/${crypto.randomUUID()}`;
    const { key, message } = hook(path);
    const started = Date.now();
    expect(await deliver("faas-actions", message)).toEqual({ acked: true, retried: false });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(await ledger(key)).toMatchObject({
      status: "ok",
      http_status: 200,
      value: { truncated: true, reason: "response larger than 64 KiB", head: "x".repeat(1024) },
    });
    expect((await closed(path)).sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("to a webhook: a 503 with a huge body is still retried", async () => {
    const path = `/stream/endless/${crypto.randomUUID()}`;
    const { key, message } = hook(`${path}?status=503`);
    expect(await deliver("faas-actions", message)).toEqual({ acked: false, retried: true });
    expect(await ledger(key)).toBeNull();
    await closed(path);
  });

  it("to a polled source: a failed poll with the reason, and no observation", async () => {
    const path = `/stream/endless/${crypto.randomUUID()}`;
    const spec = GoalSpecSchema.parse({
      name: "huge",
      observe: { p: { from: "http", url: `${env.TEST_RECEIVER}${path}`, path: "n" } },
    });
    const polled = await pollSources(env, "huge-response", spec, Date.now());
    expect(polled.observations).toEqual([]);
    expect(polled.polls.p).toMatchObject({
      status: "failed",
      detail: "response larger than 64 KiB",
    });
    expect(polled.polls.p?.latency_ms).toBeLessThan(2000);
    await closed(path);
  });

  it("to a polled source with an error status: the status is the reason", async () => {
    const path = `/stream/endless/${crypto.randomUUID()}`;
    const spec = GoalSpecSchema.parse({
      name: "huge",
      observe: { p: { from: "http", url: `${env.TEST_RECEIVER}${path}?status=502` } },
    });
    const polled = await pollSources(env, "huge-response", spec, Date.now());
    expect(polled.polls.p).toMatchObject({ status: "failed", detail: "HTTP 502" });
    await closed(path);
  });
});
