/**
 * Model-assisted decide end to end, against a local server that speaks the
 * OpenAI chat-completions protocol (test/model-server-setup.ts; no model runs
 * here): the goal's object asks it each cycle, the chosen declared action is
 * planned through the guards and its webhook arrives, bad answers fall back
 * to the rules (recorded with the reason), the per-hour budget is kept, and
 * replay reproduces the receipts from the recorded answers without asking again.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ModelDecision } from "../../src/cycle/receipt.ts";
import { cycles, type Receipt } from "../faults/helpers.ts";
import { call, createKey, eventually, goalTenant, seenBy } from "../helpers.ts";

interface Received {
  model: string;
  path: string;
  authorization: string;
  // biome-ignore lint/suspicious/noExplicitAny: the request body as the server got it
  body: any;
  invalid: string | null;
}

type ModelReceipt = Receipt & { model?: ModelDecision };

/** What the model server received for models starting with `prefix`. */
async function received(prefix: string): Promise<Received[]> {
  const res = await fetch(`${env.TEST_MODEL_SERVER}/_requests?model=${encodeURIComponent(prefix)}`);
  return res.json();
}

/** A model id scripting the server's answer, unique to one test. */
const scripted = (script: string) => `${script}#${crypto.randomUUID()}`;

function spec(path: string, model: string, extra: Record<string, unknown> = {}) {
  const { guard, ...modelExtra } = extra as { guard?: unknown };
  return {
    name: "model-driven",
    every: "1h",
    observe: { load: { from: "push" } },
    orient: { avg: "mean(history.load)" },
    decide: {
      policy: "model",
      model: {
        provider: "openai",
        model,
        instructions: "Keep the load under 80 with as few servers as possible.",
        ...modelExtra,
      },
      rules: [{ id: "high", when: "load > 80", do: "scale_up" }],
    },
    act: {
      scale_up: {
        webhook: `${env.TEST_RECEIVER}${path}/up`,
        body: { load: "=load" },
        description: "add one server",
      },
      scale_down: {
        webhook: `${env.TEST_RECEIVER}${path}/down`,
        body: { load: "=load", avg: "=avg" },
        description: "remove one server",
      },
    },
    ...(guard === undefined ? {} : { guard }),
  };
}

async function modelGoal(model: string, extra: Record<string, unknown> = {}) {
  const owner = await goalTenant();
  const path = `/ok/${crypto.randomUUID()}`;
  const created = await call("POST", "/v1/goals", {
    key: owner.key,
    body: spec(path, model, extra),
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const id = created.body.id as string;
  // The first cycle runs at creation (the cadence's first tick).
  await eventually(async () => ((await cycles(owner.key, id)).length > 0 ? true : undefined));
  return { ...owner, id, path };
}

/** Pushes a load and returns the receipt of the push's cycle. */
async function push(key: string, id: string, load: number): Promise<ModelReceipt> {
  const before = (await cycles(key, id)).length;
  const res = await call("POST", `/v1/goals/${id}/observations`, {
    key,
    body: { name: "load", value: load },
  });
  expect(res.status).toBe(202);
  return eventually(async () => {
    const all: ModelReceipt[] = await cycles(key, id);
    return all.slice(before).find((r) => r.trigger === "push");
  }, 15_000);
}

describe("a model-driven goal", () => {
  it("asks the model in the OpenAI protocol, runs the declared action it chose, and records the call", async () => {
    const model = scripted("choose:scale_down");
    const { key, id, path } = await modelGoal(model);
    const receipt = await push(key, id, 30);

    expect(receipt.actions?.map((a) => [a.action, a.rule, a.key])).toEqual([
      ["scale_down", "@model", `${id}:${receipt.cycle}:@model:scale_down`],
    ]);
    expect(receipt.model).toEqual({
      provider: "openai",
      model,
      prompt_sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      raw: '{"action":"scale_down","reason":"scripted answer (choose)"}',
      choice: "scale_down",
      reason: "scripted answer (choose)",
      latency_ms: expect.any(Number),
      tokens: { prompt: 321, completion: 17 },
      outcome: { status: "matched", reason: "fires scale_down" },
    });
    expect(receipt.verdicts).toEqual([expect.objectContaining({ rule: "high", status: "false" })]);

    const [delivery] = await eventually(async () => {
      const seen = await seenBy(`${path}/down`);
      return seen.length > 0 ? seen : undefined;
    });
    expect(JSON.parse(delivery?.body ?? "")).toEqual({ load: 30, avg: 30 });
    expect(await seenBy(`${path}/up`)).toEqual([]);

    // The request, as the server checked it: one per cycle that asked. The creation cycle,
    // with nothing observed yet, did not ask: the model would have been shown only nulls.
    const [created] = await cycles(key, id);
    expect((created as ModelReceipt).model?.fallback).toBe(
      "no source has a value yet: the rules decide, no call is made",
    );
    const requests = await received(model);
    expect(requests.map((r) => r.invalid)).toEqual([null]);
    const last = requests.at(-1);
    expect(last?.path).toBe("/v1/chat/completions");
    expect(last?.authorization).toBe("Bearer sk-test-model-key");
    const tool = last?.body.tools[0].function;
    expect(tool.parameters.properties.action.enum).toEqual(["scale_up", "scale_down", "none"]);
    expect(last?.body.tool_choice).toEqual({
      type: "function",
      function: { name: "choose_action" },
    });
    const [system, user] = last?.body.messages ?? [];
    expect(system.content).toContain("Keep the load under 80");
    const facts = JSON.parse(user.content);
    expect(facts.oriented).toEqual({ avg: 30 });
    expect(facts.history).toEqual({ load: [30] });
    expect(facts.actions.map((a: { description: string }) => a.description)).toEqual([
      "add one server",
      "remove one server",
      "do nothing this cycle",
    ]);
  }, 30_000);

  it('plans nothing for "none", and the rule that matched is superseded', async () => {
    const { key, id, path } = await modelGoal(scripted("choose:none"));
    const receipt = await push(key, id, 95);
    expect(receipt.actions).toEqual([]);
    expect(receipt.model?.choice).toBe("none");
    expect(receipt.model?.fallback).toBeUndefined();
    expect(receipt.verdicts?.[0]).toMatchObject({ rule: "high", status: "superseded" });
    expect(await seenBy(path)).toEqual([]);
  }, 30_000);

  it("reads an answer given as JSON in the message content", async () => {
    const { key, id } = await modelGoal(scripted("content:scale_up"));
    const receipt = await push(key, id, 50);
    expect(receipt.model?.fallback).toBeUndefined();
    expect(receipt.actions?.map((a) => [a.action, a.rule])).toEqual([["scale_up", "@model"]]);
  }, 30_000);

  it.each([
    [
      "an action the spec does not declare",
      "choose:drop_database",
      {},
      '"drop_database" is not one of the declared actions or "none"',
    ],
    ["arguments that are not JSON", "malformed", {}, "malformed answer: not a JSON object"],
    [
      "HTTP 500",
      "http500",
      {},
      "HTTP 500 from the model endpoint: The server had an error while processing your request.",
    ],
    [
      "an answer slower than the timeout",
      "slow:2500:scale_down",
      { timeout: "1s" },
      "timeout: no answer within 1000 ms",
    ],
  ] as const)(
    "falls back to the rules on %s, recording why",
    async (_, script, extra, why) => {
      const model = scripted(script);
      const { key, id, path } = await modelGoal(model, extra);
      const receipt = await push(key, id, 90);
      expect(receipt.model?.fallback).toBe(why);
      expect(receipt.model?.choice ?? null).toBe(
        script.startsWith("choose") ? "drop_database" : null,
      );
      // The rules decided, as policy first: the high-load rule fired its own action.
      expect(receipt.actions?.map((a) => [a.action, a.rule])).toEqual([["scale_up", "high"]]);
      expect(receipt.verdicts?.[0]).toMatchObject({ rule: "high", status: "matched" });
      await eventually(async () => ((await seenBy(`${path}/up`)).length > 0 ? true : undefined));
      expect(await seenBy(`${path}/down`)).toEqual([]);
    },
    30_000,
  );
});

describe("the guards after the model's choice", () => {
  it("holds a choice that needs approval; it is listed and not delivered", async () => {
    const { key, id, path } = await modelGoal(scripted("choose:scale_down"), {
      guard: { approve: ["scale_down"] },
    });
    const receipt = await push(key, id, 20);
    expect(receipt.model?.outcome).toMatchObject({ status: "blocked", guard: "approve" });
    const pending = await eventually(async () => {
      const res = await call("GET", `/v1/goals/${id}/approvals?status=pending`, { key });
      return res.body.approvals?.length > 0 ? res.body.approvals[0] : undefined;
    });
    expect(pending).toMatchObject({ action: "scale_down", rule: "@model", status: "pending" });
    expect(await seenBy(path)).toEqual([]);
  }, 30_000);

  it("blocks a choice beyond max_actions_per_hour", async () => {
    const { key, id, path } = await modelGoal(scripted("choose:scale_down"), {
      guard: { max_actions_per_hour: 1 },
    });
    // Creation's cycle chose it too, but with no load yet its body could not be rendered.
    const second = await push(key, id, 20);
    expect(second.model?.outcome?.status).toBe("matched");
    const third = await push(key, id, 21);
    expect(third.actions).toEqual([]);
    expect(third.model?.outcome).toMatchObject({
      status: "blocked",
      guard: "max_actions_per_hour",
    });
    await eventually(async () => ((await seenBy(`${path}/down`)).length > 0 ? true : undefined));
    expect((await seenBy(`${path}/down`)).length).toBe(1);
  }, 30_000);
});

describe("the model budget and replay", () => {
  it("stops calling at max_calls_per_hour, and replay reproduces every receipt without calling again", async () => {
    const model = scripted("choose:scale_down");
    const { key, id } = await modelGoal(model, { max_calls_per_hour: 3 });
    const first = await push(key, id, 30);
    expect(first.model?.choice).toBe("scale_down");
    const second = await push(key, id, 40);
    expect(second.model?.choice).toBe("scale_down");
    const third = await push(key, id, 50);
    expect(third.model?.fallback).toBeUndefined();
    const fourth = await push(key, id, 90);
    expect(fourth.model?.fallback).toBe("max_calls_per_hour (3) is spent: no call is made");
    expect(fourth.actions?.map((a) => [a.action, a.rule])).toEqual([["scale_up", "high"]]);
    const asked = (await received(model)).length;
    expect(asked).toBe(3);

    // Let the act results come back, so their cycles are in the record too.
    await eventually(async () => {
      const all = await cycles(key, id);
      return all.flatMap((r) => r.act_results ?? []).length >= 4 ? true : undefined;
    }, 15_000);
    const stored: ModelReceipt[] = await cycles(key, id);
    const actCycle = stored.find((r) => r.trigger === "act");
    expect(actCycle?.model?.fallback).toMatch(/^only consequences of actions started this cycle/);

    const replayed = await call("POST", `/v1/goals/${id}/replay`, { key, body: {} });
    expect(replayed.status).toBe(200);
    expect(replayed.body.compared).toEqual({ receipts: stored.length, differing: [] });
    const back = replayed.body.cycles as ModelReceipt[];
    expect(back.map((r) => r.model?.choice ?? null)).toEqual(
      stored.map((r) => r.model?.choice ?? null),
    );
    expect(back.flatMap((r) => r.actions?.map((a) => a.key) ?? [])).toEqual(
      stored.flatMap((r) => r.actions?.map((a) => a.key) ?? []),
    );
    expect((await received(model)).length).toBe(asked);

    // What if scale_down were called shrink: the recorded choices of it fall back to the rules.
    const changed = spec("/ok/x", model, { max_calls_per_hour: 3 });
    changed.act = { scale_up: changed.act.scale_up, shrink: changed.act.scale_down } as never;
    const whatIf = await call("POST", `/v1/goals/${id}/replay`, { key, body: { spec: changed } });
    expect(whatIf.status).toBe(200);
    const fallbacks = (whatIf.body.cycles as ModelReceipt[])
      .map((r) => r.model?.fallback)
      .filter((f) => f?.startsWith('"scale_down"'));
    expect(fallbacks.length).toBe(3);
    expect((await received(model)).length).toBe(asked);
  }, 60_000);
});

describe("replay with call_model", () => {
  it("asks the model afresh (what if another model), bounded, and only with goals:write", async () => {
    const model = scripted("choose:scale_down");
    const { tenant, key, id } = await modelGoal(model);
    await push(key, id, 40);
    await push(key, id, 60);
    await push(key, id, 70);
    const other = scripted("choose:none");
    const changed = spec("/ok/x", other);
    const whatIf = await call("POST", `/v1/goals/${id}/replay`, {
      key,
      body: { spec: changed, call_model: true },
    });
    expect(whatIf.status, JSON.stringify(whatIf.body)).toBe(200);
    const asked = (await received(other)).length;
    expect(asked).toBeGreaterThanOrEqual(3);
    expect(whatIf.body.model_calls).toBe(asked);
    const answered = (whatIf.body.cycles as ModelReceipt[]).filter(
      (r) => r.model?.prompt_sha256 !== null,
    );
    expect(answered.map((r) => r.model?.choice)).toEqual(answered.map(() => "none"));
    expect(answered.flatMap((r) => r.actions ?? [])).toEqual([]);

    const reader = await createKey(tenant, ["goals:read"]);
    const refused = await call("POST", `/v1/goals/${id}/replay`, {
      key: reader,
      body: { call_model: true },
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("FORBIDDEN");
    expect((await received(other)).length).toBe(asked);
  }, 60_000);
});

describe("Workers AI without its binding", () => {
  it("falls back to the rules, saying the deployment has no AI binding", async () => {
    const { key, id } = await modelGoal("@cf/meta/llama-3.1-8b-instruct", {
      provider: "workers-ai",
    });
    const receipt = await push(key, id, 85);
    expect(receipt.model).toMatchObject({
      provider: "workers-ai",
      fallback: "the deployment has no AI binding (Workers AI): see wrangler.toml",
      prompt_sha256: null,
    });
    expect(receipt.actions?.map((a) => a.rule)).toEqual(["high"]);
  }, 30_000);
});

describe("simulate", () => {
  it("uses a timeline's model answers, and the rules where there is none", async () => {
    const { key } = await goalTenant();
    const res = await call("POST", "/v1/goals/simulate", {
      key,
      body: {
        spec: spec("/ok/sim", "gpt-test"),
        observations: [
          { at: 60_000, values: { load: 90 }, model: { choice: "scale_down", reason: "cheap" } },
          { at: 120_000, values: { load: 95 } },
          { at: 180_000, values: { load: 10 }, model: { choice: "teleport" } },
        ],
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const [first, second, third] = res.body.cycles as ModelReceipt[];
    expect(first?.actions?.map((a) => [a.action, a.rule])).toEqual([["scale_down", "@model"]]);
    expect(first?.model?.reason).toBe("cheap");
    expect(second?.model?.fallback).toBe("simulated: no model answer");
    expect(third?.model?.fallback).toBe('"teleport" is not one of the declared actions or "none"');
    expect((await received("gpt-test")).length).toBe(0);
  });
});
