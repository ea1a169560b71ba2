/**
 * The send-time DNS check, with ALLOW_PRIVATE_TARGETS off, against the DoH
 * stub of the test receiver (test/dns-stub.ts).
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { admitTarget, exchange, type TargetRules } from "../../src/outbound/http.ts";
import { DnsCache } from "../../src/outbound/resolve.ts";
import { seenBy } from "../helpers.ts";

const closed: TargetRules = { allowPrivate: false, resolver: env.DNS_RESOLVER_URL };

const get = (url: string, timeoutMs = 2000) => exchange({ url, method: "GET", timeoutMs }, closed);

/** How many queries the stub resolver got for `name` (of one record type, when given). */
const lookups = async (name: string, type?: "A" | "AAAA") =>
  (await seenBy(`/dns-query/${name}/`)).filter((s) => !type || s.path.endsWith(`/${type}`)).length;

describe("resolving a target's host before sending", () => {
  it.each([
    ["rebind.test", "resolves to 127.0.0.1, in 127.0.0.0/8 (loopback)"],
    ["metadata.test", "resolves to 169.254.169.254, in 169.254.0.0/16 (link-local"],
    ["v6private.test", "resolves to ::1, in ::1/128 (loopback)"],
    [
      "mapped.test",
      "resolves to ::ffff:7f00:1, in ::ffff:0:0/96 (IPv4-mapped: 127.0.0.1 is loopback)",
    ],
    ["nat64.test", "resolves to 64:ff9b::a00:1, in 64:ff9b::/96 (NAT64: 10.0.0.1 is private)"],
    ["chain.test", "resolves to 10.0.0.7, in 10.0.0.0/8 (private)"],
    ["cname.test", "resolves to 127.0.0.1, in 127.0.0.0/8 (loopback)"],
  ])("refuses %s, which resolves to a private address", async (host, reason) => {
    const outcome = await get(`http://${host}/hook`);
    expect(outcome).toMatchObject({ kind: "refused", transient: false });
    expect(outcome.kind === "refused" && outcome.reason).toContain(`host ${host} ${reason}`);
  });

  it("refuses for good a private address even when the other family's lookup failed", async () => {
    const outcome = await get("http://half.test/");
    expect(outcome).toMatchObject({
      kind: "refused",
      transient: false,
      reason: "host half.test resolves to 10.0.0.9, in 10.0.0.0/8 (private)",
    });
  });

  it("follows an alias the resolver answered alone by looking it up in turn", async () => {
    const before = await lookups("rebind.test", "A");
    await get("http://cname.test/");
    expect(await lookups("rebind.test", "A")).toBe(before + 1);
  });

  it.each([
    ["fail.test", "DNS lookup of fail.test failed: resolver answered SERVFAIL", true],
    ["nowhere.test", "DNS lookup of nowhere.test failed: resolver answered NXDOMAIN", false],
    ["empty.test", "empty.test resolves to no address", false],
    ["garbage.test", "resolver answered A not-an-address", false],
    ["loop.test", "more than 8 aliases", false],
  ])("fails closed for %s", async (host, reason, transient) => {
    const outcome = await get(`http://${host}/`);
    expect(outcome).toMatchObject({ kind: "refused", transient });
    expect(outcome.kind === "refused" && outcome.reason).toContain(reason);
  });

  it("fails closed, worth a retry, when the resolver itself fails or is unreachable", async () => {
    const down = { ...closed, resolver: `${env.TEST_RECEIVER}/fail/resolver` };
    const answered = await exchange(
      { url: "http://public.test/", method: "GET", timeoutMs: 2000 },
      down,
    );
    expect(answered).toMatchObject({
      kind: "refused",
      transient: true,
      reason: "DNS lookup of public.test failed: resolver answered HTTP 503",
    });
    const wrong = { ...closed, resolver: `${env.TEST_RECEIVER}/ok/not-a-resolver` };
    const odd = await exchange(
      { url: "http://public.test/", method: "GET", timeoutMs: 2000 },
      wrong,
    );
    expect(odd).toMatchObject({ kind: "refused", transient: true });
    const slow = { ...closed, resolver: `${env.TEST_RECEIVER}/slow/resolver` };
    const late = await exchange(
      { url: "http://public.test/", method: "GET", timeoutMs: 300 },
      slow,
    );
    expect(late).toMatchObject({ kind: "refused", transient: true });
    expect(late.kind === "refused" && late.reason).toContain("resolver timed out");
  });

  it("lets a name that resolves only to public addresses through to the network", async () => {
    for (const host of ["public.test", "public6.test", "alias-public.test"])
      expect(await admitTarget(`https://${host}/x`, closed)).toMatchObject({ ok: true });
    if (env.TEST_REBIND_HOST) {
      // This machine's own name, which the stub calls public and the runtime resolves to
      // 127.0.0.1 (see test/receiver-setup.ts): the request goes out and arrives.
      const path = `/ok/${crypto.randomUUID()}`;
      const port = new URL(env.TEST_RECEIVER).port;
      const outcome = await get(`http://${env.TEST_REBIND_HOST}:${port}${path}`, 3000);
      expect(outcome).toMatchObject({ kind: "response", status: 200 });
      expect(await seenBy(path)).toHaveLength(1);
    } else {
      // Elsewhere public.test goes out and fails for want of a network, not refused by the
      // check (workerd then logs its failed lookup as an "internal error" with a stack).
      const outcome = await get("http://public.test/hook", 3000);
      expect(["network", "timeout"]).toContain(outcome.kind);
    }
  });

  it("does not look up address literals, and refuses private ones without a lookup", async () => {
    expect(await admitTarget("http://93.184.216.34/", closed)).toMatchObject({ ok: true });
    expect(await admitTarget("http://127.1/", closed)).toMatchObject({ ok: false });
    expect(await lookups("93.184.216.34")).toBe(0);
  });

  it.each([
    ["http://localhost../", "host localhost.. names this machine"],
    ["http://LOCALHOST./", "host localhost. names this machine"],
    ["http://127.0.0.1../", "host 127.0.0.1.. is in 127.0.0.0/8 (loopback)"],
  ])("refuses %s before sending, without a lookup", async (url, reason) => {
    const outcome = await get(url);
    expect(outcome).toMatchObject({ kind: "refused", transient: false });
    expect(outcome.kind === "refused" && outcome.reason).toContain(reason);
    expect(await lookups("localhost")).toBe(0);
    expect(await lookups("127.0.0.1")).toBe(0);
  });

  it("skips the lookup while private targets are allowed (local development)", async () => {
    const open = { ...closed, allowPrivate: true };
    expect(await admitTarget("http://switch-on.test/", open)).toMatchObject({ ok: true });
    expect(await lookups("switch-on.test")).toBe(0);
    expect(await admitTarget("http://switch-on.test/", closed)).toMatchObject({ ok: false });
    expect(await lookups("switch-on.test")).toBe(2);
  });

  it("still checks allow_hosts and the scheme before any lookup", async () => {
    const narrowed = { ...closed, allowHosts: ["public.test"] };
    expect(await admitTarget("http://rebind-other.test/", narrowed)).toMatchObject({
      ok: false,
      reason: "host rebind-other.test is not in allow_hosts",
    });
    expect(await admitTarget("ftp://public.test/", narrowed)).toMatchObject({ ok: false });
    expect(await lookups("rebind-other.test")).toBe(0);
  });
});

describe("the lookup cache", () => {
  it("keeps an answer for its TTL and asks again for a 0-second TTL", async () => {
    await admitTarget("http://cached.test/", closed);
    await admitTarget("http://cached.test/", closed);
    expect(await lookups("cached.test", "A")).toBe(1);
    expect(await lookups("cached.test", "AAAA")).toBe(1);
    await admitTarget("http://ttl0.test/", closed);
    await admitTarget("http://ttl0.test/", closed);
    expect(await lookups("ttl0.test", "A")).toBe(2);
  });

  it("does not keep failures", async () => {
    await admitTarget("http://fail.test/", closed);
    const before = await lookups("fail.test", "A");
    await admitTarget("http://fail.test/", closed);
    expect(await lookups("fail.test", "A")).toBe(before + 1);
  });

  it("expires entries, caps TTLs at five minutes, and drops the oldest when full", () => {
    const cache = new DnsCache(2);
    cache.set("a", ["1.1.1.1"], 10, 0);
    expect(cache.get("a", 9_999)).toEqual(["1.1.1.1"]);
    expect(cache.get("a", 10_000)).toBeUndefined();
    cache.set("long", ["1.1.1.2"], 86_400, 0);
    expect(cache.get("long", 299_999)).toEqual(["1.1.1.2"]);
    expect(cache.get("long", 300_000)).toBeUndefined();
    cache.set("zero", ["1.1.1.3"], 0, 0);
    expect(cache.size).toBe(0);
    cache.set("x", ["1.0.0.1"], 60, 0);
    cache.set("y", ["1.0.0.2"], 60, 0);
    cache.set("z", ["1.0.0.3"], 60, 0);
    expect(cache.size).toBe(2);
    expect(cache.get("x", 1)).toBeUndefined();
    expect(cache.get("z", 1)).toEqual(["1.0.0.3"]);
  });
});
