/**
 * Approvals: actions a goal holds until a person decides (`guard.approve`).
 * The tenant's inbox (`GET /v1/approvals`, from D1), a goal's approvals
 * (from the goal itself), and the decision: approve sends the held action
 * with its original idempotency key; reject comes back to the goal as the
 * action's result (`act.NAME.status == "rejected"`). The first decision
 * stands: the same one again is answered as before, another is a 409.
 */
import type { Context } from "hono";
import { z } from "zod";
import { listTenantApprovals } from "../db/approvals.ts";
import type { ApprovalRow, GoalRow } from "../db/schema.ts";
import type { Decision } from "../goal/approvals.ts";
import type { ApprovalRecord } from "../goal/store.ts";
import { goalStub } from "../goal/stub.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { jsonValue } from "./formula-schemas.ts";
import { ownGoal } from "./goals.ts";
import { parseJsonBody } from "./json-body.ts";
import { type ApiRouter, cursorQuery, parseWith, pathParam } from "./route.ts";
import { DateTime, isoTime } from "./time.ts";

const STATUSES = ["pending", "approved", "rejected", "expired"] as const;

export const Approval = z.object({
  goal_id: z.string(),
  key: z.string().describe("the held action's idempotency key"),
  action: z.string(),
  rule: z.string(),
  cycle: z.number().int(),
  kind: z.enum(["webhook", "formula", "record", "signal", "spawn"]),
  payload: jsonValue.describe("what the action will send, as planned"),
  status: z.enum(STATUSES),
  requested_at: DateTime,
  expires_at: DateTime,
  decided_at: DateTime.nullable(),
  decided_by: z
    .object({ key_id: z.string(), name: z.string().nullable() })
    .nullable()
    .describe("the API key that decided (null: pending, or expired)"),
  reason: z.string().nullable(),
});

type ApprovalJson = z.infer<typeof Approval>;

function fromRecord(record: ApprovalRecord): ApprovalJson {
  return {
    goal_id: record.goalId,
    key: record.key,
    action: record.action,
    rule: record.rule,
    cycle: record.cycle,
    kind: record.planned.kind,
    payload: record.planned.payload as ApprovalJson["payload"],
    status: record.status,
    requested_at: isoTime(record.requestedAt),
    expires_at: isoTime(record.expiresAt),
    decided_at: isoTime(record.decidedAt),
    decided_by: record.decidedBy,
    reason: record.reason,
  };
}

function fromRow(row: ApprovalRow): ApprovalJson {
  return {
    goal_id: row.goalId,
    key: row.key,
    action: row.action,
    rule: row.rule,
    cycle: row.cycle,
    kind: row.kind as ApprovalJson["kind"],
    payload: row.payload as ApprovalJson["payload"],
    status: row.status as ApprovalJson["status"],
    requested_at: isoTime(row.requestedAt),
    expires_at: isoTime(row.expiresAt),
    decided_at: isoTime(row.decidedAt),
    decided_by: row.decidedBy ?? null,
    reason: row.reason,
  };
}

const DecisionBody = z
  .strictObject({
    reason: z.string().max(500).optional().describe("why; kept in the goal's receipts"),
  })
  .meta({ id: "ApprovalDecision" });

/** The body of a decision: optional, JSON when present. */
async function decisionBody(c: Context<AppEnv>): Promise<z.infer<typeof DecisionBody>> {
  const text = await c.req.text();
  if (text.trim() === "") return {};
  return parseWith(DecisionBody, parseJsonBody(text), "body");
}

async function decide(
  c: Context<AppEnv>,
  row: GoalRow,
  decision: "approved" | "rejected",
): Promise<Response> {
  const key = pathParam(c, "key");
  const { reason } = await decisionBody(c);
  const principal = c.get("principal");
  const outcome: Decision | null = key.startsWith(`${row.id}:`)
    ? await goalStub(c.env, row.id).decide(
        row.tenant,
        key,
        decision,
        { key_id: principal.keyId, name: principal.keyName },
        reason ?? null,
      )
    : { kind: "missing" };
  if (outcome === null || outcome.kind === "missing") {
    throw new ApiError(404, "NOT_FOUND", `no action ${key} awaits approval in goal ${row.id}`);
  }
  if (outcome.kind === "conflict") {
    const { status } = outcome.record;
    throw new ApiError(
      409,
      "APPROVAL_DECIDED",
      `${key} was already ${status}; the first decision stands`,
      { approval: fromRecord(outcome.record) },
    );
  }
  return c.json({ approval: fromRecord(outcome.record), repeated: outcome.kind === "repeated" });
}

const Decided = z
  .object({
    approval: Approval,
    repeated: z
      .boolean()
      .describe("true when this decision had been taken before (nothing changed)"),
  })
  .meta({ id: "ApprovalDecided" });

export function approvalRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "get",
      path: "/v1/approvals",
      operationId: "listApprovals",
      summary: "The tenant's approvals inbox, newest first (status=pending for those waiting)",
      tag: "approvals",
      scope: "goals:read",
      query: z.object({
        status: z.enum(STATUSES).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
        cursor: cursorQuery(200),
      }),
      responses: {
        200: {
          description: "A page",
          schema: z.object({ approvals: z.array(Approval), next_cursor: z.string().nullable() }),
        },
      },
    },
    async (c, { query }) => {
      const before = query.cursor === undefined ? undefined : parseApprovalCursor(query.cursor);
      const rows = await listTenantApprovals(
        c.get("db"),
        c.get("principal").tenant,
        query.status,
        before,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      const last = page.at(-1);
      return c.json({
        approvals: page.map(fromRow),
        next_cursor:
          rows.length > query.limit && last !== undefined
            ? `${last.requestedAt}.${last.key}`
            : null,
      });
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/goals/:id/approvals",
      operationId: "listGoalApprovals",
      summary: "A goal's approvals, newest first (status= to filter)",
      tag: "approvals",
      scope: "goals:read",
      query: z.object({ status: z.enum(STATUSES).optional() }),
      responses: {
        200: { description: "Approvals", schema: z.object({ approvals: z.array(Approval) }) },
      },
    },
    async (c, { query }) => {
      const row = await ownGoal(c);
      const records = await goalStub(c.env, row.id).approvals(row.tenant, query.status);
      if (!records) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
      return c.json({ approvals: records.map(fromRecord) });
    },
  );

  for (const [verb, decision] of [
    ["approve", "approved"],
    ["reject", "rejected"],
  ] as const) {
    api.route(
      {
        method: "post",
        path: `/v1/goals/:id/approvals/:key/${verb}`,
        operationId: `${verb}Action`,
        summary:
          decision === "approved"
            ? "Approve a held action: it is sent now with its original idempotency key"
            : 'Reject a held action: the goal sees act.NAME.status == "rejected"',
        tag: "approvals",
        scope: "goals:write",
        documentedBody: DecisionBody,
        responses: {
          200: {
            description: "Decided (or the same decision again: repeated)",
            schema: Decided,
          },
          409: { description: "Decided otherwise before, or expired (APPROVAL_DECIDED)" },
        },
      },
      async (c) => decide(c, await ownGoal(c), decision),
    );
  }
}

function parseApprovalCursor(cursor: string): { requestedAt: number; key: string } {
  const dot = cursor.indexOf(".");
  const requestedAt = Number(cursor.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(requestedAt)) {
    throw new ApiError(400, "VALIDATION_FAILED", "cursor is the next_cursor of a previous page");
  }
  return { requestedAt, key: cursor.slice(dot + 1) };
}
