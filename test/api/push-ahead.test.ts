/**
 * A pushed time may be at most a few minutes ahead of the server's clock. A
 * goal keeps the latest value by time, so a value dated years ahead would
 * hide every value pushed after it: such a push is a 400 that takes nothing,
 * by name, by values, in a batch, or as a CloudEvent's `time`.
 */
import { describe, expect, it } from "vitest";
import { call, createKey, uniqueTenant } from "../helpers.ts";

const SPEC = { name: "ahead", every: "1h", observe: { x: { from: "push" } }, orient: { y: "x" } };

async function goalWithKey() {
  const key = await createKey(uniqueTenant(), ["goals:read", "goals:write", "observe"]);
  const created = await call("POST", "/v1/goals", { key, body: SPEC });
  expect(created.status).toBe(201);
  return { key, id: created.body.id as string };
}

const latestX = async (key: string, id: string) =>
  (await call("GET", `/v1/goals/${id}`, { key })).body.latest.x;

describe("a pushed time ahead of the clock", () => {
  it("far ahead is a 400 naming it, takes nothing, and a later push still becomes the latest", async () => {
    const { key, id } = await goalWithKey();
    const path = `/v1/goals/${id}/observations`;
    const far = "9999-12-31T23:59:59Z";
    for (const body of [
      { name: "x", value: 1, at: far },
      { values: { x: 1 }, at: far },
      {
        observations: [
          { name: "x", value: 1 },
          { name: "x", value: 2, at: Date.now() + 3_600_000 },
        ],
      },
    ]) {
      const res = await call("POST", path, { key, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
      expect(res.body.error.details.max_ahead_ms).toBe(300_000);
    }
    expect(await latestX(key, id)).toBeUndefined();
    expect((await call("POST", path, { key, body: { name: "x", value: 7 } })).status).toBe(202);
    expect((await latestX(key, id)).value).toBe(7);
  });

  it("a minute ahead (a sender's clock a little fast) is taken", async () => {
    const { key, id } = await goalWithKey();
    const at = new Date(Date.now() + 60_000).toISOString();
    const res = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "x", value: 3, at },
    });
    expect(res.status).toBe(202);
    expect(await latestX(key, id)).toEqual({ value: 3, at });
  });

  it("a CloudEvent whose time is far ahead is refused the same way", async () => {
    const { key, id } = await goalWithKey();
    const res = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      headers: { "content-type": "application/cloudevents+json" },
      body: {
        specversion: "1.0",
        id: "e1",
        source: "/t",
        type: "t",
        time: "3000-01-01T00:00:00Z",
        data: { x: 1 },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.at).toBe("3000-01-01T00:00:00.000Z");
    expect(await latestX(key, id)).toBeUndefined();
  });
});
