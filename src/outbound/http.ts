/**
 * One outbound HTTP exchange for a goal: a timeout over the whole of it, no
 * automatic redirects (each hop is re-checked against the target rules, its
 * host name resolved and every address judged; credentials stay with the
 * first URL's origin), a response body read within a byte budget.
 */
import { classifyAddress, describeRefusal } from "./addresses.ts";
import { resolveHost } from "./resolve.ts";
import { readBody } from "./response-body.ts";
import {
  allowPrivateTargets,
  checkTarget,
  isAddressLiteral,
  type LiteralRules,
  resolverUrl,
} from "./targets.ts";

export interface HttpRequest {
  url: string;
  method: "GET" | "POST";
  /** Sent on every hop (but `authorization`, `cookie`, `proxy-authorization` only on the first origin). */
  headers?: Record<string, string>;
  /**
   * Sent after `headers` (replacing those of the same name) while the request
   * stays on the first URL's origin: the spec's own headers and the
   * signature. Dropped for good at a redirect to another scheme, host or
   * port, as browsers drop `Authorization`.
   */
  originHeaders?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** The target rules of `targets.ts`, and where host names are resolved (`resolve.ts`). */
export interface TargetRules extends LiteralRules {
  /** A DNS-over-HTTPS JSON endpoint; not used while `allowPrivate` is on. */
  resolver: string;
}

/** The rules the Worker's vars set (ALLOW_PRIVATE_TARGETS, DNS_RESOLVER_URL), narrowed to `allowHosts`. */
export function targetRules(
  env: { ALLOW_PRIVATE_TARGETS?: string; DNS_RESOLVER_URL?: string },
  allowHosts?: readonly string[],
): TargetRules {
  return { allowPrivate: allowPrivateTargets(env), allowHosts, resolver: resolverUrl(env) };
}

/** A hop that may be sent, or why not (`transient`: a failed lookup, worth retrying later). */
export type Admission = { ok: true; url: URL } | { ok: false; reason: string; transient: boolean };

/**
 * How an exchange ended. `partial`: the status came but the body was not read
 * whole (over 64 KiB, or still arriving at the timeout); `head` is how it
 * began (at most 1 KiB), `reason` says why.
 */
export type HttpOutcome =
  | { kind: "response"; status: number; body: unknown; latencyMs: number }
  | { kind: "partial"; status: number; reason: string; head: string; latencyMs: number }
  | { kind: "refused"; reason: string; transient: boolean; latencyMs: number }
  | { kind: "timeout"; latencyMs: number }
  | { kind: "network"; reason: string; latencyMs: number };

const MAX_REDIRECTS = 3;

/** Never sent beyond the first origin, whoever set them. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];

/** Headers about the body, dropped with it when a 303 turns the request into a GET (as in the Fetch standard). */
const BODY_HEADERS = ["content-type", "content-encoding", "content-language", "content-location"];

/** The headers of one hop: `originHeaders` and credentials only while on the first origin. */
function hopHeaders(request: HttpRequest, onOrigin: boolean, withBody: boolean): Headers {
  const headers = new Headers(request.headers);
  if (onOrigin) {
    for (const [name, value] of Object.entries(request.originHeaders ?? {}))
      headers.set(name, value);
  } else {
    for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  }
  if (!withBody) for (const name of BODY_HEADERS) headers.delete(name);
  return headers;
}

/**
 * Whether one hop may be sent: the URL by itself (`checkTarget`), then, with
 * private targets off and a host name rather than an address, every address
 * the name resolves to. See `resolve.ts` for what this cannot rule out.
 */
export async function admitTarget(
  raw: string,
  rules: TargetRules,
  signal?: AbortSignal,
): Promise<Admission> {
  const target = checkTarget(raw, rules);
  if (!target.ok) return { ...target, transient: false };
  const host = target.url.hostname;
  if (rules.allowPrivate || isAddressLiteral(host)) return target;
  const resolved = await resolveHost(host, rules.resolver, signal);
  // A private address refuses for good, even when the other family's lookup failed.
  for (const address of resolved.addresses) {
    const judged = classifyAddress(address);
    if (judged.kind === "ip" && judged.refusal) {
      const reason = `host ${host} resolves to ${address}, in ${describeRefusal(judged.refusal)}`;
      return { ok: false, reason, transient: false };
    }
  }
  if (!resolved.ok) return { ok: false, reason: resolved.reason, transient: resolved.transient };
  return target;
}

/** Sends the request; never throws (every failure is an outcome the loop observes). */
export async function exchange(request: HttpRequest, rules: TargetRules): Promise<HttpOutcome> {
  const started = Date.now();
  const elapsed = () => Date.now() - started;
  // The timeout covers the whole exchange: lookups and every hop.
  const remaining = () => AbortSignal.timeout(Math.max(1, request.timeoutMs - elapsed()));
  let url = request.url;
  let method = request.method;
  let body = request.body;
  let origin: string | undefined;
  // Once a hop leaves the first origin, credentials stay behind even if a later hop returns.
  let onOrigin = true;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const target = await admitTarget(url, rules, remaining());
      if (!target.ok) {
        const { reason, transient } = target;
        return { kind: "refused", reason, transient, latencyMs: elapsed() };
      }
      origin ??= target.url.origin;
      onOrigin &&= target.url.origin === origin;
      const sent = method === "GET" ? undefined : body;
      // One deadline for this hop's headers and its body alike.
      const signal = remaining();
      const response = await fetch(target.url, {
        method,
        headers: hopHeaders(request, onOrigin, sent !== undefined),
        body: sent,
        redirect: "manual",
        signal,
      });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location) {
        await response.body?.cancel();
        url = new URL(location, target.url).toString();
        // 303 means "GET the answer there"; 307/308 (and here 301/302) repeat the request as sent.
        if (response.status === 303) {
          method = "GET";
          body = undefined;
        }
        continue;
      }
      const { status } = response;
      const read = await readBody(response, signal);
      if (read.whole) return { kind: "response", status, body: read.body, latencyMs: elapsed() };
      const { reason, head } = read;
      return { kind: "partial", status, reason, head, latencyMs: elapsed() };
    }
    const reason = `more than ${MAX_REDIRECTS} redirects`;
    return { kind: "refused", reason, transient: false, latencyMs: elapsed() };
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError")
      return { kind: "timeout", latencyMs: elapsed() };
    return { kind: "network", reason: (error as Error).message, latencyMs: elapsed() };
  }
}
