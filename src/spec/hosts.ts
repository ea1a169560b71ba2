/**
 * `guard.allow_hosts`: which hosts a goal's webhooks may call. An entry is an
 * exact host name (`erp.example`) or `*.` and a domain (`*.example.com`: any
 * subdomain of example.com, not example.com itself). Comparison ignores case
 * and trailing dots (see `canonicalHost`).
 * It restricts actions only; polled `http` sources are what the goal reads, not
 * what it does, and are not limited by it.
 */

const HOST_PATTERN = /^(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i;

/** True when `entry` is a valid `allow_hosts` entry. */
export function isHostPattern(entry: string): boolean {
  return entry.length <= 253 && HOST_PATTERN.test(entry);
}

/**
 * A host name as every check compares it: lower-cased, without its trailing
 * dots. DNS reads `localhost.` and `localhost..` as `localhost`, so a check
 * that strips only one dot lets `localhost..` pass as some other name. (A
 * loop, not a regex: a long run of dots must not cost quadratic time.)
 */
export function canonicalHost(host: string): string {
  let end = host.length;
  while (end > 0 && host.charCodeAt(end - 1) === 46) end--;
  return host.slice(0, end).toLowerCase();
}

/** True when `host` matches one of `allowed` (exact, or `*.domain` for a subdomain). */
export function hostAllowed(host: string, allowed: readonly string[]): boolean {
  const lower = canonicalHost(host);
  return allowed.some((entry) => {
    const pattern = canonicalHost(entry);
    if (pattern.startsWith("*.")) return lower.endsWith(pattern.slice(1));
    return lower === pattern;
  });
}

/** The host name of an http(s) URL as compared (`canonicalHost`), or "" when it does not parse. */
export function urlHost(url: string): string {
  return URL.canParse(url) ? canonicalHost(new URL(url).hostname) : "";
}
