/** The loop's tools: push, the receipts, simulate, replay, and approvals. */
import { z } from "zod";
import {
  cursor,
  defined,
  enc,
  goalId,
  headers,
  idempotencyKey,
  limit,
  READ,
  segment,
  spec,
  type ToolDefinition,
} from "./tool-kit.ts";

export const LOOP_TOOLS: readonly ToolDefinition[] = [
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
