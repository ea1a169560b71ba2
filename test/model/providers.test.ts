/**
 * The providers, one call at a time, in the Workers runtime: the
 * OpenAI-compatible endpoint (the local server speaking its protocol) through
 * the outbound rules, and Workers AI through a stand-in for the `AI` binding
 * (Workers AI cannot run here), each answer shape read or refused.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ModelAnswer, ModelInput, ModelPrompt } from "../../src/cycle/index.ts";
import { askModel, promptHash, readCompletion } from "../../src/model/index.ts";
import type { CompiledModel } from "../../src/spec/index.ts";

const prompt: ModelPrompt = {
  messages: [
    { role: "system", content: "choose" },
    { role: "user", content: '{"load": 90}' },
  ],
  candidates: ["scale_up", "none"],
};

function model(provider: CompiledModel["provider"], id: string, timeoutMs = 2000): CompiledModel {
  return { provider, model: id, instructions: null, history: 10, timeoutMs, maxCallsPerHour: 30 };
}

const answered = (input: ModelInput): ModelAnswer => {
  if ("skipped" in input) throw new Error(`skipped: ${input.skipped}`);
  return input;
};

describe("the OpenAI-compatible provider", () => {
  it("records the answer, the prompt's hash, latency and tokens", async () => {
    const id = `choose:scale_up#${crypto.randomUUID()}`;
    const answer = answered(await askModel(env, "t1", model("openai", id), prompt));
    expect(answer).toEqual({
      provider: "openai",
      model: id,
      prompt_sha256: await promptHash(prompt),
      raw: '{"action":"scale_up","reason":"scripted answer (choose)"}',
      choice: "scale_up",
      reason: "scripted answer (choose)",
      latency_ms: expect.any(Number),
      tokens: { prompt: 321, completion: 17 },
    });
    expect(answer.prompt_sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("is refused a private endpoint by the same target rules as webhooks", async () => {
    const strict = { ...env, ALLOW_PRIVATE_TARGETS: "false" };
    const answer = answered(await askModel(strict, "t1", model("openai", "choose:none"), prompt));
    expect(answer.choice).toBeNull();
    expect(answer.error).toMatch(/^host 127\.0\.0\.1 is in /);
  });

  it("is skipped without an endpoint, and sends no key the deployment does not have", async () => {
    const none = { ...env, OPENAI_BASE_URL: "" };
    expect(await askModel(none, "t1", model("openai", "choose:none"), prompt)).toEqual({
      skipped: "the deployment sets no OPENAI_BASE_URL: no OpenAI-compatible endpoint",
    });
    const keyless = { ...env, OPENAI_API_KEY: undefined } as unknown as Env;
    const answer = answered(await askModel(keyless, "t1", model("openai", "choose:none"), prompt));
    expect(answer.error).toBe("HTTP 401 from the model endpoint: Incorrect API key provided.");
  });

  it("never records the key an endpoint's error quotes", async () => {
    const answer = answered(await askModel(env, "t1", model("openai", "leak"), prompt));
    expect(answer.error).toBe(
      "HTTP 401 from the model endpoint: Incorrect API key provided: [redacted]. You sent [redacted].",
    );
    expect(JSON.stringify(answer)).not.toContain("sk-");
    expect(JSON.stringify(answer)).not.toContain("model-key");
  });

  it.each(["refusal", "reason", "html"])(
    "never records the key a successful answer quotes (%s)",
    async (what) => {
      const answer = answered(await askModel(env, "t1", model("openai", `echo:${what}`), prompt));
      expect(JSON.stringify(answer)).toContain("Key in use: [redacted].");
      expect(JSON.stringify(answer)).not.toContain("sk-");
      expect(JSON.stringify(answer)).not.toContain("model-key");
    },
  );

  it.each([
    ["none", "none"],
    ["scale", "scale_up"],
  ])(
    "keeps a declared choice whole when the deployment's key (%s) is part of it",
    async (key, action) => {
      const dummy = { ...env, OPENAI_API_KEY: key } as Env;
      const id = `choose:${action}#any-key`;
      const answer = answered(await askModel(dummy, "t1", model("openai", id), prompt));
      expect(answer.choice).toBe(action);
      expect(answer.error).toBeUndefined();
    },
  );

  it.each([
    [
      "a refusal",
      { role: "assistant", content: null, refusal: "I can't help with that." },
      "the model refused: I can't help with that.",
    ],
    [
      "another tool",
      {
        role: "assistant",
        content: null,
        tool_calls: [{ id: "c", type: "function", function: { name: "rm", arguments: "{}" } }],
      },
      "malformed answer: it called rm",
    ],
    [
      "an empty message",
      { role: "assistant", content: null },
      "malformed answer: neither a tool call nor content",
    ],
    [
      "content that is prose",
      { role: "assistant", content: "I would scale up." },
      "malformed answer: not a JSON object",
    ],
    [
      "arguments without an action",
      {
        role: "assistant",
        content: null,
        tool_calls: [
          {
            id: "c",
            type: "function",
            function: { name: "choose_action", arguments: '{"reason":"x"}' },
          },
        ],
      },
      "malformed answer: no action string",
    ],
  ])("reads %s as an error, keeping what came as raw", (_, message, error) => {
    const body = { choices: [{ index: 0, message, finish_reason: "stop" }] };
    const answer = readCompletion(body);
    expect(answer.error).toBe(error);
    expect(answer.raw).not.toBeNull();
  });

  it("reads a fenced JSON answer in content", () => {
    const content = '```json\n{"action": "none", "reason": "quiet"}\n```';
    const body = { choices: [{ index: 0, message: { role: "assistant", content } }] };
    expect(readCompletion(body)).toMatchObject({ choice: "none", reason: "quiet" });
  });
});

/** A stand-in for the AI binding: records each call and answers with `result`. */
function standIn(result: () => Promise<unknown>) {
  const calls: { model: string; inputs: Record<string, unknown> }[] = [];
  const ai = {
    run(model: string, inputs: Record<string, unknown>) {
      calls.push({ model, inputs });
      return result();
    },
  };
  return { env: { ...env, AI: ai } as unknown as Env, calls };
}

describe("the Workers AI provider (a stand-in binding)", () => {
  it("runs the model in JSON mode with the choice's schema and reads the object it returns", async () => {
    const { env: withAi, calls } = standIn(async () => ({
      response: { action: "scale_up", reason: "load is high" },
      usage: { prompt_tokens: 50, completion_tokens: 8, total_tokens: 58 },
    }));
    const id = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";
    const answer = answered(await askModel(withAi, "t1", model("workers-ai", id), prompt));
    expect(answer).toMatchObject({
      provider: "workers-ai",
      model: id,
      choice: "scale_up",
      reason: "load is high",
      tokens: { prompt: 50, completion: 8 },
    });
    expect(calls).toEqual([
      {
        model: id,
        inputs: {
          messages: prompt.messages,
          response_format: {
            type: "json_schema",
            json_schema: expect.objectContaining({
              type: "object",
              required: ["action", "reason"],
              properties: expect.objectContaining({
                action: expect.objectContaining({ enum: ["scale_up", "none"] }),
              }),
            }),
          },
        },
      },
    ]);
  });

  it.each([
    ["a JSON string", { response: '{"action":"none","reason":"ok"}' }, "none"],
    [
      "a tool call",
      {
        response: "",
        tool_calls: [{ name: "choose_action", arguments: { action: "none", reason: "ok" } }],
      },
      "none",
    ],
    [
      "an OpenAI-like tool call",
      {
        tool_calls: [
          {
            id: "1",
            type: "function",
            function: { name: "choose_action", arguments: '{"action":"scale_up","reason":"ok"}' },
          },
        ],
      },
      "scale_up",
    ],
  ])("reads %s", async (_, result, choice) => {
    const { env: withAi } = standIn(async () => result);
    const answer = answered(await askModel(withAi, "t1", model("workers-ai", "m"), prompt));
    expect(answer.choice).toBe(choice);
    expect(answer.error).toBeUndefined();
  });

  it("records a timeout, a thrown error and an empty result", async () => {
    const slow = standIn(() => new Promise(() => undefined));
    const late = answered(await askModel(slow.env, "t1", model("workers-ai", "m", 100), prompt));
    expect(late.error).toBe("timeout: no answer within 100 ms");
    const broken = standIn(async () => {
      throw new Error("3010: JSON Mode couldn't be met");
    });
    const threw = answered(await askModel(broken.env, "t1", model("workers-ai", "m"), prompt));
    expect(threw.error).toBe("Workers AI: 3010: JSON Mode couldn't be met");
    const empty = standIn(async () => ({}));
    const nothing = answered(await askModel(empty.env, "t1", model("workers-ai", "m"), prompt));
    expect(nothing.error).toBe("malformed answer: no response");
  });
});
