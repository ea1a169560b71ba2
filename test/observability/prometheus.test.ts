import { describe, expect, it } from "vitest";
import { BUCKETS } from "../../src/observability/metric-totals.ts";
import {
  escapeLabel,
  FAMILIES,
  prometheusText,
  type Totals,
} from "../../src/observability/prometheus.ts";

const GOAL = "g-1";
const HOSTILE = 'a "quoted" \\ back\\\\slash\nnew line } # TYPE x counter';

/** Rows as D1 holds them: buckets apart (not cumulative), in no particular order. */
const totals: Totals = {
  goals: [{ id: GOAL, name: HOSTILE }],
  rows: [
    { series: "faas_http_requests_total|status_class=2xx", goal: "", value: 7 },
    { series: "faas_http_requests_total|status_class=4xx", goal: "", value: 2 },
    { series: "faas_http_request_duration_seconds_bucket|le=0.25", goal: "", value: 2 },
    { series: "faas_http_request_duration_seconds_bucket|le=0.005", goal: "", value: 5 },
    { series: "faas_http_request_duration_seconds_bucket|le=+Inf", goal: "", value: 1 },
    { series: "faas_http_request_duration_seconds_bucket|le=1", goal: "", value: 1 },
    { series: "faas_http_request_duration_seconds_sum", goal: "", value: 12.5 },
    { series: "faas_goal_cycles_total", goal: GOAL, value: 3 },
    { series: "faas_actions_completed_total|outcome=ok", goal: GOAL, value: 2 },
    { series: "faas_action_duration_seconds_bucket|kind=webhook|le=0.05", goal: "", value: 2 },
    { series: "faas_action_duration_seconds_sum|kind=webhook", goal: "", value: 0.06 },
    { series: "faas_action_duration_seconds_bucket|kind=record|le=0.005", goal: "", value: 1 },
    { series: "faas_action_duration_seconds_sum|kind=record", goal: "", value: 0.001 },
    { series: "faas_counters_start_time_seconds", goal: "", value: 1_700_000_000.5 },
    // A goal deleted since (a late flush), and a series no longer written.
    { series: "faas_goal_cycles_total", goal: "gone", value: 9 },
    { series: "faas_old_thing_total", goal: "", value: 1 },
  ],
};

const text = prometheusText("acme", totals);
const lines = text.split("\n");
/** The value of the one sample line that starts with `prefix`. */
const value = (prefix: string) => {
  const found = lines.filter((l) => l.startsWith(prefix));
  expect(found, prefix).toHaveLength(1);
  return Number(found[0]?.slice(found[0].lastIndexOf(" ") + 1));
};

describe("the Prometheus exposition", () => {
  it("has one HELP then one TYPE line for every family, before its samples", () => {
    for (const family of FAMILIES) {
      const help = lines.findIndex((l) => l.startsWith(`# HELP ${family.name} `));
      expect(help, family.name).toBeGreaterThanOrEqual(0);
      expect(lines[help + 1]).toBe(`# TYPE ${family.name} ${family.type}`);
      expect(lines.filter((l) => l.startsWith(`# HELP ${family.name} `))).toHaveLength(1);
      const first = lines.findIndex((l) => l.startsWith(family.name) && !l.startsWith("#"));
      if (first >= 0) expect(first).toBeGreaterThan(help);
    }
    expect(text.endsWith("\n")).toBe(true);
  });

  it("names counters _total and durations _seconds, never an abbreviated unit", () => {
    for (const family of FAMILIES) {
      if (family.type === "counter") expect(family.name).toMatch(/_total$/);
      if (family.type === "histogram") expect(family.name).toMatch(/_seconds$/);
      expect(family.name).not.toMatch(/_(ms|msec|sec|secs)(_|$)/);
      expect(family.name).toMatch(/^faas_[a-z_]+$/);
    }
    expect(value('faas_http_requests_total{tenant="acme",status_class="2xx"}')).toBe(7);
    expect(value('faas_http_requests_total{tenant="acme",status_class="4xx"}')).toBe(2);
  });

  it("writes histogram buckets cumulative, in order, ending in +Inf, and _count equal to it", () => {
    const h = "faas_http_request_duration_seconds";
    const buckets = lines.filter((l) => l.startsWith(`${h}_bucket{`));
    expect(buckets.map((l) => /le="([^"]+)"/.exec(l)?.[1])).toEqual([
      ...BUCKETS.map(String),
      "+Inf",
    ]);
    const counts = buckets.map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)));
    for (let i = 1; i < counts.length; i++)
      expect(counts[i]).toBeGreaterThanOrEqual(counts[i - 1] ?? 0);
    expect(counts).toEqual([5, 5, 5, 5, 5, 7, 7, 8, 8, 8, 8, 9]);
    expect(value(`${h}_count{`)).toBe(9);
    expect(value(`${h}_sum{`)).toBe(12.5);
  });

  it("keeps a histogram's label sets apart (one set of buckets per action kind)", () => {
    const h = "faas_action_duration_seconds";
    expect(value(`${h}_bucket{tenant="acme",kind="webhook",le="0.025"}`)).toBe(0);
    expect(value(`${h}_bucket{tenant="acme",kind="webhook",le="0.05"}`)).toBe(2);
    expect(value(`${h}_bucket{tenant="acme",kind="webhook",le="+Inf"}`)).toBe(2);
    expect(value(`${h}_count{tenant="acme",kind="webhook"}`)).toBe(2);
    expect(value(`${h}_bucket{tenant="acme",kind="record",le="0.005"}`)).toBe(1);
    expect(value(`${h}_count{tenant="acme",kind="record"}`)).toBe(1);
  });

  it("labels per-goal series with the goal, and leaves out goals that no longer exist", () => {
    expect(value('faas_goal_cycles_total{tenant="acme",goal="g-1"}')).toBe(3);
    expect(value('faas_actions_completed_total{tenant="acme",goal="g-1",outcome="ok"}')).toBe(2);
    expect(text).not.toContain('goal="gone"');
    expect(text).not.toContain("faas_old_thing_total");
    expect(value('faas_counters_start_time_seconds{tenant="acme"}')).toBe(1_700_000_000.5);
  });

  it("escapes backslash, double quote and line feed in a hostile goal name", () => {
    expect(escapeLabel('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    const info = lines.filter((l) => l.startsWith("faas_goal_info{"));
    expect(info).toEqual([
      `faas_goal_info{tenant="acme",goal="g-1",name="a \\"quoted\\" \\\\ back\\\\\\\\slash\\nnew line } # TYPE x counter"} 1`,
    ]);
    // Every line is a comment or one whole sample: the name injected no line of its own.
    const sample = /^[a-z_]+\{([a-z_]+="(?:[^"\\\n]|\\[\\"n])*",?)*\} [-+0-9.eInfNa]+$/;
    for (const line of lines.filter((l) => l !== "")) {
      if (!line.startsWith("# HELP ") && !line.startsWith("# TYPE ")) expect(line).toMatch(sample);
    }
    expect(lines.filter((l) => l.startsWith("# TYPE x"))).toEqual([]);
  });

  it("shows a tenant nothing but its own label", () => {
    const labels = [...text.matchAll(/tenant="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(labels)).toEqual(new Set(["acme"]));
  });

  it("writes every family's HELP and TYPE even with nothing counted yet", () => {
    const empty = prometheusText("new", { rows: [], goals: [] });
    expect(empty.split("\n").filter((l) => l.startsWith("# TYPE"))).toHaveLength(FAMILIES.length);
    expect(empty.split("\n").filter((l) => l !== "" && !l.startsWith("#"))).toEqual([]);
  });
});
