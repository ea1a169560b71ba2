import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant, seenBy } from "../helpers.ts";
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

async function deliveriesTo(path: string, count: number) {
  return eventually(async () => {
    const seen = await seenBy(path);
    return seen.length >= count ? seen : undefined;
  });
}

describe("signed webhooks", () => {
  it("creation shows both secrets once; reads never show them again", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: notifySpec(`${env.TEST_RECEIVER}/ok/x`),
    });
    expect(created.status).toBe(201);
    expect(created.body.signing_secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect(created.body.ingest_secret).toMatch(/^ingest_[0-9a-f]{64}$/);
    const read = await call("GET", `/v1/goals/${created.body.id}`, { key });
    const list = await call("GET", "/v1/goals", { key });
    for (const text of [JSON.stringify(read.body), JSON.stringify(list.body)]) {
      expect(text).not.toContain(created.body.signing_secret);
      expect(text).not.toContain(created.body.ingest_secret);
    }
  });

  it("each delivery carries a timestamp and an HMAC-SHA256 signature a receiver can verify", async () => {
    const { key } = await goalTenant();
    const path = `/ok/${crypto.randomUUID()}`;
    const created = await call("POST", "/v1/goals", {
      key,
      body: notifySpec(`${env.TEST_RECEIVER}${path}`),
    });
    const id = created.body.id as string;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value: 9 } });
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
    const { key } = await goalTenant();
    const path = `/ok/${crypto.randomUUID()}`;
    const created = await call("POST", "/v1/goals", {
      key,
      body: notifySpec(`${env.TEST_RECEIVER}${path}`),
    });
    const id = created.body.id as string;
    const rotated = await call("POST", `/v1/goals/${id}/secret`, { key });
    expect(rotated.status).toBe(200);
    expect(rotated.body.signing_secret).toMatch(/^whsec_/);
    expect(rotated.body.signing_secret).not.toBe(created.body.signing_secret);
    const until = Date.parse(rotated.body.previous_valid_until);
    expect(until - Date.now()).toBeGreaterThan(23 * 3600_000);

    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value: 7 } });
    const [delivery] = await deliveriesTo(path, 1);
    const timestamp = delivery?.headers["x-faas-timestamp"] ?? "";
    const body = delivery?.body ?? "";
    const signatures = (delivery?.headers["x-faas-signature"] ?? "").split(",");
    expect(signatures).toEqual([
      `v1=${await hmacHex(rotated.body.signing_secret, timestamp, body)}`,
      `v1=${await hmacHex(created.body.signing_secret, timestamp, body)}`,
    ]);
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
