/**
 * How a push request's body becomes something the goal can observe, the same
 * on both push routes. A JSON body is told apart by its top-level keys, never
 * by trying shapes in turn:
 * - `observations` → `{observations: [{name, value, at?}…]}`;
 * - `values` → `{values: {NAME: value…}, at?}`;
 * - both `name` and `value` → `{name, value, at?}`;
 * - any other object or array → a payload, taken as it is: each push source
 *   with a `path` reads the value there, each without the key of its own name
 *   (`{"price": 150}`).
 * A body with one of those keys is held to its shape (a 400 says what is
 * wrong with it). A third party's payload that happens to have one, and so
 * would be misread, is sent with `?shape=payload`, which reads any body as a
 * payload. A CloudEvent (structured or binary mode) is read the same way, its
 * data being the body.
 */
import type { Context } from "hono";
import { z } from "zod";
import { isRecord } from "../spec/index.ts";
import { binaryEvent, eventMode, type ReadEvent, structuredEvent } from "./cloudevents.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { PushBatch, type PushBody, PushOne, PushValues } from "./goal-schemas.ts";
import { parseJsonBody } from "./json-body.ts";
import { issueDetails } from "./route.ts";

/** The accepted shapes, as errors name them. */
export const PUSH_SHAPES = [
  "{name, value, at?}",
  "{values: {NAME: value}, at?}",
  "{observations: [{name, value, at?}]}",
  "any other JSON object or array, read as a payload: each push source reads its path, or the key of its own name (?shape=payload reads any body so)",
  "a CloudEvent (application/cloudevents+json, or ce-* headers) whose data is one of these",
] as const;

const SHAPES_TEXT = `a push is ${PUSH_SHAPES.slice(0, 3).join(", ")}, or ${PUSH_SHAPES[3]}`;

/** The push routes' query: `?shape=payload` reads any body as a payload. */
export const PushQuery = z.object({
  shape: z
    .enum(["payload"])
    .optional()
    .describe(
      "payload: read the body (or a CloudEvent's data) as a payload even if its keys look like one of the named shapes",
    ),
});

/** The CloudEvents binary-mode headers, for the document. */
export const CE_HEADERS: Record<string, string> = {
  "ce-specversion": "CloudEvents binary mode: 1.0 (its presence marks the request as an event)",
  "ce-id":
    "binary mode, required: with ce-source, the event's identity and the push's idempotency key",
  "ce-source": "binary mode, required",
  "ce-type": "binary mode, required",
  "ce-time": "binary mode, optional: RFC 3339; when values without their own `at` were true",
};

/** A push as read: values by name, or a payload for the goal's push sources to read. */
export type PushRead = (
  | { envelope: z.infer<typeof PushBody> }
  | { payload: Record<string, unknown> | unknown[] }
) & {
  /** When values without their own `at` were true (a CloudEvent's time); default now. */
  at?: number;
  /** The idempotency key the body implies (a CloudEvent's source and id). */
  eventKey?: string;
};

/** The envelope a body's keys claim, if any. */
function claimedShape(body: Record<string, unknown>) {
  if (Object.hasOwn(body, "observations")) return PushBatch;
  if (Object.hasOwn(body, "values")) return PushValues;
  if (Object.hasOwn(body, "name") && Object.hasOwn(body, "value")) return PushOne;
  return undefined;
}

/** Tells a parsed body's shape apart (see the module's comment). */
export function shapeOf(
  body: unknown,
  asPayload: boolean,
): { envelope: z.infer<typeof PushBody> } | { payload: Record<string, unknown> | unknown[] } {
  if (!isRecord(body) && !Array.isArray(body)) {
    const kind = body === null ? "null" : typeof body;
    throw new ApiError(400, "VALIDATION_FAILED", `${SHAPES_TEXT}; this body is ${kind}`, {
      shapes: PUSH_SHAPES,
    });
  }
  if (asPayload || Array.isArray(body)) return { payload: body };
  const schema = claimedShape(body);
  if (schema === undefined) return { payload: body };
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new ApiError(
      400,
      "VALIDATION_FAILED",
      `invalid request body: its keys make it ${shapeName(schema)}, which it does not fit (${SHAPES_TEXT})`,
      { issues: issueDetails(parsed.error), shapes: PUSH_SHAPES },
    );
  }
  return { envelope: parsed.data };
}

function shapeName(schema: unknown): string {
  return schema === PushBatch
    ? PUSH_SHAPES[2]
    : schema === PushValues
      ? PUSH_SHAPES[1]
      : PUSH_SHAPES[0];
}

/** `?shape=`: absent, or `payload`. */
function asPayloadQuery(c: Context<AppEnv>): boolean {
  const shape = c.req.query("shape");
  if (shape === undefined) return false;
  if (shape === "payload") return true;
  throw new ApiError(400, "VALIDATION_FAILED", "shape is payload (read any body as a payload)", {
    issues: [{ path: "shape", message: 'must be "payload" or absent' }],
  });
}

/** Reads a push request's body (already taken as `text`): a CloudEvent, or a plain JSON body. */
export async function readPush(c: Context<AppEnv>, text: string): Promise<PushRead> {
  const asPayload = asPayloadQuery(c);
  const mode = eventMode(c.req.raw.headers);
  if (mode === undefined) return shapeOf(parseJsonBody(text), asPayload);
  const event: ReadEvent =
    mode === "structured"
      ? await structuredEvent(text)
      : await binaryEvent(c.req.raw.headers, text);
  return {
    ...shapeOf(event.data, asPayload),
    ...(event.at === undefined ? {} : { at: event.at }),
    eventKey: event.key,
  };
}
