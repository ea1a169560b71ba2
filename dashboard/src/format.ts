/** How the pages write times, durations and values. */
import type { Json } from "./types.ts";

/** "3 s", "4 min", "2 h", "3 d" for a span of milliseconds (rounded down, at least "0 s"). */
export function span(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60 ? `${s % 60} s` : ""}`.trim();
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  return `${Math.floor(s / 86_400)} d ${Math.floor((s % 86_400) / 3600)} h`;
}

/** "5 s ago" / "in 40 s" for an ISO time relative to `now`; "—" for none. */
export function relative(iso: string | null | undefined, now: number): string {
  if (!iso) return "—";
  const delta = Date.parse(iso) - now;
  if (Math.abs(delta) < 1000) return "now";
  return delta < 0 ? `${span(-delta)} ago` : `in ${span(delta)}`;
}

/** The local clock time of an ISO time, 24-hour with seconds (as the chart's axis writes it). */
export function clock(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
}

/** The local date and time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return "—";
  return new Date(iso).toLocaleString([], {
    dateStyle: "medium",
    timeStyle: "medium",
    hour12: false,
  });
}

/** A value on one line: numbers rounded for reading, the rest as JSON (cut when long). */
export function short(value: Json | undefined, max = 60): string {
  if (value === undefined) return "—";
  if (typeof value === "number") {
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(6)));
  }
  const text = JSON.stringify(value);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export const pretty = (value: unknown) => JSON.stringify(value, null, 2);
