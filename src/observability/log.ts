/**
 * Structured logs: one JSON object per line on the console, which is what
 * `wrangler tail --format json` and Workers Logs index. Never pass a key,
 * token or signature in `fields`.
 */
import { DrizzleQueryError } from "drizzle-orm";

export type LogLevel = "debug" | "info" | "warn" | "error";

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
let threshold = RANK.info;

/** Sets the lowest level written (from the LOG_LEVEL var); unknown values keep `info`. */
export function setLogLevel(level: string | undefined): void {
  threshold = RANK[(level ?? "info") as LogLevel] ?? RANK.info;
}

/** Writes one JSON log line. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  if (RANK[level] < threshold) return;
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/**
 * A loggable summary of an unexpected error: its name and message, never its
 * stack. A failed query says why in its cause; its own message lists the
 * query's parameters (receipts, webhook headers), which are left out.
 */
export function describeError(error: unknown): { error: string; error_message: string } {
  if (error instanceof DrizzleQueryError && error.cause instanceof Error)
    return { error: error.cause.name, error_message: `${error.cause.message} (${error.query})` };
  if (error instanceof Error) return { error: error.name, error_message: error.message };
  return { error: typeof error, error_message: String(error) };
}
