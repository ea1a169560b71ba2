/**
 * The small schemas every part of a goal spec is built from: durations,
 * URLs, formulas, JSON values and templates.
 */
import { z } from "zod";
import { MAX_DURATION_MS, parseDuration } from "./duration.ts";
import { isJsonValue, type JsonValue } from "./json.ts";

/** A duration string (`"500ms"`, `"30s"`, `"5m"`, `"2h"`, `"1d"`), at most one year. */
export const DurationSchema = z.string().refine((text) => parseDuration(text) !== undefined, {
  message: `must be a duration such as "500ms", "30s", "5m", "2h" or "1d" (at most ${MAX_DURATION_MS / 86_400_000}d)`,
  params: { code: "INVALID_DURATION" },
});

/** A duration between `min` and `max` milliseconds inclusive; `label` names the bounds in the message. */
export function boundedDuration(min: number, max: number, label: string) {
  return DurationSchema.refine(
    (text) => {
      const ms = parseDuration(text);
      // A malformed duration is reported once, by DurationSchema.
      return ms === undefined || (ms >= min && ms <= max);
    },
    { message: `must be ${label}`, params: { code: "DURATION_RANGE" } },
  );
}

/** True for an absolute `http:` or `https:` URL. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol } = new URL(text);
  return protocol === "http:" || protocol === "https:";
}

/** An absolute http(s) URL. */
export const HttpUrlSchema = z.string().refine(isHttpUrl, {
  message: "must be an absolute http:// or https:// URL",
  params: { code: "INVALID_URL" },
});

/** A formula's source; compiled (and so checked) after the schema passes. */
export const FormulaSourceSchema = z.string().min(1, "must be a formula");

/** Any JSON value (finite numbers only). */
export const JsonSchema = z.custom<JsonValue>((value) => isJsonValue(value), {
  message: "must be a JSON value",
});

/**
 * A template: any JSON value in which a string starting with `=` is a formula
 * (`"=qty"`) and a string starting with `==` is the literal text after the
 * first `=` (`"==5"` is the string `"=5"`). See `template.ts`.
 */
export const TemplateSchema = JsonSchema;

/** HTTP header names to values, sent as written (no formulas). */
export const HeadersSchema = z.record(z.string().min(1), z.string());

/** The timeout of an outbound HTTP call (a webhook, a polled source) when the spec gives none. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The longest timeout a spec may give an outbound HTTP call. */
export const MAX_TIMEOUT_MS = 30_000;

/** The timeout of one outbound HTTP call: default 5s, at most 30s. */
export const TimeoutSchema = boundedDuration(1, MAX_TIMEOUT_MS, "at most 30s").default(
  `${DEFAULT_TIMEOUT_MS / 1000}s`,
);
