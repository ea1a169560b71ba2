import { describe, expect, test } from "vitest";
import type { ActResult } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN, verdict } from "./helpers.ts";

function goalWith(guard: Record<string, unknown> = {}) {
  return goalOf({
    observe: { stock: { from: "push" } },
    decide: {
      rules: [
        { id: "escalate", when: "failed.order", do: "page" },
        { id: "reorder", when: "stock < 20", cooldown: "1h", do: "order" },
      ],
    },
    act: {
      order: { webhook: "https://erp.example/orders", expect: "stock >= 100", within: "10m" },
      page: { webhook: "https://hooks.example/page" },
    },
    guard,
  });
}

describe("expect and within", () => {
  test("an expectation met within its time is effective and failed.NAME stays false", () => {
    const loop = drive(goalWith());
    loop.run(0, { stock: 5 });
    expect(loop.run(MIN, { stock: 5 }).receipt.expectations).toEqual([]);
    const met = loop.run(5 * MIN, { stock: 150 });
    expect(met.receipt.expectations).toEqual([
      {
        action: "order",
        rule: "reorder",
        key: "g1:1:reorder:order",
        status: "effective",
        reason: "stock >= 100 is true",
      },
    ]);
    expect(met.state.failed.order).toBe(false);
    expect(met.state.expectations).toEqual([]);
  });

  test("an expectation not met by its deadline fails, and failed.NAME is true for the next cycle's rules", () => {
    const loop = drive(goalWith());
    loop.run(0, { stock: 5 });
    expect(loop.run(9 * MIN, { stock: 10 }).receipt.expectations).toEqual([]);
    const missed = loop.run(10 * MIN, { stock: 10 });
    expect(missed.receipt.expectations).toEqual([
      expect.objectContaining({
        status: "failed",
        reason: "stock >= 100 not true within 10m: it is false",
      }),
    ]);
    expect(verdict(missed, "escalate").status).toBe("false");
    const next = loop.run(11 * MIN, { stock: 10 });
    expect(verdict(next, "escalate").status).toBe("matched");
    expect(next.actions.map((a) => a.action)).toEqual(["page"]);
  });

  test("it is not checked in the cycle that planned the action", () => {
    const loop = drive(goalWith());
    const planned = loop.run(0, { stock: 5 });
    expect(planned.receipt.expectations).toEqual([]);
    expect(planned.state.expectations).toEqual([
      { action: "order", rule: "reorder", key: "g1:1:reorder:order", cycle: 1, deadline: 10 * MIN },
    ]);
  });

  test("an action awaiting approval starts its clock when its result arrives", () => {
    const loop = drive(goalWith({ approve: ["order"] }));
    loop.run(0, { stock: 5 });
    expect(loop.run(30 * MIN, { stock: 5 }).receipt.expectations).toEqual([]);
    const ran: ActResult = {
      action: "order",
      key: "g1:1:reorder:order",
      status: "ok",
      latency_ms: 5,
      attempt: 1,
      at: 40 * MIN,
    };
    loop.run(40 * MIN, {}, { actResults: [ran] });
    expect(loop.state.expectations[0]?.deadline).toBe(50 * MIN);
    expect(loop.run(50 * MIN, { stock: 5 }).receipt.expectations[0]?.status).toBe("failed");
  });

  test("missing data at the deadline fails the expectation and says why", () => {
    const goal = goalOf({
      observe: { stock: { from: "push", max_age: "1m" } },
      decide: { rules: [{ id: "r", when: "stock < 20", do: "order" }] },
      act: { order: { webhook: "https://erp.example/", expect: "stock >= 100", within: "5m" } },
    });
    const loop = drive(goal);
    loop.run(0, { stock: 5 });
    const result = loop.run(5 * MIN);
    expect(result.receipt.expectations[0]?.reason).toContain("insufficient data: stock is stale");
  });
});
