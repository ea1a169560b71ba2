/**
 * `Idempotency-Key` on every mutating /v1 request: the first request with a
 * key claims it (per tenant) and its response is stored; a repeat of the same
 * request gets that response again, with `Idempotent-Replayed: true`, and
 * changes nothing. The same key with another method, path or body is a 422;
 * a repeat while the first is still running is a 409. Failures that are not
 * the request's fault (5xx, 429) release the key so a retry can run.
 */
import type { MiddlewareHandler } from "hono";
import { sha256Hex } from "../auth/keys.ts";
import { claimKey, releaseKey, storeResponse } from "../db/idempotency.ts";
import { utf8Bytes } from "../spec/index.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";

/** Larger responses (UTF-8 bytes) are not kept; the key is released and a repeat runs again. */
const MAX_STORED_BODY = 256 * 1024;
const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

function fingerprintOf(method: string, url: string, body: string): Promise<string> {
  const { pathname, search } = new URL(url);
  return sha256Hex(`${method} ${pathname}${search}\n${body}`);
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
    const outcome = await claimKey(db, tenant, key, fingerprint);
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
      await releaseKey(db, tenant, key);
      throw error;
    }
    const res = c.res;
    const body = res.status >= 500 || res.status === 429 ? undefined : await res.clone().text();
    if (body === undefined || utf8Bytes(body) > MAX_STORED_BODY) {
      await releaseKey(db, tenant, key);
      return;
    }
    await storeResponse(db, tenant, key, {
      status: res.status,
      contentType: res.headers.get("content-type"),
      body,
    });
  };
}
