/**
 * `withFreshAnswers` (replay's call_model) asks the model for at most its
 * limit of cycles; the rest keep their recorded answers.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { initialState, type LoggedInput, type ModelAnswer } from "../../src/cycle/index.ts";
import { withFreshAnswers } from "../../src/goal/model-replay.ts";
import { validateGoalSpec } from "../../src/spec/index.ts";

describe("replay calling the model", () => {
  it("asks afresh up to the limit, then uses the recorded answers", async () => {
    const id = `choose:none#${crypto.randomUUID()}`;
    const validated = validateGoalSpec({
      name: "fresh",
      observe: { load: { from: "push" } },
      decide: { policy: "model", model: { provider: "openai", model: id } },
      act: { up: { webhook: "https://hooks.example/up" } },
    });
    if (!validated.ok) throw new Error(JSON.stringify(validated.issues));
    const goal = validated.goal;
    const recorded: ModelAnswer = {
      provider: "openai",
      model: "old",
      prompt_sha256: null,
      raw: null,
      choice: "up",
      reason: "recorded",
      latency_ms: 1,
      tokens: { prompt: null, completion: null },
    };
    const log: LoggedInput[] = [1, 2, 3, 4].map((cycle) => ({
      cycle,
      specVersion: 1,
      now: cycle * 60_000,
      trigger: "push",
      observations: [{ name: "load", value: cycle, at: cycle * 60_000, source: "push" }],
      model: recorded,
    }));
    const fresh = await withFreshAnswers(
      env,
      "t-fresh",
      { goalId: "g", base: initialState(goal, 0), baseVersion: 1, log, goalFor: () => goal },
      2,
    );
    expect(fresh.calls).toBe(2);
    expect(fresh.log.map((entry) => (entry.model as ModelAnswer).choice)).toEqual([
      "none",
      "none",
      "up",
      "up",
    ]);
    expect(fresh.log.map((entry) => entry.cycle)).toEqual([1, 2, 3, 4]);
  });
});
