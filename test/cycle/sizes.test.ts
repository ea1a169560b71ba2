/**
 * What a cycle keeps stays within what storage, queues and D1 take: an
 * action's payload is checked when it is planned, and a receipt is compacted.
 */
import { describe, expect, test } from "vitest";
import { MAX_ACTION_BYTES, MAX_RECEIPT_BYTES, type Observation } from "../../src/cycle/index.ts";
import { jsonBytes } from "../../src/spec/index.ts";
import { drive, goalOf, verdict } from "./helpers.ts";

describe("sizes", () => {
  test("a webhook body templated from history that outgrows an action is an error verdict, not a wedged goal", () => {
    const goal = goalOf({
      keep: 20,
      observe: { x: { from: "push" } },
      decide: { rules: [{ id: "r", when: "len(history.x) > 0", do: "hook" }] },
      act: { hook: { webhook: "https://h.example/", body: { recent: "=history.x" } } },
    });
    const loop = drive(goal);
    const big = "x".repeat(16 * 1024 - 2);
    let last = loop.run(0, { x: big }, { trigger: "push" });
    expect(last.actions).toHaveLength(1);
    for (let i = 1; i < 10; i++) last = loop.run(i * 1000, { x: big }, { trigger: "push" });
    expect(last.actions).toEqual([]);
    expect(verdict(last, "r")).toMatchObject({ status: "error", code: "ACTION_TOO_LARGE" });
    expect(verdict(last, "r").reason).toContain(`at most ${MAX_ACTION_BYTES}`);
    // Smaller values act again.
    const small = drive(goal);
    expect(small.run(0, { x: 1 }, { trigger: "push" }).actions).toHaveLength(1);
  });

  test("a cycle that took in many large observations keeps a compacted receipt, and every value in its state", () => {
    const goal = goalOf({
      keep: 1000,
      observe: { x: { from: "push" } },
      orient: { n: "len(history.x)" },
    });
    const value = "v".repeat(8000);
    const many: Observation[] = Array.from({ length: 200 }, (_, i) => ({
      name: "x",
      value: `${i}${value}`,
      at: i,
      source: "push",
    }));
    const result = drive(goal).run(1000, {}, { trigger: "push", observations: many });
    expect(jsonBytes(result.receipt)).toBeLessThanOrEqual(MAX_RECEIPT_BYTES);
    expect(result.receipt.compacted).toBe(true);
    const kept = result.receipt.observed.x ?? [];
    expect(kept.length + (result.receipt.observed_omitted?.x ?? 0)).toBe(200);
    expect(kept.at(-1)?.value).toEqual({ omitted_bytes: jsonBytes(`199${value}`) });
    expect(result.state.history.x).toHaveLength(200);
    expect(result.receipt.oriented.n).toBe(200);
  });

  test("a small receipt is left as it is", () => {
    const goal = goalOf({ observe: { x: { from: "push" } } });
    const result = drive(goal).run(0, { x: 1 }, { trigger: "push" });
    expect(result.receipt.compacted).toBeUndefined();
    expect(result.receipt.observed.x).toEqual([{ value: 1, at: 0, source: "push" }]);
  });
});
