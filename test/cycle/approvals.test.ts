import { describe, expect, test } from "vitest";
import type { ApprovalDecision } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN, SEC, verdict } from "./helpers.ts";

const goal = goalOf({
  observe: { x: { from: "push" } },
  decide: {
    policy: "all",
    rules: [
      { id: "r", when: "x > 0", cooldown: "10m", do: "order" },
      {
        id: "fallback",
        when: "act.order.status == 'rejected' or act.order.status == 'expired'",
        do: "notify",
      },
    ],
  },
  act: {
    order: { webhook: "https://erp.example/", expect: "x == 0", within: "5m" },
    notify: { webhook: "https://hooks.example/" },
  },
  guard: { approve: ["order"], approve_within: "1h" },
});

const by = { key_id: "k_ops", name: "ops" };
const decision = (
  choice: ApprovalDecision["decision"],
  at: number,
  key = "g1:1:r:order",
): ApprovalDecision => ({ action: "order", key, decision: choice, by, reason: "checked", at });

describe("an action awaiting approval", () => {
  test("is held, blocks later firings saying it still waits, and does not start the cooldown", () => {
    const loop = drive(goal);
    const first = loop.run(0, { x: 1 }, { trigger: "push" });
    expect(first.actions).toEqual([
      expect.objectContaining({ key: "g1:1:r:order", awaiting_approval: true }),
    ]);
    expect(loop.state.approvals.order).toMatchObject({ rule: "r", expiresAt: 3_600_000 });
    const later = loop.run(MIN, { x: 2 }, { trigger: "push" });
    expect(later.actions).toEqual([]);
    const held = verdict(later, "r");
    expect(held).toMatchObject({ status: "blocked", guard: "approve" });
    expect(held.reason).toContain("g1:1:r:order is still awaiting approval (asked 1m ago");
    expect(held.reason).not.toMatch(/fired/);
  });

  test("approved: the wait ends, the receipt says who and why, and the rule's cooldown starts then", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 }, { trigger: "push" });
    const approved = loop.run(
      2 * MIN,
      {},
      { trigger: "approval", decisions: [decision("approved", 2 * MIN)] },
    );
    expect(approved.receipt.decisions).toEqual([
      {
        action: "order",
        key: "g1:1:r:order",
        rule: "r",
        decision: "approved",
        by,
        reason: "checked",
        at: 2 * MIN,
      },
    ]);
    expect(loop.state.approvals).toEqual({});
    expect(loop.state.rules.r?.lastFiredAt).toBe(2 * MIN);
    // The approval alone fires nothing new.
    expect(approved.actions).toEqual([]);
    const cooling = loop.run(5 * MIN, { x: 3 }, { trigger: "push" });
    expect(verdict(cooling, "r")).toMatchObject({ status: "cooling_down" });
    expect(verdict(cooling, "r").reason).toContain("fired 3m ago");
  });

  test("rejected: act.order.status is rejected, a rule can react, its expectation is given up", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 }, { trigger: "push" });
    const rejected = loop.run(
      MIN,
      {},
      { trigger: "approval", decisions: [decision("rejected", MIN)] },
    );
    expect(loop.state.acts.order).toMatchObject({
      status: "rejected",
      error: "checked",
      value: { by, reason: "checked" },
    });
    expect(rejected.receipt.act_results).toEqual([
      expect.objectContaining({ action: "order", status: "rejected", attempt: 0 }),
    ]);
    expect(rejected.receipt.expectations).toEqual([expect.objectContaining({ status: "dropped" })]);
    expect(rejected.actions.map((a) => a.action)).toEqual(["notify"]);
  });

  test("expires unapproved after approve_within, as act.order.status expired, even in a cycle started by nothing else", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 }, { trigger: "push" });
    expect(loop.run(59 * MIN, {}, { trigger: "alarm" }).receipt.decisions).toEqual([]);
    const expired = loop.run(60 * MIN, {}, { trigger: "approval" });
    expect(expired.receipt.decisions).toEqual([
      expect.objectContaining({
        decision: "expired",
        by: null,
        reason: "not approved within 1h",
        at: 60 * MIN,
      }),
    ]);
    expect(loop.state.acts.order?.status).toBe("expired");
    expect(expired.actions.map((a) => a.action)).toEqual(["notify"]);
    // A decision that comes after is ignored, and says so.
    const late = loop.run(
      61 * MIN,
      {},
      { trigger: "approval", decisions: [decision("approved", 61 * MIN)] },
    );
    expect(late.receipt.ignored).toEqual([
      { name: "order", reason: "g1:1:r:order is not awaiting approval" },
    ]);
  });

  test("a dry run plans it awaiting approval but holds nothing", () => {
    const dry = goalOf({ ...goal.spec, guard: { ...goal.spec.guard, dry_run: true } });
    const loop = drive(dry);
    expect(loop.run(0, { x: 1 }, { trigger: "push" }).actions).toHaveLength(1);
    expect(loop.state.approvals).toEqual({});
    expect(SEC).toBe(1000);
  });
});
