/**
 * Resolves the caller of every /v1 request from `Authorization: Bearer KEY`.
 * ADMIN_TOKEN is the operator; any other key is looked up by its hash, so a
 * revoked key stops working on the very next request.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../api/context.ts";
import { ApiError } from "../api/errors.ts";
import { findLiveKeyByHash } from "../db/keys.ts";
import { hashKey, secretsEqual } from "./keys.ts";
import { enforceRateLimit } from "./rate-limit.ts";
import { DEFAULT_TENANT, type Principal, SCOPES, type Scope } from "./scopes.ts";

const OPERATOR: Principal = {
  tenant: DEFAULT_TENANT,
  scopes: SCOPES,
  keyId: "operator",
  operator: true,
};

/** The token of `Authorization: Bearer TOKEN`, if the header has that form. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Finds who holds `token`, or undefined for an unknown or revoked key. */
export async function resolvePrincipal(
  env: AppEnv["Bindings"],
  db: AppEnv["Variables"]["db"],
  token: string,
) {
  if (env.ADMIN_TOKEN && (await secretsEqual(token, env.ADMIN_TOKEN))) return OPERATOR;
  const row = await findLiveKeyByHash(db, await hashKey(token));
  if (!row) return undefined;
  const principal: Principal = {
    tenant: row.tenant,
    scopes: row.scopes as Scope[],
    keyId: row.id,
    operator: false,
  };
  return principal;
}

/** Middleware: 401 without a valid key; otherwise sets `principal`. */
export function authenticate(): MiddlewareHandler<AppEnv> {
  return async function authenticated(c, next) {
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined) {
      throw new ApiError(401, "UNAUTHENTICATED", "send Authorization: Bearer <key>");
    }
    const principal = await resolvePrincipal(c.env, c.get("db"), token);
    if (!principal) throw new ApiError(401, "UNAUTHENTICATED", "the key is unknown or revoked");
    await enforceRateLimit(c.env, `key:${principal.keyId}`);
    c.set("principal", principal);
    await next();
  };
}
