/**
 * Each tenant's budget of outbound requests (the OUTBOUND_RATE_LIMIT
 * binding): every poll request and every webhook delivery attempt spends
 * one, whatever goal or action makes it, so one tenant's goals cannot turn
 * the service into a flood against a host (or its DNS resolver). Over it, a
 * poll fails with a note saying so, and a webhook is queued again for after
 * the window instead of being sent (`deferAction`): never dropped in silence.
 * Like the request limits, the binding counts per location, approximately.
 */
import type { ActionMessage } from "../queues.ts";

/** The period configured for OUTBOUND_RATE_LIMIT in wrangler.toml, in seconds. */
export const OUTBOUND_PERIOD_S = 10;

/** How many times one action may wait for the budget (10–20 s each) before it is reported failed. */
export const MAX_DEFERRALS = 30;

/** Why a request was not sent. */
export const OUTBOUND_LIMITED = `not sent: the tenant's outbound request limit is reached (its window resets within ${OUTBOUND_PERIOD_S} s)`;

/** Spends one request of the tenant's budget; false when it is used up (nothing may be sent). */
export async function spendOutbound(env: Env, tenant: string): Promise<boolean> {
  const { success } = await env.OUTBOUND_RATE_LIMIT.limit({ key: `tenant:${tenant}` });
  return success;
}

/**
 * Queues the action again to run after the window, as a new message: waiting
 * for the budget is not a failed attempt, so it does not use up the retries
 * the target's own failures get. Returns the delay, or undefined when the
 * action has waited MAX_DEFERRALS times already (the caller reports it failed).
 */
export async function deferAction(env: Env, body: ActionMessage): Promise<number | undefined> {
  const deferred = (body.deferred ?? 0) + 1;
  if (deferred > MAX_DEFERRALS) return undefined;
  // Spread over a second window, so deferred actions do not all come back at once.
  const delaySeconds = OUTBOUND_PERIOD_S + Math.floor(Math.random() * OUTBOUND_PERIOD_S);
  await env.ACTIONS.send({ ...body, deferred }, { contentType: "json", delaySeconds });
  return delaySeconds;
}
