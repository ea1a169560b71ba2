/**
 * Responses are read within a byte budget (64 KiB) and within the request's
 * timeout: the body is streamed, counted in bytes, and cancelled at the
 * limit, so a huge, endless or trickling answer costs the Worker little
 * memory and time. The receiver's `/stream/*` paths say how much they wrote
 * and whether the client went away before the end.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { exchange, type TargetRules } from "../../src/outbound/http.ts";
import { eventually, type SeenRequest, seenBy } from "../helpers.ts";

const rules: TargetRules = { allowPrivate: true, resolver: env.DNS_RESOLVER_URL };
const TOO_LARGE = "response larger than 64 KiB";

/** A fresh receiver path under `/stream/<size>` with the given query. */
const streamPath = (size: number | "endless", query = "") =>
  `/stream/${size}/${crypto.randomUUID()}${query ? `?${query}` : ""}`;

async function timed(path: string, timeoutMs = 10_000) {
  const started = Date.now();
  const outcome = await exchange(
    { url: `${env.TEST_RECEIVER}${path}`, method: "GET", timeoutMs },
    rules,
  );
  return { outcome, ms: Date.now() - started };
}

/** The receiver's record of `path` once the client has gone away. */
const closedBy = (path: string): Promise<SeenRequest> =>
  eventually(async () => (await seenBy(path.split("?")[0] ?? path)).find((s) => s.closed));

describe("reading a response within 64 KiB", () => {
  it("stops an endless body without Content-Length at the limit and closes the stream", async () => {
    const path = streamPath("endless");
    const { outcome, ms } = await timed(path);
    expect(outcome).toMatchObject({ kind: "partial", status: 200, reason: TOO_LARGE });
    expect(ms).toBeLessThan(2000);
    const seen = await closedBy(path);
    // What the sockets buffered before the close, not the endless body.
    expect(seen.sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("returns in well under the time a 100 MB body would take (16 KiB every 5 ms: 30 s)", async () => {
    const path = streamPath(100 * 1024 * 1024, "every=5");
    const { outcome, ms } = await timed(path);
    expect(outcome).toMatchObject({ kind: "partial", reason: TOO_LARGE });
    expect(ms).toBeLessThan(1500);
    expect((await closedBy(path)).sent).toBeLessThan(1024 * 1024);
  });

  it("refuses a declared Content-Length over the limit without reading the body", async () => {
    const size = 150 * 1024 * 1024;
    const path = streamPath(size, `length=${size}&every=5`);
    const { outcome, ms } = await timed(path);
    expect(outcome).toMatchObject({ kind: "partial", status: 200, reason: TOO_LARGE, head: "" });
    expect(ms).toBeLessThan(1500);
    expect((await closedBy(path)).sent).toBeLessThan(1024 * 1024);
  });

  it("counts what arrives, not what Content-Length claims (10, beside chunked framing)", async () => {
    const path = `/lying/${crypto.randomUUID()}`;
    const { outcome, ms } = await timed(path);
    // The runtime honours the chunked framing; the count stops the endless chunks.
    expect(outcome).toMatchObject({ kind: "partial", reason: TOO_LARGE, head: "x".repeat(1024) });
    expect(ms).toBeLessThan(2000);
    expect((await closedBy(path)).sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("counts bytes, not characters: 40,000 '€' are 120,000 bytes", async () => {
    const { outcome } = await timed(`/garbage/wide/${crypto.randomUUID()}`);
    expect(outcome).toMatchObject({ kind: "partial", status: 200, reason: TOO_LARGE });
  });

  it("reads a body of exactly 64 KiB whole, and refuses one byte more", async () => {
    const exact = await timed(streamPath(64 * 1024));
    expect(exact.outcome).toMatchObject({ kind: "response", status: 200 });
    expect(exact.outcome.kind === "response" && exact.outcome.body).toBe("x".repeat(64 * 1024));
    const over = await timed(streamPath(64 * 1024 + 1));
    expect(over.outcome).toMatchObject({ kind: "partial", reason: TOO_LARGE });
    expect(over.outcome.kind === "partial" && over.outcome.head.length).toBe(1024);
  });

  it("ends a trickling body at the request's timeout, headers and body together", async () => {
    const path = streamPath("endless", "chunk=64&every=50");
    const { outcome, ms } = await timed(path, 500);
    expect(outcome).toMatchObject({
      kind: "partial",
      status: 200,
      reason: "timeout while reading the response",
    });
    expect(ms).toBeGreaterThanOrEqual(450);
    expect(ms).toBeLessThan(1500);
    expect((await closedBy(path)).sent).toBeLessThan(64 * 1024);
  });
});
