/**
 * Request and response shapes of the goals API.
 */
import { z } from "zod";
import { GoalSpecSchema as CoreGoalSpec } from "../spec/index.ts";
import { jsonValue } from "./formula-schemas.ts";
import { DateTime, TimeInput } from "./time.ts";

/** Largest goal spec: UTF-8 bytes of its JSON. */
export const MAX_SPEC_BYTES = 64 * 1024;
/** Most observations in one push. */
export const MAX_PUSH = 1000;

/** A goal spec as the document names it (the loop's own schema, which validates it). */
export const GoalSpecSchema = CoreGoalSpec.meta({ id: "GoalSpec" });

export const GoalSummary = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(["active", "paused", "done", "failed"]),
    spec_version: z.number().int(),
    parent_id: z.string().nullable(),
    created_at: DateTime,
    updated_at: DateTime,
  })
  .meta({ id: "GoalSummary" });

const LastOutcome = z
  .object({
    cycle: z.number().int(),
    trigger: z
      .string()
      .describe('what started the cycle (push, alarm, act, ...; "fault": it failed)'),
    matched: z.array(z.string()).describe("the rules that matched"),
    actions: z.number().int().describe("actions planned"),
    fault: z.boolean(),
  })
  .nullable()
  .describe("the newest cycle in brief (null before the first)");

const PendingApproval = z.object({
  action: z.string(),
  key: z.string(),
  rule: z.string(),
  cycle: z.number().int(),
  requested_at: DateTime,
  expires_at: DateTime,
});

/** What a goal's object reports of its loop, beside what the registry holds. */
const LoopFields = {
  every: z.string().describe("the spec's cadence"),
  cycle: z.number().int(),
  last_cycle_at: DateTime.nullable(),
  next_wake_at: DateTime.nullable(),
  failures: z.number().int().describe("consecutive failed passes (above 0: failing)"),
  last_fault: z.object({ at: DateTime, message: z.string() }).nullable(),
  actions_last_hour: z.number().int(),
  last_outcome: LastOutcome,
};

export const GoalLive = z
  .object({
    ...LoopFields,
    awaiting_approval: z.number().int().describe("actions held for a person's approval"),
  })
  .meta({ id: "GoalLive" });

export const GoalDetail = GoalSummary.extend({
  spec: z.record(z.string(), jsonValue),
  ...LoopFields,
  latest: z.record(z.string(), z.object({ value: jsonValue, at: DateTime })),
  oriented: z.record(z.string(), jsonValue),
  verdicts: z.array(z.record(z.string(), jsonValue)),
  awaiting_approval: z.array(PendingApproval).describe("actions held for approval, oldest first"),
  inbox: z.object({ items: z.number().int(), bytes: z.number().int() }),
}).meta({ id: "Goal" });

export const GoalCreated = GoalDetail.extend({
  signing_secret: z
    .string()
    .nullable()
    .describe(
      "whsec_<base64>: signs this goal's webhooks (Standard Webhooks webhook-signature); shown once, rotate to replace",
    ),
  ingest_secret: z
    .string()
    .nullable()
    .describe(
      "authenticates observations sent to /ingest/goals/:id without an API key; shown once",
    ),
}).meta({ id: "GoalCreated" });

export const SecretRotated = z
  .object({
    goal_id: z.string(),
    signing_secret: z.string().optional(),
    previous_valid_until: DateTime.nullable().optional(),
    ingest_secret: z.string().optional(),
  })
  .meta({ id: "SecretRotated" });

const ObservationIn = z.strictObject({
  name: z.string().min(1).max(64),
  value: jsonValue,
  at: TimeInput.optional().describe("when the value was true (ISO 8601 or epoch ms); default now"),
});

export const PushBatch = z.strictObject({
  observations: z.array(ObservationIn).min(1).max(MAX_PUSH),
});
export const PushValues = z.strictObject({
  values: z.record(z.string(), jsonValue),
  at: TimeInput.optional(),
});
export const PushOne = ObservationIn;

/** The push shapes that name what they observe (told apart by their keys; see push-body.ts). */
export const PushBody = z.union([PushBatch, PushValues, PushOne]);

/** Any other JSON object or array, as a third party sent it. */
export const PushPayload = z
  .union([z.record(z.string(), jsonValue), z.array(jsonValue)])
  .describe(
    'any other JSON object or array, as it is (a Stripe or GitHub event, a plain object of values like {"price": 150}): each push source with a path reads the value there, each without reads the key of its own name',
  );

/** What a push route's body may be, for the document (the route reads it itself). */
export const PushDocumented = z
  .union([PushBatch, PushValues, PushOne, PushPayload])
  .meta({ id: "ObservationPush" });

/** A structured-mode CloudEvent (application/cloudevents+json), for the document. */
export const CloudEventDocumented = z
  .looseObject({
    specversion: z.literal("1.0"),
    id: z.string().min(1),
    source: z.string().min(1),
    type: z.string().min(1),
    time: z.iso
      .datetime({ offset: true })
      .optional()
      .describe("when values without their own `at` were true"),
    datacontenttype: z.string().optional().describe("application/json or absent"),
    data: jsonValue.describe("read as a push body is (any of the shapes of application/json)"),
  })
  .describe(
    "one CloudEvent (structured mode); source and id are the idempotency key. In binary mode send its attributes as ce-* headers and its data as the application/json body",
  )
  .meta({ id: "CloudEvent" });

export const PushResult = z
  .object({
    accepted: z.number().int().describe("observations taken for the next cycle"),
    ignored: z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .describe(
        "pushed names this goal does not observe, or push sources that found no value in a payload (not taken), each with the reason",
      ),
    duplicate: z
      .boolean()
      .describe(
        "a repeat of an earlier push with this Idempotency-Key (or CloudEvent source and id)",
      ),
  })
  .meta({ id: "PushResult" });

export const Timeline = z
  .array(
    z.strictObject({
      at: TimeInput,
      values: z.record(z.string(), jsonValue).default({}),
      trigger: z.enum(["push", "alarm"]).optional(),
      model: z
        .strictObject({
          choice: z.string().min(1).max(128),
          reason: z.string().max(500).optional(),
        })
        .optional()
        .describe(
          'policy model: the model\'s answer at this step, as if recorded (no model is called; without one the rules decide): `choice` an action name or "none"',
        ),
    }),
  )
  .max(10_000);

export const SimulateBody = z.strictObject({
  spec: z.record(z.string(), jsonValue),
  observations: Timeline,
});

export const ReplayBody = z.strictObject({
  spec: z
    .record(z.string(), jsonValue)
    .optional()
    .describe("a changed spec to try (what if); default the goal's own spec versions, exactly"),
  after: z
    .number()
    .int()
    .nonnegative()
    .optional()
    .describe("return the replayed receipts after this cycle (default: the latest `limit`)"),
  limit: z.number().int().min(1).max(500).default(100),
  call_model: z
    .boolean()
    .default(false)
    .describe(
      "policy model: ask the model again instead of using the recorded answers, for the first 20 cycles that would call it (what if); later cycles use the recorded answers. Needs goals:write",
    ),
});

/** An entry of a receipt that happened at a time: an observation, an act result, a decision. */
const TimedEntry = z.object({ at: DateTime }).catchall(jsonValue);

/** A receipt as the API shows it (`src/cycle/receipt.ts` has every field); a fault receipt has `fault`. */
export const ReceiptOut = z
  .object({
    goal_id: z.string(),
    cycle: z.number().int(),
    at: DateTime.describe("when the cycle ran (a fault receipt: when it failed)"),
    spec_version: z
      .number()
      .int()
      .optional()
      .describe(
        "the spec version the cycle ran with (GET /v1/goals/:id/specs/:version); absent on a what-if replay's receipts and on receipts stored before it was recorded",
      ),
    observed: z.record(z.string(), z.array(TimedEntry)).optional(),
    act_results: z.array(TimedEntry).optional(),
    decisions: z.array(TimedEntry).optional(),
    fault: z
      .object({ retry_at: DateTime.describe("when the goal tries again") })
      .catchall(jsonValue)
      .optional(),
  })
  .catchall(jsonValue);

export const ReceiptList = z.object({
  cycles: z.array(ReceiptOut),
});

export const ReceiptPage = ReceiptList.extend({
  next_after: z
    .string()
    .nullable()
    .describe("pass as `after` for the next page (null: the page is empty)"),
});

export const ReplayResult = ReceiptList.extend({
  replayed: z.number().int().describe("cycles replayed (every recorded cycle kept)"),
  from_cycle: z.number().int().nullable(),
  to_cycle: z.number().int().nullable(),
  next_after: z.number().int().nullable(),
  model_calls: z
    .number()
    .int()
    .optional()
    .describe("with call_model: how many times the model was asked afresh"),
  compared: z
    .object({
      receipts: z.number().int(),
      differing: z.array(z.number().int()),
    })
    .optional()
    .describe(
      "with the goal's own specs: how many returned receipts were compared with the stored ones, and the cycles that differ (none when replay is exact)",
    ),
});
