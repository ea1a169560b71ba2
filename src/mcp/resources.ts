/**
 * A goal's spec and its latest receipts as MCP resources
 * (`goal://{id}/spec`, `goal://{id}/cycles`), read through the API with the
 * caller's key: the list holds only the caller's tenant's goals, and another
 * tenant's goal reads as not found, as over HTTP.
 */
import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import { type Caller, callApi } from "./api-call.ts";
import type { ApiRequest } from "./tools.ts";

/** Receipts a `goal://{id}/cycles` read returns: the latest ones. */
const LATEST_RECEIPTS = 20;
/** Goals the resource lists name (the first page of the tenant's goals). */
const LISTED_GOALS = 100;

interface GoalSummary {
  id: string;
  name: string;
}

/** The API's answer to `call`, or an MCP error carrying its code and message. */
async function read(caller: Caller, call: ApiRequest): Promise<Record<string, unknown>> {
  const { status, body } = await callApi(caller, call);
  if (status === 200 && typeof body === "object" && body !== null)
    return body as Record<string, unknown>;
  const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
  throw new McpError(
    status === 404 ? -32002 : ErrorCode.InvalidRequest,
    `${error?.code ?? status}: ${error?.message ?? "the API refused the read"}`,
    error,
  );
}

async function listGoals(caller: Caller): Promise<GoalSummary[]> {
  const page = await read(caller, {
    method: "GET",
    path: "/v1/goals",
    query: { limit: LISTED_GOALS },
  });
  return (page.goals as GoalSummary[]) ?? [];
}

function goalId(variables: Record<string, string | string[]>): string {
  const id = variables.id;
  const value = Array.isArray(id) ? id[0] : id;
  if (!value || value === "." || value === "..")
    throw new McpError(ErrorCode.InvalidParams, "a goal resource names a goal id");
  return encodeURIComponent(value);
}

function json(uri: URL, value: unknown) {
  return {
    contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(value) }],
  };
}

export function registerGoalResources(server: McpServer, caller: Caller): void {
  server.registerResource(
    "goal-spec",
    new ResourceTemplate("goal://{id}/spec", {
      list: async () => ({
        resources: (await listGoals(caller)).map((goal) => ({
          uri: `goal://${goal.id}/spec`,
          name: `${goal.name} spec`,
          mimeType: "application/json",
        })),
      }),
    }),
    {
      title: "A goal's spec",
      description: "The goal's current spec",
      mimeType: "application/json",
    },
    async (uri, variables) => {
      const goal = await read(caller, { method: "GET", path: `/v1/goals/${goalId(variables)}` });
      return json(uri, goal.spec);
    },
  );
  server.registerResource(
    "goal-cycles",
    new ResourceTemplate("goal://{id}/cycles", {
      list: async () => ({
        resources: (await listGoals(caller)).map((goal) => ({
          uri: `goal://${goal.id}/cycles`,
          name: `${goal.name} receipts`,
          mimeType: "application/json",
        })),
      }),
    }),
    {
      title: "A goal's latest receipts",
      description: `The goal's latest ${LATEST_RECEIPTS} receipts: what it observed, decided and why`,
      mimeType: "application/json",
    },
    async (uri, variables) => {
      const page = await read(caller, {
        method: "GET",
        path: `/v1/goals/${goalId(variables)}/cycles`,
        query: { limit: LATEST_RECEIPTS },
      });
      return json(uri, page);
    },
  );
}
