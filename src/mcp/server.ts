/**
 * One MCP server per /mcp request (stateless): the tools the caller's scopes
 * allow listed, each calling the public API with the caller's key, and the goal
 * resources when the key may read goals. Nothing outlives the request.
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { CfWorkerJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/cfworker-provider.js";
import { hasScope, type Scope } from "../auth/scopes.ts";
import { type Caller, callApi, toolResult } from "./api-call.ts";
import { registerGoalResources } from "./resources.ts";
import { TOOLS } from "./tools.ts";

export const SERVER_INFO = { name: "agentic-faas", version: "1.0.0" } as const;

const INSTRUCTIONS =
  "Formulas and goals of Agentic FaaS. A goal watches values (push_observations), orients them with formulas, decides by its rules and acts (webhooks, records); list_cycles shows why each decision was taken. Errors carry the HTTP API's code, message and details (formula positions and hints, field issues).";

/** Whether scopes allow `scope`: `admin` implies every other one. */
export function allows(scopes: readonly string[], scope: Scope): boolean {
  return hasScope({ scopes }, scope);
}

/** The tools `scopes` allow, by name. */
export function allowedTools(scopes: readonly string[]) {
  return TOOLS.filter((tool) => allows(scopes, tool.scope));
}

/**
 * An MCP server for one request of `caller`, whose key holds `scopes`. Every
 * tool is there, so calling one the scopes do not allow gets the API's own
 * refusal (`403 FORBIDDEN`, `details.required`: the scope) rather than "not
 * found"; the handler cuts each `tools/list` answer to the tools the scopes
 * allow (`listedOnly`).
 */
export function buildServer(caller: Caller, scopes: readonly string[]): McpServer {
  const server = new McpServer(SERVER_INFO, {
    instructions: INSTRUCTIONS,
    capabilities: { tools: {}, ...(allows(scopes, "goals:read") ? { resources: {} } : {}) },
    // Ajv, the SDK's default, compiles validators with new Function, which workerd refuses.
    jsonSchemaValidator: new CfWorkerJsonSchemaValidator(),
  });
  for (const tool of TOOLS) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: `${tool.description} (scope ${tool.scope})`,
        inputSchema: tool.input,
        annotations: { title: tool.title, ...tool.annotations },
      },
      async (args) => {
        const { status, body } = await callApi(caller, tool.request(args));
        return toolResult(status, body);
      },
    );
  }
  if (allows(scopes, "goals:read")) registerGoalResources(server, caller);
  return server;
}
