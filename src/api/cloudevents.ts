/**
 * CloudEvents 1.0 over HTTP, as a push: structured mode (the event is the
 * body, `content-type: application/cloudevents+json`) and binary mode (its
 * attributes in `ce-*` headers, the body its data). The event's data is what
 * is pushed; its `time` is when values without their own were true; its
 * `source` and `id`, which together identify the event, are the push's
 * idempotency key, so a redelivery is a duplicate. Batched mode
 * (`application/cloudevents-batch+json`) is refused with a 415: one event per
 * request, so each has its own answer and its own key.
 */
import { z } from "zod";
import { sha256Hex } from "../auth/keys.ts";
import { isRecord } from "../spec/index.ts";
import { ApiError } from "./errors.ts";
import { parseJsonBody } from "./json-body.ts";

/** The attributes every event carries (CloudEvents 1.0, "REQUIRED"). */
const REQUIRED = ["specversion", "id", "source", "type"] as const;

export const STRUCTURED = "application/cloudevents+json";
const BATCH = "application/cloudevents-batch+json";

/** An event, read: its data (JSON), when it happened, and the idempotency key it implies. */
export interface ReadEvent {
  data: unknown;
  at: number | undefined;
  key: string;
}

/** How the request carries a CloudEvent, if it does. */
export function eventMode(headers: Headers): "structured" | "binary" | undefined {
  const type = mediaType(headers.get("content-type"));
  if (type === BATCH) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "batched CloudEvents are not taken; send one event per request (structured or binary mode)",
    );
  }
  if (type.startsWith("application/cloudevents")) {
    if (type !== STRUCTURED) {
      throw new ApiError(
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        `a structured CloudEvent is read as ${STRUCTURED}, not ${type}`,
      );
    }
    return "structured";
  }
  return headers.has("ce-specversion") ? "binary" : undefined;
}

/** `application/json; charset=utf-8` → `application/json`. */
function mediaType(header: string | null): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

const isJsonType = (type: string) =>
  type === "" || type === "application/json" || type.endsWith("+json");

/** An RFC 3339 time (`2024-05-01T12:00:00Z`). */
const Rfc3339 = z.iso.datetime({ offset: true, local: false });

/**
 * Checks the attributes (named as in the spec, whatever the mode) and derives
 * the key: `ce:` and a hash of source and id, which may be any strings.
 */
async function readAttributes(
  attributes: Record<string, unknown>,
  where: (name: string) => string,
): Promise<Omit<ReadEvent, "data">> {
  const missing = REQUIRED.filter((name) => {
    const value = attributes[name];
    return typeof value !== "string" || value === "";
  });
  if (missing.length > 0) {
    throw new ApiError(
      400,
      "VALIDATION_FAILED",
      `a CloudEvent needs ${REQUIRED.map(where).join(", ")}; missing or empty: ${missing.map(where).join(", ")}`,
      { missing: missing.map(where) },
    );
  }
  const { specversion, id, source, time } = attributes as Record<string, string>;
  if (specversion !== "1.0") {
    throw new ApiError(
      400,
      "VALIDATION_FAILED",
      `CloudEvents ${where("specversion")} 1.0 is read, not ${JSON.stringify(specversion).slice(0, 40)}`,
    );
  }
  let at: number | undefined;
  if (time !== undefined) {
    if (typeof time !== "string" || !Rfc3339.safeParse(time).success) {
      throw new ApiError(
        400,
        "VALIDATION_FAILED",
        `${where("time")} is an RFC 3339 time, e.g. 2024-05-01T12:00:00Z`,
      );
    }
    at = Date.parse(time);
  }
  return { at, key: `ce:${await sha256Hex(`${source}\n${id}`)}` };
}

/** The event's data, which must be there: it is what is observed. */
function withData(event: Omit<ReadEvent, "data">, data: unknown): ReadEvent {
  if (data === undefined) {
    throw new ApiError(400, "VALIDATION_FAILED", "this CloudEvent has no data to observe");
  }
  return { ...event, data };
}

/** The event in a structured-mode body. */
export async function structuredEvent(text: string): Promise<ReadEvent> {
  const attributes = parseJsonBody(text);
  if (!isRecord(attributes)) {
    throw new ApiError(400, "VALIDATION_FAILED", "a structured CloudEvent is a JSON object");
  }
  const read = await readAttributes(attributes, (name) => name);
  if (attributes.data_base64 !== undefined) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "a CloudEvent's data is read as JSON (data); data_base64 is not taken",
    );
  }
  const type = attributes.datacontenttype;
  if (type !== undefined && (typeof type !== "string" || !isJsonType(mediaType(type)))) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      "a CloudEvent's data is read as JSON: datacontenttype application/json (or absent)",
    );
  }
  return withData(read, attributes.data);
}

/** A header's value: percent-decoded, as the HTTP binding writes what is not plain ASCII. */
function headerValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The event in binary mode: attributes from `ce-*` headers, data from the body (JSON). */
export async function binaryEvent(headers: Headers, text: string): Promise<ReadEvent> {
  const attributes: Record<string, string> = {};
  for (const name of [...REQUIRED, "time"]) {
    const value = headers.get(`ce-${name}`);
    if (value !== null) attributes[name] = headerValue(value.trim());
  }
  const read = await readAttributes(attributes, (name) => `ce-${name}`);
  const type = mediaType(headers.get("content-type"));
  if (!isJsonType(type)) {
    throw new ApiError(
      415,
      "UNSUPPORTED_MEDIA_TYPE",
      `a CloudEvent's data is read as JSON: content-type application/json, not ${type}`,
    );
  }
  return withData(read, text.trim() === "" ? undefined : parseJsonBody(text));
}
