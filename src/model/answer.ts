/**
 * Reading a model's answer: the JSON object `{action, reason}` a tool call's
 * arguments or a message's content carry. Only the two fields are read; the
 * cycle checks the action against the spec. Anything else is an error the
 * receipt shows (and the rules decide).
 */
import { MAX_RAW_CHARS, MAX_REASON_CHARS, type ModelAnswer, truncate } from "../cycle/index.ts";

/** What an answer said, or why it cannot be read. */
export type ParsedChoice = { choice: string; reason: string } | { error: string };

/** A JSON text that may come wrapped in a Markdown code fence (some models answer so in content). */
function unfenced(text: string): string {
  const fenced = /^```(?:json)?\s*([\s\S]*?)\s*```$/i.exec(text.trim());
  return fenced?.[1] ?? text.trim();
}

/** Reads `{action, reason}` from a JSON text or an already parsed object. */
export function parseChoice(answer: unknown): ParsedChoice {
  let value = answer;
  if (typeof answer === "string") {
    try {
      value = JSON.parse(unfenced(answer));
    } catch {
      return { error: "malformed answer: not a JSON object" };
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return { error: "malformed answer: not a JSON object" };
  }
  const { action, reason } = value as { action?: unknown; reason?: unknown };
  if (typeof action !== "string") return { error: "malformed answer: no action string" };
  return {
    choice: truncate(action, 128),
    reason: typeof reason === "string" ? truncate(reason, MAX_REASON_CHARS) : "",
  };
}

/** The raw text of an answer for the receipt: strings as they are, anything else as JSON, cut to 4 KiB. */
export function rawText(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return truncate(text ?? "", MAX_RAW_CHARS);
}

/** A token count as the provider reported it, or null. */
export function tokenCount(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

/** The fields of an answer besides the call's own (provider, model, hash, latency). */
export type AnswerBody = Pick<ModelAnswer, "raw" | "choice" | "reason" | "tokens" | "error">;

/** An answer body from a raw answer (text or object) and its token counts. */
export function answerFrom(raw: unknown, tokens: ModelAnswer["tokens"]): AnswerBody {
  const parsed = parseChoice(raw);
  const base = { raw: rawText(raw), tokens };
  if ("error" in parsed) return { ...base, choice: null, reason: null, error: parsed.error };
  return { ...base, ...parsed };
}

/** An answer body for a call that brought no answer. */
export function failed(error: string, raw: unknown = null): AnswerBody {
  return {
    raw: rawText(raw),
    choice: null,
    reason: null,
    tokens: { prompt: null, completion: null },
    error: truncate(error, MAX_REASON_CHARS),
  };
}
