/**
 * The loop seen from outside: push observations, read the audit trail, and
 * run a spec over a timeline with no side effects (simulate, replay).
 */

import type { Context } from "hono";
import { z } from "zod";
import { sha256Hex } from "../auth/keys.ts";
import { compileGoal } from "../goal/compile.ts";
import { invalidSpec } from "../goal/lifecycle.ts";
import { cursorOf, parseCursor } from "../goal/reads.ts";
import { goalStub } from "../goal/stub.ts";
import type { Observation, Receipt, TimelineEntry } from "../loop/index.ts";
import { jsonBytes, simulation } from "../loop/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { replayGoal } from "./goal-replay.ts";
import {
  PushBody,
  PushResult,
  ReceiptList,
  ReceiptPage,
  ReplayBody,
  ReplayResult,
  SimulateBody,
} from "./goal-schemas.ts";
import { GOAL_ID, ownGoal } from "./goals.ts";
import { IDEMPOTENCY_KEY } from "./idempotency.ts";
import { type ApiRouter, pathParam } from "./route.ts";
import { runBudgeted } from "./run-budgeted.ts";
import { receiptOut, toMs } from "./time.ts";

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

/** Largest value of one observation: UTF-8 bytes of its JSON. */
export const MAX_OBSERVATION_BYTES = 16 * 1024;

/** Largest push, all its observations together: UTF-8 bytes of JSON (one push is one inbox entry). */
export const MAX_PUSH_BYTES = 512 * 1024;

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
  const largest = observations.find((o) => jsonBytes(o.value) > MAX_OBSERVATION_BYTES);
  if (largest) {
    throw new ApiError(
      413,
      "OBSERVATION_TOO_LARGE",
      `an observation's value is at most ${MAX_OBSERVATION_BYTES} bytes of JSON (UTF-8; ${largest.name} is not)`,
      { name: largest.name, max_bytes: MAX_OBSERVATION_BYTES },
    );
  }
  const total = jsonBytes(observations);
  if (total > MAX_PUSH_BYTES) {
    throw new ApiError(
      413,
      "PUSH_TOO_LARGE",
      `one push is at most ${MAX_PUSH_BYTES} bytes of observations as JSON (UTF-8; this one is ${total}); split it`,
      { bytes: total, max_bytes: MAX_PUSH_BYTES },
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
  if ("none" in outcome) {
    const names = outcome.none.map((ignored) => ignored.name).join(", ");
    throw new ApiError(
      422,
      "UNKNOWN_OBSERVATION",
      `this goal observes none of ${names}; it observes ${outcome.observed.join(", ") || "nothing"}`,
      { ignored: outcome.none, observed: outcome.observed },
    );
  }
  if ("full" in outcome) {
    const { status } = outcome.full;
    throw new ApiError(
      429,
      "INBOX_FULL",
      status === "paused"
        ? "the goal is paused and its inbox is full; resume it to take what waits"
        : "the goal's inbox is full; retry once its cycles have taken what waits",
      outcome.full,
      { "retry-after": status === "paused" ? "60" : "1" },
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
