/**
 * The MCP tools: each one a /v1 route, with the scope that route requires, a
 * zod input schema (the SDK publishes it as JSON Schema) and how its
 * arguments become the API request. Complex bodies (a goal spec, a push) are
 * passed on as they are, so the API's own validation answers with its codes,
 * positions and hints.
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
const segment = (what: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .refine((s) => s !== "." && s !== "..", `${what} cannot be . or ..`)
    .describe(what);

const goalId = segment("the goal's id (g_…)");
const formulaName = segment("the formula's name");
const spec = z
  .record(z.string(), z.unknown())
  .describe(
    "a goal spec: {name, every, params?, observe, orient?, decide: {rules: [{id, when, do}]}, act, guard?} (see the README's goal section)",
  );
const idempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .optional()
  .describe("Idempotency-Key: a retry with the same key is not done twice");
const ifMatch = z
  .number()
  .int()
  .positive()
  .optional()
  .describe("replace only this version (If-Match); otherwise 409 VERSION_CONFLICT");
const limit = (max: number) => z.number().int().min(1).max(max).optional();
const cursor = z.string().max(200).optional().describe("next_cursor of the previous page");
const vars = z.record(z.string(), z.unknown());
const evalInputs = {
  vars: vars.optional().describe("one set of inputs → {value}"),
  rows: z.array(vars).optional().describe("many sets of inputs → {values}"),
  columns: z
    .record(z.string(), z.array(z.unknown()))
    .optional()
    .describe("inputs as columns of equal length → {values}"),
  non_finite: z.enum(["error", "null"]).optional().describe('"null": null instead of an error'),
};

const enc = encodeURIComponent;

/** Headers for a mutating request: its idempotency key and expected version, when given. */
function headers(args: { idempotency_key?: string; if_match_version?: number }) {
  const out: Record<string, string> = {};
  if (args.idempotency_key !== undefined) out["idempotency-key"] = args.idempotency_key;
  if (args.if_match_version !== undefined) out["if-match"] = `"${args.if_match_version}"`;
  return out;
}

/** `values` without the keys whose value is undefined. */
function defined(values: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined));
}

const READ: ToolAnnotations = { readOnlyHint: true, openWorldHint: false };

export const TOOLS: readonly ToolDefinition[] = [
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
  {
    name: "list_goals",
    title: "List goals",
    description:
      "List the tenant's goals (id, name, status); include_live adds each loop's state: cycle, next wake-up, approvals awaited.",
    scope: "goals:read",
    input: { limit: limit(100), cursor, include_live: z.boolean().optional() },
    annotations: READ,
    request: ({ include_live, ...page }) => ({
      method: "GET",
      path: "/v1/goals",
      query: { ...page, include: include_live ? "live" : undefined },
    }),
  },
  {
    name: "get_goal",
    title: "Get a goal",
    description:
      "Read a goal: spec, status, last cycle and outcome, oriented values, last verdicts, next wake-up, approvals awaited (or its spec at spec_version).",
    scope: "goals:read",
    input: { goal_id: goalId, spec_version: z.number().int().positive().optional() },
    annotations: READ,
    request: ({ goal_id, spec_version }) => ({
      method: "GET",
      path:
        spec_version === undefined
          ? `/v1/goals/${enc(goal_id)}`
          : `/v1/goals/${enc(goal_id)}/specs/${spec_version}`,
    }),
  },
  {
    name: "create_goal",
    title: "Create a goal",
    description:
      "Register a goal from its spec; its observe → orient → decide → act loop starts at once. The answer shows its secrets this once.",
    scope: "goals:write",
    input: { spec, idempotency_key: idempotencyKey },
    annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: true },
    request: ({ spec, idempotency_key }) => ({
      method: "POST",
      path: "/v1/goals",
      body: spec,
      headers: headers({ idempotency_key }),
    }),
  },
  {
    name: "update_goal",
    title: "Change a goal's spec",
    description:
      "Replace a goal's spec with a new version; loop state is kept for names that survive. if_match_version guards against lost updates.",
    scope: "goals:write",
    input: { goal_id: goalId, spec, if_match_version: ifMatch },
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
    request: ({ goal_id, spec, if_match_version }) => ({
      method: "PUT",
      path: `/v1/goals/${enc(goal_id)}`,
      body: spec,
      headers: headers({ if_match_version }),
    }),
  },
  {
    name: "pause_goal",
    title: "Pause a goal",
    description:
      "Pause a goal's loop: no cycles run (pushes are kept for later) until resume_goal.",
    scope: "goals:write",
    input: { goal_id: goalId },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
    request: ({ goal_id }) => ({ method: "POST", path: `/v1/goals/${enc(goal_id)}/pause` }),
  },
  {
    name: "resume_goal",
    title: "Resume a goal",
    description: "Resume a paused goal's loop; a cycle runs with what was pushed meanwhile.",
    scope: "goals:write",
    input: { goal_id: goalId },
    annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: true },
    request: ({ goal_id }) => ({ method: "POST", path: `/v1/goals/${enc(goal_id)}/resume` }),
  },
  {
    name: "push_observations",
    title: "Push observations",
    description:
      "Push values a goal observes (name + value, values, observations, or a raw payload); a cycle runs at once.",
    scope: "observe",
    input: {
      goal_id: goalId,
      name: z.string().optional().describe("one observed name (with value)"),
      value: z.unknown().optional(),
      at: z
        .union([z.string(), z.number()])
        .optional()
        .describe("when it was observed: ISO 8601 or epoch ms (default now)"),
      values: z.record(z.string(), z.unknown()).optional().describe("several names at once"),
      observations: z
        .array(z.record(z.string(), z.unknown()))
        .optional()
        .describe("[{name, value, at?}…]"),
      payload: z
        .unknown()
        .optional()
        .describe("any JSON (an event from elsewhere) read by the goal's push sources' paths"),
      idempotency_key: idempotencyKey,
    },
    annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: true },
    request: ({ goal_id, payload, idempotency_key, ...shapes }) => ({
      method: "POST",
      path: `/v1/goals/${enc(goal_id)}/observations`,
      ...(payload === undefined
        ? { body: defined(shapes) }
        : { body: payload, query: { shape: "payload" } }),
      headers: headers({ idempotency_key }),
    }),
  },
  {
    name: "list_cycles",
    title: "Read a goal's receipts",
    description:
      "The receipts: per cycle what was observed, the oriented values, each rule's verdict and why, actions and results (newest last; after= pages on).",
    scope: "goals:read",
    input: {
      goal_id: goalId,
      after: z.string().max(40).optional().describe("a cycle number, or next_after of a page"),
      limit: limit(200),
    },
    annotations: READ,
    request: ({ goal_id, ...query }) => ({
      method: "GET",
      path: `/v1/goals/${enc(goal_id)}/cycles`,
      query,
    }),
  },
  {
    name: "simulate_goal",
    title: "Simulate a spec",
    description:
      "Run a spec over a timeline of observations and get the receipts it would produce, with no side effects.",
    scope: "goals:read",
    input: {
      spec,
      observations: z
        .array(z.record(z.string(), z.unknown()))
        .describe('the timeline: [{"at", "values": {NAME: value}, "trigger"?: "push"|"alarm"}…]'),
    },
    annotations: READ,
    request: (body) => ({ method: "POST", path: "/v1/goals/simulate", body }),
  },
  {
    name: "replay_goal",
    title: "Replay a goal",
    description:
      "Re-run a goal's recorded inputs: with no spec its receipts come back exactly; with spec, what that spec would have done.",
    scope: "goals:read",
    input: {
      goal_id: goalId,
      spec: spec.optional(),
      after: z.number().int().nonnegative().optional(),
      limit: limit(500),
    },
    annotations: READ,
    request: ({ goal_id, ...body }) => ({
      method: "POST",
      path: `/v1/goals/${enc(goal_id)}/replay`,
      body: defined(body),
    }),
  },
  {
    name: "list_approvals",
    title: "List approvals",
    description:
      "Actions held for a person's decision (guard.approve), newest first: the tenant's inbox, or one goal's with goal_id.",
    scope: "goals:read",
    input: {
      goal_id: goalId.optional(),
      status: z.enum(["pending", "approved", "rejected", "expired"]).optional(),
      limit: limit(200).describe("without goal_id"),
      cursor: cursor.describe("without goal_id: next_cursor of the previous page"),
    },
    annotations: READ,
    request: ({ goal_id, status, ...page }) =>
      goal_id === undefined
        ? { method: "GET", path: "/v1/approvals", query: { status, ...page } }
        : { method: "GET", path: `/v1/goals/${enc(goal_id)}/approvals`, query: { status } },
  },
  {
    name: "decide_approval",
    title: "Approve or reject a held action",
    description:
      "Decide on a held action: approve sends it now with its original idempotency key, reject reports it to the goal as rejected.",
    scope: "goals:write",
    input: {
      goal_id: goalId,
      key: segment("the held action's key, from list_approvals"),
      decision: z.enum(["approve", "reject"]),
      reason: z.string().optional().describe("why, recorded in the next receipt"),
      idempotency_key: idempotencyKey,
    },
    annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: true },
    request: ({ goal_id, key, decision, reason, idempotency_key }) => ({
      method: "POST",
      path: `/v1/goals/${enc(goal_id)}/approvals/${enc(key)}/${decision}`,
      body: defined({ reason }),
      headers: headers({ idempotency_key }),
    }),
  },
];
