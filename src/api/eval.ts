/**
 * Evaluation: ad hoc (`POST /v1/eval`) and of registered formulas, by POST or
 * by a cacheable GET whose query parameters are the inputs.
 */
import type { Context } from "hono";
import { z } from "zod";
import {
  compileAdHoc,
  type LoadedFormula,
  loadCurrent,
  loadVersion,
} from "../registry/formulas.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { runEval } from "./eval-budgeted.ts";
import { AdHocEvalBody, EvalResult, FormulaEvalBody, identifier } from "./formula-schemas.ts";
import { formulaName, notFound } from "./formulas.ts";
import { hasNonFinite } from "./json-body.ts";
import { type ApiRouter, pathParam } from "./route.ts";

/** Query parameters of the GET form that are options, not inputs. */
const RESERVED = new Set(["version", "non_finite"]);
const MAX_QUERY_INPUTS = 64;

const RegisteredResult = z
  .intersection(z.object({ name: z.string(), version: z.number().int() }), EvalResult)
  .meta({ id: "FormulaEvalResult" });

async function resolve(
  c: Context<AppEnv>,
  name: string,
  version: number | undefined,
): Promise<LoadedFormula> {
  const { tenant } = c.get("principal");
  const db = c.get("db");
  const current = await loadCurrent(db, tenant, name);
  if (!current) throw notFound(name);
  if (version === undefined || version === current.row.version) return current;
  const pinned = await loadVersion(db, tenant, name, version);
  if (!pinned) throw new ApiError(404, "NOT_FOUND", `formula ${name} has no version ${version}`);
  return pinned;
}

/**
 * One query value as an input: JSON when it parses (`1`, `true`, `[1,2]`,
 * `"text"`), otherwise the raw string; a repeated key is an array.
 */
function queryValue(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function queryInputs(url: URL): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  const keys = [...new Set(url.searchParams.keys())].filter((k) => !RESERVED.has(k));
  if (keys.length > MAX_QUERY_INPUTS) {
    throw new ApiError(400, "VALIDATION_FAILED", `at most ${MAX_QUERY_INPUTS} inputs in a query`);
  }
  for (const key of keys) {
    if (!identifier.safeParse(key).success) {
      throw new ApiError(400, "VALIDATION_FAILED", `query parameter ${key} is not an input name`);
    }
    const values = url.searchParams.getAll(key).map(queryValue);
    if (values.some(hasNonFinite)) {
      const message =
        "a number beyond the range of a double (about ±1.8e308); numbers must be finite";
      throw new ApiError(400, "VALIDATION_FAILED", `invalid query: ${key} is ${message}`, {
        issues: [{ path: key, message }],
      });
    }
    vars[key] = values.length === 1 ? values[0] : values;
  }
  return vars;
}

/** A short stable digest for the ETag. */
async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return [...bytes.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function canonicalQuery(url: URL): string {
  return [...url.searchParams.entries()]
    .filter(([k]) => k !== "version")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join("&");
}

export function evalRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "post",
      path: "/v1/eval",
      operationId: "evaluate",
      summary: "Evaluate an expression: {expr, vars} → {value}; {expr, rows|columns} → {values}",
      tag: "formulas",
      scope: "formulas:read",
      evaluates: true,
      body: AdHocEvalBody,
      responses: { 200: { description: "The result", schema: EvalResult } },
    },
    async (c, { body }) => {
      const formula = await compileAdHoc(c.get("db"), c.get("principal").tenant, body.expr);
      return c.json(await runEval(c.get("principal").tenant, formula, body));
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/formulas/:name/eval",
      operationId: "evaluateFormula",
      summary: "Evaluate a registered formula (current version, or `version`)",
      tag: "formulas",
      scope: "formulas:read",
      evaluates: true,
      body: FormulaEvalBody,
      responses: { 200: { description: "The result", schema: RegisteredResult } },
    },
    async (c, { body }) => {
      const loaded = await resolve(c, formulaName(pathParam(c, "name")), body.version);
      return c.json({
        name: loaded.row.name,
        version: loaded.row.version,
        ...(await runEval(c.get("principal").tenant, loaded.formula, body)),
      });
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/formulas/:name/eval",
      operationId: "evaluateFormulaByQuery",
      summary: "Evaluate with inputs as query parameters (?x=1&y=2); cacheable with ETag",
      tag: "formulas",
      scope: "formulas:read",
      evaluates: true,
      query: z.looseObject({
        version: z.coerce.number().int().positive().optional(),
        non_finite: z.enum(["error", "null"]).optional(),
      }),
      headers: { "If-None-Match": "an ETag from an earlier response; 304 when unchanged" },
      responses: {
        200: {
          description: "The result; every other query parameter is an input",
          schema: RegisteredResult,
        },
        304: { description: "Not modified" },
      },
    },
    async (c, { query }) => {
      const url = new URL(c.req.url);
      const loaded = await resolve(c, formulaName(pathParam(c, "name")), query.version);
      const { tenant } = c.get("principal");
      const etag = `"${loaded.row.version}-${await digest(`${tenant}\n${loaded.row.name}\n${canonicalQuery(url)}`)}"`;
      c.header("ETag", etag);
      // A pinned version never changes; an unpinned URL may move to a new version, so revalidate.
      c.header(
        "Cache-Control",
        query.version === undefined ? "private, no-cache" : "private, max-age=31536000, immutable",
      );
      c.header("Vary", "Authorization");
      const ifNoneMatch = c.req.header("if-none-match");
      if (ifNoneMatch?.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag)) {
        return c.body(null, 304);
      }
      const result = await runEval(tenant, loaded.formula, {
        vars: queryInputs(url),
        ...(query.non_finite ? { non_finite: query.non_finite } : {}),
      });
      return c.json({ name: loaded.row.name, version: loaded.row.version, ...result });
    },
  );
}
