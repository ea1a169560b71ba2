/**
 * The OpenAPI 3.1 document, generated from the route declarations' zod
 * schemas (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect).
 */
import { z } from "zod";
import type { RouteSpec } from "./route.ts";

type JsonObject = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  }) as JsonObject;
  return rest;
}

function parameters(spec: RouteSpec): JsonObject[] {
  const path = [...spec.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query: JsonObject[] = [];
  if (spec.query) {
    const schema = jsonSchema(spec.query, "input");
    const props = (schema.properties ?? {}) as Record<string, JsonObject>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, prop] of Object.entries(props)) {
      query.push({ name, in: "query", required: required.has(name), schema: prop });
    }
  }
  const headers = Object.entries(spec.headers ?? {}).map(([name, description]) => ({
    name,
    in: "header",
    required: false,
    description,
    schema: { type: "string" },
  }));
  return [...path, ...query, ...headers];
}

function operation(spec: RouteSpec): JsonObject {
  const body = spec.body ?? spec.documentedBody;
  const responses: JsonObject = {};
  for (const [status, r] of Object.entries(spec.responses)) {
    responses[status] = r.schema
      ? {
          description: r.description,
          content: {
            [r.contentType ?? "application/json"]: { schema: jsonSchema(r.schema, "output") },
          },
        }
      : { description: r.description };
  }
  responses.default = {
    description: "Error",
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  };
  return {
    summary: spec.summary,
    tags: [spec.tag],
    ...(spec.scope
      ? { security: [{ bearer: [spec.scope] }], "x-scope": spec.scope }
      : { security: [] }),
    parameters: parameters(spec),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: jsonSchema(body, "input") },
              ...Object.fromEntries(
                Object.entries(spec.bodyTypes ?? {}).map(([type, schema]) => [
                  type,
                  { schema: jsonSchema(schema, "input") },
                ]),
              ),
            },
          },
        }
      : {}),
    responses,
  };
}

/** Builds the document for the given routes. */
export function openApiDocument(routes: readonly RouteSpec[], version: string): JsonObject {
  const paths: Record<string, JsonObject> = {};
  for (const spec of routes) {
    const path = spec.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] ??= {};
    (paths[path] as JsonObject)[spec.method] = operation(spec);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Agentic FaaS",
      version,
      description:
        "Formula-as-a-Service at the edge, and goals that observe, orient, decide and act.",
    },
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An API key or the operator's ADMIN_TOKEN",
        },
      },
      schemas: {
        Error: {
          type: "object",
          required: ["error"],
          properties: {
            error: {
              type: "object",
              required: ["code", "message"],
              properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
            },
          },
        },
      },
    },
    paths,
  };
}
