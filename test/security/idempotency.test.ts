import { describe, expect, it } from "vitest";
import { call, goalTenant } from "../helpers.ts";

const spec = { name: "idem", every: "1h", observe: { x: { from: "push" } } };

const keyed = (k: string) => ({ "idempotency-key": k });

describe("Idempotency-Key on mutating routes", () => {
  it("a repeated goal creation returns the first response and creates nothing", async () => {
    const { key } = await goalTenant();
    const first = await call("POST", "/v1/goals", { key, body: spec, headers: keyed("create-1") });
    const again = await call("POST", "/v1/goals", { key, body: spec, headers: keyed("create-1") });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    const list = await call("GET", "/v1/goals", { key });
    expect(list.body.goals.map((g: { id: string }) => g.id)).toEqual([first.body.id]);
  });

  it("a repeated formula PUT makes one version; a repeated DELETE answers as the first did", async () => {
    const { key } = await goalTenant();
    const body = { expr: "x + 1" };
    for (let i = 0; i < 3; i++)
      await call("PUT", "/v1/formulas/inc", { key, body, headers: keyed("put-inc") });
    expect((await call("GET", "/v1/formulas/inc", { key })).body.version).toBe(1);
    await call("PUT", "/v1/formulas/inc", { key, body: { expr: "x + 2" } });
    const del = await call("DELETE", "/v1/formulas/inc", { key, headers: keyed("del-inc") });
    const delAgain = await call("DELETE", "/v1/formulas/inc", { key, headers: keyed("del-inc") });
    expect(delAgain.status).toBe(del.status);
    expect(delAgain.headers.get("idempotent-replayed")).toBe("true");
    // Without the key a second delete sees nothing left to delete.
    expect((await call("DELETE", "/v1/formulas/inc", { key })).status).toBe(404);
  });

  it("a repeated record write does not bump the version", async () => {
    const { key } = await goalTenant();
    const path = "/v1/records/stock/widget";
    const first = await call("PUT", path, { key, body: { qty: 1 }, headers: keyed("rec-1") });
    const again = await call("PUT", path, { key, body: { qty: 1 }, headers: keyed("rec-1") });
    expect(again.body).toEqual(first.body);
    expect((await call("GET", path, { key })).body.version).toBe(1);
  });

  it("the same key for a different request is a 422, and changes nothing", async () => {
    const { key } = await goalTenant();
    await call("PUT", "/v1/records/a/b", { key, body: { v: 1 }, headers: keyed("k") });
    const other = await call("PUT", "/v1/records/a/b", {
      key,
      body: { v: 2 },
      headers: keyed("k"),
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    const elsewhere = await call("PUT", "/v1/records/a/c", {
      key,
      body: { v: 1 },
      headers: keyed("k"),
    });
    expect(elsewhere.status).toBe(422);
    expect((await call("GET", "/v1/records/a/b", { key })).body.value).toEqual({ v: 1 });
    expect((await call("GET", "/v1/records/a/c", { key })).status).toBe(404);
  });

  it("keys are per tenant: another tenant's identical key is its own", async () => {
    const a = await goalTenant();
    const b = await goalTenant();
    const ra = await call("PUT", "/v1/records/c/k", {
      key: a.key,
      body: 1,
      headers: keyed("same"),
    });
    const rb = await call("PUT", "/v1/records/c/k", {
      key: b.key,
      body: 1,
      headers: keyed("same"),
    });
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    expect(rb.headers.get("idempotent-replayed")).toBeNull();
  });

  it("a malformed key is a 400 before anything runs; GETs ignore the header", async () => {
    const { key } = await goalTenant();
    const bad = await call("PUT", "/v1/records/a/z", { key, body: 1, headers: keyed("a b") });
    expect(bad.status).toBe(400);
    expect((await call("GET", "/v1/records/a/z", { key })).status).toBe(404);
    const long = await call("PUT", "/v1/records/a/z", {
      key,
      body: 1,
      headers: keyed("k".repeat(129)),
    });
    expect(long.status).toBe(400);
    const get = await call("GET", "/v1/goals", { key, headers: keyed("a b") });
    expect(get.status).toBe(200);
  });

  it("a failed request under a key is replayed as it failed (validation is part of the answer)", async () => {
    const { key } = await goalTenant();
    const first = await call("POST", "/v1/goals", {
      key,
      body: { name: "" },
      headers: keyed("bad"),
    });
    const again = await call("POST", "/v1/goals", {
      key,
      body: { name: "" },
      headers: keyed("bad"),
    });
    expect(first.status).toBe(422);
    expect(again.status).toBe(422);
    expect(again.body).toEqual(first.body);
  });
});
