/**
 * The API's own error type and the one place anything thrown becomes a
 * response. Handlers throw `ApiError` for what only HTTP knows of (a request's
 * shape, headers, scopes) and let the domain's errors (`src/errors.ts`) and a
 * `FormulaError` escape; `toErrorResponse` gives each domain code its status
 * from one table and turns anything thrown into the envelope
 * `{"error": {code, message, details?}}`.
 */
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { DomainError, type DomainErrorCode, StoreUnavailable } from "../errors.ts";
import { FormulaError, type FormulaErrorCode } from "../formula/index.ts";

/** A failure of the HTTP request itself, with its status and a stable code. */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly details?: unknown;
  /** Response headers that go with the error (e.g. Retry-After). */
  readonly headers: Record<string, string>;

  constructor(
    status: ContentfulStatusCode,
    code: string,
    message: string,
    details?: unknown,
    headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** The JSON body of every error response. */
export interface ErrorEnvelope {
  error: { code: string; message: string; details?: unknown };
}

/**
 * The status of every domain and formula code. A formula that cannot be read
 * at all is bad input (400); one that reads but cannot be evaluated or
 * registered as asked is well-formed but invalid (422).
 */
const STATUS: Record<DomainErrorCode | FormulaErrorCode, ContentfulStatusCode> = {
  NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  QUOTA_EXCEEDED: 403,
  VERSION_CONFLICT: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  GOAL_INVALID: 422,
  RECORD_TOO_LARGE: 413,
  FORMULA_CYCLE: 422,
  FORMULA_CALL_DEPTH: 422,
  FORMULA_SYNTAX: 400,
  FORMULA_LIMIT: 400,
  FORMULA_BUDGET: 422,
  STORE_UNAVAILABLE: 503,
  FORMULA_UNKNOWN_NAME: 422,
  FORMULA_UNKNOWN_FUNCTION: 422,
  FORMULA_ARITY: 422,
  FORMULA_TYPE: 422,
  FORMULA_NULL: 422,
  FORMULA_NON_FINITE: 422,
  FORMULA_MISSING_PARAM: 422,
  FORMULA_PARAM_RANGE: 422,
};

/** A formula error as an ApiError, with extra details merged in (e.g. the row). */
export function fromFormulaError(error: FormulaError, extra?: Record<string, unknown>): ApiError {
  const { code, message, details: own, ...rest } = error.toJSON();
  const details = { ...rest, ...own, ...extra };
  return new ApiError(
    STATUS[code] ?? 422,
    code,
    message,
    Object.keys(details).length > 0 ? details : undefined,
  );
}

/** A domain error as an ApiError: its status from the table, Retry-After from its retryAfterS. */
function fromDomainError(error: DomainError): ApiError {
  const headers: Record<string, string> =
    error.retryAfterS === undefined ? {} : { "retry-after": String(error.retryAfterS) };
  return new ApiError(STATUS[error.code], error.code, error.message, error.details, headers);
}

/** Maps anything thrown to a status and envelope; unknown faults become an opaque 500. */
export function toErrorResponse(error: unknown): {
  status: ContentfulStatusCode;
  body: ErrorEnvelope;
  fault: boolean;
  headers?: Record<string, string>;
} {
  if (error instanceof FormulaError) return toErrorResponse(fromFormulaError(error));
  if (error instanceof DomainError) return toErrorResponse(fromDomainError(error));
  if (error instanceof ApiError) {
    const body: ErrorEnvelope = { error: { code: error.code, message: error.message } };
    if (error.details !== undefined) body.error.details = error.details;
    return { status: error.status, body, fault: false, headers: error.headers };
  }
  // The store's driver wraps what its statement threw (drizzle's query error, with the SQL).
  const store = storeUnavailable(error);
  if (store !== undefined) return toErrorResponse(store);
  return {
    status: 500,
    body: { error: { code: "INTERNAL", message: "internal error; the fault was logged" } },
    fault: true,
  };
}

/** The StoreUnavailable among `error`'s first few causes, if any. */
function storeUnavailable(error: unknown): StoreUnavailable | undefined {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof StoreUnavailable) return e;
  }
  return undefined;
}
