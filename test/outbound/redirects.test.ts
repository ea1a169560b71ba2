/**
 * Redirects are followed only to targets the rules allow, each hop judged
 * like the first. Real hops: the test receiver answers `/redirect/*?to=URL`.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { exchange, type TargetRules } from "../../src/outbound/http.ts";
import { seenBy } from "../helpers.ts";

const receiver = new URL(env.TEST_RECEIVER);
const resolver = env.DNS_RESOLVER_URL;

/** A receiver path that redirects to `to`. */
const redirect = (base: string, to: string, status = 302) =>
  `${base}/redirect/${crypto.randomUUID()}?to=${encodeURIComponent(to)}&status=${status}`;

const post = (url: string, rules: TargetRules) =>
  exchange({ url, method: "POST", body: "{}", timeoutMs: 3000 }, rules);

const seen = async (path: string) => (await seenBy(path)).length;

describe("redirects with private targets allowed (the receiver is on loopback)", () => {
  const open: TargetRules = { allowPrivate: true, allowHosts: ["127.0.0.1"], resolver };

  it("follows a redirect to an allowed host", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const outcome = await post(redirect(env.TEST_RECEIVER, `${env.TEST_RECEIVER}${path}`), open);
    expect(outcome).toMatchObject({ kind: "response", status: 200 });
    expect(await seen(path)).toBe(1);
  });

  it("refuses a redirect to a host outside allow_hosts, and never sends it", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const elsewhere = `http://localhost:${receiver.port}${path}`;
    const outcome = await post(redirect(env.TEST_RECEIVER, elsewhere, 307), open);
    expect(outcome).toMatchObject({
      kind: "refused",
      reason: "host localhost is not in allow_hosts",
    });
    expect(await seen(path)).toBe(0);
  });

  it.each(["file:///etc/passwd", "gopher://127.0.0.1:25/", "http://user:pw@127.0.0.1/"])(
    "refuses a redirect to %s whatever the switch",
    async (to) => {
      const outcome = await post(redirect(env.TEST_RECEIVER, to), { allowPrivate: true, resolver });
      expect(outcome).toMatchObject({ kind: "refused", transient: false });
    },
  );

  it("stops after three redirects", async () => {
    let url = `${env.TEST_RECEIVER}/ok/${crypto.randomUUID()}`;
    for (let i = 0; i < 4; i++) url = redirect(env.TEST_RECEIVER, url);
    const outcome = await post(url, open);
    expect(outcome).toMatchObject({ kind: "refused", reason: "more than 3 redirects" });
  });
});

/**
 * With private targets off, the first hop has to resolve to a public address
 * and still reach the receiver: this machine's own name, which the stub
 * resolver calls public while the runtime resolves it to 127.0.0.1 (see
 * test/receiver-setup.ts). Skipped where the machine's name is not that.
 */
describe.skipIf(!env.TEST_REBIND_HOST)("redirects with private targets off", () => {
  const closed: TargetRules = { allowPrivate: false, resolver };
  const base = `http://${env.TEST_REBIND_HOST}:${receiver.port}`;

  it("refuses a redirect to the metadata address, after the first hop went out", async () => {
    const first = redirect(base, "http://169.254.169.254/latest/meta-data/");
    const outcome = await post(first, closed);
    expect(outcome).toMatchObject({
      kind: "refused",
      reason: "host 169.254.169.254 is in 169.254.0.0/16 (link-local, cloud metadata)",
    });
    expect(await seen(new URL(first).pathname)).toBe(1);
  });

  it("refuses a redirect to a name that resolves to a private address", async () => {
    const outcome = await post(redirect(base, "http://rebind.test/ok/x"), closed);
    expect(outcome).toMatchObject({ kind: "refused", transient: false });
    expect(outcome.kind === "refused" && outcome.reason).toContain(
      "host rebind.test resolves to 127.0.0.1",
    );
  });

  it.each([
    "http://127.0.0.1/",
    "http://[::ffff:127.0.0.1]/",
    "http://2130706433/",
    "http://metadata.google.internal/",
  ])("refuses a redirect to %s", async (to) => {
    expect(await post(redirect(base, to), closed)).toMatchObject({ kind: "refused" });
  });

  it("follows a redirect to a name that resolves to public addresses", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const outcome = await post(redirect(base, `${base}${path}`, 308), closed);
    expect(outcome).toMatchObject({ kind: "response", status: 200 });
    expect(await seen(path)).toBe(1);
  });

  it("cannot see that the runtime resolves the name again (the documented rebinding limit)", async () => {
    // The check saw a public address; the fetch reached loopback. On Cloudflare the
    // platform refuses that fetch; under wrangler dev nothing does.
    const path = `/ok/${crypto.randomUUID()}`;
    expect(await post(`${base}${path}`, closed)).toMatchObject({ kind: "response" });
    expect(await seen(path)).toBe(1);
  });
});
