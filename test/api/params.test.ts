import { describe, expect, it } from "vitest";
import { call, formulaTenant } from "../helpers.ts";

describe("declared params", () => {
  const body = {
    expr: "principal * rate * years",
    params: [
      { name: "principal", min: 0 },
      { name: "rate", min: 0, max: 1 },
      { name: "years", default: 1 },
    ],
  };

  it("applies defaults, and names a missing or out-of-bounds input in a 422", async () => {
    const { key } = await formulaTenant();
    expect((await call("PUT", "/v1/formulas/interest", { key, body })).status).toBe(201);

    const ok = await call("POST", "/v1/formulas/interest/eval", {
      key,
      body: { vars: { principal: 1000, rate: 0.05 } },
    });
    expect(ok.body.value).toBeCloseTo(50, 10);

    const missing = await call("POST", "/v1/formulas/interest/eval", {
      key,
      body: { vars: { principal: 1000 } },
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.code).toBe("FORMULA_MISSING_PARAM");
    expect(missing.body.error.details.param).toBe("rate");

    const high = await call("POST", "/v1/formulas/interest/eval", {
      key,
      body: { vars: { principal: 1, rate: 2 } },
    });
    expect(high.status).toBe(422);
    expect(high.body.error).toMatchObject({
      code: "FORMULA_PARAM_RANGE",
      details: { param: "rate" },
    });
  });

  it("rejects min above max and a default outside the bounds", async () => {
    const { key } = await formulaTenant();
    const res = await call("PUT", "/v1/formulas/p", {
      key,
      body: {
        expr: "x",
        params: [
          { name: "x", min: 5, max: 1 },
          { name: "y", max: 1, default: 3 },
        ],
      },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(["params.0", "params.1.default"]);
  });
});
