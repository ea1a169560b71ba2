/**
 * Routes are declared once, as data: method, path, scope and zod schemas for
 * the body, query and responses. `ApiRouter.route` mounts the handler with
 * validation and the scope check, and keeps the declaration so the OpenAPI
 * document is generated from the very schemas that validate requests.
 */
import type { Context, Hono } from "hono";
import { z } from "zod";
import { hasScope, type Scope } from "../auth/scopes.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { yieldNow } from "./eval-budgeted.ts";
import { idempotency } from "./idempotency.ts";
import { parseJsonBody } from "./json-body.ts";
import { admitWork, inTurn } from "./work-rate.ts";

type Schema = z.ZodType | undefined;
type Parsed<S extends Schema> = S extends z.ZodType ? z.output<S> : undefined;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Media type when not JSON (e.g. text/plain). */
  contentType?: string;
  /** Other media types the route answers with when asked (Accept), each with its schema. */
  alternatives?: Record<string, z.ZodType>;
}

/** Client errors a route can answer with, beyond those its declaration implies (see openapi-errors.ts). */
export type ClientErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429;

/** A route's declaration. `path` uses Hono's `:param` form. */
export interface RouteSpec<B extends Schema = Schema, Q extends Schema = Schema> {
  method: "get" | "post" | "put" | "delete";
  path: string;
  /**
   * The operation's stable name in the OpenAPI document and in clients generated from it:
   * camelCase, unique across the API, never renamed once published.
   */
  operationId: string;
  summary: string;
  tag: string;
  /** The scope required; omitted only for public routes outside /v1. */
  scope?: Scope;
  body?: B;
  /** A body the handler validates itself (e.g. with richer errors); documented only. */
  documentedBody?: z.ZodType;
  /** Media types the body may also have besides JSON, each with its schema (documented only). */
  bodyTypes?: Record<string, z.ZodType>;
  query?: Q;
  /** Headers the route reads, for the document. */
  headers?: Record<string, string>;
  responses: Record<number, ResponseSpec>;
  /** Client errors particular to this route (a version conflict, an invalid formula). */
  errors?: readonly ClientErrorStatus[];
  /**
   * Who keeps `Idempotency-Key` on a mutating /v1 route: the shared D1 claim
   * (the default) or the handler itself, atomically with its effect.
   */
  idempotency?: "claim" | "handler";
  /**
   * True for routes that evaluate formulas: a tenant whose share of the
   * isolate's evaluation work is spent is refused before its body is even
   * read (see work-rate.ts).
   */
  evaluates?: boolean;
}

export type RouteHandler<B extends Schema, Q extends Schema> = (
  c: Context<AppEnv>,
  input: { body: Parsed<B>; query: Parsed<Q> },
) => Response | Promise<Response>;

/** Zod issues as client-facing details: where and what. */
export function issueDetails(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.map(String).join("."),
    message: issue.message,
  }));
}

export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): z.output<S> {
  const written = where === "query" ? numbersNotWritten(schema, value) : [];
  if (written.length > 0) {
    throw new ApiError(400, "VALIDATION_FAILED", `invalid request ${where}`, { issues: written });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ApiError(400, "VALIDATION_FAILED", `invalid request ${where}`, {
      issues: issueDetails(result.error),
    });
  }
  return result.data;
}

/** A number as a query parameter writes it: decimal digits, an optional sign and fraction. */
const DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/**
 * The query's number parameters whose text is not written as a decimal
 * number. Coercion alone reads `0x10` as 16, `1e1` as 10 and a blank as 0;
 * a caller means none of these.
 */
function numbersNotWritten(schema: z.ZodType, value: unknown): { path: string; message: string }[] {
  if (!(schema instanceof z.ZodObject) || typeof value !== "object" || value === null) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  const issues: { path: string; message: string }[] = [];
  for (const [name, raw] of Object.entries(value)) {
    let field: z.ZodType | undefined = shape[name];
    while (field instanceof z.ZodOptional || field instanceof z.ZodDefault)
      field = field.unwrap() as z.ZodType;
    if (field instanceof z.ZodNumber && typeof raw === "string" && !DECIMAL.test(raw)) {
      issues.push({
        path: name,
        message: `expected a decimal number, received ${JSON.stringify(raw.slice(0, 40))}`,
      });
    }
  }
  return issues;
}

/** A body (in characters) whose parsing takes long enough that an evaluation yields after it. */
export const LARGE_BODY = 64 * 1024;

/** Reads the body as JSON (see parseJsonBody). */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  return parseJsonBody(await c.req.text());
}

/** A Hono app plus the declarations of the routes mounted on it. */
export class ApiRouter {
  readonly app: Hono<AppEnv>;
  readonly routes: RouteSpec[] = [];

  constructor(app: Hono<AppEnv>) {
    this.app = app;
  }

  /** Mounts `handler` behind the scope check and schema validation of `spec`. */
  route<B extends Schema, Q extends Schema>(
    spec: RouteSpec<B, Q>,
    handler: RouteHandler<B, Q>,
  ): void {
    this.routes.push(spec);
    const run = async (c: Context<AppEnv>) => {
      const { body, query } = spec;
      const text = body ? await c.req.text() : "";
      const input = {
        body: (body ? parseWith(body, parseJsonBody(text), "body") : undefined) as Parsed<B>,
        query: (query ? parseWith(query, c.req.query(), "query") : undefined) as Parsed<Q>,
      };
      // Parsing and checking a large body ran unyielded (a few ms for half a megabyte): let
      // other requests in before the evaluation adds its first slice to that.
      if (spec.evaluates && text.length > LARGE_BODY) await yieldNow();
      return handler(c, input);
    };
    const validated = async (c: Context<AppEnv>) => {
      const { scope } = spec;
      if (scope !== undefined && !hasScope(c.get("principal"), scope)) {
        throw new ApiError(403, "FORBIDDEN", `this key lacks the scope ${scope}`, {
          required: scope,
        });
      }
      if (!spec.evaluates) return run(c);
      // One of the tenant's evaluation requests at a time, refused early when its share is
      // spent. Server-Timing says how long it waited for its turn and how long it ran.
      const { tenant } = c.get("principal");
      const arrived = Date.now();
      return inTurn(tenant, async () => {
        const started = Date.now();
        const timing = () => `queue;dur=${started - arrived}, run;dur=${Date.now() - started}`;
        try {
          admitWork(tenant);
          const response = await run(c);
          response.headers.set("server-timing", timing());
          return response;
        } catch (error) {
          c.header("server-timing", timing());
          throw error;
        }
      });
    };
    const method = spec.method.toUpperCase();
    const claims =
      spec.method !== "get" && spec.path.startsWith("/v1/") && spec.idempotency !== "handler";
    if (claims) this.app.on(method, spec.path, idempotency(), validated);
    else this.app.on(method, spec.path, validated);
  }
}

/**
 * A list's `cursor`: the `next_cursor` of a previous page. No control
 * character and no trailing space, or it is a 400: MySQL compares strings as
 * if the shorter were padded with spaces, so a cursor ending in a space or
 * holding a character below it (`a\t`) would page differently from D1.
 * (Keys written before the records rule, `a b` or `café`, still page on.)
 */
export function cursorQuery(max: number) {
  return z
    .string()
    .max(max)
    .regex(/^\P{Cc}*[^\p{Cc}\s]$/u, "a cursor is the next_cursor of a previous page")
    .optional()
    .describe("next_cursor of the previous page");
}

/** A path parameter of the matched route (always present when the route matched). */
export function pathParam(c: Context<AppEnv>, name: string): string {
  const value = c.req.param(name) as string | undefined;
  if (value === undefined) throw new ApiError(404, "NOT_FOUND", `missing path parameter ${name}`);
  return value;
}

/** `If-Match: "3"` (or 3) as the version the caller expects to replace. */
export function expectedVersion(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const n = Number(header.replace(/^W\//, "").replaceAll('"', "").trim());
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new ApiError(400, "VALIDATION_FAILED", 'If-Match must be a version number, e.g. "3"');
  }
  return n;
}
