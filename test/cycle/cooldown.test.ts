import { describe, expect, test } from "vitest";
import { drive, goalOf, MIN, verdict } from "./helpers.ts";

const goal = goalOf({
  observe: { stock: { from: "push" } },
  decide: { rules: [{ id: "reorder", when: "stock < 20", cooldown: "10m", do: "order" }] },
  act: { order: { webhook: "https://erp.example/orders" } },
});

describe("cooldown", () => {
  test("a rule that fired does not fire again within its cooldown, and says how long is left", () => {
    const loop = drive(goal);
    expect(loop.run(0, { stock: 5 }).actions).toHaveLength(1);
    const cooling = loop.run(4 * MIN, { stock: 5 });
    expect(cooling.actions).toEqual([]);
    expect(verdict(cooling, "reorder")).toMatchObject({
      status: "cooling_down",
      reason: "fired 4m ago; cooldown 10m, 6m left",
    });
  });

  test("once the cooldown has passed the rule fires again", () => {
    const loop = drive(goal);
    loop.run(0, { stock: 5 });
    loop.run(9 * MIN, { stock: 5 });
    const again = loop.run(10 * MIN, { stock: 5 });
    expect(verdict(again, "reorder").status).toBe("matched");
    expect(again.actions.map((a) => a.key)).toEqual(["g1:3:reorder:order"]);
  });

  test("without a cooldown a rule fires on every cycle its condition holds", () => {
    const noCooldown = goalOf({
      observe: { stock: { from: "push" } },
      decide: { rules: [{ id: "reorder", when: "stock < 20", do: "order" }] },
      act: { order: { webhook: "https://erp.example/orders" } },
    });
    const loop = drive(noCooldown);
    const fired = [0, 1, 2].flatMap((i) => loop.run(i * MIN, { stock: 5 }).actions);
    expect(fired).toHaveLength(3);
  });

  test("the cooldown survives a restart", () => {
    const loop = drive(goal);
    loop.run(0, { stock: 5 });
    loop.state = JSON.parse(JSON.stringify(loop.state));
    expect(verdict(loop.run(5 * MIN, { stock: 5 }), "reorder").status).toBe("cooling_down");
  });

  test("a cooling-down rule still wins policy first: the rules after it do not act meanwhile", () => {
    const two = goalOf({
      observe: { stock: { from: "push" } },
      decide: {
        rules: [
          { id: "reorder", when: "stock < 20", cooldown: "10m", do: "order" },
          { id: "log", when: "true", do: "note" },
        ],
      },
      act: {
        order: { webhook: "https://erp.example/o" },
        note: { webhook: "https://erp.example/n" },
      },
    });
    const loop = drive(two);
    loop.run(0, { stock: 5 });
    const cooling = loop.run(MIN, { stock: 5 });
    expect(verdict(cooling, "log").status).toBe("superseded");
    expect(cooling.actions).toEqual([]);
  });
});
