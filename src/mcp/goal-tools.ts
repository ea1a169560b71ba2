/** The goal tools: list, read, create, change, pause and resume goals. */
import { z } from "zod";
import {
  cursor,
  enc,
  goalId,
  headers,
  idempotencyKey,
  ifMatch,
  limit,
  READ,
  spec,
  type ToolDefinition,
} from "./tool-kit.ts";

export const GOAL_TOOLS: readonly ToolDefinition[] = [
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
];
