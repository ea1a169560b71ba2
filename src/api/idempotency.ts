/**
 * `Idempotency-Key` on every mutating /v1 request: the first request with a
 * key claims it (per tenant) and its response is stored; a repeat of the same
 * request gets that response again, with `Idempotent-Replayed: true`, and
 * changes nothing. The same key with another method, path or body is a 422;
 * a repeat while the first is still running is a 409. Failures that are not
 * the request's fault (5xx, 429) release the key so a retry can run.
 */
import { and, eq, lt } from "drizzle-orm";
import type { MiddlewareHandler } from "hono";
import { sha256Hex } from "../auth/keys.ts";
import type { Db } from "../db/client.ts";
import { idempotentRequests } from "../db/schema.ts";
import { utf8Bytes } from "../spec/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

/** How long a key answers with its first response. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim this old whose request never finished (the isolate died) may be taken over. */
const ABANDONED_MS = 60_000;
/** Larger responses (UTF-8 bytes) are not kept; the key is released and a repeat runs again. */
const MAX_STORED_BODY = 256 * 1024;
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

function fingerprintOf(method: string, url: string, body: string): Promise<string> {
  const { pathname, search } = new URL(url);
  return sha256Hex(`${method} ${pathname}${search}\n${body}`);
}

type Claim = { claimed: true } | { claimed: false; row: typeof idempotentRequests.$inferSelect };

async function claim(db: Db, tenant: string, key: string, fingerprint: string): Promise<Claim> {
  const now = Date.now();
  const where = and(eq(idempotentRequests.tenant, tenant), eq(idempotentRequests.key, key));
  // An expired record, or an abandoned claim, no longer holds the key.
  await db
    .delete(idempotentRequests)
    .where(and(where, lt(idempotentRequests.createdAt, now - IDEMPOTENCY_TTL_MS)));
  const inserted = await db
    .insert(idempotentRequests)
    .values({ tenant, key, fingerprint, createdAt: now })
    .onConflictDoNothing()
    .returning({ key: idempotentRequests.key });
  if (inserted.length > 0) return { claimed: true };
  const row = await db.select().from(idempotentRequests).where(where).get();
  if (!row) return claim(db, tenant, key, fingerprint);
  if (
    row.status === null &&
    row.fingerprint === fingerprint &&
    row.createdAt < now - ABANDONED_MS
  ) {
    const taken = await db
      .update(idempotentRequests)
      .set({ createdAt: now })
      .where(and(where, eq(idempotentRequests.createdAt, row.createdAt)))
      .returning({ key: idempotentRequests.key });
    if (taken.length > 0) return { claimed: true };
  }
  return { claimed: false, row };
}

async function release(db: Db, tenant: string, key: string): Promise<void> {
  await db
    .delete(idempotentRequests)
    .where(and(eq(idempotentRequests.tenant, tenant), eq(idempotentRequests.key, key)));
}

export function idempotency(): MiddlewareHandler<AppEnv> {
  return async function idempotent(c, next) {
    const key = c.req.header("idempotency-key");
    if (key === undefined || !MUTATING.has(c.req.method)) return next();
    if (!IDEMPOTENCY_KEY.test(key))
      throw new ApiError(
        400,
        "VALIDATION_FAILED",
        "Idempotency-Key is 1-128 visible ASCII characters",
      );
    const db = c.get("db");
    const { tenant } = c.get("principal");
    const fingerprint = await fingerprintOf(c.req.method, c.req.url, await c.req.text());
    const outcome = await claim(db, tenant, key, fingerprint);
    if (!outcome.claimed) {
      const { row } = outcome;
      if (row.fingerprint !== fingerprint)
        throw new ApiError(
          422,
          "IDEMPOTENCY_KEY_REUSED",
          "this Idempotency-Key was used for a different request",
        );
      if (row.status === null) {
        throw new ApiError(
          409,
          "IDEMPOTENCY_IN_PROGRESS",
          "the first request with this key is still running",
          undefined,
          { "retry-after": "1" },
        );
      }
      const headers: Record<string, string> = { "idempotent-replayed": "true" };
      if (row.contentType) headers["content-type"] = row.contentType;
      const empty = row.status === 204 || row.status === 304 || !row.body;
      return new Response(empty ? null : row.body, { status: row.status, headers });
    }
    try {
      await next();
    } catch (error) {
      await release(db, tenant, key);
      throw error;
    }
    const res = c.res;
    const body = res.status >= 500 || res.status === 429 ? undefined : await res.clone().text();
    if (body === undefined || utf8Bytes(body) > MAX_STORED_BODY) {
      await release(db, tenant, key);
      return;
    }
    await db
      .update(idempotentRequests)
      .set({ status: res.status, contentType: res.headers.get("content-type"), body })
      .where(and(eq(idempotentRequests.tenant, tenant), eq(idempotentRequests.key, key)));
  };
}

/** Drops records past their time (the cron calls this). */
export async function expireIdempotencyRecords(db: Db, now: number): Promise<void> {
  await db
    .delete(idempotentRequests)
    .where(lt(idempotentRequests.createdAt, now - IDEMPOTENCY_TTL_MS));
}
