/**
 * A DNS-over-HTTPS stub (the JSON API) for the receiver in
 * `receiver-setup.ts`: `GET /dns-query?name=N&type=A|AAAA` answers from the
 * table below; unknown names are NXDOMAIN. Runs in Node.
 */

type Record = { type: "A" | "AAAA" | "CNAME"; data: string; ttl?: number; name?: string };

/** `status` other than 0 answers that DNS error code with no records (`aaaaStatus`: for AAAA only). */
type Entry = { status?: number; aaaaStatus?: number; records?: Record[] };

const TYPES = { A: 1, CNAME: 5, AAAA: 28 } as const;

/** The names tests resolve, and what each stands for. */
export const DNS_TABLE: { [name: string]: Entry } = {
  // A public address (the fetch after the check cannot connect: no network).
  "public.test": { records: [{ type: "A", data: "93.184.216.34", ttl: 60 }] },
  "public6.test": { records: [{ type: "AAAA", data: "2606:4700:4700::1111", ttl: 60 }] },
  // A name an attacker points at this machine.
  "rebind.test": { records: [{ type: "A", data: "127.0.0.1", ttl: 0 }] },
  "metadata.test": { records: [{ type: "A", data: "169.254.169.254", ttl: 60 }] },
  // A public A record next to a private AAAA: any private address refuses.
  "v6private.test": {
    records: [
      { type: "A", data: "93.184.216.34", ttl: 60 },
      { type: "AAAA", data: "::1", ttl: 60 },
    ],
  },
  "mapped.test": { records: [{ type: "AAAA", data: "::ffff:7f00:1", ttl: 60 }] },
  "nat64.test": { records: [{ type: "AAAA", data: "64:ff9b::a00:1", ttl: 60 }] },
  // Only the alias is answered: the alias has to be looked up in turn.
  "cname.test": { records: [{ type: "CNAME", data: "rebind.test.", ttl: 60 }] },
  // The whole chain answered at once, as public resolvers do.
  "chain.test": {
    records: [
      { type: "CNAME", data: "hop.chain.test.", ttl: 60 },
      { type: "A", data: "10.0.0.7", ttl: 60, name: "hop.chain.test" },
    ],
  },
  "hop.chain.test": { records: [{ type: "A", data: "10.0.0.7", ttl: 60 }] },
  "alias-public.test": { records: [{ type: "CNAME", data: "public.test.", ttl: 60 }] },
  "loop.test": { records: [{ type: "CNAME", data: "loop.test.", ttl: 60 }] },
  "fail.test": { status: 2 },
  // A private A record while the AAAA lookup fails: refused for the address, not retried.
  "half.test": { aaaaStatus: 2, records: [{ type: "A", data: "10.0.0.9", ttl: 60 }] },
  "empty.test": { records: [] },
  "garbage.test": { records: [{ type: "A", data: "not-an-address", ttl: 60 }] },
  // For the cache: one answer kept 60 s, one not kept at all.
  "cached.test": { records: [{ type: "A", data: "93.184.216.35", ttl: 60 }] },
  "ttl0.test": { records: [{ type: "A", data: "93.184.216.36", ttl: 0 }] },
};

/** The DoH JSON answer for one query. */
export function dohAnswer(name: string, type: string): object {
  const key = name.toLowerCase().replace(/\.$/, "");
  const entry = DNS_TABLE[key];
  const question = [{ name: key, type: TYPES[type as keyof typeof TYPES] ?? 0 }];
  if (!entry) return { Status: 3, Question: question };
  const status = type === "AAAA" ? (entry.aaaaStatus ?? entry.status) : entry.status;
  if (status) return { Status: status, Question: question };
  const answers = (entry.records ?? [])
    .filter((r) => r.type === type || r.type === "CNAME")
    .map((r) => ({ name: r.name ?? key, type: TYPES[r.type], TTL: r.ttl ?? 60, data: r.data }));
  // A real resolver answers the alias with no address records when the alias has none of this type.
  return { Status: 0, TC: false, RD: true, RA: true, Question: question, Answer: answers };
}
