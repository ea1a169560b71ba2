/**
 * What the MCP tools are made of: a tool's definition (the /v1 route it
 * calls, the scope that route requires, a zod input schema the SDK publishes
 * as JSON Schema, hints) and the argument schemas and helpers they share.
 * Complex bodies (a goal spec, a push) are passed on as they are, so the
 * API's own validation answers with its codes, positions and hints.
 */
import { z } from "zod";
import type { Scope } from "../auth/scopes.ts";

/** One request to the public API, as a tool makes it. */
export interface ApiRequest {
  method: "GET" | "POST" | "PUT";
  /** The /v1 path, its segments already encoded. */
  path: string;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ToolAnnotations {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

export interface ToolDefinition {
  name: string;
  title: string;
  description: string;
  scope: Scope;
  input: z.ZodRawShape;
  annotations: ToolAnnotations;
  // biome-ignore lint/suspicious/noExplicitAny: each tool's arguments are its own schema's output
  request(args: any): ApiRequest;
}

/** A path segment: any text but `.` and `..`, which a URL would resolve away. */
export const segment = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .refine((s) => s !== "." && s !== "..", `${what} cannot be . or ..`)
    .describe(what);

export const goalId = segment("the goal's id (g_…)");
export const formulaName = segment("the formula's name");
export const spec = z
  .record(z.string(), z.unknown())
  .describe(
    "a goal spec: {name, every, params?, observe, orient?, decide: {rules: [{id, when, do}]}, act, guard?} (see the README's goal section)",
  );
export const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe("Idempotency-Key: a retry with the same key is not done twice");
export const ifMatch = z
  .number()
  .int()
  .positive()
  .optional()
  .describe("replace only this version (If-Match); otherwise 409 VERSION_CONFLICT");
export const limit = (max: number) => z.number().int().min(1).max(max).optional();
export const cursor = z.string().max(200).optional().describe("next_cursor of the previous page");
const vars = z.record(z.string(), z.unknown());
export const evalInputs = {
  vars: vars.optional().describe("one set of inputs → {value}"),
  rows: z.array(vars).optional().describe("many sets of inputs → {values}"),
  columns: z
    .record(z.string(), z.array(z.unknown()))
    .optional()
    .describe("inputs as columns of equal length → {values}"),
  non_finite: z.enum(["error", "null"]).optional().describe('"null": null instead of an error'),
};

export const enc = encodeURIComponent;

/** Headers for a mutating request: its idempotency key and expected version, when given. */
export function headers(args: { idempotency_key?: string; if_match_version?: number }) {
  const out: Record<string, string> = {};
  if (args.idempotency_key !== undefined) out["idempotency-key"] = args.idempotency_key;
  if (args.if_match_version !== undefined) out["if-match"] = `"${args.if_match_version}"`;
  return out;
}

/** `values` without the keys whose value is undefined. */
export function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

export const READ: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };
