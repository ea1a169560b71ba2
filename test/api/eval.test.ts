import { describe, expect, it } from "vitest";
import { call, formulaTenant } from "../helpers.ts";

describe("POST /v1/eval", () => {
  it("evaluates one set of vars, rows, or columns", async () => {
    const { key } = await formulaTenant();
    const one = await call("POST", "/v1/eval", {
      key,
      body: { expr: "a * x^2 + b", vars: { a: 2, x: 3, b: 1 } },
    });
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ value: 19 });

    const rows = await call("POST", "/v1/eval", {
      key,
      body: { expr: "x > 1 ? 'big' : 'small'", rows: [{ x: 0 }, { x: 5 }] },
    });
    expect(rows.body).toEqual({ values: ["small", "big"] });

    const columns = await call("POST", "/v1/eval", {
      key,
      body: { expr: "x + y", columns: { x: [1, 2, 3], y: [10, 20, 30] } },
    });
    expect(columns.body).toEqual({ values: [11, 22, 33] });
  });

  it("dotted paths, arrays and functions work through the API", async () => {
    const { key } = await formulaTenant();
    const res = await call("POST", "/v1/eval", {
      key,
      body: {
        expr: "obs.order.qty * mean(prices) + xs[-1]",
        vars: { obs: { order: { qty: 2 } }, prices: [1, 3], xs: [5, 9] },
      },
    });
    expect(res.body.value).toBe(13);
  });

  it("a non-finite result is an error unless null is asked for", async () => {
    const { key } = await formulaTenant();
    const error = await call("POST", "/v1/eval", { key, body: { expr: "1 / x", vars: { x: 0 } } });
    expect(error.status).toBe(422);
    expect(error.body.error.code).toBe("FORMULA_NON_FINITE");
    const asNull = await call("POST", "/v1/eval", {
      key,
      body: { expr: "1 / x", vars: { x: 0 }, non_finite: "null" },
    });
    expect(asNull.body).toEqual({ value: null });
  });

  it("a failing row is named by its index", async () => {
    const { key } = await formulaTenant();
    const res = await call("POST", "/v1/eval", {
      key,
      body: { expr: "price * 2", rows: [{ price: 1 }, { price: null }] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_NULL");
    expect(res.body.error.details.row).toBe(1);
    expect(res.body.error.message).toContain("price");
  });

  it("rejects two shapes at once, ragged columns and a missing expr", async () => {
    const { key } = await formulaTenant();
    const both = await call("POST", "/v1/eval", { key, body: { expr: "1", vars: {}, rows: [] } });
    expect(both.status).toBe(400);
    expect(both.body.error.details.issues[0].message).toContain("at most one");
    const ragged = await call("POST", "/v1/eval", {
      key,
      body: { expr: "x + y", columns: { x: [1, 2], y: [1] } },
    });
    expect(ragged.status).toBe(400);
    expect(ragged.body.error.details.lengths).toEqual({ x: 2, y: 1 });
    const noExpr = await call("POST", "/v1/eval", { key, body: { vars: {} } });
    expect(noExpr.body.error.details.issues[0].path).toBe("expr");
  });

  it("an unknown variable is 422 with the position and a suggestion", async () => {
    const { key } = await formulaTenant();
    const res = await call("POST", "/v1/eval", {
      key,
      body: { expr: "1 + prise", vars: { price: 1 } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_UNKNOWN_NAME");
    expect(res.body.error.details.position).toEqual({ offset: 4, line: 1, column: 5 });
    expect(res.body.error.details.hint).toContain("price");
  });

  it("a body over the size limit is 413", async () => {
    const { key } = await formulaTenant();
    const big = { expr: "len(xs)", vars: { xs: "x".repeat(1024 * 1024 + 10) } };
    const res = await call("POST", "/v1/eval", { key, body: big });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("an expression over the formula limits is a 400 naming the limit", async () => {
    const { key } = await formulaTenant();
    const deep = `${"(".repeat(200)}1${")".repeat(200)}`;
    const res = await call("POST", "/v1/eval", { key, body: { expr: deep } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("FORMULA_LIMIT");
  });
});
