/**
 * Durations as goal specs write them: a number and one unit, `"500ms"`,
 * `"30s"`, `"5m"`, `"2h"`, `"1d"` (decimals allowed: `"1.5h"`). Inside the loop
 * every duration is a whole number of milliseconds.
 */

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** The longest duration a spec may use (one year): keeps every sum of times a safe integer. */
export const MAX_DURATION_MS = 365 * UNIT_MS.d;

/**
 * Milliseconds in `text` (`"5m"` → 300000), rounded to a whole millisecond, or
 * undefined when `text` is not a duration. A duration longer than
 * `MAX_DURATION_MS` is not a duration either.
 */
export function parseDuration(text: string): number | undefined {
  const match = DURATION.exec(text.trim());
  if (match === null) return undefined;
  const [, amount, unit] = match;
  if (amount === undefined || unit === undefined || !isUnit(unit)) return undefined;
  const ms = Math.round(Number(amount) * UNIT_MS[unit]);
  return ms <= MAX_DURATION_MS ? ms : undefined;
}

function isUnit(unit: string): unit is keyof typeof UNIT_MS {
  return Object.hasOwn(UNIT_MS, unit);
}

/**
 * A short human form of `ms` for reasons in receipts: `"1m30s"`, `"45s"`,
 * `"250ms"`, `"2d3h"`. Shows at most the two largest units; negative input reads as 0.
 */
export function formatDuration(ms: number): string {
  let rest = Math.max(0, Math.round(ms));
  if (rest < 1000) return `${rest}ms`;
  const parts: string[] = [];
  for (const unit of ["d", "h", "m", "s"] as const) {
    const size = UNIT_MS[unit];
    const count = Math.floor(rest / size);
    if (count > 0) {
      parts.push(`${count}${unit}`);
      rest -= count * size;
    }
  }
  return parts.slice(0, 2).join("");
}
