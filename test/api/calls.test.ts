import { describe, expect, it } from "vitest";
import { call, formulaTenant } from "../helpers.ts";

describe("fn.NAME calls between registered formulas", () => {
  it("a call is pinned to the callee's version at registration", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/vat", { key, body: { expr: "x * 0.2", params: ["x"] } });
    const gross = await call("PUT", "/v1/formulas/gross", {
      key,
      body: { expr: "net + fn.vat(net)", params: ["net"] },
    });
    expect(gross.status).toBe(201);
    expect(gross.body.calls).toEqual({ vat: 1 });

    await call("PUT", "/v1/formulas/vat", { key, body: { expr: "x * 0.5", params: ["x"] } });
    const before = await call("POST", "/v1/formulas/gross/eval", {
      key,
      body: { vars: { net: 100 } },
    });
    expect(before.body.value).toBeCloseTo(120, 10);

    // Re-registering picks up the new callee version.
    await call("PUT", "/v1/formulas/gross", {
      key,
      body: { expr: "net + fn.vat(net)", params: ["net"] },
    });
    const after = await call("POST", "/v1/formulas/gross/eval", {
      key,
      body: { vars: { net: 100 } },
    });
    expect(after.body.value).toBeCloseTo(150, 10);
  });

  it("a pinned callee keeps working after it is deleted", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/base", { key, body: { expr: "7", params: [] } });
    await call("PUT", "/v1/formulas/top", { key, body: { expr: "fn.base() * 2" } });
    await call("DELETE", "/v1/formulas/base", { key });
    expect((await call("POST", "/v1/formulas/top/eval", { key, body: {} })).body.value).toBe(14);
  });

  it("call cycles are rejected: direct, and through another formula", async () => {
    const { key } = await formulaTenant();
    const self = await call("PUT", "/v1/formulas/loop", {
      key,
      body: { expr: "fn.loop(1)", params: ["n"] },
    });
    expect(self.status).toBe(422);
    expect(self.body.error.code).toBe("FORMULA_CYCLE");

    await call("PUT", "/v1/formulas/a", { key, body: { expr: "x + 1", params: ["x"] } });
    await call("PUT", "/v1/formulas/b", { key, body: { expr: "fn.a(x) * 2", params: ["x"] } });
    const cycle = await call("PUT", "/v1/formulas/a", {
      key,
      body: { expr: "fn.b(x)", params: ["x"] },
    });
    expect(cycle.status).toBe(422);
    expect(cycle.body.error).toMatchObject({ code: "FORMULA_CYCLE", details: { via: ["b"] } });
    expect((await call("GET", "/v1/formulas/a", { key })).body.version).toBe(1);
  });

  it("an unknown callee or a wrong number of arguments is rejected at registration", async () => {
    const { key } = await formulaTenant();
    const unknown = await call("PUT", "/v1/formulas/u", { key, body: { expr: "fn.nothing(1)" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe("FORMULA_UNKNOWN_FUNCTION");

    await call("PUT", "/v1/formulas/two", { key, body: { expr: "x + y", params: ["x", "y"] } });
    const arity = await call("PUT", "/v1/formulas/caller", {
      key,
      body: { expr: "fn.two(1, 2, 3)" },
    });
    expect(arity.status).toBe(422);
    expect(arity.body.error.code).toBe("FORMULA_ARITY");
  });

  it("ad hoc evaluation can call the tenant's registered formulas", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/sq", { key, body: { expr: "x * x", params: ["x"] } });
    const res = await call("POST", "/v1/eval", { key, body: { expr: "fn.sq(3) + 1" } });
    expect(res.body).toEqual({ value: 10 });
  });
});
