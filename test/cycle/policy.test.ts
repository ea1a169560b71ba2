import { describe, expect, test } from "vitest";
import { drive, goalOf, statuses, verdict } from "./helpers.ts";

function goalWith(policy: string, rules: Record<string, unknown>[]) {
  return goalOf({
    observe: { x: { from: "push" } },
    decide: { policy, rules },
    act: { a: { webhook: "https://hooks.example/a" }, b: { webhook: "https://hooks.example/b" } },
  });
}

describe("policy first", () => {
  const goal = goalWith("first", [
    { id: "low", when: "x < 5", do: "a" },
    { id: "odd", when: "x % 2 == 1", do: "b" },
    { id: "any", when: "true", do: "b" },
  ]);

  test("the first matching rule acts and later matches are superseded", () => {
    const result = drive(goal).run(0, { x: 3 });
    expect(statuses(result)).toEqual({ low: "matched", odd: "superseded", any: "superseded" });
    expect(verdict(result, "odd").reason).toBe("rule low matched first");
    expect(result.actions.map((a) => a.rule)).toEqual(["low"]);
  });

  test("rules that did not match keep their own verdicts", () => {
    const result = drive(goal).run(0, { x: 7 });
    expect(statuses(result)).toEqual({ low: "false", odd: "matched", any: "superseded" });
  });

  test("a pending rule does not hold the slot: the next match acts", () => {
    const pending = goalWith("first", [
      { id: "sustained", when: "x > 5", for: "5m", do: "a" },
      { id: "now", when: "x > 5", do: "b" },
    ]);
    const result = drive(pending).run(0, { x: 9 });
    expect(statuses(result)).toEqual({ sustained: "pending", now: "matched" });
  });
});

describe("policy all", () => {
  test("every matching rule acts", () => {
    const goal = goalWith("all", [
      { id: "low", when: "x < 5", do: "a" },
      { id: "odd", when: "x % 2 == 1", do: "b" },
      { id: "big", when: "x > 100", do: "b" },
    ]);
    const result = drive(goal).run(0, { x: 3 });
    expect(statuses(result)).toEqual({ low: "matched", odd: "matched", big: "false" });
    expect(result.actions.map((a) => `${a.rule}:${a.action}`)).toEqual(["low:a", "odd:b"]);
  });
});

describe("policy best", () => {
  test("the highest score acts; the others are superseded with both scores", () => {
    const goal = goalWith("best", [
      { id: "cheap", when: "true", score: "x", do: "a" },
      { id: "fast", when: "true", score: "x * 2", do: "b" },
      { id: "off", when: "false", score: "1000", do: "a" },
    ]);
    const result = drive(goal).run(0, { x: 4 });
    expect(statuses(result)).toEqual({ cheap: "superseded", fast: "matched", off: "false" });
    expect(verdict(result, "fast").score).toBe(8);
    expect(verdict(result, "cheap")).toMatchObject({
      score: 4,
      reason: "rule fast scored 8 (this rule 4)",
    });
  });

  test("a tie goes to the rule written first", () => {
    const goal = goalWith("best", [
      { id: "one", when: "true", score: "5", do: "a" },
      { id: "two", when: "true", score: "x + 1", do: "b" },
    ]);
    const result = drive(goal).run(0, { x: 4 });
    expect(statuses(result)).toEqual({ one: "matched", two: "superseded" });
    expect(verdict(result, "two").reason).toBe("tie at score 5; rule one comes first");
  });

  test("a score that is not a number takes the rule out with an error", () => {
    const goal = goalWith("best", [
      { id: "bad", when: "true", score: "'high'", do: "a" },
      { id: "ok", when: "true", score: "1", do: "b" },
    ]);
    const result = drive(goal).run(0, { x: 1 });
    expect(verdict(result, "bad")).toMatchObject({ status: "error", code: "SCORE_NOT_NUMBER" });
    expect(verdict(result, "ok").status).toBe("matched");
  });

  test("a score failing to evaluate is an error with the formula's code", () => {
    const goal = goalWith("best", [{ id: "div", when: "true", score: "1 / (x - x)", do: "a" }]);
    expect(verdict(drive(goal).run(0, { x: 1 }), "div")).toMatchObject({
      status: "error",
      code: "FORMULA_NON_FINITE",
    });
  });

  test("scores are only evaluated for matching rules", () => {
    const goal = goalWith("best", [{ id: "r", when: "x > 10", score: "1 / 0", do: "a" }]);
    expect(verdict(drive(goal).run(0, { x: 1 }), "r").status).toBe("false");
  });
});
