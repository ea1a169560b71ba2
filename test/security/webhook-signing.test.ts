import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant, type SeenRequest, seenBy } from "../helpers.ts";
import { hmacHex } from "./hmac.ts";

function notifySpec(url: string) {
  return {
    name: "notify",
    every: "1h",
    observe: { level: { from: "push" } },
    decide: { rules: [{ id: "alert", when: "level > 5", do: "notify" }] },
    act: { notify: { webhook: url, body: { level: "=level" } } },
  };
}

async function deliveriesTo(path: string, count: number, ms?: number) {
  return eventually(async () => {
    const seen = await seenBy(path);
    return seen.length >= count ? seen : undefined;
  }, ms);
}

/** A fresh tenant's goal that posts to the receiver's `path` when a level over 5 is pushed. */
async function notifyingGoal(path: string) {
  const { key } = await goalTenant();
  const created = await call("POST", "/v1/goals", {
    key,
    body: notifySpec(`${env.TEST_RECEIVER}${path}`),
  });
  const id = created.body.id as string;
  const push = (value: number) =>
    call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value } });
  return { key, id, created, push };
}

describe("signed webhooks", () => {
  it("creation shows both secrets once; reads never show them again", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: notifySpec(`${env.TEST_RECEIVER}/ok/x`),
    });
    expect(created.status).toBe(201);
    expect(created.body.signing_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body.ingest_secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(created.body.ingest_secret).not.toBe(created.body.signing_secret);
    const read = await call("GET", `/v1/goals/${created.body.id}`, { key });
    const list = await call("GET", "/v1/goals", { key });
    for (const text of [JSON.stringify(read.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(created.body.signing_secret);
      expect(text).not.toContain(created.body.ingest_secret);
    }
  });

  it("(deprecated X-Faas-*) each delivery carries a timestamp and an HMAC-SHA256 signature", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { created, push } = await notifyingGoal(path);
    await push(9);
    const [delivery] = await deliveriesTo(path, 1);
    const timestamp = delivery?.headers["x-faas-timestamp"] ?? "";
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    const expected = await hmacHex(created.body.signing_secret, timestamp, delivery?.body ?? "");
    expect(delivery?.headers["x-faas-signature"]).toBe(`v1=${expected}`);
    // A signature by any other secret, or over another body, does not match.
    expect(await hmacHex("whsec_other", timestamp, delivery?.body ?? "")).not.toBe(expected);
    expect(await hmacHex(created.body.signing_secret, timestamp, "{}")).not.toBe(expected);
  });

  it("rotation: new deliveries are signed by the new secret and, during the overlap, the old", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { key, id, created, push } = await notifyingGoal(path);
    const rotated = await call("POST", `/v1/goals/${id}/secret`, { key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signing_secret).toMatch(/^whsec_/);
    expect(rotated.body.signing_secret).not.toBe(created.body.signing_secret);
    const until = Date.parse(rotated.body.previous_valid_until);
    expect(until - Date.now()).toBeGreaterThan(23 * 3600_000);

    await push(7);
    const [delivery] = await deliveriesTo(path, 1);
    const timestamp = delivery?.headers["x-faas-timestamp"] ?? "";
    const body = delivery?.body ?? "";
    const signatures = (delivery?.headers["x-faas-signature"] ?? "").split(",");
    expect(signatures).toEqual([
      `v1=${await hmacHex(rotated.body.signing_secret, timestamp, body)}`,
      `v1=${await hmacHex(created.body.signing_secret, timestamp, body)}`,
    ]);
  });

  it("a receiver verifies each delivery with the standardwebhooks package", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { created, push } = await notifyingGoal(path);
    const secret = created.body.signing_secret as string;
    await push(9);
    const [delivery] = (await deliveriesTo(path, 1)) as [SeenRequest];
    expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toEqual({ level: 9 });
    // Its id is the action's idempotency key; its time is the deprecated header's.
    expect(delivery.headers["webhook-id"]).toBe(delivery.headers["idempotency-key"]);
    expect(delivery.headers["webhook-id"]).toMatch(new RegExp(`^${created.body.id}:`));
    expect(delivery.headers["webhook-timestamp"]).toBe(delivery.headers["x-faas-timestamp"]);
    expect(delivery.headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    // Another secret, another body, another id: refused.
    expect(() =>
      new Webhook(created.body.ingest_secret).verify(delivery.body, delivery.headers),
    ).toThrow();
    expect(() => new Webhook(secret).verify('{"level":10}', delivery.headers)).toThrow();
    expect(() =>
      new Webhook(secret).verify(delivery.body, { ...delivery.headers, "webhook-id": "other" }),
    ).toThrow();
  });

  it("a retry carries the same webhook-id, signed afresh, so receivers dedupe", async () => {
    // The receiver answers 503 first; the queue redelivers after its backoff.
    const path = `/flaky/${crypto.randomUUID()}`;
    const { created, push } = await notifyingGoal(path);
    const secret = created.body.signing_secret as string;
    await push(6);
    const deliveries = await deliveriesTo(path, 2, 15_000);
    const ids = new Set(deliveries.map((d) => d.headers["webhook-id"]));
    expect(ids.size).toBe(1);
    // The backoff is seconds long: the retry has its own timestamp, so its own signature.
    const signatures = new Set(deliveries.map((d) => d.headers["webhook-signature"]));
    expect(signatures.size).toBe(deliveries.length);
    for (const delivery of deliveries)
      expect(new Webhook(secret).verify(delivery.body, delivery.headers)).toEqual({ level: 6 });
  });

  it("rotation: both secrets verify during the grace period, only the new one after", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { key, id, created, push } = await notifyingGoal(path);
    const old = created.body.signing_secret as string;
    const rotated = (await call("POST", `/v1/goals/${id}/secret`, { key })).body;
    await push(7);
    const [during] = (await deliveriesTo(path, 1)) as [SeenRequest];
    expect(during.headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    for (const secret of [rotated.signing_secret, old])
      expect(new Webhook(secret).verify(during.body, during.headers)).toEqual({ level: 7 });

    // The grace period ends (as 24 h later).
    await env.DB.prepare("UPDATE goal_secrets SET previous_until = ? WHERE goal_id = ?")
      .bind(Date.now() - 1, id)
      .run();
    await push(1);
    await push(8);
    const after = (await deliveriesTo(path, 2))[1] as SeenRequest;
    expect(after.headers["webhook-id"]).not.toBe(during.headers["webhook-id"]);
    expect(after.headers["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(new Webhook(rotated.signing_secret).verify(after.body, after.headers)).toEqual({
      level: 8,
    });
    expect(() => new Webhook(old).verify(after.body, after.headers)).toThrow(/signature/);
  });

  it("a secret made before (whsec_<hex>) still signs, and the package verifies it as held", async () => {
    const path = `/ok/${crypto.randomUUID()}`;
    const { id, push } = await notifyingGoal(path);
    const legacy = `whsec_${"5f".repeat(32)}`;
    await env.DB.prepare("UPDATE goal_secrets SET signing_secret = ? WHERE goal_id = ?")
      .bind(legacy, id)
      .run();
    await push(9);
    const [delivery] = (await deliveriesTo(path, 1)) as [SeenRequest];
    expect(new Webhook(legacy).verify(delivery.body, delivery.headers)).toEqual({ level: 9 });
    // The deprecated header is keyed by the secret as written, as before.
    const timestamp = delivery.headers["x-faas-timestamp"] ?? "";
    expect(delivery.headers["x-faas-signature"]).toBe(
      `v1=${await hmacHex(legacy, timestamp, delivery.body)}`,
    );
  });

  it("rotation is the owner's: another tenant gets a 404", async () => {
    const owner = await goalTenant();
    const other = await goalTenant();
    const id = (
      await call("POST", "/v1/goals", {
        key: owner.key,
        body: notifySpec(`${env.TEST_RECEIVER}/ok/y`),
      })
    ).body.id as string;
    expect((await call("POST", `/v1/goals/${id}/secret`, { key: other.key })).status).toBe(404);
    expect((await call("POST", `/v1/goals/${id}/ingest-secret`, { key: other.key })).status).toBe(
      404,
    );
  });
});
