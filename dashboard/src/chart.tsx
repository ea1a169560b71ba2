/**
 * Each observed and oriented number of a goal over time, drawn with uPlot
 * (bundled). Points come from the receipts: observations at the time they
 * were taken, oriented values at the cycle's time. Values that are not
 * numbers are left out. A table of the latest points sits beside the
 * canvas for screen readers.
 */
import { useEffect, useMemo, useRef } from "preact/hooks";
import uPlot from "uplot";
import { short } from "./format.ts";
import type { Receipt } from "./types.ts";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04"];

export interface Series {
  label: string;
  points: Map<number, number>;
}

/** One series per observed name (`obs NAME`) and per oriented name, from the receipts. */
export function chartSeries(receipts: readonly Receipt[]): Series[] {
  const series = new Map<string, Series>();
  const add = (label: string, at: string, value: unknown) => {
    if (typeof value !== "number" || !Number.isFinite(value)) return;
    let s = series.get(label);
    if (!s) {
      s = { label, points: new Map() };
      series.set(label, s);
    }
    s.points.set(Date.parse(at) / 1000, value);
  };
  for (const receipt of receipts) {
    for (const [name, entries] of Object.entries(receipt.observed ?? {})) {
      for (const entry of entries) add(name, entry.at, entry.value);
    }
    for (const [name, value] of Object.entries(receipt.oriented ?? {})) {
      add(`${name} (oriented)`, receipt.at, value);
    }
  }
  return [...series.values()];
}

/**
 * An axis tick: the local time of day (uPlot's default adds the date, which
 * its box cuts off), with milliseconds when the ticks are under a second apart.
 */
function clockOf(seconds: number, ticks: number[]): string {
  const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
  const time = new Date(seconds * 1000).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  });
  if (ticks.length < 2 || step >= 1) return time;
  return `${time}.${String(Math.round((seconds % 1) * 1000)).padStart(3, "0")}`;
}

/** One point in time (a goal's first cycles) gets a minute-wide axis to sit in, not a zero-wide one. */
function widenSingle(u: uPlot, data: uPlot.AlignedData): void {
  const xs = data[0];
  const only = xs.length === 1 ? xs[0] : undefined;
  if (only !== undefined) u.setScale("x", { min: only - 30, max: only + 30 });
}

/** uPlot's aligned data: the union of the times, and each series' value at each (null: none). */
function aligned(series: readonly Series[]): uPlot.AlignedData {
  const xs = [...new Set(series.flatMap((s) => [...s.points.keys()]))].sort((a, b) => a - b);
  return [xs, ...series.map((s) => xs.map((x) => s.points.get(x) ?? null))];
}

export function Chart({ receipts }: { receipts: readonly Receipt[] }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | undefined>(undefined);
  const series = useMemo(() => chartSeries(receipts), [receipts]);
  const labels = series.map((s) => s.label).join("\n");
  const data = useMemo(() => aligned(series), [series]);

  // A new plot when the set of series changes (their names); otherwise only new data.
  useEffect(() => {
    const el = box.current;
    if (!el || series.length === 0) return;
    const width = () => Math.max(260, el.clientWidth);
    const u = new uPlot(
      {
        width: width(),
        height: 240,
        series: [
          {},
          ...series.map((s, i) => ({
            label: s.label,
            stroke: COLORS[i % COLORS.length] ?? "#2563eb",
            width: 2,
            spanGaps: true,
            points: { show: true, size: 5 },
          })),
        ],
        padding: [12, 32, 0, 0],
        axes: [
          { space: 100, values: (_, ticks) => ticks.map((t) => clockOf(t, ticks)) },
          { size: 56 },
        ],
        legend: { live: true },
      },
      data,
      el,
    );
    plot.current = u;
    widenSingle(u, data);
    const resize = new ResizeObserver(() => u.setSize({ width: width(), height: 240 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = undefined;
    };
  }, [labels]);

  useEffect(() => {
    if (!plot.current) return;
    plot.current.setData(data);
    widenSingle(plot.current, data);
  }, [data]);

  const points = data[0].length;
  if (series.length === 0) {
    return <p class="empty">No numbers observed or oriented yet.</p>;
  }
  return (
    <figure class="chart" data-points={points} aria-label="Observed and oriented numbers over time">
      <div ref={box} class="chart-canvas" />
      {/* In a box: a table ignores the clipping that hides it. */}
      <div class="sr-only">
        <table class="chart-latest">
          <caption>Latest point of each series</caption>
          <tbody>
            {series.map((s) => {
              const last = [...s.points.entries()].sort((a, b) => a[0] - b[0]).at(-1);
              return (
                <tr key={s.label}>
                  <th scope="row">{s.label}</th>
                  <td>{last ? short(last[1]) : "—"}</td>
                  <td>{last ? new Date(last[0] * 1000).toISOString() : ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
