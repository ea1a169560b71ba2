/**
 * The loop seen from outside: push observations, read the audit trail, and
 * run a spec over a timeline with no side effects (simulate, replay).
 */

import type { Context } from "hono";
import { z } from "zod";
import { sha256Hex } from "../auth/keys.ts";
import { compileGoal } from "../goal/compile.ts";
import { invalidSpec } from "../goal/lifecycle.ts";
import { goalStub } from "../goal/stub.ts";
import type { Observation, Receipt, TimelineEntry } from "../loop/index.ts";
import { simulate } from "../loop/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import {
  PushBody,
  PushResult,
  ReceiptList,
  ReplayBody,
  SimulateBody,
  toMs,
} from "./goal-schemas.ts";
import { GOAL_ID, ownGoal } from "./goals.ts";
import { IDEMPOTENCY_KEY } from "./idempotency.ts";
import { type ApiRouter, pathParam } from "./route.ts";

type Push = z.infer<typeof PushBody>;

function pushed(body: Push, now: number): Observation[] {
  if ("observations" in body) {
    return body.observations.map((o) => ({
      name: o.name,
      value: o.value,
      at: toMs(o.at, now),
      source: "push",
    }));
  }
  if ("values" in body) {
    const at = toMs(body.at, now);
    return Object.entries(body.values).map(([name, value]) => ({
      name,
      value,
      at,
      source: "push",
    }));
  }
  return [{ name: body.name, value: body.value, at: toMs(body.at, now), source: "push" }];
}

/** Largest value of one observation, as JSON. */
export const MAX_OBSERVATION_BYTES = 16 * 1024;

/**
 * Hands pushed observations to the goal and answers for it. The goal keeps
 * the idempotency key in the same storage write as the observations: a
 * repeat is accepted and not counted twice (`Idempotent-Replayed: true`), the
 * key on another body is a 422, and a push cut off by a crash either left
 * both (a repeat is a duplicate) or neither (a repeat is taken), never a claim
 * that blocks the repeat.
 */
export async function acceptPush(
  c: Context<AppEnv>,
  goal: { id: string; tenant: string },
  body: Push,
  key: string | undefined,
): Promise<Response> {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ApiError(
      400,
      "VALIDATION_FAILED",
      "Idempotency-Key is 1-128 visible ASCII characters",
    );
  }
  const observations = pushed(body, Date.now());
  const largest = observations.find((o) => JSON.stringify(o.value).length > MAX_OBSERVATION_BYTES);
  if (largest) {
    throw new ApiError(
      413,
      "OBSERVATION_TOO_LARGE",
      `an observation's value is at most ${MAX_OBSERVATION_BYTES} bytes of JSON (${largest.name} is not)`,
      { name: largest.name, max_bytes: MAX_OBSERVATION_BYTES },
    );
  }
  if (observations.some((o) => !Number.isFinite(o.at)))
    throw new ApiError(400, "VALIDATION_FAILED", "an `at` is not a valid time");
  // The fingerprint is of the validated body, so the same push always hashes alike.
  const idempotency =
    key === undefined ? undefined : { key, fingerprint: await sha256Hex(JSON.stringify(body)) };
  const stub = goalStub(c.env, goal.id);
  const outcome = await stub.observe(goal.tenant, observations, "push", idempotency);
  if (!outcome) throw new ApiError(404, "NOT_FOUND", `no goal ${goal.id}`);
  if ("reused" in outcome) {
    throw new ApiError(
      422,
      "IDEMPOTENCY_KEY_REUSED",
      "this Idempotency-Key was used for a different push to this goal",
    );
  }
  const result: z.infer<typeof PushResult> = outcome;
  return c.json(result, 202, outcome.duplicate ? { "idempotent-replayed": "true" } : {});
}

async function runTimeline(
  db: Parameters<typeof compileGoal>[0],
  tenant: string,
  spec: unknown,
  timeline: TimelineEntry[],
  goalId: string,
) {
  const validation = await compileGoal(db, tenant, spec);
  if (!validation.ok) throw invalidSpec(validation.issues);
  return simulate(validation.goal, timeline, { goalId });
}

export function goalLoopRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/observations",
      summary:
        "Push observations ({name, value}, {values}, or {observations:[…]}); a cycle runs at once",
      tag: "goals",
      scope: "observe",
      body: PushBody,
      headers: {
        "Idempotency-Key":
          "a repeat with the same key is accepted and not counted twice (kept by the goal, with the observations)",
      },
      responses: { 202: { description: "Accepted", schema: PushResult } },
      idempotency: "handler",
    },
    async (c, { body }) => {
      // The goal's object checks the tenant itself (another tenant's goal, or none, is a
      // 404), so the hot path of a push skips the registry read.
      const id = pathParam(c, "id");
      if (!GOAL_ID.test(id)) throw new ApiError(404, "NOT_FOUND", `no goal ${id}`);
      const goal = { id, tenant: c.get("principal").tenant };
      return acceptPush(c, goal, body, c.req.header("idempotency-key"));
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/goals/:id/cycles",
      summary: "The audit trail: receipts, newest last (after= a cycle number, limit=)",
      tag: "goals",
      scope: "goals:read",
      query: z.object({
        after: z.coerce.number().int().nonnegative().optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
      responses: { 200: { description: "Receipts", schema: ReceiptList } },
    },
    async (c, { query }) => {
      const row = await ownGoal(c);
      const receipts = await goalStub(c.env, row.id).receipts(row.tenant, query.after, query.limit);
      if (!receipts) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
      return c.json({ cycles: receipts });
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/goals/simulate",
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
      }));
      const receipts: Receipt[] = await runTimeline(
        c.get("db"),
        c.get("principal").tenant,
        body.spec,
        timeline,
        "simulation",
      );
      return c.json({ cycles: receipts });
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/replay",
      summary:
        "Replay the goal's recorded observations through its spec, or a changed one (what if)",
      tag: "goals",
      scope: "goals:read",
      body: ReplayBody,
      responses: { 200: { description: "Receipts", schema: ReceiptList } },
    },
    async (c, { body }) => {
      const row = await ownGoal(c);
      const recorded = await goalStub(c.env, row.id).recorded(row.tenant);
      if (!recorded) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
      const timeline = recorded.log.map((entry) => ({
        at: entry.at,
        values: entry.values,
        trigger: entry.trigger === "alarm" ? ("alarm" as const) : ("push" as const),
      }));
      const receipts = await runTimeline(
        c.get("db"),
        row.tenant,
        body.spec ?? recorded.spec,
        timeline,
        row.id,
      );
      return c.json({ cycles: receipts });
    },
  );
}
