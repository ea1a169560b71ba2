/**
 * API keys: create (shown once), list, revoke. Needs the `admin` scope; a
 * tenant's admin manages its own tenant's keys, the operator every tenant's.
 * A tenant holds at most QUOTA_KEYS live keys, whoever creates them.
 */
import { z } from "zod";
import { generateKey, generateKeyId, hashKey, KEY_ID, keyPrefix } from "../auth/keys.ts";
import { type Principal, scopeSchema, tenantSchema } from "../auth/scopes.ts";
import { insertKey, listKeys, revokeKey } from "../db/keys.ts";
import { quotaExceeded, quotaLimit } from "../db/quotas.ts";
import type { ApiKeyRow } from "../db/schema.ts";
import { ApiError } from "./errors.ts";
import { type ApiRouter, pathParam } from "./route.ts";
import { DateTime, isoTime } from "./time.ts";

const CreateKeyBody = z.strictObject({
  tenant: tenantSchema.optional().describe("defaults to the caller's tenant"),
  scopes: z.array(scopeSchema).min(1).max(8),
  name: z.string().min(1).max(100).optional(),
});

const KeyView = z.object({
  id: z.string(),
  tenant: z.string(),
  scopes: z.array(scopeSchema),
  name: z.string().nullable(),
  prefix: z.string().describe("the first characters of the key"),
  created_at: DateTime,
  revoked_at: DateTime.nullable(),
});

const CreatedKey = KeyView.extend({
  key: z.string().describe("the secret key; shown only in this response"),
});

function keyView(row: ApiKeyRow): z.infer<typeof KeyView> {
  return {
    id: row.id,
    tenant: row.tenant,
    scopes: row.scopes as z.infer<typeof KeyView>["scopes"],
    name: row.name,
    prefix: row.prefix,
    created_at: isoTime(row.createdAt),
    revoked_at: isoTime(row.revokedAt),
  };
}

/** The tenant whose keys the caller may manage (undefined = all, operator only). */
function managedTenant(principal: Principal): string | undefined {
  return principal.operator ? undefined : principal.tenant;
}

const Caller = z
  .object({
    tenant: z.string(),
    key_id: z.string().describe('the key\'s id ("operator" for the operator token)'),
    name: z.string().nullable(),
    scopes: z
      .array(scopeSchema)
      .describe("what the key may do; `admin` implies every other scope in its tenant"),
    operator: z.boolean().describe("true only for the operator token (every tenant's keys)"),
  })
  .meta({ id: "Caller" });

export function keyRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "get",
      path: "/v1/me",
      operationId: "getCaller",
      summary:
        "Who the key is: its tenant and scopes (so a client offers only what the key may do)",
      tag: "keys",
      responses: { 200: { description: "The caller", schema: Caller } },
    },
    async (c) => {
      const principal = c.get("principal");
      return c.json({
        tenant: principal.tenant,
        key_id: principal.keyId,
        name: principal.keyName,
        scopes: [...principal.scopes],
        operator: principal.operator,
      });
    },
  );

  api.route(
    {
      method: "post",
      path: "/v1/keys",
      operationId: "createKey",
      summary: "Create an API key (the key is returned once)",
      tag: "keys",
      scope: "admin",
      body: CreateKeyBody,
      responses: { 201: { description: "Created", schema: CreatedKey } },
    },
    async (c, { body }) => {
      const principal = c.get("principal");
      const tenant = body.tenant ?? principal.tenant;
      if (!principal.operator && tenant !== principal.tenant) {
        throw new ApiError(
          403,
          "FORBIDDEN",
          "only the operator can create keys for another tenant",
        );
      }
      const key = generateKey();
      const row: ApiKeyRow = {
        id: generateKeyId(),
        tenant,
        name: body.name ?? null,
        scopes: [...new Set(body.scopes)],
        hash: await hashKey(key),
        prefix: keyPrefix(key),
        createdAt: Date.now(),
        revokedAt: null,
      };
      const limit = quotaLimit(c.env, "keys");
      if (!(await insertKey(c.get("db"), row, limit)))
        throw await quotaExceeded(c.get("db"), tenant, "keys", limit);
      return c.json({ ...keyView(row), key }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/keys",
      operationId: "listKeys",
      summary: "List API keys (never the keys themselves)",
      tag: "keys",
      scope: "admin",
      query: z.object({ tenant: tenantSchema.optional() }),
      responses: {
        200: { description: "Keys, newest first", schema: z.object({ keys: z.array(KeyView) }) },
      },
    },
    async (c, { query }) => {
      const own = managedTenant(c.get("principal"));
      const tenant = own ?? query.tenant;
      const rows = await listKeys(c.get("db"), tenant);
      return c.json({ keys: rows.map(keyView) });
    },
  );

  api.route(
    {
      method: "delete",
      path: "/v1/keys/:id",
      operationId: "revokeKey",
      summary: "Revoke an API key; it stops working at once",
      tag: "keys",
      scope: "admin",
      responses: { 204: { description: "Revoked" } },
    },
    async (c) => {
      const id = pathParam(c, "id");
      // Only the form of an id reaches the store: MySQL would match `key_… ` to `key_…`.
      const revoked =
        KEY_ID.test(id) &&
        (await revokeKey(c.get("db"), id, managedTenant(c.get("principal")), Date.now()));
      if (!revoked) throw new ApiError(404, "NOT_FOUND", "no such key");
      return c.body(null, 204);
    },
  );
}
