/**
 * /mcp before the protocol: the key (401 with WWW-Authenticate), the Origin
 * check against DNS rebinding (403), the methods a stateless
 * server answers (405), the body limit (413); and the goal resources.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import {
  allowedOrigins,
  handleMcp,
  MCP_CONCURRENT_CALLS,
  originRefusal,
} from "../../src/mcp/handler.ts";
import { ADMIN, createKey, goalTenant, uniqueTenant } from "../helpers.ts";
import { callTool, MCP_URL, mcpClient } from "./client.ts";

const INITIALIZE = {
  jsonrpc: "2.0",
  id: 1,
  method: "initialize",
  params: {
    protocolVersion: "2025-06-18",
    capabilities: {},
    clientInfo: { name: "raw", version: "1" },
  },
};

function post(headers: Record<string, string>, body: unknown = INITIALIZE) {
  return exports.default.fetch(MCP_URL, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      ...headers,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("mcp over http", () => {
  it("answers 401 with WWW-Authenticate: Bearer without a key, or with an unknown one", async () => {
    const none = await post({});
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer /);
    expect(await none.json()).toMatchObject({ error: { code: "UNAUTHENTICATED" } });
    const unknown = await post({ authorization: "Bearer nope-not-a-key" });
    expect(unknown.status).toBe(401);
    expect(unknown.headers.get("www-authenticate")).toMatch(/^Bearer .*invalid_token/);
    await expect(mcpClient("nope-not-a-key")).rejects.toThrow();
  });

  it("initializes over plain JSON with a key, and holds no session", async () => {
    const { key } = await goalTenant();
    const res = await post({ authorization: `Bearer ${key}` });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    expect(res.headers.get("mcp-session-id")).toBeNull();
    const body = (await res.json()) as { result: { serverInfo: { name: string } } };
    expect(body.result.serverInfo.name).toBe("agentic-faas");
  });

  it("refuses a foreign Origin (403) and takes none, or a listed one", async () => {
    const { key } = await goalTenant();
    const foreign = await post({ authorization: `Bearer ${key}`, origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    // Refused before the key is even looked at.
    expect((await post({ origin: "https://evil.example" })).status).toBe(403);
    expect((await post({ authorization: `Bearer ${key}` })).status).toBe(200);
    await expect(mcpClient(key, { origin: "http://evil.example" })).rejects.toThrow();
  });

  it("refuses a DNS-rebound page: its Origin is the very host the request is addressed to", async () => {
    // evil.example resolved to this service's address: the browser sends Host and Origin
    // evil.example, and workerd builds the request's URL from that Host.
    const { key } = await goalTenant();
    const rebound = (url: string, origin: string) =>
      exports.default.fetch(url, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          origin,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify(INITIALIZE),
      });
    const res = await rebound("http://evil.example:8787/mcp", "http://evil.example:8787");
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN" } });
    expect((await rebound(MCP_URL, "http://faas.test")).status).toBe(403);
    // A service reached on loopback (local development) takes a page on loopback.
    const local = await rebound("http://localhost:8787/mcp", "http://localhost:6274");
    expect(local.status).toBe(200);
    expect((await rebound("http://127.0.0.1:8787/mcp", "http://[::1]:3000")).status).toBe(200);
  });

  it("checks Origin against MCP_ALLOWED_ORIGINS, and loopback pages only on loopback", () => {
    const request = (origin: string | undefined, url = "https://faas.example.com/mcp") =>
      new Request(url, { method: "POST", headers: origin === undefined ? {} : { origin } });
    const allowed = allowedOrigins(" https://agent.example.com/ ,https://Other.example ");
    expect(originRefusal(request("https://agent.example.com"), allowed)).toBeUndefined();
    expect(originRefusal(request("https://other.example"), allowed)).toBeUndefined();
    expect(originRefusal(request(undefined), allowed)).toBeUndefined();
    // The service's own origin is what a rebound page sends too: listed, or refused.
    expect(originRefusal(request("https://faas.example.com"), allowed)).toMatch(/not allowed/);
    expect(originRefusal(request("null"), allowed)).toMatch(/not allowed/);
    expect(originRefusal(request("https://agent.example.com.evil"), allowed)).toMatch(
      /not allowed/,
    );
    expect(originRefusal(request("http://localhost:3000"), allowed)).toMatch(/not allowed/);
    const local = "http://localhost:8787/mcp";
    expect(originRefusal(request("http://localhost:3000", local), allowed)).toBeUndefined();
    expect(originRefusal(request("http://app.localhost", local), allowed)).toBeUndefined();
    expect(originRefusal(request("http://127.0.0.1:9", local), allowed)).toBeUndefined();
    expect(originRefusal(request("http://localhost.evil.example", local), allowed)).toMatch(
      /not allowed/,
    );
    expect(originRefusal(request("http://127.0.0.1.evil.example", local), allowed)).toMatch(
      /not allowed/,
    );
    expect(allowedOrigins("")).toEqual(new Set());
  });

  it("a revoked key stops at once: the next request is a 401, whatever the client connected with", async () => {
    const tenant = uniqueTenant("mcp");
    const created = await exports.default.fetch("http://faas.test/v1/keys", {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ tenant, scopes: ["formulas:read"] }),
    });
    const { id, key } = (await created.json()) as { id: string; key: string };
    const client = await mcpClient(key);
    expect((await callTool(client, "list_formulas")).isError).toBe(false);
    await exports.default.fetch(`http://faas.test/v1/keys/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await expect(client.callTool({ name: "list_formulas", arguments: {} })).rejects.toThrow();
    const raw = await post({ authorization: `Bearer ${key}` });
    expect(raw.status).toBe(401);
  });

  it("a body that is not JSON is the transport's parse error; nothing runs", async () => {
    const { key } = await goalTenant();
    const res = await post({ authorization: `Bearer ${key}` }, "{not json");
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: -32700 } });
  });

  it("answers GET and DELETE with 405 (stateless: no event stream, no session)", async () => {
    const { key } = await goalTenant();
    for (const method of ["GET", "DELETE", "PUT"]) {
      const res = await exports.default.fetch(MCP_URL, {
        method,
        headers: { authorization: `Bearer ${key}`, accept: "text/event-stream" },
      });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
  });

  it("refuses a body over MAX_BODY_BYTES with 413", async () => {
    const { key } = await goalTenant();
    const huge = JSON.stringify({
      jsonrpc: "2.0",
      id: 2,
      method: "tools/call",
      params: { name: "eval_formula", arguments: { expr: "1", vars: { x: "a".repeat(1100000) } } },
    });
    const res = await post({ authorization: `Bearer ${key}` }, huge);
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: "PAYLOAD_TOO_LARGE" } });
    // Streamed, with no Content-Length: counted as it arrives.
    const bytes = new TextEncoder().encode(huge);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < bytes.length; i += 65536) controller.enqueue(bytes.slice(i, i + 65536));
        controller.close();
      },
    });
    const streamed = await exports.default.fetch(MCP_URL, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: stream,
    });
    expect(streamed.status).toBe(413);
  });

  it("a JSON-RPC batch runs each tool call through the API like any other", async () => {
    const { key } = await goalTenant();
    const calls = [1, 2, 3].map((n) => ({
      jsonrpc: "2.0",
      id: n,
      method: "tools/call",
      params: { name: "eval_formula", arguments: { expr: "x * 2", vars: { x: n } } },
    }));
    const res = await post({ authorization: `Bearer ${key}` }, calls);
    // The SDK takes a batch (at most 100 messages); each call is one API request.
    expect(res.status).toBe(200);
    const answers = (await res.json()) as { id: number; result: { structuredContent: unknown } }[];
    expect(answers.map((a) => a.result.structuredContent)).toEqual([
      { value: 2 },
      { value: 4 },
      { value: 6 },
    ]);
  });

  it("runs a batch's tool calls one at a time, so a batch of 100 cannot fill the isolate", async () => {
    const { key } = await goalTenant();
    const calls = Array.from({ length: 12 }, (_, n) => ({
      jsonrpc: "2.0",
      id: n,
      method: "tools/call",
      params: { name: "eval_formula", arguments: { expr: "x + 1", vars: { x: n } } },
    }));
    // The real app behind a counter of the API requests in flight at once.
    let inFlight = 0;
    let most = 0;
    const counted = async (request: Request) => {
      inFlight++;
      most = Math.max(most, inFlight);
      try {
        return await exports.default.fetch(request);
      } finally {
        inFlight--;
      }
    };
    const res = await handleMcp(
      new Request(MCP_URL, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: JSON.stringify(calls),
      }),
      env,
      counted,
    );
    expect(res.status).toBe(200);
    const answers = (await res.json()) as { id: number; result: { structuredContent: unknown } }[];
    expect(answers.map((a) => a.result.structuredContent)).toEqual(
      calls.map((_, n) => ({ value: n + 1 })),
    );
    expect(most).toBe(MCP_CONCURRENT_CALLS);
  });

  it("lists the caller's goals as resources and reads a goal's spec and receipts", async () => {
    const { key } = await goalTenant();
    const client = await mcpClient(key);
    const spec = {
      name: "watched",
      every: "1h",
      observe: { stock: { from: "push" } },
      decide: { rules: [{ id: "low", when: "stock < 5", do: "note" }] },
      act: { note: { record: { collection: "notes", key: "k", value: { s: "=stock" } } } },
    };
    const id = (await callTool(client, "create_goal", { spec })).json.id as string;
    const other = await mcpClient(await createKey(uniqueTenant("mcp"), ["goals:read"]));
    expect((await other.listResources()).resources).toEqual([]);
    await expect(other.readResource({ uri: `goal://${id}/spec` })).rejects.toThrow(/NOT_FOUND/);
    await other.close();

    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual([
      `goal://${id}/cycles`,
      `goal://${id}/spec`,
    ]);
    const read = await client.readResource({ uri: `goal://${id}/spec` });
    const first = read.contents[0] as { text: string };
    expect(JSON.parse(first.text)).toMatchObject({ name: "watched" });
    const receipts = await client.readResource({ uri: `goal://${id}/cycles` });
    expect(JSON.parse((receipts.contents[0] as { text: string }).text)).toHaveProperty("cycles");
    await client.close();

    // A key that may not read goals has no resources at all.
    const formulas = await mcpClient(await createKey(uniqueTenant("mcp"), ["formulas:read"]));
    await expect(formulas.listResources()).rejects.toThrow();
    await formulas.close();
  });
});
