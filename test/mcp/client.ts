/**
 * The official MCP SDK's client, connected to the Worker's own fetch
 * (`exports.default.fetch`) over streamable HTTP, as an agent connects.
 */

import { exports } from "cloudflare:workers";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

export const MCP_URL = "http://faas.test/mcp";

/** A connected client sending `Authorization: Bearer key` (and any other headers). */
export async function mcpClient(key: string, headers: Record<string, string> = {}) {
  const client = new Client({ name: "faas-test", version: "1.0.0" });
  const transport = new StreamableHTTPClientTransport(new URL(MCP_URL), {
    fetch: (input, init) => exports.default.fetch(new Request(input, init)),
    requestInit: { headers: { authorization: `Bearer ${key}`, ...headers } },
  });
  await client.connect(transport);
  return client;
}

/** A tool's result: its text parsed as JSON, and whether it is an error. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown> = {},
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON fields
): Promise<{ isError: boolean; json: any; text: string; result: CallToolResult }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  const text = first?.type === "text" ? first.text : "";
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { isError: result.isError === true, json, text, result };
}
