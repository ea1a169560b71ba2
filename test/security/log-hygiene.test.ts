import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ADMIN, call, eventually, goalTenant, seenBy } from "../helpers.ts";

/** Every line the Worker logs while `run` runs (requests, loop phases, actions, errors). */
async function logsOf(run: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  for (const level of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    });
  await run();
  return lines;
}

afterEach(() => vi.restoreAllMocks());

describe("no secret in a log line or an error message", () => {
  it("keys, goal secrets and signatures never appear in logs or error bodies", async () => {
    const secrets: string[] = [ADMIN];
    const bodies: string[] = [];
    const lines = await logsOf(async () => {
      const { key } = await goalTenant();
      secrets.push(key);
      const path = `/ok/${crypto.randomUUID()}`;
      const created = await call("POST", "/v1/goals", {
        key,
        body: {
          name: "hygiene",
          every: "1h",
          observe: { level: { from: "push" } },
          decide: { rules: [{ id: "alert", when: "level > 5", do: "notify" }] },
          act: { notify: { webhook: `${env.TEST_RECEIVER}${path}`, body: { level: "=level" } } },
        },
      });
      const id = created.body.id as string;
      secrets.push(created.body.signing_secret, created.body.ingest_secret);
      const rotated = await call("POST", `/v1/goals/${id}/secret`, { key });
      secrets.push(rotated.body.signing_secret);
      // Failures that handle secrets: a wrong key, a near-miss ingest secret, a bad signature.
      bodies.push(JSON.stringify((await call("GET", "/v1/goals", { key: `${key}0` })).body));
      const ingest = `/ingest/goals/${id}/observations`;
      const nearMiss = `${created.body.ingest_secret.slice(0, -1)}0`;
      bodies.push(
        JSON.stringify(
          (await call("POST", ingest, { key: nearMiss, body: { name: "level", value: 1 } })).body,
        ),
      );
      bodies.push(
        JSON.stringify(
          (
            await call("POST", ingest, {
              headers: {
                "x-faas-timestamp": String(Math.floor(Date.now() / 1000)),
                "x-faas-signature": `v1=${"ab".repeat(32)}`,
              },
              body: "{}",
            })
          ).body,
        ),
      );
      bodies.push(
        JSON.stringify(
          (
            await call("POST", ingest, {
              headers: {
                "webhook-id": "msg_1",
                "webhook-timestamp": String(Math.floor(Date.now() / 1000)),
                "webhook-signature": `v1,${btoa("x".repeat(32))}`,
              },
              body: "{}",
            })
          ).body,
        ),
      );
      await call("POST", ingest, {
        key: created.body.ingest_secret,
        body: { name: "level", value: 9 },
      });
      const [delivery] = await eventually(async () => {
        const seen = await seenBy(path);
        return seen.length > 0 ? seen : undefined;
      });
      for (const part of (delivery?.headers["x-faas-signature"] ?? "").split(","))
        secrets.push(part.replace("v1=", ""));
      for (const part of (delivery?.headers["webhook-signature"] ?? "").split(" "))
        secrets.push(part.replace("v1,", ""));
      // Let the act result come back and its cycle log its phases.
      await eventually(async () => {
        const cycles = (await call("GET", `/v1/goals/${id}/cycles`, { key })).body.cycles;
        return cycles.some((c: { act_results: unknown[] }) => c.act_results.length > 0)
          ? true
          : undefined;
      });
    });
    expect(secrets.filter((s) => typeof s === "string" && s.length >= 16)).toHaveLength(9);
    // The capture saw the traffic: request lines and the action line at least.
    expect(lines.some((l) => l.includes('"msg":"request"'))).toBe(true);
    expect(lines.some((l) => l.includes('"msg":"action"'))).toBe(true);
    for (const secret of secrets) {
      for (const line of [...lines, ...bodies]) expect(line).not.toContain(secret);
    }
  });
});
