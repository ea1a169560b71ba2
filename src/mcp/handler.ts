/**
 * `/mcp`: the Model Context Protocol over streamable HTTP, stateless. Each
 * POST gets its own server and transport (no session, nothing kept between
 * requests), answered as JSON. Before the protocol: the Origin check the
 * transport's specification asks for (against DNS rebinding), the
 * body limit, and the caller's key, resolved once through `GET /v1/me` (which
 * also spends one of the key's and tenant's requests, so a flood of /mcp
 * requests is rate-limited like any other). GET (a server-sent event stream)
 * and DELETE (ending a session) have no meaning without sessions: 405.
 */
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { maxBodyBytes } from "../api/app.ts";
import { bearerToken } from "../auth/middleware.ts";
import { log } from "../observability/log.ts";
import { isRecord } from "../spec/index.ts";
import type { ApiFetch, Caller } from "./api-call.ts";
import { allowedTools, buildServer } from "./server.ts";
import { TOOLS } from "./tools.ts";

function refusal(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

/** The origins allowed besides the service's own: `MCP_ALLOWED_ORIGINS`, comma-separated. */
export function allowedOrigins(setting: string | undefined): Set<string> {
  return new Set(
    (setting ?? "")
      .split(",")
      .map((origin) => origin.trim().replace(/\/+$/, "").toLowerCase())
      .filter((origin) => origin !== ""),
  );
}

/** A loopback host name: `localhost`, `*.localhost`, 127.x.x.x or [::1]. */
function isLoopback(hostname: string): boolean {
  const name = hostname.toLowerCase();
  return (
    name === "localhost" ||
    name.endsWith(".localhost") ||
    name === "[::1]" ||
    /^127(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(name)
  );
}

/** The host name of an origin (`scheme://host[:port]`), or undefined when it is not one. */
function originHost(origin: string): string | undefined {
  try {
    const url = new URL(origin);
    return url.origin === origin ? url.hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Why the request's Origin is refused, or undefined when it is not (the
 * transport specification's defence against DNS rebinding). No Origin (an
 * agent's server-side client) is fine. A browser's must be listed in
 * `allowed`, or, on a service reached at a loopback address (local
 * development), be a loopback page. The service's "own" origin proves
 * nothing: workerd builds the request's URL from its Host header, so a page
 * on a rebinding domain sends an Origin equal to it (and any Host check is
 * as empty).
 */
export function originRefusal(request: Request, allowed: Set<string>): string | undefined {
  const origin = request.headers.get("origin");
  if (origin === null) return undefined;
  const normalized = origin.trim().replace(/\/+$/, "").toLowerCase();
  if (allowed.has(normalized)) return undefined;
  const host = originHost(normalized);
  if (host !== undefined && isLoopback(host) && isLoopback(new URL(request.url).hostname))
    return undefined;
  return `Origin ${origin} is not allowed (set MCP_ALLOWED_ORIGINS to allow it)`;
}

/** The body as text, or undefined when it is over `maxBytes` (read no further than that). */
async function readBounded(request: Request, maxBytes: number): Promise<string | undefined> {
  if (Number(request.headers.get("content-length")) > maxBytes) return undefined;
  if (request.body === null) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

/** The JSON-RPC messages in `text`, a batch or one (none when it is not JSON). */
function messagesOf(text: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch {
    return [];
  }
}

/** What the log says of a message: its method, and for a tool call the tool (if it is one of ours). */
function described(message: unknown): string {
  if (typeof message !== "object" || message === null) return "invalid";
  const { method, params } = message as { method?: unknown; params?: { name?: unknown } };
  if (typeof method !== "string") return "response";
  // A method's name only when it looks like the protocol's (`resources/templates/list`): the
  // log never carries a free-form string a client made up.
  if (method !== "tools/call") return /^[a-z]+(\/[a-zA-Z_]+){0,3}$/.test(method) ? method : "other";
  const tool = TOOLS.find((t) => t.name === params?.name);
  return `tools/call ${tool?.name ?? "(unknown tool)"}`;
}

/**
 * The answer with each `tools/list` result (the only one with `result.tools`)
 * cut to the tools `scopes` allow: the server has every tool, so that one the
 * scopes do not allow, called anyway in the same batch or later, is the API's
 * FORBIDDEN.
 */
export async function listedOnly(response: Response, scopes: readonly string[]): Promise<Response> {
  if (!(response.headers.get("content-type") ?? "").includes("application/json")) return response;
  const text = await response.text();
  const allowed = new Set(allowedTools(scopes).map((tool) => tool.name));
  const cut = (message: unknown) => {
    const result = isRecord(message) ? message.result : undefined;
    if (isRecord(result) && Array.isArray(result.tools)) {
      (result as { tools: unknown[] }).tools = result.tools.filter(
        (tool: unknown) => isRecord(tool) && allowed.has(String(tool.name)),
      );
    }
    return message;
  };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, response);
  }
  const out = Array.isArray(body) ? body.map(cut) : cut(body);
  const headers = new Headers(response.headers);
  headers.delete("content-length");
  return new Response(JSON.stringify(out), { status: response.status, headers });
}

/**
 * How many of one /mcp request's tool calls run at once. A JSON-RPC batch
 * carries up to 100 of them and the SDK starts them all together: each is a
 * whole API request (its key check, its D1 reads, its rate limits), so 100 at
 * once fill this isolate's event loop and the store's queue, and every other
 * tenant's request waits behind them. In turns of this many, a batch takes
 * about as long, and others' requests pass between its calls.
 */
export const MCP_CONCURRENT_CALLS = 1;

/** `api` with at most `limit` of its requests in flight; the others wait their turn, in order. */
export function oneTurnAtATime(api: ApiFetch, limit: number): ApiFetch {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (request) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      await new Promise<void>((resolve) => setTimeout(resolve, 0));
      // The answer's body is read before the turn is handed on: the work is done by then.
      const response = await api(request);
      const body = await response.arrayBuffer();
      return new Response(body, response);
    } finally {
      const next = waiting.shift();
      if (next === undefined) running--;
      else next();
    }
  };
}

interface McpEnv {
  MAX_BODY_BYTES?: string;
  MCP_ALLOWED_ORIGINS?: string;
}

/** Answers a request to /mcp; `api` is the HTTP API's own fetch. */
export async function handleMcp(request: Request, env: McpEnv, api: ApiFetch): Promise<Response> {
  const started = performance.now();
  const refused = originRefusal(request, allowedOrigins(env.MCP_ALLOWED_ORIGINS));
  if (refused !== undefined) return refusal(403, "FORBIDDEN", refused);
  if (request.method !== "POST") {
    return refusal(
      405,
      "METHOD_NOT_ALLOWED",
      "this MCP server is stateless: POST JSON-RPC messages to /mcp (no GET event stream, no sessions to DELETE)",
      { allow: "POST" },
    );
  }
  const authorization = request.headers.get("authorization") ?? "";
  if (bearerToken(authorization) === undefined) {
    return refusal(401, "UNAUTHENTICATED", "send Authorization: Bearer <key>", {
      "www-authenticate": 'Bearer realm="mcp"',
    });
  }
  const maxBytes = maxBodyBytes(env.MAX_BODY_BYTES);
  const text = await readBounded(request, maxBytes);
  if (text === undefined) {
    return Response.json(
      {
        error: {
          code: "PAYLOAD_TOO_LARGE",
          message: `request body exceeds ${maxBytes} bytes`,
          details: { max_bytes: maxBytes },
        },
      },
      { status: 413 },
    );
  }

  const caller: Caller = {
    api: oneTurnAtATime(api, MCP_CONCURRENT_CALLS),
    origin: new URL(request.url).origin,
    authorization,
  };
  const me = await caller.api(
    new Request(new URL("/v1/me", caller.origin), { headers: { authorization } }),
  );
  if (me.status === 401) {
    return new Response(me.body, {
      status: 401,
      headers: {
        "content-type": "application/json",
        "www-authenticate": 'Bearer realm="mcp", error="invalid_token"',
      },
    });
  }
  if (me.status !== 200) return me; // 429 with its Retry-After, or a fault: the API's answer
  const { scopes, tenant } = (await me.json()) as { scopes: string[]; tenant: string };

  const messages = messagesOf(text);
  const listing = messages.some((m) => described(m) === "tools/list");
  const server = buildServer(caller, scopes);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
    maxRequestBodySize: maxBytes,
  });
  let status = 500;
  try {
    await server.connect(transport);
    // The body is read already: the transport parses (and answers a parse error for) the same
    // text, its length now the text's.
    const headers = new Headers(request.headers);
    headers.delete("content-length");
    const response = await transport.handleRequest(
      new Request(request.url, { method: "POST", headers, body: text }),
    );
    status = response.status;
    return listing ? await listedOnly(response, scopes) : response;
  } finally {
    await transport.close();
    await server.close();
    // Each tool call's API request has its own `request` line; this one says what came over MCP.
    log(status >= 500 ? "error" : "info", "mcp", {
      status,
      duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
      tenant,
      messages: messages.slice(0, 20).map(described),
    });
  }
}
