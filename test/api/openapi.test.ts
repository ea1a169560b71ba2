import { describe, expect, it } from "vitest";
import { apiDocument } from "../../src/api/app.ts";
import { call } from "../helpers.ts";

// biome-ignore lint/suspicious/noExplicitAny: the document is arbitrary JSON read by path
type Json = any;

const METHODS = ["get", "put", "post", "delete", "patch"] as const;

function operations(doc: Json): { where: string; path: string; op: Json }[] {
  return Object.entries(doc.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => ({ where: `${m} ${path}`, path, op: item[m] })),
  );
}

/** Every `$ref` in `value`, with where it was found. */
function refs(value: unknown, at = "#"): { at: string; ref: string }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => refs(v, `${at}/${i}`));
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([k, v]) =>
    k === "$ref" && typeof v === "string" ? [{ at, ref: v }] : refs(v, `${at}/${k}`),
  );
}

/** The value a local JSON pointer (`#/a/b~1c`) names in `doc`, or undefined. */
function resolve(doc: Json, pointer: string): unknown {
  if (!pointer.startsWith("#/")) return undefined;
  let node: Json = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node;
}

describe("the OpenAPI document", () => {
  const doc: Json = apiDocument();

  it("GET /openapi.json serves exactly the document the check script builds", async () => {
    const res = await call("GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(res.body).toEqual(doc);
  });

  it("every $ref resolves inside the document, and nothing is left under $defs", () => {
    const all = refs(doc);
    expect(all.length).toBeGreaterThan(100);
    const dangling = all.filter(({ ref }) => resolve(doc, ref) === undefined);
    expect(dangling).toEqual([]);
    expect(JSON.stringify(doc)).not.toMatch(/"\$defs"|__shared|__schema/);
  });

  it("a recursive schema is one component that refers to itself", () => {
    const value = doc.components.schemas.LanguageValue;
    expect(refs(value).map((r) => r.ref)).toContain("#/components/schemas/LanguageValue");
  });

  it("every operation has a unique camelCase operationId, a summary and a tag", () => {
    const ids = operations(doc).map(({ op }) => op.operationId);
    expect(ids.every((id) => /^[a-z][A-Za-z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { where, op } of operations(doc)) {
      expect(op.summary, where).toBeTruthy();
      expect(op.tags, where).toHaveLength(1);
    }
    const declared = new Set(doc.tags.map((t: Json) => t.name));
    for (const { op } of operations(doc)) expect(declared).toContain(op.tags[0]);
  });

  it("every operation answers with a success, its client errors and a default, all in the envelope", () => {
    for (const { where, path, op } of operations(doc)) {
      const statuses = Object.keys(op.responses);
      expect(
        // 101: the live channel's WebSocket upgrade is its success.
        statuses.some((s) => /^(101|[23]\d\d)$/.test(s)),
        where,
      ).toBe(true);
      expect(op.responses.default, where).toEqual({ $ref: "#/components/responses/Error" });
      if (path.startsWith("/v1/"))
        expect(statuses, where).toEqual(expect.arrayContaining(["401", "403", "429"]));
      if (path.includes("{"))
        expect(statuses, where).toEqual(expect.arrayContaining(["400", "404"]));
      if (op.requestBody) expect(statuses, where).toEqual(expect.arrayContaining(["400", "413"]));
      for (const status of statuses.filter((s) => s.startsWith("4"))) {
        const response = resolve(doc, op.responses[status].$ref ?? "#") ?? op.responses[status];
        expect((response as Json).content["application/json"].schema, `${where} ${status}`).toEqual(
          {
            $ref: "#/components/schemas/Error",
          },
        );
      }
    }
  });

  it("the error envelope it documents is the one an error response carries", async () => {
    const envelope = doc.components.schemas.Error;
    const res = await call("GET", "/v1/goals/g_00000000000000000000");
    expect(res.status).toBe(401);
    expect(Object.keys(res.body)).toEqual(envelope.required);
    for (const field of envelope.properties.error.required)
      expect(typeof res.body.error[field]).toBe("string");
  });

  it("each route's security follows how the app authenticates it", () => {
    for (const { where, path, op } of operations(doc)) {
      if (path.startsWith("/v1/")) {
        expect(op.security, where).toEqual([{ apiKey: [] }]);
        // Only "who am I" needs no scope: any valid key may ask what it may do.
        if (op.operationId === "getCaller") expect(op["x-scope"], where).toBeUndefined();
        else expect(op["x-scope"], where).toMatch(/^[a-z:]+$/);
      } else if (path.startsWith("/ingest/")) {
        expect(op.security, where).toEqual([
          { ingestSecret: [] },
          { ingestSignature: [], ingestTimestamp: [] },
        ]);
      } else expect(op.security, where).toEqual([]);
    }
  });

  it("documents the metrics' Prometheus text beside their JSON, and the public routes", () => {
    const metrics = doc.paths["/v1/metrics"].get.responses["200"].content;
    expect(Object.keys(metrics).sort()).toEqual([
      "application/json",
      "text/plain; version=0.0.4; charset=utf-8",
    ]);
    expect(doc.paths["/healthz"].get.operationId).toBe("getHealth");
    expect(doc.paths["/openapi.json"].get.operationId).toBe("getOpenApiDocument");
    expect(doc.paths["/ingest/goals/{id}/observations"].post.requestBody).toBeDefined();
  });
});
