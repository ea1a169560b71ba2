/**
 * Which cycles may fire a rule that was already matched: the alarm and
 * anything from outside may; the consequences of actions (their results,
 * the record changes and signals they cause, decisions on approvals) may not.
 */
import { describe, expect, test } from "vitest";
import { startedByConsequences } from "../../src/cycle/index.ts";
import { drive, goalOf, observations, SEC, verdict } from "./helpers.ts";

const goal = goalOf({
  every: "1m",
  observe: { x: { from: "push" }, y: { from: "record", collection: "c" } },
  decide: {
    policy: "all",
    rules: [
      { id: "level", when: "x > 0", do: "a" },
      { id: "late", when: "x > 0", for: "2s", do: "b" },
    ],
  },
  act: { a: { webhook: "https://a.example/" }, b: { webhook: "https://b.example/" } },
});

const chain = { id: "g1:1", depth: 1 };

describe("a cycle started only by consequences of actions", () => {
  test("a record change an action made does not re-fire a matched rule; one from outside does", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 }, { trigger: "push" });
    const echoed = loop.run(
      SEC,
      {},
      {
        trigger: "record",
        observations: [{ name: "y", value: 5, at: SEC, source: "record", chain }],
      },
    );
    expect(verdict(echoed, "level").status).toBe("already_matched");
    expect(echoed.actions).toEqual([]);
    const outside = loop.run(
      1.5 * SEC,
      {},
      {
        trigger: "record",
        observations: [{ name: "y", value: 6, at: 1.5 * SEC, source: "record" }],
      },
    );
    expect(outside.actions.map((a) => a.rule)).toEqual(["level"]);
  });

  test("a rule whose `for` is met in such a cycle fires: it was pending, not matched", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 }, { trigger: "push" });
    const result = loop.run(
      2 * SEC,
      {},
      {
        trigger: "act",
        actResults: [
          {
            action: "a",
            key: "g1:1:level:a",
            status: "ok",
            latency_ms: 1,
            attempt: 1,
            at: SEC,
            chain,
          },
        ],
      },
    );
    expect(verdict(result, "level").status).toBe("already_matched");
    expect(result.actions.map((a) => a.rule)).toEqual(["late"]);
  });

  test("the alarm fires a matched rule again (a level, with its cooldown as the brake)", () => {
    const loop = drive(goal);
    loop.run(0, { x: 1 }, { trigger: "push" });
    expect(loop.run(60 * SEC, {}, { trigger: "alarm" }).actions.map((a) => a.rule)).toEqual([
      "level",
      "late",
    ]);
  });

  test("what counts as started by consequences", () => {
    const base = { goalId: "g", now: 0, observations: [] };
    const result = {
      action: "a",
      key: "k",
      status: "ok" as const,
      latency_ms: 0,
      attempt: 1,
      at: 0,
    };
    expect(startedByConsequences({ ...base, trigger: "act", actResults: [result] })).toBe(true);
    expect(startedByConsequences({ ...base, trigger: "alarm", actResults: [result] })).toBe(false);
    expect(startedByConsequences({ ...base, trigger: "approval" })).toBe(true);
    expect(startedByConsequences({ ...base, trigger: "manual" })).toBe(false);
    const pushed = observations({ x: 1 }, 0);
    expect(
      startedByConsequences({
        ...base,
        trigger: "act",
        actResults: [result],
        observations: pushed,
      }),
    ).toBe(false);
    const signalled = pushed.map((o) => ({ ...o, chain }));
    expect(startedByConsequences({ ...base, trigger: "signal", observations: signalled })).toBe(
      true,
    );
  });
});
