import { describe, expect, test } from "vitest";
import type { ActResult } from "../../src/cycle/index.ts";
import { drive, goalOf, SEC, verdict } from "./helpers.ts";

// A rule with no cooldown that stays true while its action's results come back,
// and one that retries on failure (policy all, so both may fire).
const goal = goalOf({
  every: "1m",
  observe: { x: { from: "push" } },
  decide: {
    policy: "all",
    rules: [
      { id: "hook", when: "x > 1", do: "notify" },
      { id: "retry", when: "act.notify.status == 'failed'", do: "notify" },
    ],
  },
  act: { notify: { webhook: "https://hooks.example/x" } },
});

const result = (cycle: number, at: number, status: ActResult["status"] = "ok"): ActResult => ({
  action: "notify",
  key: `g1:${cycle}:hook:notify`,
  status,
  latency_ms: 5,
  attempt: 1,
  at,
});

describe("a cycle started only by an action's result", () => {
  test("does not fire that action again from a rule that was already matched", () => {
    const loop = drive(goal);
    const first = loop.run(0, { x: 5 }, { trigger: "push" });
    expect(first.actions.map((a) => a.action)).toEqual(["notify"]);
    const echo = loop.run(SEC, {}, { trigger: "act", actResults: [result(1, SEC)] });
    expect(echo.actions).toEqual([]);
    expect(verdict(echo, "hook")).toMatchObject({ status: "already_matched" });
    expect(verdict(echo, "hook").reason).toContain("only consequences of actions started");
    // A duplicate delivery of the result does not re-fire it either.
    const again = loop.run(2 * SEC, {}, { trigger: "act", actResults: [result(1, 2 * SEC)] });
    expect(again.actions).toEqual([]);
  });

  test("fires again on new observations and at the next alarm", () => {
    const loop = drive(goal);
    loop.run(0, { x: 5 }, { trigger: "push" });
    loop.run(SEC, {}, { trigger: "act", actResults: [result(1, SEC)] });
    expect(loop.run(2 * SEC, { x: 6 }, { trigger: "push" }).actions).toHaveLength(1);
    loop.run(3 * SEC, {}, { trigger: "act", actResults: [result(3, 3 * SEC)] });
    expect(loop.run(60 * SEC, {}, { trigger: "alarm" }).actions).toHaveLength(1);
  });

  test("a rule that turns true on the result (a retry on failure) fires once", () => {
    const loop = drive(goal);
    loop.run(0, { x: 5 }, { trigger: "push" });
    const failed = loop.run(SEC, {}, { trigger: "act", actResults: [result(1, SEC, "failed")] });
    expect(verdict(failed, "retry").status).toBe("matched");
    expect(failed.actions.map((a) => a.key)).toEqual(["g1:2:retry:notify"]);
    const failedAgain = loop.run(
      2 * SEC,
      {},
      {
        trigger: "act",
        actResults: [{ ...result(2, 2 * SEC, "failed"), key: "g1:2:retry:notify" }],
      },
    );
    expect(failedAgain.actions).toEqual([]);
  });
});
