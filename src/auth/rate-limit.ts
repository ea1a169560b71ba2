/**
 * Request rate limits through the Workers rate limiting binding: per API key
 * on /v1, per goal on the ingest route. Over the limit is a 429 with
 * `Retry-After` (the binding's period: the window resets within it).
 */
import { ApiError } from "../api/errors.ts";

/** The period configured for API_RATE_LIMIT in wrangler.toml, in seconds. */
export const RATE_PERIOD_S = 10;

/** Whether `key` is still within its limit (counting this request). */
export async function withinRateLimit(env: Env, key: string): Promise<boolean> {
  const { success } = await env.API_RATE_LIMIT.limit({ key });
  return success;
}

/** The 429 of a caller over its limit. */
export function rateLimited(): ApiError {
  return new ApiError(
    429,
    "RATE_LIMITED",
    "too many requests; slow down and retry later",
    { retry_after_s: RATE_PERIOD_S },
    { "retry-after": String(RATE_PERIOD_S) },
  );
}

export async function enforceRateLimit(env: Env, key: string): Promise<void> {
  if (!(await withinRateLimit(env, key))) throw rateLimited();
}
