/**
 * Model-assisted decide, purely: the cycle with recorded model answers. A
 * declared action the model chooses is planned through the same guards as a
 * rule's, "none" plans nothing, anything else leaves the decision to the
 * rules (and the receipt says why); the per-hour call budget is counted in
 * the state; replay and simulate use recorded answers, exactly.
 */
import { describe, expect, it } from "vitest";
import {
  type CycleInput,
  initialState,
  MAX_PROMPT_BYTES,
  type ModelAnswer,
  type ModelInput,
  modelCallsLeft,
  modelPrompt,
  replay,
  runCycle,
  simulate,
} from "../../src/cycle/index.ts";
import { goalOf, issuesOf, MIN, statuses } from "./helpers.ts";

const HOOK = "https://hooks.example/";

function spec(extra: { guard?: Record<string, unknown>; model?: Record<string, unknown> } = {}) {
  return {
    observe: { load: { from: "push" } },
    orient: { avg: "mean(history.load)" },
    decide: {
      policy: "model",
      model: {
        provider: "openai",
        model: "gpt-test",
        instructions: "Keep load low.",
        ...extra.model,
      },
      rules: [{ id: "high", when: "load > 80", do: "scale_up" }],
    },
    act: {
      scale_up: { webhook: `${HOOK}up`, body: { load: "=load" }, description: "add a server" },
      scale_down: { webhook: `${HOOK}down`, description: "remove a server" },
    },
    ...(extra.guard ? { guard: extra.guard } : {}),
  };
}

function answer(choice: string | null, extra: Partial<ModelAnswer> = {}): ModelAnswer {
  return {
    provider: "openai",
    model: "gpt-test",
    prompt_sha256: "ab".repeat(32),
    raw: JSON.stringify({ action: choice, reason: "because" }),
    choice,
    reason: "because",
    latency_ms: 12,
    tokens: { prompt: 100, completion: 9 },
    ...extra,
  };
}

/** Runs cycles one after another, a minute apart, each with its load and model input. */
function run(goal = goalOf(spec()), steps: [number, ModelInput | undefined][]) {
  let state = initialState(goal, 0);
  return steps.map(([load, model], i) => {
    const input: CycleInput = {
      goalId: "g",
      now: (i + 1) * MIN,
      trigger: "push",
      observations: [{ name: "load", value: load, at: (i + 1) * MIN, source: "push" }],
    };
    if (model !== undefined) input.model = model;
    const result = runCycle(goal, state, input);
    state = result.state;
    return result;
  });
}

describe("the model spec", () => {
  it("needs decide.model with policy model, and only then", () => {
    const noModel = spec();
    noModel.decide = { ...noModel.decide, model: undefined as never };
    expect(issuesOf(noModel).map((i) => [i.path, i.code])).toEqual([
      ["decide.model", "MODEL_REQUIRED"],
    ]);
    const unused = { ...spec(), decide: { ...spec().decide, policy: "first" } };
    expect(issuesOf(unused).map((i) => [i.path, i.code])).toEqual([
      ["decide.model", "MODEL_UNUSED"],
    ]);
  });

  it('refuses an action named "none", a URL-less provider name, and out-of-range limits', () => {
    const none = spec();
    (none.act as Record<string, unknown>).none = { webhook: HOOK };
    expect(issuesOf(none).map((i) => i.code)).toEqual(["RESERVED_NAME"]);
    expect(issuesOf(spec({ model: { provider: "https://evil.example" } }))[0]?.path).toBe(
      "decide.model.provider",
    );
    expect(issuesOf(spec({ model: { url: "https://evil.example" } }))[0]?.path).toBe(
      "decide.model.url",
    );
    expect(issuesOf(spec({ model: { timeout: "5m" } }))[0]?.code).toBe("DURATION_RANGE");
    expect(issuesOf(spec({ model: { max_calls_per_hour: 0 } }))[0]?.path).toBe(
      "decide.model.max_calls_per_hour",
    );
  });

  it("applies the defaults", () => {
    const goal = goalOf(spec());
    expect(goal.model).toEqual({
      provider: "openai",
      model: "gpt-test",
      instructions: "Keep load low.",
      history: 10,
      timeoutMs: 10_000,
      maxCallsPerHour: 30,
    });
    expect(goal.actions.get("scale_up")?.description).toBe("add a server");
  });
});

describe("a cycle with a model answer", () => {
  it("plans the declared action the model chose, under the model's own rule id, and records the call", () => {
    const [first] = run(undefined, [[50, answer("scale_down")]]);
    expect(first?.actions.map((a) => [a.action, a.rule, a.key])).toEqual([
      ["scale_down", "@model", "g:1:@model:scale_down"],
    ]);
    expect(first?.actions[0]?.kind).toBe("webhook");
    expect(first?.receipt.model).toEqual({
      provider: "openai",
      model: "gpt-test",
      prompt_sha256: "ab".repeat(32),
      raw: '{"action":"scale_down","reason":"because"}',
      choice: "scale_down",
      reason: "because",
      latency_ms: 12,
      tokens: { prompt: 100, completion: 9 },
      outcome: { status: "matched", reason: "fires scale_down" },
    });
    expect(statuses(first as never)).toEqual({ high: "false" });
    expect(first?.state.modelCalls).toEqual([MIN]);
  });

  it("supersedes a matching rule when the model decides, and plans nothing for none", () => {
    const [chose, none] = run(undefined, [
      [90, answer("scale_down")],
      [95, answer("none")],
    ]);
    expect(chose?.actions.map((a) => a.action)).toEqual(["scale_down"]);
    expect(chose?.verdicts[0]).toMatchObject({
      rule: "high",
      status: "superseded",
      reason: "the model decided this cycle (it chose scale_down)",
    });
    expect(none?.actions).toEqual([]);
    expect(none?.receipt.model?.fallback).toBeUndefined();
    expect(none?.receipt.model?.outcome).toBeUndefined();
    expect(none?.verdicts[0]?.status).toBe("superseded");
  });

  it.each([
    [
      "an action not in the spec",
      answer("delete_everything"),
      '"delete_everything" is not one of the declared actions or "none"',
    ],
    ["no choice", answer(null), "the answer holds no choice"],
    ["a failed call", answer(null, { error: "timeout after 10s" }), "timeout after 10s"],
    [
      "a skipped call",
      { skipped: "max_calls_per_hour (30) is spent" },
      "max_calls_per_hour (30) is spent",
    ],
    ["no answer at all", undefined, "no model answer for this cycle"],
  ] as const)("falls back to the rules on %s, saying why", (_, model, why) => {
    const [result] = run(undefined, [[90, model as ModelInput | undefined]]);
    expect(result?.receipt.model?.fallback).toBe(why);
    expect(result?.actions.map((a) => [a.action, a.rule])).toEqual([["scale_up", "high"]]);
    expect(result?.verdicts[0]?.status).toBe("matched");
  });

  it("never takes a URL, body or extra field from an answer: only the declared action runs", () => {
    const hostile = answer("scale_up", {
      raw: '{"action":"scale_up","url":"https://evil.example","body":{"x":1}}',
    }) as ModelAnswer & { url: string };
    hostile.url = "https://evil.example";
    const [result] = run(undefined, [[10, hostile]]);
    const planned = result?.actions[0];
    expect(planned?.kind === "webhook" && planned.payload.url).toBe(`${HOOK}up`);
    expect(planned?.kind === "webhook" && planned.payload.body).toEqual({ load: 10 });
  });

  it("cuts a long reason and raw answer short", () => {
    const [result] = run(undefined, [
      [10, answer("none", { reason: "r".repeat(2000), raw: "x".repeat(10_000) })],
    ]);
    expect(result?.receipt.model?.reason?.length).toBe(500);
    expect(result?.receipt.model?.raw?.length).toBe(4096);
  });
});

describe("the guards after the model's choice", () => {
  it("holds an action that needs approval, and blocks it while it waits", () => {
    const goal = goalOf(spec({ guard: { approve: ["scale_down"] } }));
    const [held, again] = run(goal, [
      [50, answer("scale_down")],
      [50, answer("scale_down")],
    ]);
    expect(held?.actions.map((a) => [a.action, a.awaiting_approval])).toEqual([
      ["scale_down", true],
    ]);
    expect(held?.receipt.model?.outcome).toMatchObject({ status: "blocked", guard: "approve" });
    expect(held?.state.approvals.scale_down?.rule).toBe("@model");
    expect(again?.actions).toEqual([]);
    expect(again?.receipt.model?.outcome).toMatchObject({ status: "blocked", guard: "approve" });
  });

  it("blocks beyond max_actions_per_hour, and plans only a record under dry_run", () => {
    const goal = goalOf(spec({ guard: { max_actions_per_hour: 1, dry_run: true } }));
    const [first, second] = run(goal, [
      [50, answer("scale_down")],
      [50, answer("scale_up")],
    ]);
    expect(first?.actions.map((a) => [a.action, a.dry_run])).toEqual([["scale_down", true]]);
    expect(first?.receipt.model?.outcome?.reason).toBe("fires scale_down (dry run)");
    expect(second?.actions).toEqual([]);
    expect(second?.receipt.model?.outcome).toMatchObject({
      status: "blocked",
      guard: "max_actions_per_hour",
    });
  });
});

describe("the per-hour model budget", () => {
  it("counts calls in the state; an answer beyond the budget is not used", () => {
    const goal = goalOf(spec({ model: { max_calls_per_hour: 2 } }));
    const results = run(goal, [
      [10, answer("none")],
      [10, answer("none", { error: "HTTP 500" })],
      [90, answer("scale_down")],
    ]);
    expect(results.map((r) => r.receipt.model?.fallback ?? null)).toEqual([
      null,
      "HTTP 500",
      "max_calls_per_hour (2) is spent: the answer is not used",
    ]);
    expect(results[2]?.actions.map((a) => a.action)).toEqual(["scale_up"]);
    const state = results[2]?.state ?? initialState(goal, 0);
    expect(modelCallsLeft(goal, state, 3 * MIN)).toBe(0);
    expect(modelCallsLeft(goal, state, 61 * MIN + 1)).toBe(1);
  });
});

describe("the prompt", () => {
  it("shows the oriented values, the history, each candidate's description and the instructions", () => {
    const goal = goalOf(spec({ model: { history: 2 } }));
    const [, preview] = run(goal, [
      [10, undefined],
      [20, undefined],
      [30, undefined],
    ]);
    if (preview === undefined) throw new Error("no cycle");
    const input: CycleInput = { goalId: "g", now: 2 * MIN, trigger: "push", observations: [] };
    const prompt = modelPrompt(goal, preview, input);
    expect(prompt.candidates).toEqual(["scale_up", "scale_down", "none"]);
    expect(prompt.messages.map((m) => m.role)).toEqual(["system", "user"]);
    expect(prompt.messages[0]?.content).toContain("The goal's instructions: Keep load low.");
    const facts = JSON.parse(prompt.messages[1]?.content ?? "{}");
    expect(facts.oriented).toEqual({ avg: 15 });
    expect(facts.history).toEqual({ load: [10, 20] });
    expect(facts.actions).toEqual([
      { name: "scale_up", kind: "webhook", description: "add a server" },
      { name: "scale_down", kind: "webhook", description: "remove a server" },
      { name: "none", description: "do nothing this cycle" },
    ]);
    expect(facts.rules).toEqual([{ id: "high", status: "false", reason: "condition is false" }]);
    expect(modelPrompt(goal, preview, input)).toEqual(prompt);
  });
});

describe("the prompt's size", () => {
  it("shows large values as their size and less history until the facts fit 32 KiB", () => {
    const goal = goalOf(spec({ model: { history: 100 } }));
    const big = "x".repeat(900);
    const results = run(
      goal,
      Array.from({ length: 60 }, () => [big as unknown as number, undefined]),
    );
    const preview = results.at(-1);
    if (preview === undefined) throw new Error("no cycle");
    const input: CycleInput = { goalId: "g", now: 60 * MIN, trigger: "push", observations: [] };
    const user = modelPrompt(goal, preview, input).messages[1]?.content ?? "";
    expect(user.length).toBeLessThanOrEqual(MAX_PROMPT_BYTES);
    const facts = JSON.parse(user);
    expect(facts.history.load).toEqual(Array.from({ length: 5 }, () => ({ omitted_bytes: 902 })));
    expect(facts.observed.load.value).toEqual({ omitted_bytes: 902 });
  });
});

describe("replay and simulate", () => {
  it("replay with the recorded answers reproduces the receipts; a what-if spec falls back on a choice it lacks", () => {
    const goal = goalOf(spec());
    const models = [answer("scale_down"), answer("none"), answer("bogus"), answer("scale_up")];
    const lived = run(
      goal,
      models.map((m, i) => [40 + i * 20, m]),
    );
    const log = lived.map((_, i) => ({
      cycle: i + 1,
      specVersion: 1,
      now: (i + 1) * MIN,
      trigger: "push" as const,
      observations: [
        { name: "load", value: 40 + i * 20, at: (i + 1) * MIN, source: "push" as const },
      ],
      model: models[i] as ModelInput,
    }));
    const base = initialState(goal, 0);
    const again = replay({ goalId: "g", base, baseVersion: 1, log, goalFor: () => goal });
    expect(again).toEqual(lived.map((r) => r.receipt));

    const renamed = spec();
    renamed.act = { scale_up: renamed.act.scale_up, shrink: renamed.act.scale_down } as never;
    const whatIf = replay({
      goalId: "g",
      base,
      baseVersion: 1,
      log,
      goalFor: () => goalOf(renamed),
    });
    expect(whatIf[0]?.model?.fallback).toBe(
      '"scale_down" is not one of the declared actions or "none"',
    );
    expect(whatIf[3]?.actions.map((a) => [a.action, a.rule])).toEqual([["scale_up", "@model"]]);
  });

  it("simulate uses a timeline's model answers, and the rules where there is none", () => {
    const goal = goalOf(spec());
    const receipts = simulate(
      goal,
      [
        { at: MIN, values: { load: 90 }, model: { choice: "scale_down", reason: "test" } },
        { at: 2 * MIN, values: { load: 95 } },
      ],
      { goalId: "sim" },
    );
    expect(receipts[0]?.actions.map((a) => [a.action, a.rule])).toEqual([["scale_down", "@model"]]);
    expect(receipts[0]?.model?.reason).toBe("test");
    expect(receipts[1]?.model?.fallback).toBe("simulated: no model answer");
    expect(receipts[1]?.actions.map((a) => a.action)).toEqual(["scale_up"]);
  });
});

describe("goals without policy model", () => {
  it("have no model entry in their receipts", () => {
    const goal = goalOf({ ...spec(), decide: { rules: spec().decide.rules } });
    const [result] = run(goal, [[90, answer("scale_down")]]);
    expect(result?.receipt.model).toBeUndefined();
    expect(result?.actions.map((a) => a.rule)).toEqual(["high"]);
  });
});
