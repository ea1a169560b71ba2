/**
 * Hands a push to its goal and answers for it, the same for both push routes
 * (with an API key, and with the goal's ingest secret).
 */
import type { Context } from "hono";
import type { z } from "zod";
import { sha256Hex } from "../auth/keys.ts";
import type { Observation } from "../cycle/index.ts";
import { MAX_OBSERVATION_BYTES, MAX_PUSH_BYTES } from "../goal/push-payload.ts";
import type { PushOutcome } from "../goal/storage-reads.ts";
import { goalStub } from "../goal/stub.ts";
import { jsonBytes } from "../spec/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import type { PushBody, PushResult } from "./goal-schemas.ts";
import { IDEMPOTENCY_KEY } from "./idempotency.ts";
import { PUSH_SHAPES, type PushRead } from "./push-body.ts";
import { isoTime, toMs } from "./time.ts";

function pushed(body: z.infer<typeof PushBody>, now: number): Observation[] {
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

/** Observations pushed by name, refused when one or all together are too large. */
function namedObservations(
  push: Extract<PushRead, { envelope: unknown }>,
  now: number,
): Observation[] {
  const observations = pushed(push.envelope, push.at ?? now);
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
  return observations;
}

/**
 * How far ahead of the server's clock a pushed time may be (the signatures'
 * tolerance). A goal keeps the latest value by time, so one dated years ahead
 * would hide every value pushed after it until that date.
 */
export const MAX_AHEAD_MS = 5 * 60 * 1000;

/** Refuses a push whose time (`at`, or a CloudEvent's `time`) is too far ahead. */
function assertNotAhead(ats: readonly number[], now: number): void {
  const ahead = ats.find((at) => at > now + MAX_AHEAD_MS);
  if (ahead === undefined) return;
  throw new ApiError(
    400,
    "VALIDATION_FAILED",
    `a pushed time may be at most ${MAX_AHEAD_MS / 60_000} minutes ahead of the server's clock (${isoTime(now)}); this one is ${isoTime(ahead)}`,
    {
      at: isoTime(ahead),
      now: isoTime(now),
      max_ahead_ms: MAX_AHEAD_MS,
    },
  );
}

/**
 * What a repeat must match to be a duplicate rather than the key reused. A
 * CloudEvent's key is its identity (source and id): any redelivery of it is
 * a repeat. Otherwise the validated body, so the same push always hashes
 * alike (a named push hashes as it always has, so keys kept before stay good).
 */
function fingerprintOf(push: PushRead, key: string): Promise<string> {
  if (key === push.eventKey) return Promise.resolve(key);
  return sha256Hex(
    JSON.stringify("envelope" in push ? push.envelope : { payload: push.payload, at: push.at }),
  );
}

/** The goal's refusal of a push with nothing it observes, naming where it looked. */
function nothingObserved(outcome: Extract<PushOutcome, { none: unknown }>): ApiError {
  const { none: ignored, observed } = outcome;
  if (!outcome.payload) {
    const names = ignored.map((i) => i.name).join(", ");
    return new ApiError(
      422,
      "UNKNOWN_OBSERVATION",
      `this goal observes none of ${names}; it observes ${observed.join(", ") || "nothing"}`,
      { ignored, observed },
    );
  }
  const message =
    ignored.length === 0
      ? `this goal has no push source to read a payload; push its names (${observed.join(", ") || "none"}) as {values: {NAME: value}} or {name, value}`
      : `no push source of this goal found a value in the payload: ${ignored.map((i) => `${i.name} (${i.reason.replace("the payload has ", "")})`).join("; ")}`;
  return new ApiError(422, "UNKNOWN_OBSERVATION", message, {
    ignored,
    observed,
    shapes: PUSH_SHAPES,
  });
}

/**
 * Hands a push to the goal and answers for it. Values pushed by name are
 * checked here; a payload is read by the goal, under the spec version it
 * holds. The goal keeps the idempotency key in the same storage write as the
 * observations: a repeat is accepted and not counted twice
 * (`Idempotent-Replayed: true`), the key on another body is a 422, and a push
 * cut off by a crash either left both (a repeat is a duplicate) or neither (a
 * repeat is taken), never a claim that blocks the repeat.
 */
export async function acceptPush(
  c: Context<AppEnv>,
  goal: { id: string; tenant: string },
  push: PushRead,
  key: string | undefined,
): Promise<Response> {
  if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
    throw new ApiError(
      400,
      "VALIDATION_FAILED",
      "Idempotency-Key is 1-128 visible ASCII characters",
    );
  }
  const now = Date.now();
  const observations = "envelope" in push ? namedObservations(push, now) : undefined;
  assertNotAhead(observations?.map((o) => o.at) ?? (push.at === undefined ? [] : [push.at]), now);
  const idempotency =
    key === undefined ? undefined : { key, fingerprint: await fingerprintOf(push, key) };
  const stub = goalStub(c.env, goal.id);
  const outcome =
    "payload" in push
      ? await stub.observePayload(goal.tenant, push.payload, push.at ?? now, idempotency)
      : await stub.observe(goal.tenant, observations ?? [], "push", idempotency);
  if (!outcome) throw new ApiError(404, "NOT_FOUND", `no goal ${goal.id}`);
  if ("reused" in outcome) {
    throw new ApiError(
      422,
      "IDEMPOTENCY_KEY_REUSED",
      "this Idempotency-Key was used for a different push to this goal",
    );
  }
  if ("none" in outcome) throw nothingObserved(outcome);
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
