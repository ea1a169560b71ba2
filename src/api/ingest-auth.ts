/**
 * Who may push to `/ingest/goals/:id/observations`: whoever holds the goal's
 * ingest secret and sends it as a bearer token, or signs the request with it,
 * the Standard Webhooks way (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`) or the deprecated `X-Faas-*` way. Anything else is a
 * 401 that says nothing about whether the goal exists and never shows the
 * secret or a signature.
 */
import type { Context } from "hono";
import { secretsEqual, sha256Hex } from "../auth/keys.ts";
import { bearerToken } from "../auth/middleware.ts";
import {
  SIGNATURE_HEADER as FAAS_SIGNATURE,
  TIMESTAMP_HEADER as FAAS_TIMESTAMP,
  verifySignature,
} from "../auth/signature.ts";
import {
  ID_HEADER,
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyStandard,
} from "../auth/standard-webhooks.ts";
import type { GoalSecretsRow } from "../db/schema.ts";
import { secretsById } from "../db/secrets.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { GOAL_ID } from "./goals.ts";
import { IDEMPOTENCY_KEY } from "./idempotency.ts";
import { pathParam } from "./route.ts";

const DENIED =
  "send the goal's ingest secret as a bearer token, or sign the request with it (Standard Webhooks)";
/** Checked against when the goal is unknown, so that case looks like a wrong secret. */
const NO_SECRET = "no-secret";

const denied = () => new ApiError(401, "UNAUTHENTICATED", DENIED);

export interface IngestCaller {
  secrets: GoalSecretsRow;
  /** The push's idempotency key that the signature implies (absent for a bearer token). */
  impliedKey?: string;
}

/**
 * A `webhook-id` as an idempotency key: itself when it fits the key's form,
 * else its digest (a sender's id may be longer or wider than a key may be).
 */
async function idKey(id: string): Promise<string> {
  const key = `wh:${id}`;
  return IDEMPOTENCY_KEY.test(key) ? key : `wh#${await sha256Hex(id)}`;
}

/**
 * The goal's secrets when the request carries its ingest secret or a valid
 * signature by it, else a 401. Returns the idempotency key a signed request
 * implies: its `webhook-id`, which is signed and stays the same on a
 * sender's retries; for the `X-Faas-*` signature, the signature itself
 * (which covers its timestamp and body). Either outranks the unsigned
 * `Idempotency-Key` header (see the route).
 */
export async function authenticateIngest(c: Context<AppEnv>, body: string): Promise<IngestCaller> {
  const id = pathParam(c, "id");
  const secrets = GOAL_ID.test(id) ? await secretsById(c.get("db"), id) : undefined;
  const secret = secrets?.ingestSecret ?? NO_SECRET;
  const bearer = bearerToken(c.req.header("authorization"));
  if (bearer !== undefined) {
    if (secrets && (await secretsEqual(bearer, secrets.ingestSecret))) return { secrets };
    throw denied();
  }
  const standard = {
    id: c.req.header(ID_HEADER),
    timestamp: c.req.header(TIMESTAMP_HEADER),
    signature: c.req.header(SIGNATURE_HEADER),
  };
  if (Object.values(standard).some((value) => value !== undefined)) {
    const verdict = await verifyStandard(secret, standard, body, Date.now());
    if (!verdict.ok) {
      throw new ApiError(401, "UNAUTHENTICATED", `bad signature: ${verdict.reason}`, {
        header: verdict.header,
      });
    }
    if (!secrets) throw denied();
    return { secrets, impliedKey: await idKey(verdict.id) };
  }
  const timestamp = c.req.header(FAAS_TIMESTAMP);
  const signature = c.req.header(FAAS_SIGNATURE);
  if (timestamp !== undefined || signature !== undefined) {
    const verdict = await verifySignature(secret, timestamp, signature, body, Date.now());
    if (!verdict.ok) throw new ApiError(401, "UNAUTHENTICATED", `bad signature: ${verdict.reason}`);
    if (!secrets) throw denied();
    return { secrets, impliedKey: `sig:${verdict.signature.slice(0, 64)}` };
  }
  throw denied();
}
