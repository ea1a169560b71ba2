/**
 * The `observe` section: where each observed name's values come from. The
 * loop itself only needs a source's name and `max_age`; the rest tells the
 * runtime shell how to fetch or subscribe.
 */
import { z } from "zod";
import {
  DurationSchema,
  HeadersSchema,
  HttpUrlSchema,
  TimeoutSchema,
} from "./schema-primitives.ts";

const common = {
  /** Older than this, the latest value is stale and rules reading it get `insufficient_data`. */
  max_age: DurationSchema.optional(),
};

/** A dotted path into the fetched value (`"data.price"`). */
const PathSchema = z.string().min(1).max(256).optional();

/** Most steps in a push source's `path`: a JSON body nests at most 32 levels. */
export const MAX_PUSH_PATH_STEPS = 32;

/**
 * Where a push source finds its value in a payload pushed as it is (a Stripe
 * or GitHub event, a CloudEvent's data): dotted steps, each an object key or
 * an array index (`data.object.amount_paid`, `commits.0.id`). Keys with a dot
 * cannot be named. Written by the spec's author, not the sender, so it is
 * checked strictly: no empty step (`a..b`, a trailing dot), no spaces or
 * control characters at either end of a step.
 */
const PushPathSchema = z
  .string()
  .min(1)
  .max(256)
  .refine((path) => path.split(".").length <= MAX_PUSH_PATH_STEPS, {
    message: `a path has at most ${MAX_PUSH_PATH_STEPS} steps`,
  })
  .refine(
    (path) =>
      path.split(".").every((step) => /^[^\s.\p{Cc}](?:[^.\p{Cc}]*[^\s.\p{Cc}])?$/u.test(step)),
    {
      message:
        "a path is dotted steps (data.object.amount_paid, items.0.qty): none empty, no control characters, no spaces at either end of a step",
    },
  );

/**
 * Values pushed to `POST /v1/goals/:id/observations` (or signalled by another
 * goal). With `path`, the source reads its value from a payload pushed as it
 * is; without, a payload's key of the source's own name (`{"price": 150}`).
 */
export const PushSourceSchema = z.strictObject({
  from: z.literal("push"),
  path: PushPathSchema.optional(),
  ...common,
});

/** Polled every cycle. */
export const HttpSourceSchema = z.strictObject({
  from: z.literal("http"),
  url: HttpUrlSchema,
  path: PathSchema,
  method: z.enum(["GET", "POST"]).default("GET"),
  headers: HeadersSchema.optional(),
  timeout: TimeoutSchema,
  ...common,
});

/** A record collection, or one key of it; a change is an observation. */
export const RecordSourceSchema = z.strictObject({
  from: z.literal("record"),
  collection: z.string().min(1).max(128),
  key: z.string().min(1).max(256).optional(),
  path: PathSchema,
  ...common,
});

/** Events published to a stream topic. */
export const StreamSourceSchema = z.strictObject({
  from: z.literal("stream"),
  topic: z.string().min(1).max(128),
  path: PathSchema,
  ...common,
});

/** A system metric by name (`http.5xx.rate`). */
export const MetricSourceSchema = z.strictObject({
  from: z.literal("metric"),
  name: z.string().min(1).max(128),
  ...common,
});

/** Another goal's state (by id), optionally one path of it. */
export const GoalSourceSchema = z.strictObject({
  from: z.literal("goal"),
  goal: z.string().min(1).max(128),
  path: PathSchema,
  ...common,
});

/** One observed name's source, told apart by `from`. */
export const SourceSchema = z.discriminatedUnion("from", [
  PushSourceSchema,
  HttpSourceSchema,
  RecordSourceSchema,
  StreamSourceSchema,
  MetricSourceSchema,
  GoalSourceSchema,
]);

/** A source as written in a spec. */
export type SourceSpec = z.output<typeof SourceSchema>;

/** The kinds of source (`from`). */
export type SourceKind = SourceSpec["from"];
