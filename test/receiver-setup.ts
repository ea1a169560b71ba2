/**
 * Global setup (runs in Node): a real HTTP receiver for webhook and polling
 * tests. It records every request (headers and body) and answers per a
 * behaviour set by path:
 *
 * - `/ok/*` 200, `/fail/*` 503, `/reject/*` 400, `/status/<code>/*` that status
 * - `/slow/*` 200 after 3 s; `/slow/<ms>/*` 200 after `<ms>`
 * - `/flaky/*` 503 on the 1st request per idempotency key (or per path without
 *   one), 200 on the 2nd, and so on alternating
 * - `/hang/*` never answers (the caller's timeout ends it)
 * - `/garbage/<kind>/*` 200 with a body a JSON reader must not trust: `text`,
 *   `html`, `truncated`, `nopath` (JSON without `n`), `object` (`n` is an
 *   object), `huge` (`{"n": 99, …}` of 2 MB)
 * - `/redirect/*?to=URL[&status=302]` redirects to URL
 * - `/stream/<bytes>/*` (or `/stream/endless/*`) 200 (`?status=`) with that
 *   many bytes of `x`, written in chunks of `?chunk=` bytes (16 KiB) every
 *   `?every=` ms (as fast as the client reads), without Content-Length
 *   unless `?length=N` declares one; the request's `sent` says how many bytes
 *   were written and `closed` that the client went away before the end
 * - `/lying/*` 200 declaring `Content-Length: 10` beside chunked framing,
 *   then chunks of `x` until the client goes away
 * - `/dns-query` a DNS-over-HTTPS stub answering from `dns-stub.ts` (seen as
 *   `/dns-query/NAME/TYPE`)
 *
 * Tests read what it saw from `GET /_seen?path=PREFIX`, and per idempotency
 * key how many requests came and how many were answered 2xx from
 * `GET /_keys?path=PREFIX`.
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
  method?: string;
  headers: Record<string, string>;
  body: string;
  at: number;
  /** The status answered; absent while (or when never) answered. */
  status?: number;
  /** `/stream/*`, `/lying/*`: the body bytes written so far. */
  sent?: number;
  /** `/stream/*`, `/lying/*`: the client closed the connection before the body's end. */
  closed?: boolean;
}

declare module "vitest" {
  export interface ProvidedContext {
    receiverPort: number;
    rebindHost: string;
  }
}

const GARBAGE: Record<string, { type: string; body: () => string }> = {
  text: { type: "text/plain", body: () => "price is 99" },
  html: { type: "text/html", body: () => "<!doctype html><html><body>99</body></html>" },
  truncated: { type: "application/json", body: () => '{"n": 99, "more": [1, 2' },
  nopath: { type: "application/json", body: () => '{"other": 99}' },
  object: { type: "application/json", body: () => '{"n": {"value": 99}}' },
  huge: {
    type: "application/json",
    body: () => JSON.stringify({ n: 99, pad: "x".repeat(2 * 1024 * 1024) }),
  },
  // 40,000 characters but 120,000 bytes: over a 64 KiB budget only when counted in bytes.
  wide: {
    type: "application/json",
    body: () => JSON.stringify({ n: 99, pad: "€".repeat(40_000) }),
  },
};

/** Writes `total` bytes of `x` (Infinity: until the client goes away), recording progress on `entry`. */
function stream(res: ServerResponse, entry: Seen, total: number, chunk: number, every: number) {
  const piece = Buffer.alloc(chunk, "x");
  entry.sent = 0;
  res.on("close", () => {
    if (!res.writableFinished) entry.closed = true;
  });
  const next = () => {
    while (!res.destroyed) {
      const sent = entry.sent ?? 0;
      if (sent >= total) {
        res.end();
        return;
      }
      const n = Math.min(chunk, total - sent);
      entry.sent = sent + n;
      const flowing = res.write(n === chunk ? piece : piece.subarray(0, n));
      if (every > 0) {
        setTimeout(next, every);
        return;
      }
      if (!flowing) {
        res.once("drain", next);
        return;
      }
    }
  };
  next();
}

/** A raw response whose Content-Length (10) lies: chunked framing follows, without end. */
function lying(req: IncomingMessage, entry: Seen) {
  const socket = req.socket;
  const chunk = `4000\r\n${"x".repeat(0x4000)}\r\n`;
  entry.status = 200;
  entry.sent = 0;
  socket.on("close", () => {
    entry.closed = true;
  });
  socket.write(
    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 10\r\n" +
      "transfer-encoding: chunked\r\n\r\n",
  );
  const next = () => {
    while (!socket.destroyed) {
      entry.sent = (entry.sent ?? 0) + 0x4000;
      if (!socket.write(chunk)) {
        socket.once("drain", next);
        return;
      }
    }
  };
  next();
}

/** Per idempotency key: requests received and requests answered 2xx. */
function keyCounts(seen: Seen[]): Record<string, { requests: number; ok: number }> {
  const counts: Record<string, { requests: number; ok: number }> = {};
  for (const s of seen) {
    const key = s.headers["idempotency-key"];
    if (key === undefined) continue;
    counts[key] ??= { requests: 0, ok: 0 };
    counts[key].requests += 1;
    if (s.status !== undefined && s.status >= 200 && s.status < 300) counts[key].ok += 1;
  }
  return counts;
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
  const flakyCounts = new Map<string, number>();
  const rebindHost = await loopbackName();
  if (rebindHost) DNS_TABLE[rebindHost] = { records: [{ type: "A", data: "93.184.216.34" }] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://receiver");
      if (url.pathname === "/_seen" || url.pathname === "/_keys") {
        const prefix = url.searchParams.get("path") ?? "";
        const matching = seen.filter((s) => s.path.startsWith(prefix));
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(url.pathname === "/_seen" ? matching : keyCounts(matching)));
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
      const entry: Seen = {
        path: url.pathname,
        method: req.method,
        headers,
        body,
        at: Date.now(),
      };
      seen.push(entry);
      const reply = (status: number, text?: string, type = "application/json") => {
        entry.status = status;
        res.writeHead(status, { "content-type": type });
        res.end(text ?? JSON.stringify({ ok: status < 300, n: seen.length }));
      };
      const to = url.searchParams.get("to");
      const [, kind = "", arg = ""] = url.pathname.split("/");
      if (kind === "redirect" && to) {
        res.writeHead(Number(url.searchParams.get("status") ?? 302), { location: to });
        res.end();
      } else if (kind === "fail") reply(503);
      else if (kind === "reject") reply(400);
      else if (kind === "status") reply(Number(arg) || 500, JSON.stringify({ n: 99 }));
      else if (kind === "slow")
        setTimeout(() => reply(200), /^\d+$/.test(arg) ? Number(arg) : 3000);
      else if (kind === "hang") return;
      else if (kind === "stream") {
        const total = arg === "endless" ? Number.POSITIVE_INFINITY : Number(arg);
        const param = (name: string, fallback: number) =>
          Number(url.searchParams.get(name) ?? fallback);
        const length = url.searchParams.get("length");
        entry.status = param("status", 200);
        res.writeHead(entry.status, {
          "content-type": "application/json",
          ...(length === null ? {} : { "content-length": length }),
        });
        stream(res, entry, total, param("chunk", 16 * 1024), param("every", 0));
      } else if (kind === "lying") lying(req, entry);
      else if (kind === "flaky") {
        const id = `${url.pathname} ${headers["idempotency-key"] ?? ""}`;
        const n = (flakyCounts.get(id) ?? 0) + 1;
        flakyCounts.set(id, n);
        reply(n % 2 === 1 ? 503 : 200);
      } else if (kind === "garbage" && GARBAGE[arg]) {
        const garbage = GARBAGE[arg];
        reply(200, garbage.body(), garbage.type);
      } else reply(200);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  project.provide("receiverPort", (server.address() as AddressInfo).port);
  project.provide("rebindHost", rebindHost);
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections(); // `/hang/*` requests never end by themselves
      server.close(() => resolve());
    });
}
