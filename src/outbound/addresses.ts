/**
 * Which IP addresses a goal must never reach, as tables of ranges. Used for
 * hosts written as address literals and for every address a host name
 * resolves to (`resolve.ts`).
 *
 * IPv4 literals are read the way the WHATWG URL parser reads them (`127.1`,
 * `0177.0.0.1`, `0x7f.0.0.1`, `2130706433` are all 127.0.0.1), so a string
 * that never went through `new URL()` is judged the same. IPv6 addresses that
 * carry an IPv4 address (mapped, translated, NAT64, 6to4) are judged by that
 * IPv4 address.
 */

/** A refused range: the address in it, and why. */
export interface Refusal {
  range: string;
  label: string;
}

type V4Range = readonly [string, string];

/** IPv4 ranges that are not a public host (IANA special-purpose registry). */
const V4_RANGES: readonly V4Range[] = [
  ["0.0.0.0/8", "this network"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared address space, carrier NAT"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local, cloud metadata"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "6to4 relay"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved, broadcast"],
];

/** How an IPv6 range is judged: refused outright, or by the IPv4 address it embeds at `at` (group index). */
type V6Rule = { range: string; label: string; embedsV4At?: number };

/** First match wins, so the embedding prefixes come before the ranges that contain them. */
const V6_RULES: readonly V6Rule[] = [
  { range: "::/128", label: "unspecified" },
  { range: "::1/128", label: "loopback" },
  { range: "::ffff:0:0/96", label: "IPv4-mapped", embedsV4At: 6 },
  { range: "::ffff:0:0:0/96", label: "IPv4-translated", embedsV4At: 6 },
  { range: "::/96", label: "IPv4-compatible, deprecated" },
  { range: "64:ff9b::/96", label: "NAT64", embedsV4At: 6 },
  { range: "64:ff9b:1::/48", label: "local-use NAT64" },
  { range: "100::/64", label: "discard-only" },
  { range: "2001::/32", label: "Teredo" },
  { range: "2001:db8::/32", label: "documentation" },
  { range: "2002::/16", label: "6to4", embedsV4At: 1 },
  { range: "fc00::/7", label: "unique local, private" },
  { range: "fe80::/10", label: "link-local" },
  { range: "fec0::/10", label: "site-local, deprecated" },
  { range: "ff00::/8", label: "multicast" },
];

/** One IPv4 part as WHATWG reads it: decimal, 0x hex, or 0-led octal. */
function v4Number(part: string): number | undefined {
  if (/^0x[0-9a-f]*$/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part, 16);
  if (/^0[0-7]+$/.test(part)) return Number.parseInt(part, 8);
  if (/^(0|[1-9][0-9]*)$/.test(part)) return Number(part);
  return undefined;
}

/** The IPv4 address `host` spells (any WHATWG form), as an unsigned 32-bit number. */
export function parseIpv4(host: string): number | undefined {
  const parts = host.replace(/\.$/, "").split(".");
  if (parts.length > 4 || parts.some((p) => p === "")) return undefined;
  const nums = parts.map(v4Number);
  if (nums.some((n) => n === undefined)) return undefined;
  const values = nums as number[];
  const last = values.pop() ?? 0;
  if (values.some((n) => n > 255) || last >= 256 ** (4 - values.length)) return undefined;
  return values.reduce((sum, n, i) => sum + n * 256 ** (3 - i), 0) + last;
}

/** Dotted-quad text of an IPv4 number. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** The eight 16-bit groups of an IPv6 address (brackets and a trailing dotted IPv4 allowed). */
export function parseIpv6(host: string): number[] | undefined {
  let text = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (!text.includes(":") || text.includes("%")) return undefined;
  const dotted = text.match(/^(.*:)(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted?.[1] && dotted[2]) {
    const parts = dotted[2].split(".").map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = parts;
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const side = (s: string | undefined) => (s ? s.split(":") : []);
  const head = side(halves[0]);
  const tail = side(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...Array<string>(missing).fill("0"), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => Number.parseInt(g, 16));
}

function v4Prefix(range: string): [number, number] {
  const [base = "", bits = "32"] = range.split("/");
  return [parseIpv4(base) ?? 0, Number(bits)];
}

function inV4(value: number, range: string): boolean {
  const [base, bits] = v4Prefix(range);
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return (value & mask) >>> 0 === (base & mask) >>> 0;
}

function inV6(groups: readonly number[], range: string): boolean {
  const [base = "", bitsText = "128"] = range.split("/");
  const prefix = parseIpv6(base) ?? [];
  let bits = Number(bitsText);
  for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
    const mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
    if (((groups[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** Why an IPv4 address is refused, or undefined for a public one. */
export function refuseIpv4(value: number): Refusal | undefined {
  const hit = V4_RANGES.find(([range]) => inV4(value, range));
  return hit ? { range: hit[0], label: hit[1] } : undefined;
}

/** Why an IPv6 address is refused, or undefined for a public one. */
export function refuseIpv6(groups: readonly number[]): Refusal | undefined {
  const rule = V6_RULES.find((r) => inV6(groups, r.range));
  if (!rule) return undefined;
  if (rule.embedsV4At === undefined) return { range: rule.range, label: rule.label };
  const hi = groups[rule.embedsV4At] ?? 0;
  const lo = groups[rule.embedsV4At + 1] ?? 0;
  const v4 = hi * 65536 + lo;
  const inner = refuseIpv4(v4);
  if (!inner) return undefined;
  return { range: rule.range, label: `${rule.label}: ${formatIpv4(v4)} is ${inner.label}` };
}

/** A refusal as text: `127.0.0.0/8 (loopback)`. */
export function describeRefusal({ range, label }: Refusal): string {
  return `${range} (${label})`;
}

/**
 * Why an address literal is refused. `kind` says whether `host` was an IP
 * address at all (`name` for a host name, which this cannot judge).
 */
export function classifyAddress(
  host: string,
): { kind: "name" } | { kind: "ip"; refusal: Refusal | undefined } {
  const v6 = parseIpv6(host);
  if (v6) return { kind: "ip", refusal: refuseIpv6(v6) };
  const v4 = parseIpv4(host);
  if (v4 !== undefined) return { kind: "ip", refusal: refuseIpv4(v4) };
  return { kind: "name" };
}
