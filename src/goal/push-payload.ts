/**
 * A payload pushed as it is (a third party's webhook body, a CloudEvent's
 * data, a plain object of values) becomes observations of the goal's push
 * sources: one with a `path` reads the value there, one without reads the
 * payload's key of its own name. Only push sources read a payload, so a raw
 * event cannot overwrite what a goal polls or watches by a key it happens to
 * share a name with.
 */
import type { Observation } from "../cycle/index.ts";
import { type GoalSpec, jsonBytes } from "../spec/index.ts";
import { readPath } from "./json-path.ts";
import type { IgnoredName } from "./storage-reads.ts";

/** Largest value of one observation: UTF-8 bytes of its JSON. */
export const MAX_OBSERVATION_BYTES = 16 * 1024;

/** Largest push, all its observations together: UTF-8 bytes of JSON (one push is one inbox entry). */
export const MAX_PUSH_BYTES = 512 * 1024;

/** What one payload gives the goal: the values found, and why each other push source got none. */
export interface PayloadReading {
  taken: Observation[];
  ignored: IgnoredName[];
}

/** Where a push source looks in a payload, as the answers name it. */
export function lookedAt(name: string, path: string | undefined): string {
  return path === undefined ? `key ${name}` : `path ${path}`;
}

/** The value for one push source: at its path, or the payload's own key of its name. */
function valueFor(payload: unknown, name: string, path: string | undefined): unknown {
  if (path !== undefined) return readPath(payload, path);
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) return undefined;
  return Object.hasOwn(payload, name) ? (payload as Record<string, unknown>)[name] : undefined;
}

/**
 * Reads `payload` for every push source of `spec`, all observed at `at`. A
 * source whose path finds nothing, or a value over `MAX_OBSERVATION_BYTES`
 * (or one that would take the push over `MAX_PUSH_BYTES`, were sources ever
 * more than 32, several reading the same large part), is ignored with the reason; `null` found at a
 * path is a value.
 */
export function readPayload(spec: GoalSpec, payload: unknown, at: number): PayloadReading {
  const taken: Observation[] = [];
  const ignored: IgnoredName[] = [];
  let total = 0;
  for (const [name, source] of Object.entries(spec.observe)) {
    if (source.from !== "push") continue;
    const where = lookedAt(name, source.path);
    const value = valueFor(payload, name, source.path);
    if (value === undefined) {
      ignored.push({ name, reason: `the payload has nothing at ${where}` });
      continue;
    }
    const bytes = jsonBytes(value);
    if (bytes > MAX_OBSERVATION_BYTES) {
      ignored.push({
        name,
        reason: `the value at ${where} is ${bytes} bytes of JSON, over the ${MAX_OBSERVATION_BYTES} a value may be`,
      });
      continue;
    }
    if (total + bytes > MAX_PUSH_BYTES) {
      ignored.push({
        name,
        reason: `with the value at ${where} the push would be over ${MAX_PUSH_BYTES} bytes of JSON`,
      });
      continue;
    }
    total += bytes;
    taken.push({ name, value, at, source: "push" });
  }
  return { taken, ignored };
}
