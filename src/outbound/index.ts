/**
 * Requests a goal makes to the outside world: which URLs it may reach
 * (`targets.ts`, `addresses.ts`, checked at registration and before every
 * request), the host-name lookup that refuses private addresses
 * (`resolve.ts`), one exchange with its timeout, redirects and body budget
 * (`http.ts`, `response-body.ts`), and each tenant's budget of requests
 * (`budget.ts`). Webhook actions (`src/actions`), polled `http` sources and
 * spec validation (`src/goal`) all go through here.
 */
export { deferAction, MAX_DEFERRALS, OUTBOUND_LIMITED, spendOutbound } from "./budget.ts";
export {
  exchange,
  type HttpOutcome,
  type HttpRequest,
  type TargetRules,
  targetRules,
} from "./http.ts";
export { allowPrivateTargets, checkTarget, type LiteralRules } from "./targets.ts";
