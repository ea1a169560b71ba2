/**
 * Global setup (runs in Node): a real HTTP receiver for webhook tests. It
 * records every request (headers and body) and answers per a behaviour set
 * by path: `/ok/*` 200, `/fail/*` 503, `/reject/*` 400, `/slow/*` waits 3 s,
 * `/redirect/*?to=URL[&status=302]` redirects to URL. `/dns-query` is a
 * DNS-over-HTTPS stub answering from `dns-stub.ts` (seen as
 * `/dns-query/NAME/TYPE`). Tests read what it saw from `GET /_seen?path=PREFIX`.
 *
 * `rebindHost` is this machine's host name when the system resolves it to
 * 127.0.0.1 (else ""): the stub answers it with a public address while the
 * runtime's own fetch reaches this receiver, which is DNS rebinding as the
 * Worker sees it. Tests that need it skip without it.
 */
import { lookup } from "node:dns/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { hostname } from "node:os";
import type { TestProject } from "vitest/node";
import { DNS_TABLE, dohAnswer } from "./dns-stub.ts";

interface Seen {
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverPort: number;
    rebindHost: string;
  }
}

/** This machine's name if it resolves to 127.0.0.1 only, else "". */
async function loopbackName(): Promise<string> {
  const name = hostname().toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/.test(name)) return "";
  const found = await lookup(name, { all: true }).catch(() => []);
  return found.length > 0 && found.every((a) => a.address === "127.0.0.1") ? name : "";
}

export default async function setup(project: TestProject) {
  const seen: Seen[] = [];
  const rebindHost = await loopbackName();
  if (rebindHost) DNS_TABLE[rebindHost] = { records: [{ type: "A", data: "93.184.216.34" }] };
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
      if (url.pathname === "/dns-query") {
        const name = url.searchParams.get("name") ?? "";
        const type = url.searchParams.get("type") ?? "A";
        seen.push({ path: `/dns-query/${name}/${type}`, headers: {}, body: "", at: Date.now() });
        res.writeHead(200, { "content-type": "application/dns-json" });
        res.end(JSON.stringify(dohAnswer(name, type)));
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
      const to = url.searchParams.get("to");
      if (url.pathname.startsWith("/redirect/") && to) {
        res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to });
        res.end();
      } else if (url.pathname.startsWith("/fail/")) reply(503);
      else if (url.pathname.startsWith("/reject/")) reply(400);
      else if (url.pathname.startsWith("/slow/")) setTimeout(() => reply(200), 3000);
      else if (url.pathname.startsWith("/price/")) reply(200);
      else reply(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("receiverPort", (server.address() as AddressInfo).port);
  project.provide("rebindHost", rebindHost);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
