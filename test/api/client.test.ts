/**
 * The typed client (client/index.ts) driving the Worker: what it sends and
 * reads is what the generated types say, so a route that drifts from its
 * document fails here as well as in `npm run check:openapi`.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createFaasClient } from "../../client/index.ts";
import { ADMIN, uniqueTenant } from "../helpers.ts";

const BASE = "http://faas.test";
const viaWorker = { fetch: (request: Request) => exports.default.fetch(request) };

async function tenantClient(
  scopes: ("formulas:read" | "formulas:write" | "records:read" | "records:write" | "goals:read")[],
) {
  const admin = createFaasClient(BASE, ADMIN, viaWorker);
  const { data, error, response } = await admin.POST("/v1/keys", {
    body: { tenant: uniqueTenant("client"), scopes },
  });
  if (error) throw new Error(`key creation failed: ${error.error.code}`);
  expect(response.status).toBe(201);
  return createFaasClient(BASE, data.key, viaWorker);
}

describe("the typed client", () => {
  it("registers a formula and evaluates it, reading typed results", async () => {
    const faas = await tenantClient(["formulas:read", "formulas:write"]);
    const put = await faas.PUT("/v1/formulas/{name}", {
      params: { path: { name: "area" } },
      body: { expr: "w * h", params: ["w", { name: "h", default: 2 }] },
    });
    expect(put.response.status).toBe(201);
    expect(put.data?.version).toBe(1);
    expect(put.data?.inputs.sort()).toEqual(["h", "w"]);

    const evaluated = await faas.POST("/v1/formulas/{name}/eval", {
      params: { path: { name: "area" } },
      body: { rows: [{ w: 3 }, { w: 4, h: 5 }] },
    });
    expect(evaluated.error).toBeUndefined();
    expect(evaluated.data).toMatchObject({ name: "area", version: 1, values: [6, 20] });

    const byQuery = await faas.GET("/v1/formulas/{name}/eval", {
      params: { path: { name: "area" }, query: { version: 1 } },
      querySerializer: () => "version=1&w=10",
    });
    expect(byQuery.data).toMatchObject({ value: 20 });
  });

  it("reads a refusal as the typed error envelope", async () => {
    const faas = await tenantClient(["formulas:read"]);
    const missing = await faas.GET("/v1/formulas/{name}", { params: { path: { name: "none" } } });
    expect(missing.data).toBeUndefined();
    expect(missing.response.status).toBe(404);
    expect(missing.error?.error.code).toBe("NOT_FOUND");

    const forbidden = await faas.PUT("/v1/formulas/{name}", {
      params: { path: { name: "x" } },
      body: { expr: "1" },
    });
    expect(forbidden.response.status).toBe(403);
    expect(forbidden.error?.error).toMatchObject({
      code: "FORBIDDEN",
      details: { required: "formulas:write" },
    });

    const invalid = await faas.POST("/v1/eval", { body: { expr: "1 +" } });
    expect(invalid.response.status).toBe(400);
    expect(invalid.error?.error.code).toBe("FORMULA_SYNTAX");
  });

  it("a wrong key gets 401 through the client too", async () => {
    const faas = createFaasClient(BASE, "fk_not-a-key", viaWorker);
    const { error, response } = await faas.GET("/v1/goals");
    expect(response.status).toBe(401);
    expect(error?.error.code).toBe("UNAUTHENTICATED");
  });

  it("stores and reads a record, and reads the metrics as JSON or Prometheus text", async () => {
    const faas = await tenantClient(["records:read", "records:write", "goals:read"]);
    const stored = await faas.PUT("/v1/records/{collection}/{key}", {
      params: { path: { collection: "prices", key: "eur" } },
      body: { rate: 1.1, at: "2026-01-01" },
    });
    expect(stored.data).toMatchObject({ collection: "prices", key: "eur", version: 1 });
    const read = await faas.GET("/v1/records/{collection}/{key}", {
      params: { path: { collection: "prices", key: "eur" } },
    });
    expect(read.data?.value).toEqual({ rate: 1.1, at: "2026-01-01" });

    const json = await faas.GET("/v1/metrics");
    expect(json.data).toMatchObject({ window: "5m" });
    const text = await faas.GET("/v1/metrics", {
      headers: { accept: "text/plain" },
      parseAs: "text",
    });
    expect(text.response.headers.get("content-type")).toBe(
      "text/plain; version=0.0.4; charset=utf-8",
    );
    expect(typeof text.data).toBe("string");
  });

  it("reads the public routes without a key", async () => {
    const faas = createFaasClient(BASE, "", viaWorker);
    const health = await faas.GET("/healthz");
    expect(health.data?.status).toBe("ok");
    const doc = await faas.GET("/openapi.json");
    expect(doc.data?.openapi).toBe("3.1.0");
  });
});
