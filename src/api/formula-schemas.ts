/**
 * Request and response shapes of the formula API, shared by the routes and
 * the OpenAPI document.
 */
import { z } from "zod";
import type { Value } from "../formula/index.ts";
import { DateTime } from "./time.ts";

/** Formula and parameter names: identifiers, so a formula is callable as fn.NAME. */
export const identifier = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]{0,63}$/,
    "a name is a letter or _ then up to 63 letters, digits or _",
  );

/** Any JSON value (objects are containers the language reads through dotted paths). */
export const jsonValue = z.unknown().meta({ id: "JsonValue", description: "Any JSON value" });

/** A value of the formula language: number, boolean, string, null, or an array of those. */
export const languageValue: z.ZodType<Value> = z
  .lazy(() =>
    z.union([z.number(), z.boolean(), z.string(), z.null(), z.array(languageValue).max(10_000)]),
  )
  .meta({ id: "LanguageValue" });

const ParamObject = z.strictObject({
  name: identifier,
  default: languageValue.optional(),
  min: z.number().optional(),
  max: z.number().optional(),
  description: z.string().max(500).optional(),
});

/** Declared inputs: names, or objects with a default and bounds. Normalized to objects. */
export const ParamsInput = z
  .array(z.union([identifier, ParamObject]))
  .max(64)
  .transform((items) => items.map((p) => (typeof p === "string" ? { name: p } : p)))
  .superRefine((params, ctx) => {
    const seen = new Set<string>();
    params.forEach((p, i) => {
      if (seen.has(p.name))
        ctx.addIssue({ code: "custom", path: [i, "name"], message: `${p.name} is declared twice` });
      seen.add(p.name);
      if (p.min !== undefined && p.max !== undefined && p.min > p.max) {
        ctx.addIssue({ code: "custom", path: [i], message: `min ${p.min} is above max ${p.max}` });
      }
      if (
        typeof p.default === "number" &&
        ((p.min ?? -Infinity) > p.default || p.default > (p.max ?? Infinity))
      ) {
        ctx.addIssue({
          code: "custom",
          path: [i, "default"],
          message: "the default is outside [min, max]",
        });
      }
    });
  });

export const PutFormulaBody = z.strictObject({
  expr: z.string().min(1).max(4096),
  params: ParamsInput.optional(),
  description: z.string().max(1000).optional(),
});

export const FormulaView = z
  .object({
    name: z.string(),
    version: z.number().int(),
    expr: z.string(),
    params: z.array(ParamObject).nullable(),
    description: z.string().nullable(),
    inputs: z.array(z.string()).describe("names the formula reads"),
    calls: z.record(z.string(), z.number().int()).describe("fn.NAME calls pinned to versions"),
    created_at: DateTime.describe("when this version was made"),
  })
  .meta({ id: "Formula" });

export const Vars = z.record(z.string(), jsonValue);

/** Evaluation limits of the batch shapes. */
export const BATCH_LIMITS = { rows: 10_000, columnLength: 100_000 } as const;

const evalShape = {
  vars: Vars.optional(),
  rows: z.array(Vars).max(BATCH_LIMITS.rows).optional(),
  columns: z.record(z.string(), z.array(jsonValue).max(BATCH_LIMITS.columnLength)).optional(),
  non_finite: z
    .enum(["error", "null"])
    .optional()
    .describe('"null" returns null instead of the FORMULA_NON_FINITE error'),
};

const oneShape = (body: { vars?: unknown; rows?: unknown; columns?: unknown }) =>
  [body.vars, body.rows, body.columns].filter((x) => x !== undefined).length <= 1;
const oneShapeMessage = { message: "send at most one of vars, rows, columns" };

export const AdHocEvalBody = z
  .strictObject({ expr: z.string().min(1).max(4096), ...evalShape })
  .refine(oneShape, oneShapeMessage);

export const FormulaEvalBody = z
  .strictObject({ version: z.number().int().positive().optional(), ...evalShape })
  .refine(oneShape, oneShapeMessage);

export type EvalShape = {
  vars?: Record<string, unknown>;
  rows?: Record<string, unknown>[];
  columns?: Record<string, unknown[]>;
  non_finite?: "error" | "null";
};

export const EvalResult = z
  .union([z.object({ value: jsonValue }), z.object({ values: z.array(jsonValue) })])
  .meta({ id: "EvalResult" });
