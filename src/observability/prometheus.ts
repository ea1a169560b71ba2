/**
 * A tenant's totals in the Prometheus text exposition format (0.0.4): a HELP
 * and a TYPE line for every family, counters ending in `_total`, durations as
 * histograms in seconds (cumulative `_bucket{le}` ending in `+Inf`, `_sum`,
 * `_count`). Every sample has the `tenant` label; per-goal families also have
 * `goal` (the goal's id), one series set per goal that exists now, so they
 * are bounded by the tenant's goals quota; `faas_goal_info` names each goal.
 */
import { BUCKETS, START_SERIES } from "./metric-totals.ts";

export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

interface Family {
  name: string;
  type: "counter" | "gauge" | "histogram";
  help: string;
  /** Whether its series are per goal (the `goal` label). */
  goal?: true;
}

/** Every family, in the order they are written. */
export const FAMILIES: readonly Family[] = [
  {
    name: "faas_http_requests_total",
    type: "counter",
    help: "API requests answered for the tenant, by status class (1xx to 5xx).",
  },
  {
    name: "faas_http_request_duration_seconds",
    type: "histogram",
    help: "Time to answer an API request of the tenant.",
  },
  {
    name: "faas_goal_cycles_total",
    type: "counter",
    goal: true,
    help: "Decision-loop cycles a goal completed.",
  },
  {
    name: "faas_goal_cycle_faults_total",
    type: "counter",
    goal: true,
    help: "Cycles of a goal that failed (each is retried).",
  },
  {
    name: "faas_goal_cycle_duration_seconds",
    type: "histogram",
    help: "Time one completed cycle of a goal of the tenant took, its sends included.",
  },
  {
    name: "faas_goal_actions_sent_total",
    type: "counter",
    goal: true,
    help: "Actions a goal's cycles sent to be run.",
  },
  {
    name: "faas_actions_completed_total",
    type: "counter",
    goal: true,
    help: "Actions of a goal that ended, by outcome (ok, failed).",
  },
  {
    name: "faas_action_duration_seconds",
    type: "histogram",
    help: "Time one run of an action took, by kind (webhook, formula, record, signal, spawn).",
  },
  {
    name: "faas_goal_info",
    type: "gauge",
    goal: true,
    help: "A goal of the tenant (always 1), with its name.",
  },
  {
    name: START_SERIES,
    type: "gauge",
    help: "When the tenant's counters started (Unix seconds); they have only grown since.",
  },
];

export interface Totals {
  rows: { series: string; goal: string; value: number }[];
  goals: { id: string; name: string }[];
}

type Labels = [string, string][];

/** A label value as the format writes it: backslash, double quote and line feed escaped. */
export const escapeLabel = (value: string) =>
  value.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n");

const escapeHelp = (text: string) => text.replaceAll("\\", "\\\\").replaceAll("\n", "\\n");

const number = (value: number) =>
  Number.isNaN(value)
    ? "NaN"
    : value === Number.POSITIVE_INFINITY
      ? "+Inf"
      : value === Number.NEGATIVE_INFINITY
        ? "-Inf"
        : String(value);

const sample = (name: string, labels: Labels, value: number) =>
  `${name}{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(",")}} ${number(value)}`;

/** A stored series (`name|key=value|…`) as its sample name and labels. */
function parse(series: string): { name: string; labels: Labels } {
  const [name = "", ...pairs] = series.split("|");
  const labels = pairs.map((pair): [string, string] => {
    const at = pair.indexOf("=");
    return [pair.slice(0, at), pair.slice(at + 1)];
  });
  return { name, labels };
}

interface Histogram {
  labels: Labels;
  buckets: Map<string, number>;
  sum: number;
}

/** The exposition of one tenant's totals. */
export function prometheusText(tenant: string, totals: Totals): string {
  const names = new Map(totals.goals.map((g) => [g.id, g.name]));
  const samples = new Map<string, string[]>(FAMILIES.map((f) => [f.name, []]));
  const histograms = new Map<string, Map<string, Histogram>>();
  const types = new Map(FAMILIES.map((f) => [f.name, f.type]));
  for (const row of totals.rows) {
    // A goal deleted since (its series are deleted with it, but a late flush may add one back).
    if (row.goal !== "" && !names.has(row.goal)) continue;
    const { name, labels } = parse(row.series);
    const own: Labels = [["tenant", tenant]];
    if (row.goal !== "") own.push(["goal", row.goal]);
    const type = types.get(name);
    if (type === "counter" || type === "gauge") {
      samples.get(name)?.push(sample(name, [...own, ...labels], row.value));
      continue;
    }
    const part = /_(bucket|sum)$/.exec(name);
    const family = part ? name.slice(0, part.index) : "";
    if (!part || types.get(family) !== "histogram") continue; // a series no longer written
    const le = part[1] === "bucket" ? labels.find(([k]) => k === "le")?.[1] : undefined;
    const rest = labels.filter(([k]) => k !== "le");
    const all = [...own, ...rest];
    const key = JSON.stringify(all);
    const groups = histograms.get(family) ?? new Map<string, Histogram>();
    histograms.set(family, groups);
    const group = groups.get(key) ?? { labels: all, buckets: new Map(), sum: 0 };
    groups.set(key, group);
    if (le === undefined) group.sum += row.value;
    else group.buckets.set(le, (group.buckets.get(le) ?? 0) + row.value);
  }
  for (const goal of totals.goals) {
    samples.get("faas_goal_info")?.push(
      sample(
        "faas_goal_info",
        [
          ["tenant", tenant],
          ["goal", goal.id],
          ["name", goal.name],
        ],
        1,
      ),
    );
  }
  for (const [family, groups] of histograms) {
    const lines = samples.get(family) ?? [];
    for (const [, { labels, buckets, sum }] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
      let seen = 0;
      for (const le of [...BUCKETS.map(String), "+Inf"]) {
        seen += buckets.get(le) ?? 0;
        lines.push(sample(`${family}_bucket`, [...labels, ["le", le]], seen));
      }
      lines.push(sample(`${family}_sum`, labels, sum));
      lines.push(sample(`${family}_count`, labels, seen));
    }
  }
  return FAMILIES.map((f) => {
    const lines = samples.get(f.name) ?? [];
    if (f.type !== "histogram") lines.sort();
    return [`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`, ...lines]
      .join("\n")
      .concat("\n");
  }).join("");
}
