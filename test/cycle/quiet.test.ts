import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN } from "./helpers.ts";

const goal = goalOf({
  observe: { x: { from: "push" } },
  decide: { rules: [{ id: "r", when: "x > 10", cooldown: "1h", do: "a" }] },
  act: { a: { webhook: "https://h.example/", expect: "x < 10", within: "5m" } },
});

describe("quiet cycles", () => {
  test("the first cycle is never quiet", () => {
    expect(drive(goal).run(0, { x: 1 }).receipt.quiet).toBe(false);
  });

  test("a cycle where no verdict changed and nothing was planned is quiet", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    expect(loop.run(MIN, { x: 2 }).receipt.quiet).toBe(true);
  });

  test("a verdict changing status makes the cycle not quiet", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    loop.run(MIN, { x: 2 });
    loop.run(2 * MIN, { x: 20 }); // fires
    const cooling = loop.run(3 * MIN, { x: 20 });
    expect(cooling.receipt.quiet).toBe(false);
    expect(loop.run(4 * MIN, { x: 20 }).receipt.quiet).toBe(true);
  });

  test("a cycle that plans an action is not quiet", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    expect(loop.run(MIN, { x: 20 }).receipt.quiet).toBe(false);
  });

  test("a cycle that settles an expectation is not quiet", () => {
    const loop = drive(goal);
    loop.run(0, { x: 20 });
    loop.run(MIN, { x: 20 });
    const settled = loop.run(
      2 * MIN,
      { x: 20 },
      { observations: [{ name: "x", value: 5, at: 2 * MIN + 1, source: "push" }] },
    );
    expect(settled.receipt.expectations).toHaveLength(1);
    expect(settled.receipt.quiet).toBe(false);
  });

  test("a late cycle notes its missed periods and stays quiet when nothing else changed", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    const late = loop.run(10 * MIN, { x: 1 }).receipt;
    expect(late.missed).toBeGreaterThan(0);
    expect(late.quiet).toBe(true);
  });

  test("the previous statuses survive a restart", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 });
    loop.state = JSON.parse(JSON.stringify(loop.state));
    expect(loop.run(MIN, { x: 1 }).receipt.quiet).toBe(true);
  });
});
