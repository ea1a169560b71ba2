/**
 * Resolving a target's host name before a request, so a name that points at
 * a private address is refused like the address itself. Workers have no DNS
 * API, so names are looked up over DNS-over-HTTPS (the JSON API, A and AAAA)
 * at the resolver the DNS_RESOLVER_URL var names.
 *
 * Fails closed: a lookup that fails, times out, is refused or yields no
 * address refuses the request. CNAME chains are followed as the resolver
 * answers them; if it answers only the alias, the alias is looked up in turn.
 * Answers are cached per isolate for their TTL (at most five minutes, a
 * bounded number of names); failures are not cached.
 *
 * What this does not close: the runtime's `fetch` resolves the name again
 * on its own, so an attacker's name with a 0-second TTL can answer a public
 * address to this lookup and a private one to the fetch (DNS rebinding), and
 * win that race. On Cloudflare the platform itself refuses fetches from a
 * Worker to private ranges, which is what stops that; under `wrangler dev`
 * or another workerd host nothing does, so keep ALLOW_PRIVATE_TARGETS off
 * anywhere goals are untrusted.
 */
import { canonicalHost } from "../spec/index.ts";
import { classifyAddress } from "./addresses.ts";

/** The addresses found; a failure also lists those the other family gave, to be judged first. */
export type Resolution =
  | { ok: true; addresses: string[] }
  | { ok: false; reason: string; transient: boolean; addresses: string[] };

interface DohAnswer {
  name?: unknown;
  type?: unknown;
  TTL?: unknown;
  data?: unknown;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const TYPE_AAAA = 28;
const RCODES: Record<number, string> = { 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 5: "REFUSED" };
/** Most aliases followed by further lookups. */
const MAX_ALIAS_LOOKUPS = 8;
/** Longest an answer is cached, whatever its TTL. */
const MAX_TTL_S = 300;

/** A small per-isolate cache of resolved names, oldest dropped first when full. */
export class DnsCache {
  readonly #entries = new Map<string, { addresses: string[]; expires: number }>();
  readonly maxEntries: number;
  constructor(maxEntries = 512) {
    this.maxEntries = maxEntries;
  }

  get(key: string, now = Date.now()): string[] | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expires > now) return entry.addresses;
    if (entry) this.#entries.delete(key);
    return undefined;
  }

  set(key: string, addresses: string[], ttlSeconds: number, now = Date.now()): void {
    const ttl = Math.min(ttlSeconds, MAX_TTL_S);
    if (!(ttl > 0)) return;
    this.#entries.delete(key);
    while (this.#entries.size >= this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    this.#entries.set(key, { addresses, expires: now + ttl * 1000 });
  }

  get size(): number {
    return this.#entries.size;
  }
}

const cache = new DnsCache();

type Lookup =
  | { ok: true; addresses: string[]; alias: string | undefined; ttl: number }
  | { ok: false; reason: string; transient: boolean };

/** One DoH query for one record type. */
async function query(
  resolver: string,
  name: string,
  type: "A" | "AAAA",
  signal: AbortSignal | undefined,
): Promise<Lookup> {
  const url = new URL(resolver);
  url.searchParams.set("name", name);
  url.searchParams.set("type", type);
  let json: { Status?: unknown; Answer?: unknown } | null;
  try {
    const response = await fetch(url, { headers: { accept: "application/dns-json" }, signal });
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, reason: `resolver answered HTTP ${response.status}`, transient: true };
    }
    json = await response.json();
  } catch (error) {
    const { name: kind, message } = error as Error;
    const timedOut = kind === "TimeoutError" || kind === "AbortError";
    return { ok: false, reason: timedOut ? "resolver timed out" : message, transient: true };
  }
  if (typeof json !== "object" || json === null)
    return { ok: false, reason: "resolver answered no JSON object", transient: true };
  if (json.Status !== 0) {
    const code = typeof json.Status === "number" ? (RCODES[json.Status] ?? json.Status) : "?";
    return { ok: false, reason: `resolver answered ${code}`, transient: code !== "NXDOMAIN" };
  }
  const want = type === "A" ? TYPE_A : TYPE_AAAA;
  const answers = (Array.isArray(json.Answer) ? json.Answer : []) as DohAnswer[];
  const addresses: string[] = [];
  let alias: string | undefined;
  let ttl = MAX_TTL_S;
  for (const answer of answers) {
    if (answer.type !== want && answer.type !== TYPE_CNAME) continue;
    if (typeof answer.data !== "string")
      return { ok: false, reason: "resolver answered a malformed record", transient: false };
    ttl = Math.min(ttl, typeof answer.TTL === "number" ? answer.TTL : 0);
    if (answer.type === TYPE_CNAME) {
      alias = canonicalHost(answer.data);
      continue;
    }
    const address = answer.data.toLowerCase();
    if (classifyAddress(address).kind !== "ip")
      return { ok: false, reason: `resolver answered ${type} ${answer.data}`, transient: false };
    addresses.push(address);
  }
  return { ok: true, addresses, alias, ttl };
}

/** A and AAAA records of `name`, following aliases the resolver answered without addresses. */
async function lookupType(
  resolver: string,
  name: string,
  type: "A" | "AAAA",
  signal: AbortSignal | undefined,
): Promise<Lookup> {
  let current = name;
  let ttl = MAX_TTL_S;
  for (let step = 0; step <= MAX_ALIAS_LOOKUPS; step++) {
    const result = await query(resolver, current, type, signal);
    if (!result.ok) return result;
    ttl = Math.min(ttl, result.ttl);
    if (result.addresses.length > 0 || result.alias === undefined) return { ...result, ttl };
    current = result.alias;
  }
  return { ok: false, reason: `more than ${MAX_ALIAS_LOOKUPS} aliases`, transient: false };
}

function failure(
  name: string,
  lookup: { reason: string; transient: boolean },
  other: Lookup,
): Resolution {
  const reason = `DNS lookup of ${name} failed: ${lookup.reason}`;
  return {
    ok: false,
    reason,
    transient: lookup.transient,
    addresses: other.ok ? other.addresses : [],
  };
}

/**
 * Every address `host` resolves to (A and AAAA). The caller judges them;
 * this only says what they are, or why there are none.
 */
export async function resolveHost(
  host: string,
  resolver: string,
  signal?: AbortSignal,
): Promise<Resolution> {
  const name = canonicalHost(host);
  const key = `${resolver} ${name}`;
  const cached = cache.get(key);
  if (cached) return { ok: true, addresses: cached };
  const [a, aaaa] = await Promise.all([
    lookupType(resolver, name, "A", signal),
    lookupType(resolver, name, "AAAA", signal),
  ]);
  // Both families count: a public A next to a private AAAA must not pass.
  if (!a.ok) return failure(name, a, aaaa);
  if (!aaaa.ok) return failure(name, aaaa, a);
  const addresses = [...a.addresses, ...aaaa.addresses];
  if (addresses.length === 0)
    return { ok: false, reason: `${name} resolves to no address`, transient: false, addresses };
  cache.set(key, addresses, Math.min(a.ttl, aaaa.ttl));
  return { ok: true, addresses };
}
