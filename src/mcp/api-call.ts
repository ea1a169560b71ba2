/**
 * A tool's call of the public API: the request goes to the same Hono app as
 * any HTTP client's, with the caller's own key, so scopes, validation,
 * limits, rate limits and error envelopes are exactly the API's. Its answer
 * becomes the tool's result: the JSON as text (and as structured content),
 * an error envelope a result with `isError` and the same code and details.
 */
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isRecord } from "../spec/index.ts";
import type { ApiRequest } from "./tools.ts";

/** The API's fetch, bound to this request's environment (index.ts passes the app's). */
export type ApiFetch = (request: Request) => Promise<Response>;

/** Who calls and where the API is: what every tool call of one /mcp request shares. */
export interface Caller {
  api: ApiFetch;
  /** The /mcp request's origin: the API's requests go to the same one. */
  origin: string;
  /** The caller's own `Authorization` header, passed on unchanged. */
  authorization: string;
}

/** Builds the API request a tool makes. */
export function apiRequest(caller: Caller, call: ApiRequest): Request {
  const url = new URL(call.path, caller.origin);
  for (const [name, value] of Object.entries(call.query ?? {})) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const headers = new Headers(call.headers);
  headers.set("authorization", caller.authorization);
  headers.set("accept", "application/json");
  let body: string | undefined;
  if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers.set("content-type", "application/json");
  }
  return new Request(url, { method: call.method, headers, body });
}

/** Sends the request and reads its JSON answer (null for an empty one). */
export async function callApi(
  caller: Caller,
  call: ApiRequest,
): Promise<{ status: number; body: unknown }> {
  const response = await caller.api(apiRequest(caller, call));
  const text = await response.text();
  let body: unknown = null;
  if (text !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      body = { text };
    }
  }
  return { status: response.status, body };
}

/**
 * The tool result of an API answer. A 2xx is the JSON as text and, when it
 * is an object, as structured content; anything else is `isError`, its text
 * the error envelope itself (`{"error": {code, message, details}}`, with the
 * status added), so an agent reads the code, positions, hints and issues
 * exactly as an HTTP client would.
 */
export function toolResult(status: number, body: unknown): CallToolResult {
  if (status >= 200 && status < 300) {
    return {
      content: [{ type: "text", text: JSON.stringify(body) }],
      ...(isRecord(body) ? { structuredContent: body } : {}),
    };
  }
  const envelope =
    isRecord(body) && isRecord(body.error)
      ? { error: { ...body.error, status } }
      : { error: { code: "INTERNAL", message: `the API answered ${status}`, status } };
  return {
    isError: true,
    content: [{ type: "text", text: JSON.stringify(envelope) }],
    structuredContent: envelope,
  };
}
