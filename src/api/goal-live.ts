/**
 * The live channel of a goal (see `src/goal/live.ts`): a ticket asked for
 * with the API key, then a WebSocket to the goal's Durable Object opened
 * with the ticket, so the key is never in a URL. The socket's messages are
 * `hello`, `cycle`, `goal` and `deleted` (docs/dashboard.md).
 */
import { z } from "zod";
import { TICKET } from "../goal/live.ts";
import { goalStub } from "../goal/stub.ts";
import { ApiError } from "./errors.ts";
import { GOAL_ID, ownGoal } from "./goals.ts";
import { type ApiRouter, pathParam } from "./route.ts";
import { DateTime, isoTime } from "./time.ts";

const LiveTicket = z
  .object({
    ticket: z.string().describe("opens one socket, once, until expires_at"),
    url: z.string().describe("the socket's path with the ticket: open it as ws:// or wss://"),
    expires_at: DateTime,
  })
  .meta({ id: "LiveTicket" });

export function goalLiveRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "post",
      path: "/v1/goals/:id/live",
      operationId: "createLiveTicket",
      summary:
        "A ticket for the goal's live channel (a WebSocket: hello, then each cycle's receipt as it happens)",
      tag: "goals",
      scope: "goals:read",
      responses: { 201: { description: "A ticket, valid once for 60 s", schema: LiveTicket } },
    },
    async (c) => {
      const row = await ownGoal(c);
      const issued = await goalStub(c.env, row.id).liveTicket(row.tenant, c.get("principal").keyId);
      if (!issued) throw new ApiError(404, "NOT_FOUND", `no goal ${row.id}`);
      const url = `/live/goals/${row.id}?ticket=${issued.ticket}`;
      c.header("Cache-Control", "no-store");
      return c.json({ ticket: issued.ticket, url, expires_at: isoTime(issued.expiresAt) }, 201);
    },
  );

  api.route(
    {
      method: "get",
      path: "/live/goals/:id",
      operationId: "openLiveChannel",
      summary:
        "The goal's live channel: a WebSocket (Upgrade: websocket) opened with a ticket from POST /v1/goals/:id/live",
      tag: "goals",
      query: z.object({ ticket: z.string().max(64).describe("the ticket, once") }),
      errors: [401, 429],
      responses: {
        101: {
          description:
            'Switching to the WebSocket: JSON text messages {"type":"hello"|"cycle"|"goal"|"deleted"}; send "ping" for "pong" (anything else closes the socket, 1003)',
        },
      },
    },
    async (c, { query }) => {
      const id = pathParam(c, "id");
      if (!GOAL_ID.test(id) || !TICKET.test(query.ticket)) {
        throw new ApiError(
          401,
          "UNAUTHENTICATED",
          "the ticket is unknown, used or expired; ask for another",
        );
      }
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
        return c.json(
          { error: { code: "UPGRADE_REQUIRED", message: "open this URL as a WebSocket" } },
          426,
        );
      }
      return goalStub(c.env, id).fetch(c.req.raw);
    },
  );
}
