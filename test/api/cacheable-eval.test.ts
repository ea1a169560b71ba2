import { describe, expect, it } from "vitest";
import { call, formulaTenant } from "../helpers.ts";

describe("GET /v1/formulas/:name/eval", () => {
  it("reads inputs from the query and answers with an ETag; a match is 304", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/hyp", {
      key,
      body: { expr: "sqrt(x^2 + y^2)", params: ["x", "y"] },
    });
    const res = await call("GET", "/v1/formulas/hyp/eval?x=3&y=4", { key });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ name: "hyp", version: 1, value: 5 });
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"1-[0-9a-f]+"$/);
    expect(res.headers.get("cache-control")).toBe("private, no-cache");

    const again = await call("GET", "/v1/formulas/hyp/eval?y=4&x=3", {
      key,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(again.status).toBe(304);

    const other = await call("GET", "/v1/formulas/hyp/eval?x=6&y=8", {
      key,
      headers: { "if-none-match": etag ?? "" },
    });
    expect(other.status).toBe(200);
    expect(other.body.value).toBe(10);
  });

  it("a new version changes the ETag; a pinned version is immutable", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/f", { key, body: { expr: "x + 1", params: ["x"] } });
    const v1 = await call("GET", "/v1/formulas/f/eval?x=1", { key });
    await call("PUT", "/v1/formulas/f", { key, body: { expr: "x + 2", params: ["x"] } });
    const stale = await call("GET", "/v1/formulas/f/eval?x=1", {
      key,
      headers: { "if-none-match": v1.headers.get("etag") ?? "" },
    });
    expect(stale.status).toBe(200);
    expect(stale.body).toMatchObject({ version: 2, value: 3 });

    const pinned = await call("GET", "/v1/formulas/f/eval?x=1&version=1", { key });
    expect(pinned.body).toMatchObject({ version: 1, value: 2 });
    expect(pinned.headers.get("cache-control")).toContain("immutable");
  });

  it("query values are JSON when they parse, strings otherwise, arrays when repeated", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/mix", {
      key,
      body: { expr: "concat(label, ':', sum(xs), ':', flag)" },
    });
    const res = await call("GET", "/v1/formulas/mix/eval?label=abc&xs=1&xs=2&flag=true", { key });
    expect(res.body.value).toBe("abc:3:true");
    const bad = await call("GET", "/v1/formulas/mix/eval?bad-name=1", { key });
    expect(bad.status).toBe(400);
  });

  it("a query number beyond a double's range is a 400 naming the input, not an Infinity", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/g", { key, body: { expr: "x + 1", params: ["x"] } });
    for (const query of ["x=1e400", "x=-1e400", "x=1&x=1e999"]) {
      const res = await call("GET", `/v1/formulas/g/eval?${query}`, { key });
      expect(res.status).toBe(400);
      expect(res.body.error.details.issues).toEqual([expect.objectContaining({ path: "x" })]);
    }
  });
});
