import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN } from "./helpers.ts";

const goal = goalOf({
  observe: { stock: { from: "push" } },
  decide: { rules: [{ id: "r", when: "stock < 20", do: "order" }] },
  act: { order: { webhook: "https://erp.example/" } },
  done: "stock >= 1000",
});

describe("done", () => {
  test("when done turns true the result and receipt say done and the state is done", () => {
    const loop = drive(goal);
    expect(loop.run(0, { stock: 5 }).done).toBe(false);
    const finished = loop.run(MIN, { stock: 1000 });
    expect(finished.done).toBe(true);
    expect(finished.receipt.done).toBe(true);
    expect(finished.state.status).toBe("done");
  });

  test("a done goal's loop has stopped: later cycles change nothing and plan nothing", () => {
    const loop = drive(goal);
    loop.run(0, { stock: 1000 });
    const before = loop.state;
    const after = loop.run(MIN, { stock: 5 });
    expect(after.done).toBe(true);
    expect(after.actions).toEqual([]);
    expect(after.state).toBe(before);
    expect(after.receipt).toMatchObject({
      cycle: 1,
      quiet: true,
      ignored: [{ name: "stock", reason: "the goal is done" }],
    });
  });

  test("missing data never completes a goal", () => {
    const result = drive(goal).run(0);
    expect(result.done).toBe(false);
    expect(result.receipt.done_check).toEqual({
      status: "insufficient_data",
      reason: "stock has no observation yet",
    });
  });

  test("a done formula that is not a boolean is an error, not done", () => {
    const numeric = goalOf({ observe: { stock: { from: "push" } }, done: "stock" });
    const result = drive(numeric).run(0, { stock: 1 });
    expect(result.done).toBe(false);
    expect(result.receipt.done_check?.code).toBe("DONE_NOT_BOOLEAN");
  });
});
