import { describe, expect, it } from "vitest";
import { call, formulaTenant } from "../helpers.ts";

describe("registered formulas", () => {
  it("each PUT makes a new immutable version; old versions stay readable", async () => {
    const { key } = await formulaTenant();
    const v1 = await call("PUT", "/v1/formulas/tax", {
      key,
      body: { expr: "price * 0.2", description: "VAT" },
    });
    expect(v1.status).toBe(201);
    expect(v1.body).toMatchObject({
      name: "tax",
      version: 1,
      expr: "price * 0.2",
      inputs: ["price"],
    });

    const v2 = await call("PUT", "/v1/formulas/tax", { key, body: { expr: "price * 0.25" } });
    expect(v2.status).toBe(200);
    expect(v2.body.version).toBe(2);

    expect((await call("GET", "/v1/formulas/tax", { key })).body).toMatchObject({
      version: 2,
      expr: "price * 0.25",
    });
    const old = await call("GET", "/v1/formulas/tax/versions/1", { key });
    expect(old.body).toMatchObject({ version: 1, expr: "price * 0.2", description: "VAT" });
    expect((await call("GET", "/v1/formulas/tax/versions/9", { key })).status).toBe(404);

    const pinned = await call("POST", "/v1/formulas/tax/eval", {
      key,
      body: { version: 1, vars: { price: 100 } },
    });
    expect(pinned.body).toEqual({ name: "tax", version: 1, value: 20 });
    const current = await call("POST", "/v1/formulas/tax/eval", {
      key,
      body: { vars: { price: 100 } },
    });
    expect(current.body).toEqual({ name: "tax", version: 2, value: 25 });
  });

  it("DELETE hides the formula; a later PUT revives it with the next version number", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/f", { key, body: { expr: "1" } });
    expect((await call("DELETE", "/v1/formulas/f", { key })).status).toBe(204);
    expect((await call("GET", "/v1/formulas/f", { key })).status).toBe(404);
    expect((await call("GET", "/v1/formulas/f/versions/1", { key })).status).toBe(404);
    expect((await call("DELETE", "/v1/formulas/f", { key })).status).toBe(404);

    const revived = await call("PUT", "/v1/formulas/f", { key, body: { expr: "2" } });
    expect(revived.status).toBe(201);
    expect(revived.body.version).toBe(2);
  });

  it("If-Match guards against replacing a version you did not read (409)", async () => {
    const { key } = await formulaTenant();
    await call("PUT", "/v1/formulas/g", { key, body: { expr: "1" } });
    const stale = await call("PUT", "/v1/formulas/g", {
      key,
      body: { expr: "2" },
      headers: { "if-match": '"0"' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: "VERSION_CONFLICT", details: { current: 1 } });
    const fresh = await call("PUT", "/v1/formulas/g", {
      key,
      body: { expr: "2" },
      headers: { "if-match": '"1"' },
    });
    expect(fresh.body.version).toBe(2);
  });

  it("lists current versions by name, a page at a time", async () => {
    const { key } = await formulaTenant();
    for (const name of ["c", "a", "b"])
      await call("PUT", `/v1/formulas/${name}`, { key, body: { expr: "1" } });
    const first = await call("GET", "/v1/formulas?limit=2", { key });
    expect(first.body.formulas.map((f: { name: string }) => f.name)).toEqual(["a", "b"]);
    expect(first.body.next_cursor).toBe("b");
    const second = await call("GET", `/v1/formulas?limit=2&cursor=${first.body.next_cursor}`, {
      key,
    });
    expect(second.body.formulas.map((f: { name: string }) => f.name)).toEqual(["c"]);
    expect(second.body.next_cursor).toBeNull();
  });

  it("validation happens at registration: syntax 400, unknown function 422 with a hint", async () => {
    const { key } = await formulaTenant();
    const syntax = await call("PUT", "/v1/formulas/bad", { key, body: { expr: "1 +" } });
    expect(syntax.status).toBe(400);
    expect(syntax.body.error.code).toBe("FORMULA_SYNTAX");
    expect(syntax.body.error.details.position).toMatchObject({ line: 1 });

    const unknown = await call("PUT", "/v1/formulas/bad", { key, body: { expr: "avg(xs)" } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.code).toBe("FORMULA_UNKNOWN_FUNCTION");
    expect(unknown.body.error.details.hint).toContain("mean");
    expect(unknown.body.error.details.position).toEqual({ offset: 0, line: 1, column: 1 });
    expect((await call("GET", "/v1/formulas/bad", { key })).status).toBe(404);
  });

  it("with params declared, an undeclared name is rejected at registration", async () => {
    const { key } = await formulaTenant();
    const res = await call("PUT", "/v1/formulas/area", {
      key,
      body: { expr: "w * hieght", params: ["w", "height"] },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("FORMULA_UNKNOWN_NAME");
    expect(res.body.error.details.position.column).toBe(5);
    expect(res.body.error.details.hint).toContain("height");
  });

  it("a bad name or body names the problem (400)", async () => {
    const { key } = await formulaTenant();
    expect((await call("PUT", "/v1/formulas/has-dash", { key, body: { expr: "1" } })).status).toBe(
      400,
    );
    const extra = await call("PUT", "/v1/formulas/ok", { key, body: { expr: "1", exprr: "2" } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.code).toBe("VALIDATION_FAILED");
    const dup = await call("PUT", "/v1/formulas/ok", {
      key,
      body: { expr: "x", params: ["x", "x"] },
    });
    expect(dup.body.error.details.issues[0].path).toBe("params.1.name");
    const notJson = await call("PUT", "/v1/formulas/ok", { key, body: "{expr:" });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("INVALID_JSON");
  });
});
