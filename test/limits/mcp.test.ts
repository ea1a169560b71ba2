/**
 * /mcp spends the same rate limits as the HTTP API: the key's resolution is
 * one request, each tool call another, so neither a batch nor many /mcp
 * requests get past the limits. (This project: 5 requests per key per 10 s.)
 */
import { exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { tenantKeys } from "./keys.ts";
import { freshWindow } from "./window.ts";

function mcp(key: string, body: unknown) {
  return exports.default.fetch("http://faas.test/mcp", {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
    },
    body: JSON.stringify(body),
  });
}

// Each test counts up to a limit inside one rate-limit window.
beforeEach(() => freshWindow());

describe("mcp and the rate limits", () => {
  it("a batch of tool calls spends one request each: beyond the key's limit they are RATE_LIMITED tool errors", async () => {
    const [key = ""] = await tenantKeys(1);
    const calls = Array.from({ length: 8 }, (_, i) => ({
      jsonrpc: "2.0",
      id: i,
      method: "tools/call",
      params: { name: "eval_formula", arguments: { expr: "x + 1", vars: { x: i } } },
    }));
    const res = await mcp(key, calls);
    expect(res.status).toBe(200);
    const answers = (await res.json()) as {
      result: { isError?: boolean; structuredContent: { error?: { code: string } } };
    }[];
    const limited = answers.filter((a) => a.result.isError);
    // GET /v1/me took one of the 5; four calls ran, the other four were refused by the API.
    expect(answers.length - limited.length).toBe(4);
    expect(limited.map((a) => a.result.structuredContent.error?.code)).toEqual(
      Array(4).fill("RATE_LIMITED"),
    );
    // The next /mcp request is refused before the protocol: the API's 429.
    const next = await mcp(key, calls[0]);
    expect(next.status).toBe(429);
    expect(next.headers.get("retry-after")).toBe("10");
  });
});
