/**
 * Reads a goal's pulled sources at a cadence cycle: `http` (polled with a
 * timeout, a JSON path extracted), `metric` (the tenant's counters) and
 * `goal` (another goal of the same tenant). A failed read is observed as
 * such: no value (so `max_age` makes it stale) and a note in the receipt.
 */

import { exchange, targetRules } from "../actions/http.ts";
import { database } from "../db/client.ts";
import { type GoalSpec, type Observation, parseDuration } from "../loop/index.ts";
import { METRIC_NAMES, type MetricName, readMetrics } from "../observability/metrics.ts";
import { readPath } from "./json-path.ts";
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

type PollOne = { value: unknown } | { error: string };

async function pollHttp(
  env: Env,
  source: Extract<GoalSpec["observe"][string], { from: "http" }>,
): Promise<PollOne> {
  const outcome = await exchange(
    {
      url: source.url,
      method: source.method ?? "GET",
      headers: { accept: "application/json" },
      originHeaders: source.headers,
      timeoutMs: parseDuration(source.timeout) ?? 5000,
    },
    // allow_hosts limits actions only; a polled source is what the goal reads.
    targetRules(env),
  );
  if (outcome.kind === "timeout") return { error: "timeout" };
  if (outcome.kind === "refused" || outcome.kind === "network") return { error: outcome.reason };
  if (outcome.status < 200 || outcome.status > 299) return { error: `HTTP ${outcome.status}` };
  if (outcome.kind === "partial") return { error: outcome.reason };
  const value = readPath(outcome.body, source.path);
  if (value === undefined) return { error: `no value at path ${source.path ?? "(root)"}` };
  if (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    source.path !== undefined
  ) {
    return { error: `the value at ${source.path} is an object, not a value` };
  }
  return { value };
}

/** Polls every pulled source in parallel. */
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
  const results = await Promise.all(
    entries.map(async ([name, source]): Promise<[string, PollOne, number]> => {
      const started = Date.now();
      try {
        if (source.from === "http")
          return [name, await pollHttp(env, source), Date.now() - started];
        if (source.from === "metric") {
          metrics ??= readMetrics(database(env.DB), tenant, now);
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
