/**
 * The Workers AI provider: the deployment's `AI` binding, in JSON mode
 * (`response_format: {type: "json_schema", json_schema}`, Cloudflare's
 * documented shape), so the answer is the `{action, reason}` object in
 * `response`. A model that answers with a tool call instead (`tool_calls`,
 * in the older `{name, arguments}` or the OpenAI-like `{function: {...}}`
 * form) is read too. A deployment without the binding records a fallback.
 */
import { choiceSchema, type ModelPrompt } from "../cycle/index.ts";
import { type AnswerBody, answerFrom, failed, tokenCount } from "./answer.ts";
import type { ModelEnv } from "./env.ts";

/** What this provider uses of the binding. */
export interface AiRunner {
  run(model: string, inputs: Record<string, unknown>): Promise<unknown>;
}

/** The binding, when the deployment has one. */
export function aiBinding(settings: ModelEnv): AiRunner | undefined {
  const ai = settings.AI as { run?: unknown } | undefined;
  return typeof ai?.run === "function" ? (ai as AiRunner) : undefined;
}

/** The inputs of `AI.run`. */
export function aiInputs(prompt: ModelPrompt): Record<string, unknown> {
  return {
    messages: prompt.messages,
    response_format: { type: "json_schema", json_schema: choiceSchema(prompt.candidates) },
  };
}

/** Reads a Workers AI text-generation result. */
export function readAiResult(result: unknown): AnswerBody {
  const out = (typeof result === "object" && result !== null ? result : {}) as {
    response?: unknown;
    tool_calls?: unknown;
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  };
  const tokens = {
    prompt: tokenCount(out.usage?.prompt_tokens),
    completion: tokenCount(out.usage?.completion_tokens),
  };
  const call = (Array.isArray(out.tool_calls) ? out.tool_calls[0] : undefined) as
    | { arguments?: unknown; function?: { arguments?: unknown } }
    | undefined;
  const args = call?.function?.arguments ?? call?.arguments;
  if (args !== undefined) return answerFrom(args, tokens);
  if (out.response !== undefined && out.response !== null && out.response !== "") {
    return answerFrom(out.response, tokens);
  }
  return { ...failed("malformed answer: no response", result), tokens };
}

/** Runs the model with a timeout; `skipped` without a binding. */
export async function askWorkersAi(
  settings: ModelEnv,
  model: string,
  prompt: ModelPrompt,
  timeoutMs: number,
): Promise<{ skipped: string } | AnswerBody> {
  const ai = aiBinding(settings);
  if (ai === undefined) {
    return { skipped: "the deployment has no AI binding (Workers AI): see wrangler.toml" };
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), timeoutMs);
  });
  try {
    const result = await Promise.race([ai.run(model, aiInputs(prompt)), timeout]);
    if (result === "timeout") return failed(`timeout: no answer within ${timeoutMs} ms`);
    return readAiResult(result);
  } catch (error) {
    return failed(`Workers AI: ${(error as Error).message ?? String(error)}`);
  } finally {
    clearTimeout(timer);
  }
}
