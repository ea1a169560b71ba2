/**
 * The loop seen from outside: push observations, read the audit trail, and
 * run a spec over a timeline with no side effects (simulate, replay).
 */

import { z } from "zod";
import type { Receipt, TimelineEntry } from "../cycle/index.ts";
import { simulation } from "../cycle/index.ts";
import { invalidSpec } from "../goal/lifecycle.ts";
import { validateWithFormulas } from "../goal/spec-formulas.ts";
import { cursorOf, parseCursor } from "../goal/storage-reads.ts";
import { goalStub } from "../goal/stub.ts";
import { ApiError } from "./errors.ts";
import { jsonValue } from "./formula-schemas.ts";
import { replayGoal } from "./goal-replay.ts";
import {
  CloudEventDocumented,
  PushDocumented,
  PushResult,
  ReceiptList,
  ReceiptPage,
  ReplayBody,
  ReplayResult,
  SimulateBody,
} from "./goal-schemas.ts";
import { GOAL_ID, ownGoal } from "./goals.ts";
import { acceptPush } from "./push.ts";
import { CE_HEADERS, PushQuery, readPush } from "./push-body.ts";
import { type ApiRouter, pathParam } from "./route.ts";
import { runBudgeted } from "./run-budgeted.ts";
import { receiptOut, toMs } from "./time.ts";

async function runTimeline(
  db: Parameters<typeof validateWithFormulas>[0],
  tenant: string,
  spec: unknown,
  timeline: TimelineEntry[],
  goalId: string,
) {
  const validation = await validateWithFormulas(db, tenant, spec);
  if (!validation.ok) throw invalidSpec(validation.issues);
  return runBudgeted(
    tenant,
    validation.goal,
    simulation(validation.goal, timeline, { goalId }),
    "simulation",
  );
}

export function goalLoopRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/observations",
      operationId: "pushObservations",
      errors: [422],
      summary:
        "Push observations ({name, value}, {values}, {observations:[…]}, a payload as it is, or a CloudEvent); a cycle runs at once",
      tag: "goals",
      scope: "observe",
      documentedBody: PushDocumented,
      bodyTypes: { "application/cloudevents+json": CloudEventDocumented },
      query: PushQuery,
      headers: {
        "Idempotency-Key":
          "a repeat with the same key is accepted and not counted twice (kept by the goal, with the observations); a CloudEvent's source and id take its place",
        ...CE_HEADERS,
      },
      responses: { 202: { description: "Accepted", schema: PushResult } },
      idempotency: "handler",
    },
    async (c) => {
      // The goal's object checks the tenant itself (another tenant's goal, or none, is a
      // 404), so the hot path of a push skips the registry read.
      const id = pathParam(c, "id");
      if (!GOAL_ID.test(id)) throw new ApiError(404, "NOT_FOUND", `no goal ${id}`);
      const goal = { id, tenant: c.get("principal").tenant };
      const push = await readPush(c, await c.req.text());
      return acceptPush(c, goal, push, push.eventKey ?? c.req.header("idempotency-key"));
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/goals/:id/specs/:version",
      operationId: "getGoalSpecVersion",
      summary:
        "A spec version the goal ran with (a receipt's spec_version): the current one, or one its kept history ran with",
      tag: "goals",
      scope: "goals:read",
      responses: {
        200: {
          description: "The spec as it was",
          schema: z.object({ version: z.number().int(), spec: z.record(z.string(), jsonValue) }),
        },
      },
    },
    async (c) => {
      const row = await ownGoal(c);
      const text = pathParam(c, "version");
      const version = /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : undefined;
      if (version === undefined) {
        throw new ApiError(400, "VALIDATION_FAILED", "version is a positive whole number", {
          issues: [{ path: "version", message: "must be 1, 2, 3, ..." }],
        });
      }
      const spec =
        version === row.specVersion
          ? row.spec
          : await goalStub(c.env, row.id).specAt(row.tenant, version);
      if (!spec) {
        throw new ApiError(404, "NOT_FOUND", `goal ${row.id} keeps no spec version ${version}`);
      }
      return c.json({ version, spec });
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/goals/:id/cycles",
      operationId: "listCycles",
      summary: "The audit trail: receipts, newest last (after= a cycle number, limit=)",
      tag: "goals",
      scope: "goals:read",
      query: z.object({
        after: z
          .string()
          .max(40)
          .optional()
          .describe(
            "a cycle number: the receipts after it, fault receipts filed after that cycle included; or the next_after of the previous page",
          ),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      responses: { 200: { description: "Receipts", schema: ReceiptPage } },
    },
    async (c, { query }) => {
      const row = await ownGoal(c);
      const after = query.after === undefined ? undefined : parseCursor(query.after);
      if (query.after !== undefined && after === undefined) {
        throw new ApiError(
          400,
          "VALIDATION_FAILED",
          "after is a cycle number (or a next_after cursor)",
          {
            issues: [{ path: "after", message: "must be N or N.T as next_after gives it" }],
          },
        );
      }
      const receipts = await goalStub(c.env, row.id).receipts(row.tenant, after, query.limit);
      if (!receipts) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
      const last = receipts.at(-1);
      return c.json({
        cycles: receipts.map(receiptOut),
        next_after: last === undefined ? null : cursorOf(last),
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/goals/simulate",
      operationId: "simulateGoal",
      evaluates: true,
      summary:
        "Run a spec over a timeline of observations: the receipts it would produce, no side effects",
      tag: "goals",
      scope: "goals:read",
      body: SimulateBody,
      responses: { 200: { description: "Receipts", schema: ReceiptList } },
    },
    async (c, { body }) => {
      const timeline = body.observations.map((o) => ({
        at: toMs(o.at, 0),
        values: o.values,
        ...(o.trigger ? { trigger: o.trigger } : {}),
        ...(o.model ? { model: o.model } : {}),
      }));
      const receipts: Receipt[] = await runTimeline(
        c.get("db"),
        c.get("principal").tenant,
        body.spec,
        timeline,
        "simulation",
      );
      return c.json({ cycles: receipts.map(receiptOut) });
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/replay",
      operationId: "replayGoal",
      errors: [409],
      evaluates: true,
      summary:
        "Replay every recorded cycle's inputs through the goal's own spec versions (the receipts it wrote, exactly) or a changed spec (what if)",
      tag: "goals",
      scope: "goals:read",
      body: ReplayBody,
      responses: { 200: { description: "Receipts", schema: ReplayResult } },
    },
    async (c, { body }) => replayGoal(c, await ownGoal(c), body),
  );
}
