import { afterEach, describe, expect, it, vi } from "vitest";
import { call, formulaTenant } from "../helpers.ts";

afterEach(() => vi.restoreAllMocks());

describe("operations routes", () => {
  it("GET /healthz answers without a key", async () => {
    const res = await call("GET", "/healthz");
    expect(res.status).toBe(200);
    expect(res.body.status).toBe("ok");
  });

  it("/openapi.json documents every route with the schemas that validate it", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.body.openapi).toBe("3.1.0");
    const put = res.body.paths["/v1/formulas/{name}"].put;
    expect(put["x-scope"]).toBe("formulas:write");
    const { $ref } = put.requestBody.content["application/json"].schema;
    const bodySchema = res.body.components.schemas[$ref.replace("#/components/schemas/", "")];
    expect(bodySchema.required).toEqual(["expr"]);
    expect(bodySchema.properties.expr.maxLength).toBe(4096);
    for (const path of [
      "/v1/eval",
      "/v1/keys",
      "/v1/keys/{id}",
      "/v1/formulas/{name}/eval",
      "/v1/formulas/{name}/versions/{version}",
    ]) {
      expect(res.body.paths[path], path).toBeDefined();
    }
  });

  it("an unknown route is a 404 in the error envelope", async () => {
    const { key } = await formulaTenant();
    const res = await call("GET", "/v1/nothing", { key });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("NOT_FOUND");
  });

  it("logs one JSON line per request with route, status, duration and tenant, never the key", async () => {
    const { tenant, key } = await formulaTenant();
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: string) => void lines.push(line));
    await call("GET", "/v1/formulas/some_name/eval?x=1", { key });
    const records = lines.map((l) => JSON.parse(l)).filter((r) => r.msg === "request");
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      method: "GET",
      route: "/v1/formulas/:name/eval",
      status: 404,
      tenant,
    });
    expect(typeof records[0].duration_ms).toBe("number");
    expect(lines.join("\n")).not.toContain(key);
    expect(lines.join("\n")).not.toContain("some_name");
  });
});
