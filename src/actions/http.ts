/**
 * One outbound HTTP exchange for a goal: a timeout, no automatic redirects
 * (each hop is re-checked against the target rules), a bounded response body.
 */
import { checkTarget } from "./targets.ts";

export interface HttpRequest {
  url: string;
  method: "GET" | "POST";
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface TargetRules {
  allowPrivate: boolean;
  allowHosts?: readonly string[] | undefined;
}

export type HttpOutcome =
  | { kind: "response"; status: number; body: unknown; latencyMs: number }
  | { kind: "refused"; reason: string; latencyMs: number }
  | { kind: "timeout"; latencyMs: number }
  | { kind: "network"; reason: string; latencyMs: number };

const MAX_REDIRECTS = 3;
const MAX_RESPONSE_CHARS = 64 * 1024;

async function readBody(response: Response): Promise<unknown> {
  const text = (await response.text()).slice(0, MAX_RESPONSE_CHARS);
  if (text === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Sends the request; never throws (every failure is an outcome the loop observes). */
export async function exchange(request: HttpRequest, rules: TargetRules): Promise<HttpOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  let url = request.url;
  let method = request.method;
  let body = request.body;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const target = checkTarget(url, rules);
      if (!target.ok) return { kind: "refused", reason: target.reason, latencyMs: elapsed() };
      const response = await fetch(target.url, {
        method,
        headers: request.headers,
        body: method === "GET" ? undefined : body,
        redirect: "manual",
        signal: AbortSignal.timeout(Math.max(1, request.timeoutMs - elapsed())),
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, target.url).toString();
        if (response.status === 303) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      return {
        kind: "response",
        status: response.status,
        body: await readBody(response),
        latencyMs: elapsed(),
      };
    }
    return {
      kind: "refused",
      reason: `more than ${MAX_REDIRECTS} redirects`,
      latencyMs: elapsed(),
    };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      return { kind: "timeout", latencyMs: elapsed() };
    return { kind: "network", reason: (error as Error).message, latencyMs: elapsed() };
  }
}
