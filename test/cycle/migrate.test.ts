import { describe, expect, test } from "vitest";
import { carryOver } from "../../src/cycle/index.ts";
import { drive, goalOf, MIN, verdict } from "./helpers.ts";

const v1 = goalOf({
  keep: 10,
  observe: { temp: { from: "push" }, humidity: { from: "push" } },
  orient: { avg: "mean(history.temp)", wet: "humidity > 80" },
  decide: {
    rules: [
      { id: "hot", when: "temp > 30", for: "5m", do: "alert" },
      { id: "damp", when: "wet", cooldown: "1h", do: "alert" },
    ],
  },
  act: { alert: { webhook: "https://h.example/", expect: "temp < 30", within: "1h" } },
  guard: { max_actions_per_hour: 5 },
});

const v2 = goalOf({
  keep: 2,
  observe: { temp: { from: "http", url: "https://sensor.example/" } },
  orient: { avg: "mean(history.temp)" },
  decide: { rules: [{ id: "hot", when: "temp > 30", for: "5m", do: "alert" }] },
  act: { alert: { webhook: "https://h.example/", expect: "temp < 30", within: "1h" } },
  guard: { max_actions_per_hour: 5 },
});

function oldState() {
  const loop = drive(v1);
  loop.run(0, { temp: 35, humidity: 90 });
  loop.run(MIN, { temp: 36, humidity: 90 });
  loop.run(2 * MIN, { temp: 37, humidity: 90 });
  return loop.state;
}

describe("carryOver to a new spec version", () => {
  test("keeps the data of names that survive, cut to the new keep, and drops the rest", () => {
    const state = carryOver(v2, oldState());
    expect(Object.keys(state.latest)).toEqual(["temp"]);
    expect(state.history.temp?.map((e) => e.value)).toEqual([36, 37]);
    expect(state.oriented).toEqual({ avg: 36 });
  });

  test("keeps the hold of rules whose id survives, so a pending for keeps counting", () => {
    const state = carryOver(v2, oldState());
    expect(Object.keys(state.rules)).toEqual(["hot"]);
    const loop = drive(v2);
    loop.state = state;
    expect(verdict(loop.run(5 * MIN, { temp: 38 }), "hot").status).toBe("matched");
  });

  test("keeps the cycle counter, the action budget and the pending expectations of surviving actions", () => {
    const old = oldState();
    const state = carryOver(v2, old);
    expect(state.cycle).toBe(3);
    expect(state.actionTimes).toEqual(old.actionTimes);
    expect(state.expectations).toEqual(old.expectations);
    expect(state.expectations).toHaveLength(1);
  });

  test("a new version of a done goal is active again", () => {
    expect(carryOver(v2, { ...oldState(), status: "done" }).status).toBe("active");
  });

  test("does not change the old state", () => {
    const old = oldState();
    const copy = JSON.parse(JSON.stringify(old));
    carryOver(v2, old);
    expect(old).toEqual(copy);
  });
});
