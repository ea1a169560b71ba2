import { describe, expect, test } from "vitest";
import type { ActResult } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN, SEC, verdict } from "./helpers.ts";

const goal = goalOf({
  observe: { x: { from: "push" } },
  orient: {
    last_status: "act.order.status",
    ordered: "if(act.order.status == 'ok', act.order.value.qty, 0)",
  },
  decide: {
    rules: [
      { id: "order", when: "x > 0 and act.order.status != 'ok'", do: "order" },
      { id: "retry", when: "act.order.status == 'failed' and act.order.attempt < 3", do: "order" },
    ],
  },
  act: { order: { webhook: "https://erp.example/orders" } },
});

const ok = (at: number, extra: Partial<ActResult> = {}): ActResult => ({
  action: "order",
  key: "g1:1:order:order",
  status: "ok",
  value: { qty: 90 },
  http_status: 201,
  latency_ms: 120,
  attempt: 1,
  at,
  ...extra,
});

describe("act results", () => {
  test("before an action ever ran, act.NAME has every field null and attempt 0", () => {
    const result = drive(goal).run(0, { x: 0 });
    expect(result.receipt.oriented).toMatchObject({ last_status: null, ordered: 0 });
  });

  test("an act result is visible as act.NAME to the next cycle's formulas", () => {
    const loop = drive(goal);
    expect(loop.run(0, { x: 1 }).actions).toHaveLength(1);
    const after = loop.run(10 * SEC, {}, { trigger: "act", actResults: [ok(9 * SEC)] });
    expect(after.receipt.oriented).toMatchObject({ last_status: "ok", ordered: 90 });
    expect(verdict(after, "order").values).toMatchObject({ "act.order.status": "ok" });
    expect(after.actions).toEqual([]);
    expect(after.receipt.act_results).toEqual([
      {
        action: "order",
        key: "g1:1:order:order",
        status: "ok",
        http_status: 201,
        attempt: 1,
        at: 9 * SEC,
      },
    ]);
    expect(after.state.acts.order).toMatchObject({
      http_status: 201,
      latency_ms: 120,
      error: null,
    });
  });

  test("the same result delivered twice is applied once", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    const twice = loop.run(SEC, {}, { trigger: "act", actResults: [ok(SEC), ok(SEC)] });
    expect(twice.receipt.act_results).toHaveLength(1);
    expect(twice.receipt.ignored).toEqual([
      { name: "order", reason: "result of g1:1:order:order attempt 1 was already applied" },
    ]);
  });

  test("an older result does not replace a newer one", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    loop.run(MIN, {}, { actResults: [ok(50 * SEC, { attempt: 2 })] });
    loop.run(2 * MIN, {}, { actResults: [ok(40 * SEC, { attempt: 1, status: "failed" })] });
    expect(loop.state.acts.order).toMatchObject({ attempt: 2, status: "ok" });
  });

  test("a failed result is readable by rules, with its attempt", () => {
    const loop = drive(goal);
    loop.run(0, { x: 0 });
    const failed = ok(SEC, { status: "failed", http_status: 503, value: undefined, error: "503" });
    const result = loop.run(2 * SEC, {}, { actResults: [failed] });
    expect(verdict(result, "retry").status).toBe("matched");
  });

  test("a result for an action the goal does not have is ignored", () => {
    const result = drive(goal).run(0, { x: 0 }, { actResults: [ok(0, { action: "ship" })] });
    expect(result.receipt.ignored).toEqual([
      { name: "ship", reason: "not an action of this goal" },
    ]);
  });
});
