import { describe, expect, it } from "vitest";
import { call, createKey, formulaTenant, uniqueTenant } from "../helpers.ts";

describe("tenant isolation and scopes", () => {
  it("another tenant's formula is a 404, indistinguishable from an absent one", async () => {
    const owner = await formulaTenant();
    const stranger = await formulaTenant();
    await call("PUT", "/v1/formulas/secret", { key: owner.key, body: { expr: "42" } });

    const absent = await call("GET", "/v1/formulas/never_made", { key: stranger.key });
    for (const [method, path, body] of [
      ["GET", "/v1/formulas/secret", undefined],
      ["GET", "/v1/formulas/secret/versions/1", undefined],
      ["POST", "/v1/formulas/secret/eval", {}],
      ["GET", "/v1/formulas/secret/eval", undefined],
      ["DELETE", "/v1/formulas/secret", undefined],
    ] as const) {
      const res = await call(method, path, { key: stranger.key, body });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe(absent.body.error.code);
    }
    const list = await call("GET", "/v1/formulas", { key: stranger.key });
    expect(list.body.formulas).toEqual([]);
    // The stranger's own formula of the same name is independent.
    await call("PUT", "/v1/formulas/secret", { key: stranger.key, body: { expr: "1" } });
    const mine = await call("POST", "/v1/formulas/secret/eval", { key: owner.key, body: {} });
    expect(mine.body.value).toBe(42);
  });

  it("a tenant's ad hoc fn.NAME call cannot reach another tenant's formula", async () => {
    const owner = await formulaTenant();
    const stranger = await formulaTenant();
    await call("PUT", "/v1/formulas/priv", { key: owner.key, body: { expr: "1", params: [] } });
    const res = await call("POST", "/v1/eval", { key: stranger.key, body: { expr: "fn.priv()" } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_UNKNOWN_FUNCTION");
  });

  it("each route demands its scope (403 names the missing one)", async () => {
    const tenant = uniqueTenant();
    const reader = await createKey(tenant, ["formulas:read"]);
    const goals = await createKey(tenant, ["goals:read", "observe"]);

    const write = await call("PUT", "/v1/formulas/x", { key: reader, body: { expr: "1" } });
    expect(write.status).toBe(403);
    expect(write.body.error.details.required).toBe("formulas:write");
    expect((await call("DELETE", "/v1/formulas/x", { key: reader })).status).toBe(403);

    for (const [method, path, body] of [
      ["GET", "/v1/formulas", undefined],
      ["POST", "/v1/eval", { expr: "1" }],
      ["GET", "/v1/keys", undefined],
    ] as const) {
      expect((await call(method, path, { key: goals, body })).status, path).toBe(403);
    }
    expect(
      (await call("POST", "/v1/eval", { key: reader, body: { expr: "1 + 1" } })).body.value,
    ).toBe(2);
  });

  it("a key with the admin scope may do everything within its tenant", async () => {
    const admin = await createKey(uniqueTenant(), ["admin"]);
    expect((await call("PUT", "/v1/formulas/x", { key: admin, body: { expr: "3" } })).status).toBe(
      201,
    );
    expect((await call("POST", "/v1/formulas/x/eval", { key: admin, body: {} })).body.value).toBe(
      3,
    );
  });
});
