/**
 * The OpenAPI 3.1 document, generated from the route declarations' zod
 * schemas (JSON Schema 2020-12 is OpenAPI 3.1's schema dialect). Schemas are
 * components (openapi-schemas.ts), errors the shared envelope
 * (openapi-errors.ts); who may call a route follows its path as the app
 * authenticates it: /v1 by API key with the route's scope, /ingest by the
 * goal's ingest secret, the rest is public.
 */
import {
  clientErrorsOf,
  declaredErrorResponse,
  ERROR_SCHEMA,
  errorResponseRef,
  errorResponses,
  RETRY_AFTER_HEADER,
} from "./openapi-errors.ts";
import { inlineSchema, SchemaComponents } from "./openapi-schemas.ts";
import type { ClientErrorStatus, RouteSpec } from "./route.ts";

type JsonObject = Record<string, unknown>;

/** What each tag groups, for readers of the document. */
const TAGS: Record<string, string> = {
  formulas: "Evaluate expressions; register, version and evaluate named formulas",
  goals: "Goals and their loop: register, observe, read the audit trail, simulate and replay",
  approvals: "Actions a goal holds for a person's decision",
  records: "Small JSON documents that goals can watch",
  streams: "Events published to every goal observing a topic",
  keys: "API keys and their scopes (admin)",
  operations: "Health, metrics and this document",
};

const SECURITY_SCHEMES = {
  apiKey: {
    type: "http",
    scheme: "bearer",
    description:
      "An API key (Authorization: Bearer KEY), or the operator's ADMIN_TOKEN; each route names the scope it needs in x-scope",
  },
  ingestSecret: {
    type: "http",
    scheme: "bearer",
    description: "The goal's ingest secret (Authorization: Bearer SECRET), for /ingest routes",
  },
  ingestSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Faas-Signature",
    description:
      "v1=<hex HMAC-SHA256 of TIMESTAMP.BODY keyed by the goal's ingest secret>, with X-Faas-Timestamp",
  },
  ingestTimestamp: {
    type: "apiKey",
    in: "header",
    name: "X-Faas-Timestamp",
    description: "Unix seconds, within 300 s of now, signed with the body (X-Faas-Signature)",
  },
};

/** `createGoal` as `CreateGoal`: the stem of the names of a route's unnamed schemas. */
const pascal = (operationId: string) => operationId.charAt(0).toUpperCase() + operationId.slice(1);

function parameters(spec: RouteSpec): JsonObject[] {
  const path = [...spec.path.matchAll(/:([A-Za-z_]+)/g)].map((m) => ({
    name: m[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const query: JsonObject[] = [];
  if (spec.query) {
    const schema = inlineSchema(spec.query, "input");
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

function security(spec: RouteSpec): JsonObject {
  if (spec.path.startsWith("/v1/"))
    return { security: [{ apiKey: [] }], ...(spec.scope ? { "x-scope": spec.scope } : {}) };
  if (spec.path.startsWith("/ingest/"))
    return { security: [{ ingestSecret: [] }, { ingestSignature: [], ingestTimestamp: [] }] };
  return { security: [] };
}

function operation(spec: RouteSpec, schemas: SchemaComponents): JsonObject {
  const name = pascal(spec.operationId);
  const body = spec.body ?? spec.documentedBody;
  const responses: JsonObject = {};
  const statuses = Object.keys(spec.responses).map(Number);
  const successes = statuses.filter((s) => s < 400);
  for (const [key, r] of Object.entries(spec.responses)) {
    const status = Number(key);
    if (status >= 400) {
      responses[key] = declaredErrorResponse(r.description);
      continue;
    }
    const suffix = successes.length > 1 ? `Response${status}` : "Response";
    const content: JsonObject = {};
    if (r.schema)
      content[r.contentType ?? "application/json"] = {
        schema: schemas.ref(r.schema, "output", name + suffix),
      };
    for (const [mediaType, schema] of Object.entries(r.alternatives ?? {}))
      content[mediaType] = { schema: schemas.ref(schema, "output", `${name}${suffix}Text`) };
    responses[key] = {
      description: r.description,
      ...(Object.keys(content).length > 0 ? { content } : {}),
    };
  }
  for (const status of clientErrorsOf(spec)) responses[status] ??= errorResponseRef(status);
  responses.default = { $ref: "#/components/responses/Error" };
  const params = parameters(spec);
  return {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [spec.tag],
    ...security(spec),
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(body
      ? {
          requestBody: {
            required: true,
            content: {
              "application/json": { schema: schemas.ref(body, "input", `${name}Request`) },
              ...Object.fromEntries(
                Object.entries(spec.bodyTypes ?? {}).map(([type, schema]) => [
                  type,
                  { schema: schemas.ref(schema, "input", `${name}Event`) },
                ]),
              ),
            },
          },
        }
      : {}),
    responses: Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) => (a === "default" ? 1 : a.localeCompare(b))),
    ),
  };
}

/** Builds the document for the given routes. */
export function openApiDocument(routes: readonly RouteSpec[], version: string): JsonObject {
  const schemas = new SchemaComponents();
  schemas.add("Error", ERROR_SCHEMA);
  const paths: Record<string, JsonObject> = {};
  const tags = new Set<string>();
  const errors = new Set<ClientErrorStatus>();
  for (const spec of routes) {
    const path = spec.path.replace(/:([A-Za-z_]+)/g, "{$1}");
    paths[path] ??= {};
    (paths[path] as JsonObject)[spec.method] = operation(spec, schemas);
    tags.add(spec.tag);
    for (const status of clientErrorsOf(spec)) errors.add(status);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Agentic FaaS",
      version,
      description:
        "Formula-as-a-Service at the edge, and goals that observe, orient, decide and act.",
      license: { name: "Proprietary", identifier: "LicenseRef-Proprietary" },
    },
    servers: [{ url: "/", description: "This deployment" }],
    tags: [...tags].map((name) => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
      schemas: schemas.build(),
      responses: errorResponses(errors),
      ...(errors.has(409) || errors.has(429)
        ? { headers: { RetryAfter: RETRY_AFTER_HEADER } }
        : {}),
    },
  };
}
