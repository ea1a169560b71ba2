import { describe, expect, test } from "vitest";
import { simulate } from "../../src/cycle/index.ts";
import { validateGoalSpec } from "../../src/spec/index.ts";
import { MIN, payloadOf } from "./helpers.ts";
import { PRODUCT_EXAMPLE } from "./product-example.ts";

function compiled() {
  const result = validateGoalSpec(PRODUCT_EXAMPLE);
  if (!result.ok) throw new Error("example should be valid");
  return result.goal;
}

const timeline = [
  { at: 0, values: { stock: 50, price: 2 } },
  { at: MIN, values: { stock: 10, price: 4 } },
  { at: 2 * MIN, values: { stock: 10 } },
  { at: 3 * MIN, values: { stock: 9 }, trigger: "alarm" as const },
  { at: 4 * MIN, values: { price: 30 } },
  { at: 5 * MIN, values: { stock: 1200 } },
  { at: 6 * MIN, values: { stock: 5 } },
];

describe("simulate", () => {
  test("runs one cycle per entry and plans what the goal would do, without running anything", () => {
    const receipts = simulate(compiled(), timeline, { goalId: "sim" });
    const actions = receipts.map((r) => r.actions.map((a) => a.key));
    // The price spike still holds in the cycle that completes the goal: actions come before done.
    expect(actions).toEqual([
      [],
      [],
      [],
      ["sim:4:reorder:order"],
      ["sim:5:spike:notify"],
      ["sim:6:spike:notify"],
    ]);
    expect(payloadOf(receipts[3]?.actions[0]).body).toEqual({ sku: "widget", qty: 91 });
  });

  test("stops after the cycle in which the goal is done", () => {
    const receipts = simulate(compiled(), timeline, { goalId: "sim" });
    expect(receipts).toHaveLength(6);
    expect(receipts.at(-1)?.done).toBe(true);
  });

  test("the same inputs give identical receipts", () => {
    const a = simulate(compiled(), timeline, { goalId: "sim", start: 0 });
    const b = simulate(compiled(), structuredClone(timeline), { goalId: "sim", start: 0 });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });

  test("entries default to push triggers; labelled alarm entries count missed periods", () => {
    const receipts = simulate(
      compiled(),
      [
        { at: 0, values: {}, trigger: "alarm" },
        { at: 30 * MIN, values: { stock: 50 } },
        { at: 60 * MIN, values: {}, trigger: "alarm" },
      ],
      { goalId: "sim" },
    );
    expect(receipts.map((r) => [r.trigger, r.missed])).toEqual([
      ["alarm", 0],
      ["push", 0],
      ["alarm", 59],
    ]);
  });

  test("observations are labelled with their declared source kind", () => {
    const receipts = simulate(compiled(), [{ at: 0, values: { stock: 1, orders: 2 } }], {
      goalId: "sim",
    });
    expect(receipts[0]?.observed.stock?.[0]?.source).toBe("record");
    expect(receipts[0]?.observed.orders?.[0]?.source).toBe("push");
  });
});
