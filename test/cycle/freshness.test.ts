import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN, verdict } from "./helpers.ts";

const goal = goalOf({
  params: { reorder_point: 20 },
  observe: { stock: { from: "record", collection: "inv", max_age: "5m" }, price: { from: "push" } },
  orient: { need: "stock < reorder_point", avg: "mean(history.price)" },
  decide: {
    policy: "all",
    rules: [
      { id: "direct", when: "stock < 20", do: "a" },
      { id: "derived", when: "need", do: "a" },
      { id: "trend", when: "avg > 3", do: "a" },
      { id: "unrelated", when: "reorder_point > 1", do: "a" },
    ],
  },
  act: { a: { webhook: "https://hooks.example/a" } },
});

describe("missing and stale data", () => {
  test("a rule reading a name never observed is insufficient_data, not false", () => {
    const result = drive(goal).run(0);
    expect(verdict(result, "direct")).toMatchObject({
      status: "insufficient_data",
      reason: "insufficient data: stock has no observation yet",
    });
    expect(verdict(result, "unrelated").status).toBe("matched");
    expect(result.receipt.stale).toEqual(["price", "stock"]);
  });

  test("a rule reading through an orient formula inherits its inputs' freshness", () => {
    const result = drive(goal).run(0, { price: 1 });
    expect(verdict(result, "derived").status).toBe("insufficient_data");
    expect(verdict(result, "derived").reason).toContain("stock has no observation yet");
    expect(result.receipt.oriented.need).toEqual({
      insufficient_data: { reason: "stock has no observation yet" },
    });
  });

  test("a value older than max_age is stale: insufficient_data rather than a crossed threshold", () => {
    const loop = drive(goal);
    expect(verdict(loop.run(0, { stock: 5, price: 1 }), "direct").status).toBe("matched");
    expect(verdict(loop.run(5 * MIN), "direct").status).toBe("matched");
    const stale = loop.run(5 * MIN + 1);
    expect(verdict(stale, "direct").status).toBe("insufficient_data");
    expect(verdict(stale, "direct").reason).toContain(
      "stock is stale (observed 5m ago, max_age 5m)",
    );
    expect(stale.receipt.stale).toEqual(["stock"]);
    expect(stale.actions.map((a) => a.rule)).toEqual(["unrelated"]);
  });

  test("reading history.NAME depends on NAME too", () => {
    const result = drive(goal).run(0, { stock: 50 });
    expect(verdict(result, "trend").status).toBe("insufficient_data");
    expect(result.receipt.oriented.avg).toEqual({
      insufficient_data: { reason: "price has no observation yet" },
    });
  });

  test("a source without max_age never goes stale once observed", () => {
    const loop = drive(goal);
    loop.run(0, { price: 5, stock: 50 });
    expect(verdict(loop.run(1000 * MIN, { stock: 50 }), "trend").status).toBe("matched");
  });

  test("a fresh observation makes the data sufficient again", () => {
    const loop = drive(goal);
    loop.run(0, { stock: 5 });
    loop.run(10 * MIN);
    expect(verdict(loop.run(11 * MIN, { stock: 30 }), "direct").status).toBe("false");
  });
});
