/**
 * Which outbound URLs a goal may reach (webhook targets, polled http sources).
 * Only http(s) and no credentials in the URL, whatever the switch. Hosts that
 * name this machine, a private network or a metadata service are refused
 * unless ALLOW_PRIVATE_TARGETS is "true" (local development): here by what
 * the URL shows (names and address literals, see `addresses.ts`), and before
 * each request also by every address the name resolves to (`resolve.ts`).
 * `allow_hosts` narrows further. Checked at registration where the URL shows
 * it, and again before every request and every redirect hop. Host names are
 * compared without trailing dots, however many (`canonicalHost`).
 */
import { canonicalHost, hostAllowed } from "../spec/index.ts";
import { classifyAddress, describeRefusal } from "./addresses.ts";

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** What `checkTarget` needs to judge a URL by itself (no lookups). */
export interface LiteralRules {
  allowPrivate: boolean;
  /** Host names or `*.domain` patterns (see `spec/hosts.ts`); absent: any host. */
  allowHosts?: readonly string[] | undefined;
}

/** The resolver used when the DNS_RESOLVER_URL var is unset or empty. */
export const DEFAULT_RESOLVER = "https://cloudflare-dns.com/dns-query";

/** Names that always mean this machine or a cloud metadata service. */
const BLOCKED_NAMES = new Set([
  "localhost",
  "localhost.localdomain",
  "ip6-localhost",
  "ip6-loopback",
  "metadata",
  "metadata.google.internal",
  "instance-data",
]);

/** Suffixes reserved for local or internal names (`.internal` covers GCP and EC2 metadata names). */
const BLOCKED_SUFFIXES = [".localhost", ".internal", ".local", ".home.arpa"];

/** Why a host (as `URL.hostname` gives it) is refused by name or address, or undefined. */
export function privateHostReason(hostname: string): string | undefined {
  const host = canonicalHost(hostname);
  if (BLOCKED_NAMES.has(host) || BLOCKED_SUFFIXES.some((s) => host.endsWith(s)))
    return `host ${hostname} names this machine or an internal service`;
  const address = classifyAddress(host);
  if (address.kind === "ip" && address.refusal)
    return `host ${hostname} is in ${describeRefusal(address.refusal)}`;
  return undefined;
}

/** Whether the host names this machine, a private network or a metadata service. */
export function isPrivateHost(hostname: string): boolean {
  return privateHostReason(hostname) !== undefined;
}

/** Whether the host is an IP address literal (so there is no name to resolve). */
export function isAddressLiteral(hostname: string): boolean {
  return classifyAddress(canonicalHost(hostname)).kind === "ip";
}

/** Decides whether a goal may send a request to `raw`, by what the URL itself shows. */
export function checkTarget(raw: string, options: LiteralRules): TargetCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid URL" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return { ok: false, reason: `scheme ${url.protocol} is not allowed; use http or https` };
  }
  if (url.username || url.password)
    return { ok: false, reason: "credentials in the URL are not allowed" };
  if (canonicalHost(url.hostname) === "") return { ok: false, reason: "the URL names no host" };
  if (!options.allowPrivate) {
    const reason = privateHostReason(url.hostname);
    if (reason) return { ok: false, reason };
  }
  if (options.allowHosts && !hostAllowed(url.hostname, options.allowHosts)) {
    return { ok: false, reason: `host ${url.hostname} is not in allow_hosts` };
  }
  return { ok: true, url };
}

/** Reads the ALLOW_PRIVATE_TARGETS switch: on only when exactly "true". */
export function allowPrivateTargets(env: { ALLOW_PRIVATE_TARGETS?: string }): boolean {
  return env.ALLOW_PRIVATE_TARGETS === "true";
}

/** The DNS-over-HTTPS resolver URL from the DNS_RESOLVER_URL var, or the default. */
export function resolverUrl(env: { DNS_RESOLVER_URL?: string }): string {
  return env.DNS_RESOLVER_URL?.trim() || DEFAULT_RESOLVER;
}
