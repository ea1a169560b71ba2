/**
 * Structured logs: one JSON object per line on the console, which is what
 * `wrangler tail --format json` and Workers Logs index. Never pass a key,
 * token or signature in `fields`.
 */

export type LogLevel = "debug" | "info" | "warn" | "error";

/** Writes one JSON log line. */
export function log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
  const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** A loggable summary of an unexpected error: its name and message, never its stack. */
export function describeError(error: unknown): { error: string; error_message: string } {
  if (error instanceof Error) return { error: error.name, error_message: error.message };
  return { error: typeof error, error_message: String(error) };
}
