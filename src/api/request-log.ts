/**
 * One JSON log line per request: method, route, status, duration, tenant.
 * The route is the matched pattern (`/v1/formulas/:name`), never the raw URL,
 * so names and query inputs stay out of logs; no header is ever logged.
 */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { log } from "../observability/log.ts";
import { countRequest, flushMetrics } from "../observability/metrics.ts";
import type { AppEnv } from "./context.ts";

export function requestLog(): MiddlewareHandler<AppEnv> {
  return async function logged(c, next) {
    const started = performance.now();
    const requestId = c.req.header("cf-ray") ?? crypto.randomUUID();
    c.set("requestId", requestId);
    try {
      await next();
    } finally {
      const status = c.res.status;
      const durationMs = performance.now() - started;
      const tenant = c.get("principal")?.tenant;
      if (tenant !== undefined) {
        countRequest(tenant, status, durationMs);
        c.executionCtx.waitUntil(flushMetrics(c.get("db")).catch(() => undefined));
      }
      log(status >= 500 ? "error" : "info", "request", {
        request_id: requestId,
        method: c.req.method,
        route: routePath(c, -1),
        status,
        duration_ms: Math.round(durationMs * 1000) / 1000,
        tenant: tenant ?? null,
      });
    }
  };
}
