/**
 * Approvals through the API, against the real queues and receiver: an
 * action held by `guard.approve` shows in the tenant's inbox and on the goal,
 * blocks later firings while it waits, and is delivered with its original
 * key when approved; reject and expiry come back to the goal as the action's
 * result. Who decided, when and why is in the receipts.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cycles, type Receipt } from "../faults/helpers.ts";
import { ADMIN, call, eventually, seenBy, uniqueTenant } from "../helpers.ts";

const SCOPES = ["goals:read", "goals:write", "observe"];

async function tenantWithKey(name: string) {
  const tenant = uniqueTenant("ap");
  const created = await call("POST", "/v1/keys", {
    key: ADMIN,
    body: { tenant, scopes: SCOPES, name },
  });
  return { tenant, key: created.body.key as string, keyId: created.body.id as string };
}

function spec(path: string, within = "1h") {
  return {
    name: "approve-orders",
    every: "1h",
    observe: { stock: { from: "push" } },
    decide: {
      policy: "all",
      rules: [
        { id: "low", when: "stock < 20", do: "order" },
        {
          id: "fallback",
          when: "act.order.status == 'rejected' or act.order.status == 'expired'",
          do: "notify",
        },
      ],
    },
    act: {
      order: { webhook: `${env.TEST_RECEIVER}${path}/order`, body: { qty: "=100 - stock" } },
      notify: {
        webhook: `${env.TEST_RECEIVER}${path}/notify`,
        body: { status: "=act.order.status" },
      },
    },
    guard: { approve: ["order"], approve_within: within },
  };
}

async function goalWithPending(within?: string) {
  const owner = await tenantWithKey("ops");
  const path = `/ok/${crypto.randomUUID()}`;
  const created = await call("POST", "/v1/goals", { key: owner.key, body: spec(path, within) });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  await call("POST", `/v1/goals/${id}/observations`, {
    key: owner.key,
    body: { name: "stock", value: 5 },
  });
  const pending = await eventually(async () => {
    const res = await call("GET", `/v1/goals/${id}/approvals?status=pending`, { key: owner.key });
    return res.body.approvals?.length > 0 ? res.body.approvals[0] : undefined;
  });
  return { ...owner, id, path, pending };
}

describe("approvals", () => {
  it("a held action is listed, blocks later firings, and approved by a person is delivered with its original key", async () => {
    const { key, keyId, id, path, pending } = await goalWithPending();
    expect(pending).toMatchObject({
      goal_id: id,
      action: "order",
      rule: "low",
      status: "pending",
      kind: "webhook",
      decided_by: null,
    });
    expect(pending.key).toMatch(new RegExp(`^${id}:\\d+:low:order$`));
    expect(pending.payload.body).toEqual({ qty: 95 });

    const goal = await call("GET", `/v1/goals/${id}`, { key });
    expect(goal.body.awaiting_approval).toEqual([
      expect.objectContaining({ action: "order", key: pending.key, rule: "low" }),
    ]);
    const inbox = await eventually(async () => {
      const res = await call("GET", "/v1/approvals?status=pending", { key });
      return res.body.approvals?.length > 0 ? res.body.approvals : undefined;
    });
    expect(inbox.map((a: { key: string }) => a.key)).toEqual([pending.key]);

    // A later firing is blocked, saying it waits (and not that it fired).
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "stock", value: 4 } });
    const blocked = await eventually(async () =>
      (await cycles(key, id))
        .filter((r) => r.cycle > pending.cycle)
        .flatMap((r) => r.verdicts ?? [])
        .find((v) => v.status === "blocked"),
    );
    expect(blocked.reason).toContain(`${pending.key} is still awaiting approval`);
    expect(blocked.reason).not.toMatch(/fired/);
    expect(await seenBy(`${path}/order`)).toEqual([]);

    const approved = await call("POST", `/v1/goals/${id}/approvals/${pending.key}/approve`, {
      key,
      body: { reason: "stock checked" },
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      repeated: false,
      approval: {
        status: "approved",
        reason: "stock checked",
        decided_by: { key_id: keyId, name: "ops" },
      },
    });
    const [delivery] = await eventually(async () => {
      const seen = await seenBy(`${path}/order`);
      return seen.length > 0 ? seen : undefined;
    });
    expect(delivery?.headers["idempotency-key"]).toBe(pending.key);
    expect(JSON.parse(delivery?.body ?? "")).toEqual({ qty: 95 });

    // The receipts: who decided, when and why; then the action's result.
    const receipts = await eventually(async () => {
      const all: Receipt[] = await cycles(key, id);
      const ok = all
        .flatMap((r) => r.act_results ?? [])
        .some((r) => r.key === pending.key && r.status === "ok");
      return ok ? all : undefined;
    });
    const decided = receipts.flatMap((r) => (r as { decisions?: unknown[] }).decisions ?? []);
    expect(decided).toEqual([
      expect.objectContaining({
        key: pending.key,
        decision: "approved",
        by: { key_id: keyId, name: "ops" },
        reason: "stock checked",
      }),
    ]);

    // Deciding again: the same decision is answered as before, another is a conflict.
    const again = await call("POST", `/v1/goals/${id}/approvals/${pending.key}/approve`, { key });
    expect(again.status).toBe(200);
    expect(again.body.repeated).toBe(true);
    const reject = await call("POST", `/v1/goals/${id}/approvals/${pending.key}/reject`, { key });
    expect(reject.status).toBe(409);
    expect(reject.body.error.code).toBe("APPROVAL_DECIDED");
    expect((await seenBy(`${path}/order`)).length).toBe(1);
    const after = await eventually(async () => {
      const res = await call("GET", "/v1/approvals", { key });
      return res.body.approvals?.[0]?.status === "approved" ? res.body.approvals : undefined;
    });
    expect(after[0]).toMatchObject({
      key: pending.key,
      decided_by: { key_id: keyId, name: "ops" },
    });
  });

  it("rejected, the goal sees act.order.status rejected and a rule reacts; nothing is delivered", async () => {
    const { key, id, path, pending } = await goalWithPending();
    const rejected = await call("POST", `/v1/goals/${id}/approvals/${pending.key}/reject`, {
      key,
      body: { reason: "too expensive" },
    });
    expect(rejected.status).toBe(200);
    const [notice] = await eventually(async () => {
      const seen = await seenBy(`${path}/notify`);
      return seen.length > 0 ? seen : undefined;
    });
    expect(JSON.parse(notice?.body ?? "")).toEqual({ status: "rejected" });
    expect(await seenBy(`${path}/order`)).toEqual([]);
    const goal = await call("GET", `/v1/goals/${id}`, { key });
    expect(goal.body.awaiting_approval).toEqual([]);
  });

  it("unapproved within approve_within, it expires: the goal sees expired, and a late approval is a conflict", async () => {
    const { key, id, path, pending } = await goalWithPending("1s");
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const late = await call("POST", `/v1/goals/${id}/approvals/${pending.key}/approve`, { key });
    expect(late.status).toBe(409);
    expect(late.body.error.details.approval.status).toBe("expired");
    // The goal's alarm was armed for the expiry; run it now rather than wait.
    const stub = env.GOAL.getByName(id);
    await runDurableObjectAlarm(stub);
    const [notice] = await eventually(async () => {
      const seen = await seenBy(`${path}/notify`);
      return seen.length > 0 ? seen : undefined;
    });
    expect(JSON.parse(notice?.body ?? "")).toEqual({ status: "expired" });
    // A later cycle in which the rule still holds may ask again (a new key, newest first):
    // the expired request is found by its key, wherever it is listed.
    const listed = await call("GET", `/v1/goals/${id}/approvals`, { key });
    const expired = listed.body.approvals.find((a: { key: string }) => a.key === pending.key);
    expect(expired).toMatchObject({ key: pending.key, status: "expired", decided_by: null });
    expect(await seenBy(`${path}/order`)).toEqual([]);
  });

  it("another tenant's approval, or a key that awaits nothing, is a 404", async () => {
    const { id, pending } = await goalWithPending();
    const other = await tenantWithKey("intruder");
    const foreign = await call("POST", `/v1/goals/${id}/approvals/${pending.key}/approve`, {
      key: other.key,
    });
    expect(foreign.status).toBe(404);
    const inbox = await call("GET", "/v1/approvals?status=pending", { key: other.key });
    expect(inbox.body.approvals).toEqual([]);
    const owner = await call("GET", `/v1/goals/${id}/approvals`, { key: other.key });
    expect(owner.status).toBe(404);
  });
});
