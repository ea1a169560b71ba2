/**
 * Turns a source offset into a position. Positions are computed only when an
 * error is built, so compiled formulas keep offsets and never pay for lines.
 */
import type { Position } from "./errors.ts";

/** The position of `offset` in `source` (lines split on `\n`). */
export function positionAt(source: string, offset: number): Position {
  const clamped = Math.max(0, Math.min(offset, source.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset: clamped, line, column: clamped - lineStart + 1 };
}
