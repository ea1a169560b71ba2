/**
 * A goal's secrets and the route they open: rotate the webhook signing secret
 * or the ingest secret, and accept observations without an API key, from
 * services that can only send webhooks, authenticated by the goal's ingest
 * secret (as a bearer token, or as the key of a Standard Webhooks signature;
 * see `ingest-auth.ts`).
 */
import { enforceRateLimit, tenantRateKey } from "../auth/rate-limit.ts";
import { rotateIngestSecret, rotateSigningSecret } from "../db/secrets.ts";
import { CloudEventDocumented, PushDocumented, PushResult, SecretRotated } from "./goal-schemas.ts";
import { ownGoal } from "./goals.ts";
import { authenticateIngest } from "./ingest-auth.ts";
import { acceptPush } from "./push.ts";
import { CE_HEADERS, PushQuery, readPush } from "./push-body.ts";
import type { ApiRouter } from "./route.ts";
import { isoTime } from "./time.ts";

export function goalSecretRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/secret",
      operationId: "rotateSigningSecret",
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
      operationId: "rotateIngestSecret",
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
      operationId: "ingestObservations",
      errors: [422],
      summary:
        "Push observations without an API key: Authorization: Bearer <ingest secret>, or signed by it (Standard Webhooks)",
      tag: "goals",
      documentedBody: PushDocumented,
      bodyTypes: { "application/cloudevents+json": CloudEventDocumented },
      query: PushQuery,
      headers: {
        Authorization: "Bearer <the goal's ingest secret> (or sign instead)",
        "webhook-id":
          "Standard Webhooks: the message's id, the same on retries; a repeat of an id is not counted twice",
        "webhook-timestamp": "Standard Webhooks: Unix seconds, within 300 s of now",
        "webhook-signature":
          "Standard Webhooks: v1,<base64 HMAC-SHA256 of ID.TIMESTAMP.BODY by the ingest secret>, several space-separated",
        "x-faas-timestamp": "deprecated (until 2027-06-30): Unix seconds, within 300 s of now",
        "x-faas-signature":
          "deprecated (until 2027-06-30): v1=<hex HMAC-SHA256 of TIMESTAMP.BODY keyed by the ingest secret as written>",
        "Idempotency-Key":
          "with a bearer secret, a repeat is accepted and not counted twice; a signed request is identified by its webhook-id (or X-Faas signature) instead (this header is not signed, so it is not used); a CloudEvent by its source and id",
        ...CE_HEADERS,
      },
      responses: { 202: { description: "Accepted", schema: PushResult } },
    },
    async (c) => {
      const text = await c.req.text();
      const { secrets, impliedKey } = await authenticateIngest(c, text);
      await enforceRateLimit(c.env.API_RATE_LIMIT, `ingest:${secrets.goalId}`, "goal");
      await enforceRateLimit(c.env.TENANT_RATE_LIMIT, tenantRateKey(secrets.tenant), "tenant");
      const push = await readPush(c, text);
      // A signed request's identity is what was signed. The Idempotency-Key header is not
      // covered by the signature, so anyone who saw the request could replay it with a new
      // one: it counts only with the bearer secret, whose holder could push anything anyway.
      // A CloudEvent's source and id name the event itself: a redelivery is a duplicate.
      const key = impliedKey ?? push.eventKey ?? c.req.header("idempotency-key");
      const goal = { id: secrets.goalId, tenant: secrets.tenant };
      return acceptPush(c, goal, push, key);
    },
  );
}
