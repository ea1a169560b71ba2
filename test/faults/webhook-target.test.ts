/**
 * Fault: the webhook target misbehaves. It fails every other request (the
 * real actions queue retries it after its backoff), never answers within the
 * action's timeout (every attempt times out, then the dead-letter queue
 * reports `failed`), or answers slowly but in time. Each ends with at most one
 * 2xx per idempotency key, one outcome in the receipts, nothing pushed lost,
 * and the goal's alarm armed.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventually } from "../helpers.ts";
import {
  armed,
  cycles,
  deliver,
  keyCounts,
  ledger,
  messageFor,
  newGoal,
  observedValues,
  push,
  receiptWhere,
  resultsFor,
} from "./helpers.ts";

function notifySpec(path: string, timeout: string, approve = false) {
  return {
    name: "notify",
    every: "1h",
    observe: { stock: { from: "push" } },
    decide: { rules: [{ id: "low", when: "stock < 20", cooldown: "1h", do: "notify" }] },
    act: {
      notify: { webhook: `${env.TEST_RECEIVER}${path}`, body: { stock: "=stock" }, timeout },
    },
    ...(approve ? { guard: { approve: ["notify"] } } : {}),
  };
}

/** Pushes a low stock and returns the action key the goal decided on. */
async function decide(key: string, id: string, stock: number) {
  await push(key, id, "stock", stock);
  const acting = await receiptWhere(key, id, (r) => (r.actions ?? []).length > 0);
  const planned = acting.actions?.[0];
  if (!planned) throw new Error("no action decided");
  return { acting, planned };
}

describe("a misbehaving webhook target", () => {
  it("fails every other request: retried by the queue, one 2xx, one ok outcome", async () => {
    const path = `/flaky/${crypto.randomUUID()}`;
    const { key, id, stub } = await newGoal(notifySpec(path, "1s"));
    const { planned } = await decide(key, id, 5);
    // The first request gets 503; the queue redelivers after its 2 s backoff.
    const result = await eventually(
      async () => resultsFor(await cycles(key, id), planned.key)[0],
      10_000,
    );
    expect(result).toMatchObject({ status: "ok", attempt: 2 });
    expect(await keyCounts(path)).toEqual({ [planned.key]: { requests: 2, ok: 1 } });
    expect(await ledger(planned.key)).toMatchObject({ status: "ok", http_status: 200 });

    const trail = await cycles(key, id);
    expect(resultsFor(trail, planned.key)).toHaveLength(1);
    expect(observedValues(trail, "stock")).toEqual([5]);
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("never answers: each attempt times out, then the dead-letter queue reports failed once", async () => {
    const path = `/hang/${crypto.randomUUID()}`;
    // Held for approval, so this test plays the queue's five deliveries without the real one racing.
    const goal = await newGoal(notifySpec(path, "150ms", true));
    const { acting, planned } = await decide(goal.key, goal.id, 5);
    const message = messageFor(goal.tenant, goal.id, acting, planned);
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await deliver("faas-actions", message, attempt)).toEqual({
        acked: false,
        retried: true,
      });
      if (attempt === 3) await push(goal.key, goal.id, "stock", 4); // pushed while it keeps failing
    }
    expect(await ledger(planned.key)).toBeNull(); // no outcome while retries remain
    expect(await deliver("faas-actions-dlq", message, 1)).toEqual({ acked: true, retried: false });

    expect(await keyCounts(path)).toEqual({ [planned.key]: { requests: 5, ok: 0 } });
    expect(await ledger(planned.key)).toMatchObject({
      status: "failed",
      attempt: 5,
      error: "gave up after 5 attempts",
    });
    const trail = await eventually(async () => {
      const t = await cycles(goal.key, goal.id);
      return resultsFor(t, planned.key).length > 0 ? t : undefined;
    });
    expect(resultsFor(trail, planned.key)).toMatchObject([{ status: "failed", attempt: 5 }]);
    expect(observedValues(trail, "stock")).toEqual([5, 4]);
    expect(await armed(goal.stub)).toBeGreaterThan(Date.now());
  });

  it("answers slowly but within the timeout: one request, ok, its latency recorded", async () => {
    const path = `/slow/300/${crypto.randomUUID()}`;
    const { key, id, stub } = await newGoal(notifySpec(path, "2s"));
    const { planned } = await decide(key, id, 5);
    const result = await eventually(async () => resultsFor(await cycles(key, id), planned.key)[0]);
    expect(result).toMatchObject({ status: "ok", attempt: 1 });
    expect(await keyCounts(path)).toEqual({ [planned.key]: { requests: 1, ok: 1 } });
    const run = await ledger(planned.key);
    expect(run).toMatchObject({ status: "ok", http_status: 200 });
    expect(run?.latency_ms).toBeGreaterThanOrEqual(300);
    expect(observedValues(await cycles(key, id), "stock")).toEqual([5]);
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });
});
