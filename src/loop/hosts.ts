/**
 * `guard.allow_hosts`: which hosts a goal's webhooks may call. An entry is an
 * exact host name (`erp.example`) or `*.` and a domain (`*.example.com`: any
 * subdomain of example.com, not example.com itself). Comparison ignores case.
 * It restricts actions only; polled `http` sources are what the goal reads, not
 * what it does, and are not limited by it.
 */

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** True when `entry` is a valid `allow_hosts` entry. */
export function isHostPattern(entry: string): boolean {
  return entry.length <= 253 && HOST_PATTERN.test(entry);
}

/** True when `host` matches one of `allowed` (exact, or `*.domain` for a subdomain). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const lower = host.toLowerCase();
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    if (pattern.startsWith("*.")) return lower.endsWith(pattern.slice(1));
    return lower === pattern;
  });
}

/** The host name of an http(s) URL, lower-cased, or "" when it does not parse. */
export function urlHost(url: string): string {
  return URL.canParse(url) ? new URL(url).hostname.toLowerCase() : "";
}
