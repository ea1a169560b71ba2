/**
 * Goals: register (the loop starts at once), list, read, replace the spec,
 * pause, resume, delete.
 */

import type { Context } from "hono";
import { z } from "zod";
import { type GoalStatus, getGoal, listGoals, setGoalStatus } from "../db/goals.ts";
import type { GoalRow } from "../db/schema.ts";
import { createGoal, removeGoal, startGoal } from "../goal/lifecycle.ts";
import { replaceSpec } from "../goal/spec-version.ts";
import { goalStub } from "../goal/stub.ts";
import { type GoalView, loopInBrief } from "../goal/view.ts";
import { jsonBytes } from "../spec/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import {
  GoalCreated,
  GoalDetail,
  GoalLive,
  GoalSpecSchema,
  GoalSummary,
  MAX_SPEC_BYTES,
} from "./goal-schemas.ts";
import { type ApiRouter, cursorQuery, expectedVersion, pathParam, readJson } from "./route.ts";
import { isoTime } from "./time.ts";

export function goalSummary(row: GoalRow): z.infer<typeof GoalSummary> {
  return {
    id: row.id,
    name: row.name,
    status: row.status as z.infer<typeof GoalSummary>["status"],
    spec_version: row.specVersion,
    parent_id: row.parentId,
    created_at: isoTime(row.createdAt),
    updated_at: isoTime(row.updatedAt),
  };
}

/**
 * The registry's row with the goal's live view. The spec, its version and
 * name are the row's: the version an If-Match names, and for a PUT the one
 * that request stored even if a newer one has reached the goal since.
 */
function goalDetail(row: GoalRow, view: GoalView) {
  return {
    ...goalSummary(row),
    ...view,
    name: row.name,
    spec_version: row.specVersion,
    spec: row.spec,
    created_at: isoTime(row.createdAt),
    updated_at: isoTime(row.updatedAt),
  };
}

/** The spec version as an entity tag, for If-Match on PUT. */
const specTag = (row: GoalRow) => `"${row.specVersion}"`;

/** The form of a goal id. */
export const GOAL_ID = /^g_[0-9a-f]{20}$/;

/** The caller's goal named in the path, or 404 (also for another tenant's). */
export async function ownGoal(c: Context<AppEnv>): Promise<GoalRow> {
  const id = pathParam(c, "id");
  const row = GOAL_ID.test(id)
    ? await getGoal(c.get("db"), c.get("principal").tenant, id)
    : undefined;
  if (!row) throw new ApiError(404, "NOT_FOUND", `no goal ${id}`);
  return row;
}

/** The goal's live view; an active goal whose creation a crash left unfinished is started now. */
async function liveView(c: Context<AppEnv>, row: GoalRow): Promise<GoalView> {
  const view =
    (await goalStub(c.env, row.id).view(row.tenant)) ??
    (row.status === "active" ? await startGoal(c.env, c.get("db"), row) : null);
  if (!view) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
  return view;
}

/** Reads a spec body, refusing one over the size limit. */
export async function readSpec(c: Context<AppEnv>): Promise<unknown> {
  const body = await readJson(c);
  const bytes = jsonBytes(body);
  if (bytes > MAX_SPEC_BYTES) {
    throw new ApiError(
      413,
      "SPEC_TOO_LARGE",
      `a goal spec is at most ${MAX_SPEC_BYTES} bytes of JSON (UTF-8); this one is ${bytes}`,
      { bytes, max_bytes: MAX_SPEC_BYTES },
    );
  }
  return body;
}

export function goalRoutes(api: ApiRouter): void {
  const goal = { tag: "goals" } as const;
  api.route(
    {
      ...goal,
      method: "post",
      path: "/v1/goals",
      operationId: "createGoal",
      errors: [422],
      summary: "Register a goal; its loop starts at once",
      scope: "goals:write",
      documentedBody: GoalSpecSchema,
      headers: {
        "Idempotency-Key":
          "the goal's id derives from it: a retry gets the same goal (finished if a crash left it half-made)",
      },
      responses: {
        201: {
          description:
            "Created; the loop is running. The secrets are shown this once (and to a retry with the same Idempotency-Key within 24 h)",
          schema: GoalCreated,
        },
      },
    },
    async (c) => {
      const { tenant } = c.get("principal");
      const idempotencyKey = c.req.header("idempotency-key");
      const { row, view, secrets } = await createGoal(
        c.env,
        c.get("db"),
        tenant,
        await readSpec(c),
        idempotencyKey === undefined ? {} : { idempotencyKey },
      );
      return c.json(
        {
          ...goalDetail(row, view),
          signing_secret: secrets?.signingSecret ?? null,
          ingest_secret: secrets?.ingestSecret ?? null,
        },
        201,
      );
    },
  );

  api.route(
    {
      ...goal,
      method: "get",
      path: "/v1/goals",
      operationId: "listGoals",
      summary: "List goals",
      scope: "goals:read",
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: cursorQuery(64),
        include: z
          .enum(["live"])
          .optional()
          .describe("live: each goal's loop as its object reports it (one call per goal)"),
      }),
      responses: {
        200: {
          description: "A page",
          schema: z.object({
            goals: z.array(
              GoalSummary.extend({
                live: GoalLive.nullable()
                  .optional()
                  .describe("with include=live (null: the goal's object did not answer)"),
              }),
            ),
            next_cursor: z.string().nullable(),
          }),
        },
      },
    },
    async (c, { query }) => {
      const rows = await listGoals(
        c.get("db"),
        c.get("principal").tenant,
        query.cursor,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      const next_cursor = rows.length > query.limit ? (page.at(-1)?.id ?? null) : null;
      if (query.include !== "live") return c.json({ goals: page.map(goalSummary), next_cursor });
      const views = await Promise.allSettled(
        page.map((row) => goalStub(c.env, row.id).view(row.tenant)),
      );
      const goals = page.map((row, i) => {
        const settled = views[i];
        const view = settled?.status === "fulfilled" ? settled.value : null;
        return { ...goalSummary(row), live: view ? loopInBrief(view) : null };
      });
      return c.json({ goals, next_cursor });
    },
  );

  api.route(
    {
      ...goal,
      method: "get",
      path: "/v1/goals/:id",
      operationId: "getGoal",
      summary: "A goal: spec, status, last cycle, oriented values, verdicts, next wake-up",
      scope: "goals:read",
      responses: { 200: { description: "The goal", schema: GoalDetail } },
    },
    async (c) => {
      const row = await ownGoal(c);
      const view = await liveView(c, row);
      c.header("ETag", specTag(row));
      return c.json(goalDetail(row, view));
    },
  );

  api.route(
    {
      ...goal,
      method: "put",
      path: "/v1/goals/:id",
      operationId: "replaceGoalSpec",
      errors: [409, 422],
      summary: "Replace the spec (a new spec version; loop state kept where names survive)",
      scope: "goals:write",
      documentedBody: GoalSpecSchema,
      headers: {
        "If-Match":
          'the spec_version you expect to replace, e.g. "3" (the ETag of a GET); 409 VERSION_CONFLICT when it is not current',
      },
      responses: {
        200: {
          description:
            "The goal with the version this request stored (its ETag); concurrent changes each get their own, the last stored wins",
          schema: GoalDetail,
        },
      },
    },
    async (c) => {
      const expected = expectedVersion(c.req.header("if-match"));
      const row = await ownGoal(c);
      const replaced = await replaceSpec(c.env, c.get("db"), row, await readSpec(c), expected);
      c.header("ETag", specTag(replaced.row));
      return c.json(goalDetail(replaced.row, replaced.view));
    },
  );

  for (const [verb, paused] of [
    ["pause", true],
    ["resume", false],
  ] as const) {
    api.route(
      {
        ...goal,
        method: "post",
        path: `/v1/goals/:id/${verb}`,
        operationId: `${verb}Goal`,
        summary: paused
          ? "Pause the loop (observations are kept for later)"
          : "Resume the loop; a cycle runs at once",
        scope: "goals:write",
        responses: { 200: { description: "The goal", schema: GoalDetail } },
      },
      async (c) => {
        const row = await ownGoal(c);
        const view = await goalStub(c.env, row.id).setPaused(row.tenant, paused);
        if (!view) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
        await setGoalStatus(c.get("db"), row.tenant, row.id, view.status as GoalStatus, Date.now());
        return c.json(goalDetail({ ...row, status: view.status }, view));
      },
    );
  }

  api.route(
    {
      ...goal,
      method: "delete",
      path: "/v1/goals/:id",
      operationId: "deleteGoal",
      summary: "Delete a goal: its alarm is cleared and its storage deleted",
      scope: "goals:write",
      responses: { 204: { description: "Deleted" } },
    },
    async (c) => {
      await removeGoal(c.env, c.get("db"), await ownGoal(c));
      return c.body(null, 204);
    },
  );
}
