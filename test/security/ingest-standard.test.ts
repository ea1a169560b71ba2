/**
 * The ingest route accepts a push signed the Standard Webhooks way by the
 * goal's ingest secret, as the `standardwebhooks` package signs it; anything
 * wrong is a 401 naming the header at fault; a webhook-id seen before is a
 * duplicate, however it was re-signed.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { TOLERANCE_S } from "../../src/auth/standard-webhooks.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import { hmacHex } from "./hmac.ts";

const spec = {
  name: "ingest",
  every: "1h",
  observe: { temp: { from: "push" } },
  orient: { total: "sum(history.temp)" },
};

async function newGoal() {
  const { key } = await goalTenant();
  const created = await call("POST", "/v1/goals", { key, body: spec });
  return { key, id: created.body.id as string, ingest: created.body.ingest_secret as string };
}

/** What a Standard Webhooks sender puts on the request. */
function signed(secret: Webhook | string, id: string, body: string, at = new Date()) {
  const webhook = typeof secret === "string" ? new Webhook(secret) : secret;
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": webhook.sign(id, at, body),
  };
}

async function totalBecomes(key: string, id: string, total: number) {
  return eventually(async () => {
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return goal.oriented.total === total ? goal : undefined;
  });
}

const ingest = (id: string) => `/ingest/goals/${id}/observations`;

describe("ingest signed with Standard Webhooks", () => {
  it("accepts a push the standardwebhooks package signed with the ingest secret", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 4 });
    const res = await call("POST", ingest(g.id), {
      headers: signed(g.ingest, "msg_first", body),
      body,
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, ignored: [], duplicate: false });
    await totalBecomes(g.key, g.id, 4);
  });

  it("a webhook-id seen before is a duplicate, even re-signed later or with another Idempotency-Key", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 5 });
    const first = await call("POST", ingest(g.id), {
      headers: signed(g.ingest, "msg_a", body),
      body,
    });
    expect(first.body.duplicate).toBe(false);
    // The same request again, and a sender's retry: same id, a later timestamp, a new signature.
    const retries = [
      signed(g.ingest, "msg_a", body),
      {
        ...signed(g.ingest, "msg_a", body, new Date(Date.now() + 60_000)),
        "idempotency-key": "k2",
      },
    ];
    for (const headers of retries) {
      const replay = await call("POST", ingest(g.id), { headers, body });
      expect(replay.status).toBe(202);
      expect(replay.body.duplicate).toBe(true);
    }
    // Another id is another push.
    const other = await call("POST", ingest(g.id), {
      headers: signed(g.ingest, "msg_b", body),
      body,
    });
    expect(other.body.duplicate).toBe(false);
    // An id too long or too odd to be a key as it is counts by its digest, once.
    const odd = signed(g.ingest, `msg ${"x".repeat(200)}`, body);
    expect((await call("POST", ingest(g.id), { headers: odd, body })).body.duplicate).toBe(false);
    expect((await call("POST", ingest(g.id), { headers: odd, body })).body.duplicate).toBe(true);
    const goal = await totalBecomes(g.key, g.id, 15);
    expect(goal.oriented.total).toBe(15);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await call("GET", `/v1/goals/${g.id}`, { key: g.key })).body.oriented.total).toBe(15);
  });

  it("refuses a tampered body, a wrong secret, a stale or future timestamp, a missing header", async () => {
    const g = await newGoal();
    const other = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 5 });
    const skewed = (s: number) => signed(g.ingest, "m", body, new Date(Date.now() + s * 1000));
    const good = signed(g.ingest, "m", body);
    const { "webhook-id": _i, ...noId } = good;
    const { "webhook-timestamp": _t, ...noTimestamp } = good;
    const { "webhook-signature": _s, ...noSignature } = good;
    const cases: [Record<string, string>, string, string][] = [
      [good, JSON.stringify({ name: "temp", value: 500 }), "webhook-signature"],
      [signed(other.ingest, "m", body), body, "webhook-signature"],
      [
        signed(`whsec_${btoa("not the secret, not at all!!")}`, "m", body),
        body,
        "webhook-signature",
      ],
      [{ ...good, "webhook-id": "m2" }, body, "webhook-signature"],
      [skewed(-TOLERANCE_S - 30), body, "webhook-timestamp"],
      [skewed(TOLERANCE_S + 30), body, "webhook-timestamp"],
      [{ ...good, "webhook-timestamp": "soon" }, body, "webhook-timestamp"],
      [noId, body, "webhook-id"],
      [noTimestamp, body, "webhook-timestamp"],
      [noSignature, body, "webhook-signature"],
      [{ ...good, "webhook-signature": "v1=abc" }, body, "webhook-signature"],
    ];
    for (const [headers, sent, header] of cases) {
      const res = await call("POST", ingest(g.id), { headers, body: sent });
      expect(res.status, header).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
      expect(res.body.error.message).toContain(header);
      expect(res.body.error.details).toEqual({ header });
      const text = JSON.stringify(res.body);
      expect(text).not.toContain(g.ingest);
      expect(text).not.toContain(good["webhook-signature"].slice(3));
    }
    // Nothing of those arrived.
    const ok = await call("POST", ingest(g.id), { headers: signed(g.ingest, "m3", body), body });
    expect(ok.status).toBe(202);
    await totalBecomes(g.key, g.id, 5);
  });

  it("an unknown goal is refused like a wrong secret", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 1 });
    const unknown = await call("POST", ingest("g_00000000000000000000"), {
      headers: signed(g.ingest, "m", body),
      body,
    });
    const wrong = await call("POST", ingest(g.id), {
      headers: signed(`whsec_${btoa("a different thirty-two byte key")}`, "m", body),
      body,
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toEqual(wrong.body.error);
  });

  it("an ingest_ secret made before signs as raw bytes; the X-Faas-* signature still works", async () => {
    const g = await newGoal();
    const legacy = `ingest_${"3c".repeat(32)}`;
    await env.DB.prepare("UPDATE goal_secrets SET ingest_secret = ? WHERE goal_id = ?")
      .bind(legacy, g.id)
      .run();
    const body = JSON.stringify({ name: "temp", value: 2 });
    const raw = new Webhook(legacy, { format: "raw" });
    const res = await call("POST", ingest(g.id), { headers: signed(raw, "m", body), body });
    expect(res.status).toBe(202);
    const ts = String(Math.floor(Date.now() / 1000));
    const faas = {
      "x-faas-timestamp": ts,
      "x-faas-signature": `v1=${await hmacHex(legacy, ts, body)}`,
    };
    const old = await call("POST", ingest(g.id), { headers: faas, body });
    expect(old.status).toBe(202);
    // The bearer secret opens the route too.
    expect((await call("POST", ingest(g.id), { key: legacy, body })).status).toBe(202);
    await totalBecomes(g.key, g.id, 6);
  });

  it("a new whsec_ ingest secret also signs the deprecated X-Faas-* way, keyed as written", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 3 });
    const ts = String(Math.floor(Date.now() / 1000));
    const faas = {
      "x-faas-timestamp": ts,
      "x-faas-signature": `v1=${await hmacHex(g.ingest, ts, body)}`,
    };
    expect((await call("POST", ingest(g.id), { headers: faas, body })).status).toBe(202);
  });
});
