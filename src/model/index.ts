/**
 * Calling a model for a goal with policy `model`: the providers (an
 * OpenAI-compatible chat-completions endpoint, Workers AI), each asked for a
 * structured choice among the goal's declared actions and "none". What comes
 * back is recorded as it is (`ModelAnswer`); the cycle decides what it is
 * worth. The prompt is the cycle's (`modelPrompt`); its hash is taken here.
 */
import { sha256Hex } from "../auth/keys.ts";
import type { ModelAnswer, ModelInput, ModelPrompt } from "../cycle/index.ts";
import type { CompiledModel } from "../spec/index.ts";
import { modelEnv } from "./env.ts";
import { askOpenAi } from "./openai.ts";
import { askWorkersAi } from "./workers-ai.ts";

export { readCompletion } from "./openai.ts";

/** SHA-256 of the messages as JSON, in hex. */
export function promptHash(prompt: ModelPrompt): Promise<string> {
  return sha256Hex(JSON.stringify(prompt.messages));
}

/**
 * Asks the goal's model to choose. Never throws: a call that could not be
 * made is `skipped` (it counts nothing against the budget), one that failed
 * is an answer with `error`.
 */
export async function askModel(
  env: Env,
  tenant: string,
  model: CompiledModel,
  prompt: ModelPrompt,
): Promise<ModelInput> {
  const started = Date.now();
  const settings = modelEnv(env);
  const hash = await promptHash(prompt);
  const body =
    model.provider === "openai"
      ? await askOpenAi(env, settings, tenant, model.model, prompt, model.timeoutMs)
      : await askWorkersAi(settings, model.model, prompt, model.timeoutMs);
  if ("skipped" in body) return body;
  const answer: ModelAnswer = {
    provider: model.provider,
    model: model.model,
    prompt_sha256: hash,
    latency_ms: Date.now() - started,
    ...body,
  };
  if (answer.error === undefined) delete answer.error;
  return answer;
}
