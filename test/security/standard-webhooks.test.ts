/**
 * The Standard Webhooks signature, computed with WebCrypto here, against the
 * `standardwebhooks` package receivers use: what one signs the other
 * verifies, for every form of secret a goal may hold.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  generateSecret,
  keyBytes,
  standardHeaders,
  TOLERANCE_S,
  verifyStandard,
} from "../../src/auth/standard-webhooks.ts";

const LEGACY_SIGNING = `whsec_${"0123456789abcdef".repeat(4)}`;
const LEGACY_INGEST = `ingest_${"fedcba9876543210".repeat(4)}`;
const BODIES = ['{"level":9}', "null", '{"text":"naïve € 🚀 \\u0000","n":[1,2.5,-0]}', ""];

/** The package's verifier for a secret in the form the goal holds it. */
const receiver = (secret: string) =>
  secret.startsWith("whsec_") ? new Webhook(secret) : new Webhook(secret, { format: "raw" });

const nowS = () => Math.floor(Date.now() / 1000);
const headersOf = (id: string, timestamp: number, signature: string) => ({
  "webhook-id": id,
  "webhook-timestamp": String(timestamp),
  "webhook-signature": signature,
});

describe("Standard Webhooks signatures", () => {
  it("new secrets are whsec_ and the base64 of 32 random bytes", () => {
    const secrets = new Set(Array.from({ length: 50 }, generateSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(keyBytes(secret)).toHaveLength(32);
    }
  });

  it("the package verifies what is signed here, for new and older secrets and any body", async () => {
    for (const secret of [generateSecret(), LEGACY_SIGNING, LEGACY_INGEST]) {
      for (const body of BODIES) {
        const headers = await standardHeaders("g_1:7:alert:notify", [secret], body, Date.now());
        expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
        expect(() => receiver(secret).verify(body, headers)).not.toThrow();
        expect(() => receiver(secret).verify(`${body} `, headers)).toThrow();
        expect(() => receiver(generateSecret()).verify(body, headers)).toThrow();
      }
    }
  });

  it("an older whsec_<hex> secret is verified by the package as the receiver holds it", async () => {
    // The package base64-decodes what follows whsec_: 64 hex digits are 48 bytes of key.
    expect(keyBytes(LEGACY_SIGNING)).toHaveLength(48);
    const headers = await standardHeaders("id", [LEGACY_SIGNING], "{}", Date.now());
    expect(new Webhook(LEGACY_SIGNING).verify("{}", headers)).toEqual({});
    // An ingest_ secret is not base64: the package takes it raw, as this side does.
    expect(() => new Webhook(LEGACY_INGEST)).toThrow();
    expect(keyBytes(LEGACY_INGEST)).toEqual(new TextEncoder().encode(LEGACY_INGEST));
  });

  it("several secrets: one space-separated entry each, every one verifies alone", async () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const headers = await standardHeaders("m", [current, previous], "{}", Date.now());
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(() => new Webhook(current).verify("{}", headers)).not.toThrow();
    expect(() => new Webhook(previous).verify("{}", headers)).not.toThrow();
  });

  it("verifies what the package signs, and refuses each thing wrong, naming its header", async () => {
    const secret = generateSecret();
    for (const body of BODIES) {
      const at = new Date();
      const signature = new Webhook(secret).sign("msg_1", at, body);
      const ok = { id: "msg_1", timestamp: String(nowS()), signature };
      expect(await verifyStandard(secret, ok, body, at.getTime())).toEqual({
        ok: true,
        id: "msg_1",
      });
      const refusals: [Parameters<typeof verifyStandard>[1], string, string][] = [
        [{ ...ok, id: undefined }, "webhook-id", "missing"],
        [{ ...ok, timestamp: undefined }, "webhook-timestamp", "missing"],
        [{ ...ok, signature: undefined }, "webhook-signature", "missing"],
        [{ ...ok, timestamp: "12abc" }, "webhook-timestamp", "Unix seconds"],
        [{ ...ok, timestamp: "-5" }, "webhook-timestamp", "Unix seconds"],
        [{ ...ok, signature: signature.replace("v1,", "v2,") }, "webhook-signature", "v1,"],
        [{ ...ok, signature: "v1,zz" }, "webhook-signature", "v1,"],
        [{ ...ok, id: "msg_2" }, "webhook-signature", "no webhook-signature entry matches"],
        [{ ...ok, signature: signature.toLowerCase() }, "webhook-signature", "entry matches"],
      ];
      for (const [headers, header, reason] of refusals) {
        const verdict = await verifyStandard(secret, headers, body, at.getTime());
        expect(verdict).toMatchObject({ ok: false, header });
        if (!verdict.ok) expect(verdict.reason).toContain(reason);
      }
      const tampered = await verifyStandard(secret, ok, `${body}x`, at.getTime());
      expect(tampered).toMatchObject({ ok: false, header: "webhook-signature" });
      const wrongKey = await verifyStandard(generateSecret(), ok, body, at.getTime());
      expect(wrongKey).toMatchObject({ ok: false, header: "webhook-signature" });
    }
  });

  it("one good entry among others passes; the timestamp must be within the tolerance", async () => {
    const secret = generateSecret();
    const at = new Date();
    const good = new Webhook(secret).sign("m", at, "{}");
    const other = new Webhook(generateSecret()).sign("m", at, "{}");
    const headers = { id: "m", timestamp: String(nowS()), signature: `${other} v2,xyz ${good}` };
    expect((await verifyStandard(secret, headers, "{}", at.getTime())).ok).toBe(true);
    for (const skew of [TOLERANCE_S + 30, -TOLERANCE_S - 30]) {
      const then = new Date(at.getTime() + skew * 1000);
      const signed = {
        id: "m",
        timestamp: String(Math.floor(then.getTime() / 1000)),
        signature: new Webhook(secret).sign("m", then, "{}"),
      };
      expect(await verifyStandard(secret, signed, "{}", at.getTime())).toMatchObject({
        ok: false,
        header: "webhook-timestamp",
      });
      // The package agrees.
      expect(() =>
        new Webhook(secret).verify(
          "{}",
          headersOf("m", Number(signed.timestamp), signed.signature),
        ),
      ).toThrow(/timestamp/);
    }
  });

  it("a failure's reason never carries the secret or a signature", async () => {
    const secret = generateSecret();
    const signature = new Webhook(secret).sign("m", new Date(), "{}");
    const verdict = await verifyStandard(
      secret,
      { id: "m", timestamp: String(nowS()), signature },
      "{!}",
      Date.now(),
    );
    const text = JSON.stringify(verdict);
    expect(text).not.toContain(secret.slice(6, 20));
    expect(text).not.toContain(signature.slice(3, 20));
  });
});
