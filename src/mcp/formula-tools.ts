/** The formula tools: evaluate, list, read and register formulas. */
import { z } from "zod";
import {
  cursor,
  defined,
  enc,
  evalInputs,
  formulaName,
  headers,
  ifMatch,
  limit,
  READ,
  type ToolDefinition,
} from "./tool-kit.ts";

export const FORMULA_TOOLS: readonly ToolDefinition[] = [
  {
    name: "eval_formula",
    title: "Evaluate a formula",
    description:
      "Evaluate an expression (expr) or a registered formula (name, optional version) with vars (→ value), rows or columns (→ values).",
    scope: "formulas:read",
    input: {
      expr: z.string().optional().describe("an expression, e.g. a*x^2 + b"),
      name: formulaName.optional().describe("a registered formula's name (instead of expr)"),
      version: z.number().int().positive().optional().describe("with name: a pinned version"),
      ...evalInputs,
    },
    annotations: READ,
    request: ({ expr, name, version, ...inputs }) =>
      name !== undefined && expr === undefined
        ? {
            method: "POST",
            path: `/v1/formulas/${enc(name)}/eval`,
            body: defined({ version, ...inputs }),
          }
        : // expr with name or version is the API's to refuse (an unknown key), not dropped here.
          { method: "POST", path: "/v1/eval", body: defined({ expr, name, version, ...inputs }) },
  },
  {
    name: "list_formulas",
    title: "List formulas",
    description:
      "List the tenant's registered formulas (current versions), by name, a page at a time.",
    scope: "formulas:read",
    input: { limit: limit(100), cursor },
    annotations: READ,
    request: (args) => ({ method: "GET", path: "/v1/formulas", query: args }),
  },
  {
    name: "get_formula",
    title: "Get a formula",
    description:
      "Read a registered formula: expression, declared params, inputs, pinned fn. calls (current version, or version).",
    scope: "formulas:read",
    input: { name: formulaName, version: z.number().int().positive().optional() },
    annotations: READ,
    request: ({ name, version }) => ({
      method: "GET",
      path:
        version === undefined
          ? `/v1/formulas/${enc(name)}`
          : `/v1/formulas/${enc(name)}/versions/${version}`,
    }),
  },
  {
    name: "put_formula",
    title: "Register a formula",
    description:
      "Create or replace a named formula (each change is a new immutable version); params declare inputs with defaults and bounds.",
    scope: "formulas:write",
    input: {
      name: formulaName,
      expr: z.string().describe("the expression; fn.OTHER(args) calls another registered formula"),
      params: z
        .array(z.union([z.string(), z.record(z.string(), z.unknown())]))
        .optional()
        .describe(
          'inputs in order: a name, or {"name", "default"?, "min"?, "max"?, "description"?}',
        ),
      description: z.string().optional(),
      if_match_version: ifMatch,
    },
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
    request: ({ name, if_match_version, ...body }) => ({
      method: "PUT",
      path: `/v1/formulas/${enc(name)}`,
      body: defined(body),
      headers: headers({ if_match_version }),
    }),
  },
];
