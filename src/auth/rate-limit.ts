/**
 * Request rate limits through the Workers rate limiting bindings: per API key
 * (API_RATE_LIMIT) and per tenant (TENANT_RATE_LIMIT, every key of the tenant
 * together) on /v1; per goal and per tenant on the ingest route. Over a limit
 * is a 429 with `Retry-After` (the binding's period: the window resets within
 * it) and `details.per` naming which limit it was.
 */
import { RateLimited as RateLimitedError } from "../errors.ts";

/** The period configured for API_RATE_LIMIT and TENANT_RATE_LIMIT in wrangler.toml, in seconds. */
export const RATE_PERIOD_S = 10;

/** What a request was counted against: its API key, its tenant, or (ingest) its goal. */
export type RateLimited = "key" | "tenant" | "goal";

/** Whether `key` is still within `limiter`'s limit (counting this request). */
export async function withinRateLimit(limiter: RateLimit, key: string): Promise<boolean> {
  const { success } = await limiter.limit({ key });
  return success;
}

const WHOSE: Record<RateLimited, string> = {
  key: "this API key",
  tenant: "this tenant (all its keys together)",
  goal: "this goal",
};

/** The refusal (a 429) of a caller over its limit. */
export function rateLimited(per: RateLimited): RateLimitedError {
  return new RateLimitedError(`too many requests for ${WHOSE[per]}; slow down and retry later`, {
    details: { per, retry_after_s: RATE_PERIOD_S },
    retryAfterS: RATE_PERIOD_S,
  });
}

/** The key under which TENANT_RATE_LIMIT counts a tenant's requests. */
export const tenantRateKey = (tenant: string) => `tenant:${tenant}`;

/** Throws the 429 when `key` is over `limiter`'s limit. */
export async function enforceRateLimit(
  limiter: RateLimit,
  key: string,
  per: RateLimited,
): Promise<void> {
  if (!(await withinRateLimit(limiter, key))) throw rateLimited(per);
}
