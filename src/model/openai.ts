/**
 * The OpenAI-compatible provider: one chat-completions request to the
 * deployment's endpoint (OPENAI_BASE_URL, OPENAI_API_KEY; never a spec's),
 * through the same outbound path as webhooks and polls (target rules, the
 * tenant's outbound budget, the body budget, credentials kept to the first
 * origin). The model must call the one tool, `choose_action`, whose
 * arguments are `{action, reason}` with `action` an enum of the goal's
 * declared actions and "none"; a model that answers in `content` with that
 * JSON object is read too.
 */
import { choiceSchema, type ModelPrompt } from "../cycle/index.ts";
import {
  exchange,
  type HttpOutcome,
  OUTBOUND_LIMITED,
  spendOutbound,
  targetRules,
} from "../outbound/index.ts";
import { type AnswerBody, answerFrom, failed, tokenCount } from "./answer.ts";
import type { ModelEnv } from "./env.ts";

/** The tool the model must call. */
export const TOOL_NAME = "choose_action";

/**
 * The request body. `reason` carries no `maxLength`: strict function calling
 * accepts only a subset of JSON Schema, and an unsupported keyword fails the
 * whole request; the description says the limit and the answer is cut to it.
 */
export function chatRequest(model: string, prompt: ModelPrompt): Record<string, unknown> {
  return {
    model,
    messages: prompt.messages,
    tools: [
      {
        type: "function",
        function: {
          name: TOOL_NAME,
          description:
            "Choose what the goal does this cycle: one of its declared actions, or none.",
          parameters: choiceSchema(prompt.candidates),
          strict: true,
        },
      },
    ],
    tool_choice: { type: "function", function: { name: TOOL_NAME } },
  };
}

/** The chat-completions URL under a base URL (`https://api.openai.com/v1`). */
export function completionsUrl(base: string): string {
  return `${base.trim().replace(/\/+$/, "")}/chat/completions`;
}

type Message = { content?: unknown; refusal?: unknown; tool_calls?: unknown };

/** Reads a chat completion: the first choice's tool call arguments, else its content. */
export function readCompletion(body: unknown): AnswerBody {
  const completion = (typeof body === "object" && body !== null ? body : {}) as {
    choices?: { message?: Message }[];
    usage?: { prompt_tokens?: unknown; completion_tokens?: unknown };
  };
  const tokens = {
    prompt: tokenCount(completion.usage?.prompt_tokens),
    completion: tokenCount(completion.usage?.completion_tokens),
  };
  const message = Array.isArray(completion.choices) ? completion.choices[0]?.message : undefined;
  if (typeof message !== "object" || message === null) {
    return { ...failed("malformed answer: no choices[0].message", body), tokens };
  }
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls : [];
  const call = calls[0] as { function?: { name?: unknown; arguments?: unknown } } | undefined;
  if (call?.function !== undefined) {
    if (call.function.name !== TOOL_NAME) {
      const called = `malformed answer: it called ${String(call.function.name)}`;
      return { ...failed(called, call.function), tokens };
    }
    return answerFrom(call.function.arguments, tokens);
  }
  if (typeof message.refusal === "string" && message.refusal !== "") {
    return { ...failed(`the model refused: ${message.refusal}`, message.refusal), tokens };
  }
  if (typeof message.content === "string" && message.content !== "") {
    return answerFrom(message.content, tokens);
  }
  return { ...failed("malformed answer: neither a tool call nor content", message), tokens };
}

/** Anything like an API key (`sk-…`, masked or not), and the deployment's own key. */
const KEY_LIKE = /\bsk-[A-Za-z0-9_*-]+/g;

/**
 * The text with keys blanked out. An endpoint's error can quote the key it
 * was sent (masked, as "Incorrect API key provided: sk-ab***yz"); the receipt
 * is the tenant's to read, and the key is the deployment's.
 */
export function redactKeys(text: string, key: string): string {
  const own = key === "" ? text : text.split(key).join("[redacted]");
  return own.replace(KEY_LIKE, "[redacted]");
}

/**
 * The answer with keys blanked out of every text it carries: an endpoint (or
 * a proxy before it) can quote the key in an error, a refusal, a page or even
 * a choice's reason, with any status.
 */
function redactAnswer(answer: AnswerBody, key: string, candidates: readonly string[]): AnswerBody {
  const blank = (text: string | null) => (text === null ? null : redactKeys(text, key));
  // A declared action (or none) is the spec's own word, kept whole: a key that is part of
  // one (a local endpoint's dummy key, `none` or `x`) must not turn the choice into another.
  const declared = answer.choice !== null && candidates.includes(answer.choice);
  return {
    ...answer,
    raw: blank(answer.raw),
    choice: declared ? answer.choice : blank(answer.choice),
    reason: blank(answer.reason),
    ...(answer.error === undefined ? {} : { error: redactKeys(answer.error, key) }),
  };
}

function errorOf(outcome: HttpOutcome, timeoutMs: number): AnswerBody {
  switch (outcome.kind) {
    case "timeout":
      return failed(`timeout: no answer within ${timeoutMs} ms`);
    case "refused":
    case "network":
      return failed(outcome.reason);
    case "partial":
      return failed(outcome.reason, outcome.head);
    case "response": {
      const detail = (outcome.body as { error?: { message?: unknown } } | null)?.error?.message;
      const message = typeof detail === "string" ? `: ${detail}` : "";
      return failed(`HTTP ${outcome.status} from the model endpoint${message}`, outcome.body);
    }
  }
}

/**
 * Asks the endpoint. Returns `skipped` when no request could be sent (no
 * endpoint configured, the tenant's outbound budget spent), else the answer
 * (an error in it when the call failed).
 */
export async function askOpenAi(
  env: Env,
  settings: ModelEnv,
  tenant: string,
  model: string,
  prompt: ModelPrompt,
  timeoutMs: number,
): Promise<{ skipped: string } | AnswerBody> {
  const base = settings.OPENAI_BASE_URL?.trim() ?? "";
  if (base === "") {
    return { skipped: "the deployment sets no OPENAI_BASE_URL: no OpenAI-compatible endpoint" };
  }
  if (!(await spendOutbound(env, tenant))) return { skipped: OUTBOUND_LIMITED };
  const key = settings.OPENAI_API_KEY?.trim() ?? "";
  const outcome = await exchange(
    {
      url: completionsUrl(base),
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      // Only while on the endpoint's own origin: a redirect elsewhere never gets the key.
      ...(key === "" ? {} : { originHeaders: { authorization: `Bearer ${key}` } }),
      body: JSON.stringify(chatRequest(model, prompt)),
      timeoutMs,
    },
    targetRules(env),
  );
  const answer =
    outcome.kind !== "response" || outcome.status < 200 || outcome.status > 299
      ? errorOf(outcome, timeoutMs)
      : readCompletion(outcome.body);
  return redactAnswer(answer, key, prompt.candidates);
}
