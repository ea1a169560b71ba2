import { describe, expect, it } from "vitest";
import { REPLAY_WINDOW_S } from "../../src/auth/signature.ts";
import { call, eventually, goalTenant } from "../helpers.ts";
import { hmacHex } from "./hmac.ts";

const spec = {
  name: "ingest",
  every: "1h",
  observe: { temp: { from: "push" } },
  orient: { total: "sum(history.temp)" },
};

async function signed(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const hex = await hmacHex(secret, String(timestamp), body);
  return { "x-faas-timestamp": String(timestamp), "x-faas-signature": `v1=${hex}` };
}

async function newGoal() {
  const { key } = await goalTenant();
  const created = await call("POST", "/v1/goals", { key, body: spec });
  return {
    key,
    id: created.body.id as string,
    ingest: created.body.ingest_secret as string,
  };
}

async function totalBecomes(key: string, id: string, total: number) {
  return eventually(async () => {
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return goal.oriented.total === total ? goal : undefined;
  });
}

const ingest = (id: string) => `/ingest/goals/${id}/observations`;

describe("ingest without an API key", () => {
  it("accepts the goal's ingest secret as a bearer token", async () => {
    const g = await newGoal();
    const res = await call("POST", ingest(g.id), {
      key: g.ingest,
      body: { name: "temp", value: 21 },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, ignored: [], duplicate: false });
    await totalBecomes(g.key, g.id, 21);
  });

  it("refuses a wrong secret, an API key, another goal's secret, and an unknown goal alike", async () => {
    const g = await newGoal();
    const other = await newGoal();
    const body = { name: "temp", value: 1 };
    const attempts = [
      await call("POST", ingest(g.id), { key: `${g.ingest}x`, body }),
      await call("POST", ingest(g.id), { key: g.key, body }),
      await call("POST", ingest(g.id), { key: other.ingest, body }),
      await call("POST", ingest("g_00000000000000000000"), { key: g.ingest, body }),
      await call("POST", ingest(g.id), { body }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
      expect(JSON.stringify(res.body)).not.toContain(g.ingest);
    }
    // The messages do not tell an unknown goal from a wrong secret.
    expect(attempts[3]?.body.error.message).toBe(attempts[0]?.body.error.message);
  });

  it("accepts an HMAC signature by the ingest secret; a replay is not counted twice", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 5 });
    const headers = await signed(g.ingest, body);
    const first = await call("POST", ingest(g.id), { headers, body });
    expect(first.status).toBe(202);
    expect(first.body.duplicate).toBe(false);
    const replay = await call("POST", ingest(g.id), { headers, body });
    expect(replay.status).toBe(202);
    expect(replay.body.duplicate).toBe(true);
    const other = JSON.stringify({ name: "temp", value: 6 });
    await call("POST", ingest(g.id), { headers: await signed(g.ingest, other), body: other });
    const goal = await totalBecomes(g.key, g.id, 11);
    expect(goal.oriented.total).toBe(11);
  });

  it("a replay of a signed request is a duplicate whatever Idempotency-Key it carries", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 5 });
    const headers = await signed(g.ingest, body);
    const first = await call("POST", ingest(g.id), { headers, body });
    expect(first.body.duplicate).toBe(false);
    for (const idempotencyKey of ["anything", "replay-2", `r-${crypto.randomUUID()}`]) {
      const replay = await call("POST", ingest(g.id), {
        headers: { ...headers, "idempotency-key": idempotencyKey },
        body,
      });
      expect(replay.status).toBe(202);
      expect(replay.body.duplicate).toBe(true);
    }
    // Nor do other spellings of the same signed request make it new.
    const signature = headers["x-faas-signature"].slice(3);
    for (const spelling of [
      { "x-faas-timestamp": `0${headers["x-faas-timestamp"]}` },
      { "x-faas-signature": `v1=${"0".repeat(64)}, v1=${signature.toUpperCase()}` },
    ]) {
      const replay = await call("POST", ingest(g.id), {
        headers: { ...headers, ...spelling, "idempotency-key": "yet-another" },
        body,
      });
      expect(replay.status).toBe(202);
      expect(replay.body.duplicate).toBe(true);
    }
    // The same holds when the first delivery carried a key and the replay carries another.
    const keyed = JSON.stringify({ name: "temp", value: 7 });
    const keyedHeaders = { ...(await signed(g.ingest, keyed)), "idempotency-key": "sender-1" };
    expect((await call("POST", ingest(g.id), { headers: keyedHeaders, body: keyed })).body).toEqual(
      { accepted: 1, ignored: [], duplicate: false },
    );
    const swapped = { ...keyedHeaders, "idempotency-key": "attacker" };
    expect(
      (await call("POST", ingest(g.id), { headers: swapped, body: keyed })).body.duplicate,
    ).toBe(true);
    const { "idempotency-key": _, ...bare } = keyedHeaders;
    expect((await call("POST", ingest(g.id), { headers: bare, body: keyed })).body.duplicate).toBe(
      true,
    );
    const goal = await totalBecomes(g.key, g.id, 12);
    expect(goal.oriented.total).toBe(12);
    // Counted once each: nothing more arrives.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await call("GET", `/v1/goals/${g.id}`, { key: g.key })).body.oriented.total).toBe(12);
  });

  it("refuses a signature outside the replay window, over another body, or by another secret", async () => {
    const g = await newGoal();
    const body = JSON.stringify({ name: "temp", value: 5 });
    // Well outside the window: a second's rounding or a slow run must not bring them back in.
    const stale = await signed(
      g.ingest,
      body,
      Math.floor(Date.now() / 1000) - REPLAY_WINDOW_S - 30,
    );
    const future = await signed(
      g.ingest,
      body,
      Math.floor(Date.now() / 1000) + REPLAY_WINDOW_S + 30,
    );
    const tampered = await signed(g.ingest, JSON.stringify({ name: "temp", value: 500 }));
    const foreign = await signed("ingest_not-this-one", body);
    for (const headers of [stale, future, tampered, foreign]) {
      const res = await call("POST", ingest(g.id), { headers, body });
      expect(res.status).toBe(401);
    }
    const malformed = await call("POST", ingest(g.id), {
      headers: { "x-faas-timestamp": "soon", "x-faas-signature": "v1=zz" },
      body,
    });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.message).toContain("Unix seconds");
  });

  it("rotating the ingest secret stops the old one at once", async () => {
    const g = await newGoal();
    const rotated = await call("POST", `/v1/goals/${g.id}/ingest-secret`, { key: g.key });
    expect(rotated.status).toBe(200);
    const body = { name: "temp", value: 3 };
    expect((await call("POST", ingest(g.id), { key: g.ingest, body })).status).toBe(401);
    const ok = await call("POST", ingest(g.id), { key: rotated.body.ingest_secret, body });
    expect(ok.status).toBe(202);
  });

  it("validates the body like the API route does, after authentication", async () => {
    const g = await newGoal();
    const bad = await call("POST", ingest(g.id), { key: g.ingest, body: { name: "", value: 1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    const notJson = await call("POST", ingest(g.id), { key: g.ingest, body: "{nope" });
    expect(notJson.status).toBe(400);
    const anonymousBad = await call("POST", ingest(g.id), { body: "{nope" });
    expect(anonymousBad.status).toBe(401);
  });
});
