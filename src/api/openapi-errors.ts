/**
 * The error side of the OpenAPI document: the envelope every failure carries
 * (see errors.ts), one shared response per client-error status, and which of
 * them a route can answer with, read from its declaration the way the app
 * reaches them (authentication on /v1, validation of what the route reads,
 * the body limit, idempotency, formula evaluation).
 */
import type { ClientErrorStatus, RouteSpec } from "./route.ts";

type JsonObject = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** `{"error": {code, message, details?}}`, as `toErrorResponse` writes it. */
export const ERROR_SCHEMA: JsonObject = {
  type: "object",
  description: "The envelope of every error response",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: {
          type: "string",
          description: "Stable and machine-readable, e.g. VALIDATION_FAILED, NOT_FOUND",
        },
        message: { type: "string", description: "What went wrong, for people" },
        details: { description: "Structured facts about the failure (issues, limits, ids)" },
      },
    },
  },
};

/** Each client-error status: its shared response's name and what it means here. */
const CLIENT_ERRORS: Record<ClientErrorStatus, { name: string; description: string }> = {
  400: {
    name: "BadRequest",
    description:
      "The request is malformed: VALIDATION_FAILED (details.issues names each path), INVALID_JSON, JSON_TOO_DEEP, FORMULA_SYNTAX, FORMULA_LIMIT",
  },
  401: {
    name: "Unauthorized",
    description: "UNAUTHENTICATED: no credential, or one that is unknown or revoked",
  },
  403: {
    name: "Forbidden",
    description:
      "FORBIDDEN: the key lacks the route's scope (details.required); QUOTA_EXCEEDED: the tenant's quota is used up",
  },
  404: {
    name: "NotFound",
    description:
      "NOT_FOUND: nothing by that name for this tenant (another tenant's looks the same)",
  },
  409: {
    name: "Conflict",
    description:
      "VERSION_CONFLICT (If-Match names a version that is not current), IDEMPOTENCY_IN_PROGRESS (retry after Retry-After), REPLAY_INCOMPLETE, APPROVAL_DECIDED",
  },
  413: {
    name: "PayloadTooLarge",
    description:
      "PAYLOAD_TOO_LARGE, or a size limit of what was sent (RECORD_TOO_LARGE, SPEC_TOO_LARGE, PUSH_TOO_LARGE, …); details.max_bytes says the limit",
  },
  422: {
    name: "UnprocessableContent",
    description:
      "Well-formed but not acceptable: a formula that cannot be evaluated (FORMULA_*), an invalid goal spec (GOAL_INVALID, details.issues), IDEMPOTENCY_KEY_REUSED, UNKNOWN_OBSERVATION",
  },
  429: {
    name: "TooManyRequests",
    description:
      "RATE_LIMITED (per key, tenant or goal, or the tenant's share of evaluation work) or INBOX_FULL; retry after Retry-After",
  },
};

/** The shared responses of the `used` statuses, under components/responses, and the default one. */
export function errorResponses(used: ReadonlySet<ClientErrorStatus>): JsonObject {
  const envelope = { "application/json": { schema: ref("Error") } };
  const responses: JsonObject = {
    Error: {
      description:
        "An unexpected fault (500 INTERNAL), the store not answering in time (503 STORE_UNAVAILABLE, with Retry-After), or any other error",
      content: envelope,
    },
  };
  for (const status of [...used].sort((a, b) => a - b)) {
    const { name, description } = CLIENT_ERRORS[status];
    responses[name] = {
      description,
      ...(status === 429 || status === 409
        ? { headers: { "Retry-After": { $ref: "#/components/headers/RetryAfter" } } }
        : {}),
      content: envelope,
    };
  }
  return responses;
}

export const RETRY_AFTER_HEADER: JsonObject = {
  description: "Seconds to wait before trying again",
  schema: { type: "integer", minimum: 0 },
};

/** The client errors `spec` can answer with, in status order. */
export function clientErrorsOf(spec: RouteSpec): ClientErrorStatus[] {
  const statuses = new Set<ClientErrorStatus>(spec.errors ?? []);
  const body = spec.body ?? spec.documentedBody;
  const mutating = spec.method !== "get";
  if (spec.path.startsWith("/v1/")) {
    statuses.add(401).add(403).add(429);
    // The shared idempotency claim: a key still running, or reused for another request.
    if (mutating && spec.idempotency !== "handler") statuses.add(409).add(422);
  }
  if (spec.path.startsWith("/ingest/")) statuses.add(401).add(429);
  if (body || spec.query || spec.headers || spec.path.includes("/:")) statuses.add(400);
  if (body) statuses.add(413);
  if (spec.path.includes("/:")) statuses.add(404);
  if (spec.evaluates) statuses.add(422).add(429);
  return [...statuses].sort((a, b) => a - b);
}

/** A `$ref` to the shared response of `status`. */
export function errorResponseRef(status: ClientErrorStatus): JsonObject {
  return { $ref: `#/components/responses/${CLIENT_ERRORS[status].name}` };
}

/** A route's own wording of one of its client errors, over the shared envelope. */
export function declaredErrorResponse(description: string): JsonObject {
  return { description, content: { "application/json": { schema: ref("Error") } } };
}
