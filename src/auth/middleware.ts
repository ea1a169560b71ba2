/**
 * Resolves the caller of every /v1 request from `Authorization: Bearer KEY`.
 * ADMIN_TOKEN is the operator; any other key is looked up by its hash, so a
 * revoked key stops working on the very next request.
 */
import type { MiddlewareHandler } from "hono";
import type { Db } from "../db/client.ts";
import { findLiveKeyByHash } from "../db/keys.ts";
import { Unauthenticated } from "../errors.ts";
import { hashKey, secretsEqual } from "./keys.ts";
import { enforceRateLimit, rateLimited, tenantRateKey, withinRateLimit } from "./rate-limit.ts";
import { DEFAULT_TENANT, OPERATOR_KEY_ID, type Principal, SCOPES, type Scope } from "./scopes.ts";

const OPERATOR: Principal = {
  tenant: DEFAULT_TENANT,
  scopes: SCOPES,
  keyId: OPERATOR_KEY_ID,
  keyName: "operator",
  operator: true,
};

/** What the middleware reads of a request's environment (the API's), and sets in it. */
interface AuthEnv {
  Bindings: Env;
  Variables: { db: Db; principal: Principal };
}

/** The token of `Authorization: Bearer TOKEN`, if the header has that form. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** Finds who holds `token` (whose hash is `hash`), or undefined for an unknown or revoked key. */
export async function resolvePrincipal(env: Env, db: Db, token: string, hash: string) {
  if (env.ADMIN_TOKEN && (await secretsEqual(token, env.ADMIN_TOKEN))) return OPERATOR;
  const row = await findLiveKeyByHash(db, hash);
  if (!row) return undefined;
  const principal: Principal = {
    tenant: row.tenant,
    scopes: row.scopes as Scope[],
    keyId: row.id,
    keyName: row.name ?? null,
    operator: false,
  };
  return principal;
}

/**
 * Middleware: 401 without a valid key; 429 over the key's rate limit, then
 * over its tenant's (all the tenant's keys together, so more keys buy no more
 * requests); otherwise sets `principal`.
 */
export function authenticate(): MiddlewareHandler<AuthEnv> {
  return async function authenticated(c, next) {
    const token = bearerToken(c.req.header("authorization"));
    if (token === undefined) {
      throw new Unauthenticated("send Authorization: Bearer <key>");
    }
    // The key's lookup and its rate limit (keyed by the key's hash, so both can start at once)
    // run side by side: one round trip less on every request. An unknown key is a 401 either way.
    const hash = await hashKey(token);
    const [principal, allowed] = await Promise.all([
      resolvePrincipal(c.env, c.get("db"), token, hash),
      withinRateLimit(c.env.API_RATE_LIMIT, `key:${hash}`),
    ]);
    if (!principal) throw new Unauthenticated("the key is unknown or revoked");
    if (!allowed) throw rateLimited("key");
    // The tenant is known only now. A request refused for its key is not counted against its
    // tenant, so one flooding key does not spend its siblings' allowance. The operator is not
    // a tenant's client: its own key limit is its only one.
    if (!principal.operator)
      await enforceRateLimit(c.env.TENANT_RATE_LIMIT, tenantRateKey(principal.tenant), "tenant");
    c.set("principal", principal);
    await next();
  };
}
