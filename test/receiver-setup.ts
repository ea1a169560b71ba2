/**
 * Global setup (runs in Node): a real HTTP receiver for webhook tests. It
 * records every request (headers and body) and answers per a behaviour set
 * by path: `/ok/*` 200, `/fail/*` 503, `/reject/*` 400, `/slow/*` waits 3 s.
 * Tests read what it saw from `GET /_seen?path=PREFIX`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { TestProject } from "vitest/node";

interface Seen {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverPort: number;
  }
}

export default async function setup(project: TestProject) {
  const seen: Seen[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://receiver");
      if (url.pathname === "/_seen") {
        const prefix = url.searchParams.get("path") ?? "";
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(seen.filter((s) => s.path.startsWith(prefix))));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers))
        headers[k] = Array.isArray(v) ? v.join(",") : (v ?? "");
      seen.push({ path: url.pathname, headers, body, at: Date.now() });
      const reply = (status: number) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(JSON.stringify({ ok: status < 300, n: seen.length }));
      };
      if (url.pathname.startsWith("/fail/")) reply(503);
      else if (url.pathname.startsWith("/reject/")) reply(400);
      else if (url.pathname.startsWith("/slow/")) setTimeout(() => reply(200), 3000);
      else if (url.pathname.startsWith("/price/")) reply(200);
      else reply(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("receiverPort", (server.address() as AddressInfo).port);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
