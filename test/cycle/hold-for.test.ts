import { describe, expect, test } from "vitest";
import type { GoalState } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN, SEC, verdict } from "./helpers.ts";

const goal = goalOf({
  observe: { temp: { from: "push" } },
  decide: { rules: [{ id: "hot", when: "temp > 30", for: "2m", do: "alert" }] },
  act: { alert: { webhook: "https://hooks.example/alert", body: { t: "=temp" } } },
});

describe("for: a rule must hold before it matches", () => {
  test("a rule with for: 2m stays pending until the condition held two minutes", () => {
    const loop = drive(goal);
    expect(verdict(loop.run(0, { temp: 35 }), "hot")).toMatchObject({
      status: "pending",
      reason: "condition true for 0ms of 2m; 2m left",
    });
    expect(verdict(loop.run(1 * MIN, { temp: 36 }), "hot").reason).toContain("1m left");
    const held = loop.run(2 * MIN, { temp: 37 });
    expect(verdict(held, "hot").status).toBe("matched");
    expect(held.actions.map((a) => a.action)).toEqual(["alert"]);
  });

  test("a pending rule shows the values its condition read", () => {
    const loop = drive(goal);
    expect(verdict(loop.run(0, { temp: 35 }), "hot").values).toEqual({ temp: 35 });
  });

  test("the condition turning false in between restarts the hold", () => {
    const loop = drive(goal);
    loop.run(0, { temp: 35 });
    loop.run(1 * MIN, { temp: 20 });
    expect(verdict(loop.run(2 * MIN, { temp: 35 }), "hot").status).toBe("pending");
    expect(verdict(loop.run(3 * MIN, { temp: 35 }), "hot").status).toBe("pending");
    expect(verdict(loop.run(4 * MIN, { temp: 35 }), "hot").status).toBe("matched");
  });

  test("event-driven cycles between alarms count toward the hold by time, not by cycles", () => {
    const loop = drive(goal);
    loop.run(0, { temp: 35 });
    for (let t = 10 * SEC; t < 2 * MIN; t += 10 * SEC) {
      expect(verdict(loop.run(t, { temp: 35 }, { trigger: "push" }), "hot").status).toBe("pending");
    }
    expect(verdict(loop.run(2 * MIN, {}, { trigger: "push" }), "hot").status).toBe("matched");
  });

  test("the hold survives a restart: the state after a JSON round trip decides the same", () => {
    const live = drive(goal);
    const restarted = drive(goal);
    live.run(0, { temp: 35 });
    restarted.state = live.state;
    live.run(1 * MIN, { temp: 35 });
    restarted.run(1 * MIN, { temp: 35 });
    // A restart: the Durable Object reads its stored JSON back.
    restarted.state = JSON.parse(JSON.stringify(restarted.state)) as GoalState;
    const a = live.run(2 * MIN, { temp: 35 });
    const b = restarted.run(2 * MIN, { temp: 35 });
    expect(verdict(b, "hot").status).toBe("matched");
    expect(b.receipt).toEqual(a.receipt);
    expect(b.state).toEqual(a.state);
  });

  test("missing data resets the hold instead of letting it ripen unseen", () => {
    const stale = goalOf({
      observe: { temp: { from: "push", max_age: "90s" } },
      decide: { rules: [{ id: "hot", when: "temp > 30", for: "2m", do: "alert" }] },
      act: { alert: { webhook: "https://hooks.example/alert" } },
    });
    const loop = drive(stale);
    loop.run(0, { temp: 35 });
    expect(verdict(loop.run(2 * MIN), "hot").status).toBe("insufficient_data");
    expect(verdict(loop.run(3 * MIN, { temp: 35 }), "hot").status).toBe("pending");
  });
});
