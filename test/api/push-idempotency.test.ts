/**
 * A push's Idempotency-Key is kept by the goal, in the same storage write as
 * the observations, not by the shared D1 claim that other /v1 writes use: a
 * push cut off by a crash leaves no claim behind to block its repeat.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/auth/keys.ts";
import { call, eventually, goalTenant } from "../helpers.ts";

const spec = {
  name: "counter",
  every: "1h",
  observe: { x: { from: "push" } },
  orient: { n: "len(history.x)", total: "sum(history.x)" },
  decide: { rules: [{ id: "never", when: "x > 1000000", do: "note" }] },
  act: { note: { record: { collection: "c", key: "k", value: "=x" } } },
};

async function newGoal() {
  const { tenant, key } = await goalTenant();
  const res = await call("POST", "/v1/goals", { key, body: spec });
  expect(res.body).toMatchObject({ id: expect.any(String) });
  return { tenant, key, id: res.body.id as string };
}

/** The goal's oriented values once it has applied `n` pushed values. */
async function afterValues(key: string, id: string, n: number) {
  return eventually(async () => {
    const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return g.oriented?.n === n ? g.oriented : undefined;
  });
}

function push(key: string, id: string, value: number, idempotencyKey?: string) {
  const headers = idempotencyKey ? { "idempotency-key": idempotencyKey } : undefined;
  return call("POST", `/v1/goals/${id}/observations`, {
    key,
    headers,
    body: { name: "x", value },
  });
}

describe("push idempotency", () => {
  it("a push whose request died after claiming its key in D1 is taken on the repeat", async () => {
    const { tenant, key, id } = await newGoal();
    // What the same push, cut off by a crash under the shared claim, would leave behind: a
    // claim on its key, for its very request, with no answer yet.
    const request = `POST /v1/goals/${id}/observations\n${JSON.stringify({ name: "x", value: 7 })}`;
    const fingerprint = await sha256Hex(request);
    await env.DB.prepare(
      "INSERT INTO idempotent_requests (tenant, key, fingerprint, created_at) VALUES (?, ?, ?, ?)",
    )
      .bind(tenant, "push-7", fingerprint, Date.now())
      .run();
    const res = await push(key, id, 7, "push-7");
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, ignored: [], duplicate: false });
    expect(await afterValues(key, id, 1)).toMatchObject({ total: 7 });
  });

  it("a repeat is a replayed duplicate; the same key with another body is a 422; neither counts", async () => {
    const { key, id } = await newGoal();
    expect((await push(key, id, 5, "k-1")).body).toEqual({
      accepted: 1,
      ignored: [],
      duplicate: false,
    });
    const again = await push(key, id, 5, "k-1");
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ accepted: 1, ignored: [], duplicate: true });
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const reused = await push(key, id, 6, "k-1");
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    await push(key, id, 11);
    expect(await afterValues(key, id, 2)).toMatchObject({ total: 16 });
  });

  it("the key belongs to the goal: another goal of the tenant takes the same key as its own", async () => {
    const { key, id } = await newGoal();
    const other = (await call("POST", "/v1/goals", { key, body: spec })).body.id as string;
    expect((await push(key, id, 3, "shared")).body).toEqual({
      accepted: 1,
      ignored: [],
      duplicate: false,
    });
    expect((await push(key, other, 4, "shared")).body).toEqual({
      accepted: 1,
      ignored: [],
      duplicate: false,
    });
    expect(await afterValues(key, other, 1)).toMatchObject({ total: 4 });
    expect(await afterValues(key, id, 1)).toMatchObject({ total: 3 });
  });

  it("a refused push does not use up its key", async () => {
    const { key, id } = await newGoal();
    const bad = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      headers: { "idempotency-key": "k-2" },
      body: { observations: [{ name: "x" }] },
    });
    expect(bad.status).toBe(400);
    expect((await push(key, id, 9, "k-2")).body).toEqual({
      accepted: 1,
      ignored: [],
      duplicate: false,
    });
    expect(await afterValues(key, id, 1)).toMatchObject({ total: 9 });
  });
});
