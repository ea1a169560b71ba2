/**
 * Fault: queues deliver at least once. The same action message arrives twice
 * (one after the other, at the same time, or again through the real queue),
 * an act result comes back twice, a push is sent twice. Each must take effect
 * once: one 2xx per idempotency key at the receiver, one outcome per action.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually } from "../helpers.ts";
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

/** A goal that decides to notify `path` when `stock < 20`; `approve` holds the action for the test to deliver. */
function notifySpec(path: string, approve: boolean) {
  return {
    name: "dup",
    every: "1h",
    observe: { stock: { from: "push" } },
    decide: { rules: [{ id: "low", when: "stock < 20", cooldown: "1h", do: "notify" }] },
    act: { notify: { webhook: `${env.TEST_RECEIVER}${path}`, body: { stock: "=stock" } } },
    ...(approve ? { guard: { approve: ["notify"] } } : {}),
  };
}

/** A goal, a push that makes it decide, and the queue message of the decided action. */
async function decided(path: string) {
  const goal = await newGoal(notifySpec(path, true));
  await push(goal.key, goal.id, "stock", 5);
  const acting = await receiptWhere(goal.key, goal.id, (r) => (r.actions ?? []).length > 0);
  const planned = acting.actions?.[0];
  if (!planned) throw new Error("no action decided");
  return { ...goal, message: messageFor(goal.tenant, goal.id, acting, planned) };
}

describe("duplicate deliveries", () => {
  it("the same action twice in a row: one request; the re-delivery reports the first outcome", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { key, id, stub, message } = await decided(path);
    const first = await deliver("faas-actions", message, 1);
    const again = await deliver("faas-actions", message, 1);
    expect(first).toEqual({ acked: true, retried: false });
    expect(again).toEqual({ acked: true, retried: false });

    expect(await keyCounts(path)).toEqual({ [message.planned.key]: { requests: 1, ok: 1 } });
    expect(await ledger(message.planned.key)).toMatchObject({ status: "ok", attempt: 1 });
    // Both deliveries report; the goal applies the outcome once and says it ignored the repeat.
    const trail = await eventually(async () => {
      const t = await cycles(key, id);
      const ignored = t.flatMap((r) => r.ignored ?? []);
      return resultsFor(t, message.planned.key).length > 0 && ignored.length > 0 ? t : undefined;
    });
    expect(resultsFor(trail, message.planned.key)).toMatchObject([{ status: "ok", attempt: 1 }]);
    expect(trail.flatMap((r) => r.ignored ?? [])).toEqual([
      { name: "notify", reason: `result of ${message.planned.key} attempt 1 was already applied` },
    ]);
    expect(observedValues(trail, "stock")).toEqual([5]);
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("the same action twice at once: one request, and every delivery ends with the one outcome", async () => {
    const path = `/slow/400/${crypto.randomUUID()}`;
    const { key, id, stub, message } = await decided(path);
    const both = await Promise.all([
      deliver("faas-actions", message, 1),
      deliver("faas-actions", message, 1),
    ]);
    // One runs it. The other finds the key claimed (it is retried, and its retry finds the
    // outcome) or, when it came late, finds the outcome at once.
    expect(both.some((d) => d.acked)).toBe(true);
    for (const delivery of both) {
      expect(delivery.acked).toBe(!delivery.retried);
      if (delivery.retried)
        expect(await deliver("faas-actions", message, 2)).toEqual({ acked: true, retried: false });
    }
    expect(await keyCounts(path)).toEqual({ [message.planned.key]: { requests: 1, ok: 1 } });
    expect(await ledger(message.planned.key)).toMatchObject({ status: "ok", attempt: 1 });
    const trail = await eventually(async () => {
      const t = await cycles(key, id);
      return resultsFor(t, message.planned.key).length > 0 ? t : undefined;
    });
    expect(resultsFor(trail, message.planned.key)).toMatchObject([{ status: "ok", attempt: 1 }]);
    // Both deliveries reported (the second from the ledger); the goal applied one.
    const ignored = await receiptWhere(key, id, (r) => (r.ignored ?? []).length > 0);
    expect(ignored.ignored?.[0]?.reason).toContain(`${message.planned.key} attempt 1`);
    expect(observedValues(trail, "stock")).toEqual([5]);
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("a claim held by a delivery still running defers duplicates; one whose holder died expires", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { key, id, stub, message } = await decided(path);
    const claimFor = (until: number) =>
      env.DB.prepare("INSERT OR REPLACE INTO action_claims (key, token, until) VALUES (?, ?, ?)")
        .bind(message.planned.key, "another-delivery", until)
        .run();
    await claimFor(Date.now() + 60_000);
    expect(await deliver("faas-actions", message, 1)).toEqual({ acked: false, retried: true });
    // The dead-letter consumer does not report `failed` while another delivery may still succeed.
    expect(await deliver("faas-actions-dlq", message, 1)).toEqual({ acked: false, retried: true });
    expect(await keyCounts(path)).toEqual({});
    expect(await ledger(message.planned.key)).toBeNull();

    await claimFor(Date.now() - 1); // its holder crashed long ago
    expect(await deliver("faas-actions", message, 2)).toEqual({ acked: true, retried: false });
    expect(await keyCounts(path)).toEqual({ [message.planned.key]: { requests: 1, ok: 1 } });
    expect(await ledger(message.planned.key)).toMatchObject({ status: "ok", attempt: 2 });
    const result = await eventually(
      async () => resultsFor(await cycles(key, id), message.planned.key)[0],
    );
    expect(result).toMatchObject({ status: "ok", attempt: 2 });
    expect(await armed(stub)).toBeGreaterThan(Date.now());
  });

  it("a duplicate sent through the real actions queue after the goal acted is not acted on", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const goal = await newGoal(notifySpec(path, false));
    await push(goal.key, goal.id, "stock", 7);
    const acting = await receiptWhere(goal.key, goal.id, (r) => (r.actions ?? []).length > 0);
    const planned = acting.actions?.[0];
    if (!planned) throw new Error("no action decided");
    await receiptWhere(goal.key, goal.id, (r) => (r.act_results ?? []).length > 0);

    // The outbox resends after a crash; the queue may deliver twice: both look like this.
    await env.ACTIONS.send(messageFor(goal.tenant, goal.id, acting, planned), {
      contentType: "json",
    });
    await receiptWhere(goal.key, goal.id, (r) => (r.ignored ?? []).length > 0);
    expect(await keyCounts(path)).toEqual({ [planned.key]: { requests: 1, ok: 1 } });
    const trail = await cycles(goal.key, goal.id);
    expect(resultsFor(trail, planned.key)).toHaveLength(1);
    expect(observedValues(trail, "stock")).toEqual([7]);
    expect(await armed(goal.stub)).toBeGreaterThan(Date.now());
  });

  it("a push sent twice at once with one Idempotency-Key is applied once", async () => {
    const goal = await newGoal(notifySpec(`/ok/${crypto.randomUUID()}`, true));
    const send = (value: number) =>
      call("POST", `/v1/goals/${goal.id}/observations`, {
        key: goal.key,
        body: { name: "stock", value },
        headers: { "idempotency-key": "push-1" },
      });
    const [a, b] = await Promise.all([send(50), send(50)]);
    // One runs; the other is told the first is still running (409), or gets
    // its stored answer again if the first finished in between.
    const answers = [a, b].map((r) =>
      r.status === 409
        ? r.body.error.code
        : `${r.status} ${r.headers.get("idempotent-replayed") ?? "first"}`,
    );
    expect(answers.sort()).toSatisfy(
      (x: string[]) =>
        JSON.stringify(x) === JSON.stringify(["202 first", "IDEMPOTENCY_IN_PROGRESS"]) ||
        JSON.stringify(x) === JSON.stringify(["202 first", "202 true"]),
    );
    await push(goal.key, goal.id, "stock", 60); // a later push, to know the first was applied
    const trail = await eventually(async () => {
      const t = await cycles(goal.key, goal.id);
      return observedValues(t, "stock").includes(60) ? t : undefined;
    });
    expect(observedValues(trail, "stock")).toEqual([50, 60]);
    expect(await armed(goal.stub)).toBeGreaterThan(Date.now());
  });
});
