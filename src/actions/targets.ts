/**
 * Which outbound URLs a goal may reach (webhook targets, polled http sources).
 * Only http(s); hosts that name the machine or a private network are refused
 * unless ALLOW_PRIVATE_TARGETS is "true" (local development); `allow_hosts`
 * narrows further. Checked at registration where the URL shows it, and again
 * before every request.
 */

export type TargetCheck = { ok: true; url: URL } | { ok: false; reason: string };

const BLOCKED_NAMES = new Set([
  "localhost",
  "metadata.google.internal",
  "metadata",
  "instance-data",
]);

function ipv4Parts(host: string): number[] | undefined {
  const parts = host.split(".");
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p))) return undefined;
  const nums = parts.map(Number);
  return nums.every((n) => n <= 255) ? nums : undefined;
}

function privateIpv4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 ||
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) ||
    a >= 224
  );
}

function privateIpv6(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (h === "::" || h === "::1") return true;
  if (/^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h)) return true;
  const mapped = h.match(/^::ffff:(.+)$/);
  if (mapped?.[1]) {
    const v4 = ipv4Parts(mapped[1]);
    if (v4) return privateIpv4(v4);
    const hex = mapped[1].split(":");
    if (hex.length === 2) {
      const hi = Number.parseInt(hex[0] ?? "", 16);
      return privateIpv4([hi >> 8, hi & 255]);
    }
    return true;
  }
  return false;
}

/** Whether the host names this machine, a private network or a metadata service. */
export function isPrivateHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (BLOCKED_NAMES.has(host) || host.endsWith(".localhost") || host.endsWith(".internal"))
    return true;
  const v4 = ipv4Parts(host);
  if (v4) return privateIpv4(v4);
  if (host.includes(":")) return privateIpv6(host);
  // Decimal or hex integer hosts (http://2130706433/) are IPv4 in disguise.
  return /^(0x[0-9a-f]+|\d+)$/.test(host);
}

/** Decides whether a goal may send a request to `raw`. */
export function checkTarget(
  raw: string,
  options: { allowPrivate: boolean; allowHosts?: readonly string[] | undefined },
): TargetCheck {
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
  if (!options.allowPrivate && isPrivateHost(url.hostname)) {
    return { ok: false, reason: `host ${url.hostname} is loopback or private` };
  }
  if (options.allowHosts && !options.allowHosts.includes(url.hostname.toLowerCase())) {
    return { ok: false, reason: `host ${url.hostname} is not in allow_hosts` };
  }
  return { ok: true, url };
}

/** Reads the ALLOW_PRIVATE_TARGETS switch: on only when exactly "true". */
export function allowPrivateTargets(env: { ALLOW_PRIVATE_TARGETS?: string }): boolean {
  return env.ALLOW_PRIVATE_TARGETS === "true";
}
