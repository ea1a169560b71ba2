/**
 * `npm run check:mcp`: the MCP server at /mcp against a real `wrangler dev` on a
 * fresh local D1, driven from Node over real HTTP by the official SDK's client,
 * as an agent's MCP client would: the 401 without a key and the 403 for a
 * foreign Origin, the tools a key's scopes list, a formula evaluated and one
 * refused (its position and hint), a goal created, pushed to, and its receipts
 * read, then a resource. Proves the SDK's server runs in workerd as deployed
 * (no code compiled at runtime), not only under vitest.
 */
import { deepStrictEqual, equal, ok } from "node:assert/strict";
import { rmSync } from "node:fs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { api, migratedState, startRuntime } from "../../bench/runtime.ts";

const ADMIN = "mcp-check-admin-token";

function step(what: string): void {
  console.log(`ok  ${what}`);
}

async function connect(base: string, key: string): Promise<Client> {
  const client = new Client({ name: "mcp-check", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(new URL("/mcp", base), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

/** A tool's text answer, parsed; throws when the result is not what `isError` says. */
async function tool(client: Client, name: string, args: Record<string, unknown>, isError = false) {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const first = result.content[0];
  const text = first?.type === "text" ? first.text : "";
  equal(result.isError === true, isError, `${name}: ${text}`);
  return JSON.parse(text);
}

const persist = migratedState("faas-mcp-");
const runtime = await startRuntime({ persist, vars: { ADMIN_TOKEN: ADMIN } });
try {
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "c", version: "1" },
    },
  };
  const post = (headers: Record<string, string>) =>
    fetch(`${runtime.base}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(initialize),
    });
  const anonymous = await post({});
  equal(anonymous.status, 401);
  ok(anonymous.headers.get("www-authenticate")?.startsWith("Bearer"));
  equal((await post({ origin: "http://evil.example" })).status, 403);
  equal((await fetch(`${runtime.base}/mcp`)).status, 405);
  step("401 with WWW-Authenticate without a key, 403 for a foreign Origin, 405 for GET");

  const { key } = await api(runtime.base, ADMIN, "POST", "/v1/keys", {
    tenant: "mcp-check",
    scopes: ["formulas:read", "formulas:write", "goals:read", "goals:write", "observe"],
  });
  const { key: readOnly } = await api(runtime.base, ADMIN, "POST", "/v1/keys", {
    tenant: "mcp-check",
    scopes: ["goals:read"],
  });
  const client = await connect(runtime.base, key);
  const { tools } = await client.listTools();
  equal(tools.length, 16);
  const reader = await connect(runtime.base, readOnly);
  deepStrictEqual((await reader.listTools()).tools.map((t) => t.name).sort(), [
    "get_goal",
    "list_approvals",
    "list_cycles",
    "list_goals",
    "replay_goal",
    "simulate_goal",
  ]);
  const forbidden = await tool(reader, "create_goal", { spec: {} }, true);
  deepStrictEqual(forbidden.error.details, { required: "goals:write" });
  await reader.close();
  step(
    "tools/list: 16 tools for a full key, the 6 read tools for goals:read (another is FORBIDDEN)",
  );

  deepStrictEqual(
    await tool(client, "eval_formula", {
      expr: "a*x^2 + b*x + c",
      vars: { a: 1, b: 2, c: 3, x: 4 },
    }),
    { value: 27 },
  );
  const refused = await tool(client, "eval_formula", { expr: "avg(xs)", vars: { xs: [1] } }, true);
  equal(refused.error.code, "FORMULA_UNKNOWN_FUNCTION");
  deepStrictEqual(refused.error.details.position, { offset: 0, line: 1, column: 1 });
  equal(refused.error.details.hint, "did you mean `mean`?");
  step("eval_formula, and a refusal with the API's code, position and hint");

  const goal = await tool(client, "create_goal", {
    spec: {
      name: "mcp-check",
      every: "1h",
      observe: { stock: { from: "push" } },
      orient: { need: "stock < 20" },
      decide: { rules: [{ id: "low", when: "need", do: "note" }] },
      act: { note: { record: { collection: "notes", key: "last", value: { stock: "=stock" } } } },
    },
  });
  equal(
    (await tool(client, "push_observations", { goal_id: goal.id, name: "stock", value: 7 }))
      .accepted,
    1,
  );
  let matched = false;
  for (let i = 0; i < 40 && !matched; i++) {
    const page = await tool(client, "list_cycles", { goal_id: goal.id });
    matched = page.cycles.some((r: { verdicts?: { status: string }[] }) =>
      r.verdicts?.some((v) => v.status === "matched"),
    );
    if (!matched) await new Promise((r) => setTimeout(r, 250));
  }
  ok(matched, "a receipt shows the rule matched");
  step("create_goal, push_observations, list_cycles (the rule matched)");

  const spec = await client.readResource({ uri: `goal://${goal.id}/spec` });
  equal(JSON.parse((spec.contents[0] as { text: string }).text).name, "mcp-check");
  step("resources/read goal://{id}/spec");
  await client.close();
  console.log("the official MCP client drives the running service");
} finally {
  await runtime.stop();
  rmSync(persist, { recursive: true, force: true });
}
