/**
 * Reads a goal's pulled sources at a cadence cycle: `http` (polled with a
 * timeout, a JSON path extracted; see `poll-http.ts`), `metric` (the
 * tenant's counters) and `goal` (another goal of the same tenant). A failed read is observed as
 * such: no value (so `max_age` makes it stale) and a note in the receipt.
 */

import type { Observation } from "../cycle/index.ts";
import { database } from "../db/client.ts";
import { METRIC_NAMES, type MetricName, readMetrics } from "../observability/metrics.ts";
import type { GoalSpec } from "../spec/index.ts";
import { readPath } from "./json-path.ts";
import { httpPolls, type PollOne } from "./poll-http.ts";
import { goalStub } from "./stub.ts";

export interface PollNote {
  status: "ok" | "failed";
  detail?: string;
  latency_ms: number;
}

export interface Polled {
  observations: Observation[];
  polls: Record<string, PollNote>;
}

/** Polls every pulled source in parallel (`http` sources naming the same request share it). */
export async function pollSources(
  env: Env,
  tenant: string,
  spec: GoalSpec,
  now: number,
): Promise<Polled> {
  let metrics: Promise<Record<MetricName, number>> | undefined;
  const entries = Object.entries(spec.observe).filter(
    ([, s]) => s.from === "http" || s.from === "metric" || s.from === "goal",
  );
  const http = httpPolls(
    env,
    tenant,
    entries.flatMap(([, s]) => (s.from === "http" ? [s] : [])),
  );
  const results = await Promise.all(
    entries.map(async ([name, source]): Promise<[string, PollOne, number]> => {
      const started = Date.now();
      try {
        if (source.from === "http") return [name, await http(source), Date.now() - started];
        if (source.from === "metric") {
          metrics ??= readMetrics(database(env), tenant, now);
          const all = await metrics;
          const known = (METRIC_NAMES as readonly string[]).includes(source.name);
          return [
            name,
            known
              ? { value: all[source.name as MetricName] }
              : { error: `unknown metric ${source.name}` },
            Date.now() - started,
          ];
        }
        if (source.from === "goal") {
          const view = await goalStub(env, source.goal).view(tenant);
          if (!view) return [name, { error: `no goal ${source.goal}` }, Date.now() - started];
          const value = readPath(view, source.path);
          return [
            name,
            value === undefined ? { error: `no value at ${source.path}` } : { value },
            Date.now() - started,
          ];
        }
      } catch (error) {
        return [name, { error: (error as Error).message }, Date.now() - started];
      }
      return [name, { error: "not a pulled source" }, 0];
    }),
  );
  const polled: Polled = { observations: [], polls: {} };
  for (const [name, result, latency] of results) {
    if ("value" in result) {
      polled.observations.push({
        name,
        value: result.value,
        at: now,
        source: spec.observe[name]?.from ?? "http",
      });
      polled.polls[name] = { status: "ok", latency_ms: latency };
    } else {
      polled.polls[name] = { status: "failed", detail: result.error, latency_ms: latency };
    }
  }
  return polled;
}
