/**
 * The public routes for operators and tools: health, and the OpenAPI
 * document itself (declared like every other route, so it is in itself).
 */
import { z } from "zod";
import type { ApiRouter } from "./route.ts";

const Health = z.object({ status: z.literal("ok"), version: z.string() });

const OpenApiDocument = z
  .looseObject({ openapi: z.string(), info: z.looseObject({}), paths: z.looseObject({}) })
  .describe("An OpenAPI 3.1 document");

export function operationRoutes(
  api: ApiRouter,
  version: string,
  document: () => Record<string, unknown>,
): void {
  api.route(
    {
      method: "get",
      path: "/healthz",
      operationId: "getHealth",
      summary: "Liveness: answers while the Worker runs, with the API version",
      tag: "operations",
      responses: { 200: { description: "Up", schema: Health } },
    },
    (c) => c.json({ status: "ok" as const, version }),
  );

  api.route(
    {
      method: "get",
      path: "/openapi.json",
      operationId: "getOpenApiDocument",
      summary: "This API as an OpenAPI 3.1 document",
      tag: "operations",
      responses: { 200: { description: "The document", schema: OpenApiDocument } },
    },
    (c) => c.json(document()),
  );
}
