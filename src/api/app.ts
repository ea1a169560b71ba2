/**
 * The HTTP API: middleware, every route, the error envelope and the OpenAPI
 * document. Built once per isolate.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { authenticate } from "../auth/middleware.ts";
import { database } from "../db/client.ts";
import { describeError, log } from "../observability/log.ts";
import { approvalRoutes } from "./approvals.ts";
import type { AppEnv } from "./context.ts";
import { apiReference } from "./docs.ts";
import { ApiError, toErrorResponse } from "./errors.ts";
import { evalRoutes } from "./eval.ts";
import { formulaRoutes } from "./formulas.ts";
import { goalLiveRoutes } from "./goal-live.ts";
import { goalLoopRoutes } from "./goal-loop.ts";
import { goalSecretRoutes } from "./goal-secrets.ts";
import { goalRoutes } from "./goals.ts";
import { keyRoutes } from "./keys.ts";
import { openApiDocument } from "./openapi.ts";
import { operationRoutes } from "./operations.ts";
import { recordRoutes } from "./records.ts";
import { requestLog } from "./request-log.ts";
import { ApiRouter } from "./route.ts";
import { streamRoutes } from "./streams.ts";

export const API_VERSION = "1.0.0";
const DEFAULT_MAX_BODY = 1024 * 1024;

/** The request body limit in bytes: MAX_BODY_BYTES, else 1 MiB (/mcp keeps the same one). */
export function maxBodyBytes(setting: string | undefined): number {
  return Number(setting) || DEFAULT_MAX_BODY;
}

/** Mounts every declared route on `api`; returns the OpenAPI document of them all. */
function mountRoutes(api: ApiRouter): Record<string, unknown> {
  operationRoutes(api, API_VERSION, () => document);
  keyRoutes(api);
  evalRoutes(api);
  formulaRoutes(api);
  goalLoopRoutes(api);
  goalLiveRoutes(api);
  goalRoutes(api);
  goalSecretRoutes(api);
  approvalRoutes(api);
  recordRoutes(api);
  streamRoutes(api);
  const document = openApiDocument(api.routes, API_VERSION);
  return document;
}

/** The OpenAPI document as `GET /openapi.json` serves it, built without an app to serve it. */
export function apiDocument(): Record<string, unknown> {
  return mountRoutes(new ApiRouter(new Hono<AppEnv>()));
}

/** Builds the Hono app with every route mounted. */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const api = new ApiRouter(app);

  app.use("*", requestLog());
  app.use("*", async function withDb(c, next) {
    c.set("db", database(c.env));
    await next();
  });
  app.use("*", async function limitBody(c, next) {
    const maxSize = maxBodyBytes(c.env.MAX_BODY_BYTES);
    const limit = bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiError(413, "PAYLOAD_TOO_LARGE", `request body exceeds ${maxSize} bytes`, {
          max_bytes: maxSize,
        });
      },
    });
    return limit(c, next);
  });
  app.use("/v1/*", authenticate());

  mountRoutes(api);
  app.get("/docs", apiReference());

  app.notFound((c) =>
    c.json(
      {
        error: {
          code: "NOT_FOUND",
          message: `no route for ${c.req.method} ${new URL(c.req.url).pathname}`,
        },
      },
      404,
    ),
  );
  app.onError((error, c) => {
    const { status, body, fault, headers } = toErrorResponse(error);
    if (fault)
      log("error", "unhandled", { request_id: c.get("requestId"), ...describeError(error) });
    return c.json(body, status, headers);
  });
  return app;
}
