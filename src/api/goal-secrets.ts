/**
 * A goal's secrets and the route they open: rotate the webhook signing secret
 * or the ingest secret, and accept observations without an API key, from
 * services that can only send webhooks, authenticated by the goal's ingest
 * secret (as a bearer token, or as the key of an HMAC signature with a
 * timestamp inside the replay window).
 */
import type { Context } from "hono";
import { secretsEqual } from "../auth/keys.ts";
import { bearerToken } from "../auth/middleware.ts";
import { enforceRateLimit, tenantRateKey } from "../auth/rate-limit.ts";
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from "../auth/signature.ts";
import type { GoalSecretsRow } from "../db/schema.ts";
import { rotateIngestSecret, rotateSigningSecret, secretsById } from "../db/secrets.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { acceptPush } from "./goal-loop.ts";
import { PushBody, PushResult, SecretRotated } from "./goal-schemas.ts";
import { GOAL_ID, ownGoal } from "./goals.ts";
import { type ApiRouter, parseJsonBody, parseWith, pathParam } from "./route.ts";
import { isoTime } from "./time.ts";

const DENIED = "send the goal's ingest secret as a bearer token, or sign the request with it";

/**
 * Who may push to the goal in the path: the goal's secrets when the request
 * carries its ingest secret or a valid signature by it, else a 401 that says
 * nothing about whether the goal exists. Returns the idempotency key a signed
 * request implies: its signature, which covers its timestamp and body, so a
 * replay of it is a repeat (see the route for why it outranks the header).
 */
async function authenticateIngest(
  c: Context<AppEnv>,
  body: string,
): Promise<{ secrets: GoalSecretsRow; impliedKey?: string }> {
  const id = pathParam(c, "id");
  const secrets = GOAL_ID.test(id) ? await secretsById(c.get("db"), id) : undefined;
  const bearer = bearerToken(c.req.header("authorization"));
  const timestamp = c.req.header(TIMESTAMP_HEADER);
  if (bearer !== undefined) {
    if (secrets && (await secretsEqual(bearer, secrets.ingestSecret))) return { secrets };
    throw new ApiError(401, "UNAUTHENTICATED", DENIED);
  }
  if (timestamp !== undefined || c.req.header(SIGNATURE_HEADER) !== undefined) {
    const verdict = await verifySignature(
      secrets?.ingestSecret ?? "no-secret",
      timestamp,
      c.req.header(SIGNATURE_HEADER),
      body,
      Date.now(),
    );
    if (verdict.ok && secrets)
      return { secrets, impliedKey: `sig:${verdict.signature.slice(0, 64)}` };
    throw new ApiError(
      401,
      "UNAUTHENTICATED",
      verdict.ok ? DENIED : `bad signature: ${verdict.reason}`,
    );
  }
  throw new ApiError(401, "UNAUTHENTICATED", DENIED);
}

export function goalSecretRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/secret",
      summary:
        "Rotate the webhook signing secret (shown once); the old one keeps signing alongside for 24 h",
      tag: "goals",
      scope: "goals:write",
      responses: { 200: { description: "The new secret", schema: SecretRotated } },
    },
    async (c) => {
      const row = await ownGoal(c);
      const next = await rotateSigningSecret(c.get("db"), row.tenant, row.id, Date.now());
      return c.json({
        goal_id: row.id,
        signing_secret: next.signingSecret,
        previous_valid_until: isoTime(next.previousUntil),
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/ingest-secret",
      summary: "Rotate the ingest secret (shown once); the old one stops working at once",
      tag: "goals",
      scope: "goals:write",
      responses: { 200: { description: "The new secret", schema: SecretRotated } },
    },
    async (c) => {
      const row = await ownGoal(c);
      const next = await rotateIngestSecret(c.get("db"), row.tenant, row.id, Date.now());
      return c.json({ goal_id: row.id, ingest_secret: next.ingestSecret });
    },
  );

  api.route(
    {
      method: "post",
      path: "/ingest/goals/:id/observations",
      summary:
        "Push observations without an API key: Authorization: Bearer <ingest secret>, or X-Faas-Timestamp + X-Faas-Signature by it",
      tag: "goals",
      documentedBody: PushBody,
      headers: {
        Authorization: "Bearer <the goal's ingest secret> (or sign instead)",
        [TIMESTAMP_HEADER]: "Unix seconds, within 300 s of now (signed requests)",
        [SIGNATURE_HEADER]: "v1=<hex HMAC-SHA256 of TIMESTAMP.BODY by the ingest secret>",
        "Idempotency-Key":
          "with a bearer secret, a repeat is accepted and not counted twice; a signed request is identified by its signature instead (this header is not signed, so it is not used)",
      },
      responses: { 202: { description: "Accepted", schema: PushResult } },
    },
    async (c) => {
      const text = await c.req.text();
      const { secrets, impliedKey } = await authenticateIngest(c, text);
      await enforceRateLimit(c.env.API_RATE_LIMIT, `ingest:${secrets.goalId}`, "goal");
      await enforceRateLimit(c.env.TENANT_RATE_LIMIT, tenantRateKey(secrets.tenant), "tenant");
      const body = parseWith(PushBody, parseJsonBody(text), "body");
      // A signed request's identity is what was signed. The Idempotency-Key header is not
      // covered by the signature, so anyone who saw the request could replay it with a new
      // one: it counts only with the bearer secret, whose holder could push anything anyway.
      const key = impliedKey ?? c.req.header("idempotency-key");
      const goal = { id: secrets.goalId, tenant: secrets.tenant };
      return acceptPush(c, goal, body, key);
    },
  );
}
