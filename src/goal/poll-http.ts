/**
 * The polled `http` sources of one cadence cycle. Sources that name the same
 * request (method, URL and headers; a poll sends no body) share one exchange
 * per cycle, and each reads its own path from the answer: ten names read from
 * one endpoint cost it one request a cycle, not ten. The shared exchange
 * waits as long as the most patient of them; a source whose own timeout is
 * shorter than the answer took sees a timeout, as it would have alone.
 */

import {
  exchange,
  type HttpOutcome,
  type HttpRequest,
  OUTBOUND_LIMITED,
  spendOutbound,
  targetRules,
} from "../outbound/index.ts";
import { type GoalSpec, parseDuration } from "../spec/index.ts";
import { readPath } from "./json-path.ts";

export type HttpSource = Extract<GoalSpec["observe"][string], { from: "http" }>;

/** What one source read: its value, or why there is none. */
export type PollOne = { value: unknown } | { error: string };

const timeoutOf = (source: HttpSource) => parseDuration(source.timeout) ?? 5000;

function requestOf(source: HttpSource): HttpRequest {
  return {
    url: source.url,
    method: source.method ?? "GET",
    headers: { accept: "application/json" },
    // The spec's headers may carry credentials: never sent on to another origin (see http.ts).
    ...(source.headers === undefined ? {} : { originHeaders: source.headers }),
    timeoutMs: timeoutOf(source),
  };
}

/** Equal for requests that are the same but for their timeout (header names compared without case). */
function sameRequest(request: HttpRequest): string {
  const headers = Object.entries({ ...request.headers, ...request.originHeaders })
    .map(([name, value]) => [name.toLowerCase(), value])
    .sort(([a = ""], [b = ""]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([request.method, request.url, headers]);
}

/** One source's reading of the exchange it took part in. */
function read(source: HttpSource, outcome: HttpOutcome): PollOne {
  if (outcome.kind === "timeout" || outcome.latencyMs > timeoutOf(source))
    return { error: "timeout" };
  if (outcome.kind === "refused" || outcome.kind === "network") return { error: outcome.reason };
  if (outcome.status < 200 || outcome.status > 299) return { error: `HTTP ${outcome.status}` };
  // A body beyond the byte budget (or still arriving at the timeout) is no value to read.
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

/**
 * The poll of this cycle's `sources`: call it for each of them; sources that
 * name the same request get the one exchange's answer. Each exchange spends
 * one of the tenant's outbound requests; without one it is not sent and its
 * sources fail, saying so.
 */
export function httpPolls(
  env: Env,
  tenant: string,
  sources: readonly HttpSource[],
): (source: HttpSource) => Promise<PollOne> {
  // Per distinct request, the one with the longest timeout.
  const requests = new Map<string, HttpRequest>();
  for (const source of sources) {
    const request = requestOf(source);
    const key = sameRequest(request);
    const other = requests.get(key);
    if (!other || other.timeoutMs < request.timeoutMs) requests.set(key, request);
  }
  const sent = new Map<string, Promise<HttpOutcome>>();
  const send = async (request: HttpRequest): Promise<HttpOutcome> => {
    if (!(await spendOutbound(env, tenant)))
      return { kind: "refused", reason: OUTBOUND_LIMITED, transient: true, latencyMs: 0 };
    // allow_hosts limits actions only; a polled source is what the goal reads.
    return exchange(request, targetRules(env));
  };
  return async function poll(source) {
    const own = requestOf(source);
    const key = sameRequest(own);
    let outcome = sent.get(key);
    if (!outcome) {
      outcome = send(requests.get(key) ?? own);
      sent.set(key, outcome);
    }
    return read(source, await outcome);
  };
}
