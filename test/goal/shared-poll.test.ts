/**
 * Sources of one goal that poll the same request (URL, method, headers)
 * share one request per cadence cycle; each reads its own path from it.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { armed, cycles, newGoal } from "../faults/helpers.ts";
import { call, seenBy } from "../helpers.ts";

describe("polled sources naming the same request", () => {
  it("make one request per cycle, each source reading its own path", async () => {
    const run = crypto.randomUUID();
    const shared = `${env.TEST_RECEIVER}/ok/shared/${run}`;
    const spec = {
      name: "shared",
      every: "1h",
      observe: {
        count: { from: "http", url: shared, path: "n" },
        ok: { from: "http", url: shared, path: "ok", timeout: "2s" },
        // Other headers make another request.
        tagged: { from: "http", url: shared, path: "n", headers: { "x-tag": "t" } },
        elsewhere: { from: "http", url: `${env.TEST_RECEIVER}/ok/other/${run}`, path: "n" },
      },
    };
    const { key, id, stub } = await newGoal(spec);
    const first = (await cycles(key, id)).at(-1);
    for (const name of ["count", "ok", "tagged", "elsewhere"])
      expect(first?.polls?.[name], name).toMatchObject({ status: "ok" });
    const seen = await seenBy(`/ok/shared/${run}`);
    expect(seen.map((s) => s.headers["x-tag"] ?? "none").sort()).toEqual(["none", "t"]);
    // Both sources read the one answer: `n` from it and `ok` from it.
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    expect(goal.latest.ok.value).toBe(true);
    expect(typeof goal.latest.count.value).toBe("number");

    await armed(stub);
    await runDurableObjectAlarm(stub);
    expect(await seenBy(`/ok/shared/${run}`)).toHaveLength(4);
    expect(await seenBy(`/ok/other/${run}`)).toHaveLength(2);
  });

  it("wait for the most patient source; a shorter timeout still times out", async () => {
    const slow = `${env.TEST_RECEIVER}/slow/600/shared/${crypto.randomUUID()}`;
    const spec = {
      name: "patience",
      every: "1h",
      observe: {
        hasty: { from: "http", url: slow, path: "n", timeout: "200ms" },
        patient: { from: "http", url: slow, path: "n", timeout: "2s" },
      },
    };
    const { key, id } = await newGoal(spec);
    const polls = (await cycles(key, id)).at(-1)?.polls;
    expect(polls?.hasty).toMatchObject({ status: "failed", detail: "timeout" });
    expect(polls?.patient).toMatchObject({ status: "ok" });
    expect(await seenBy(new URL(slow).pathname)).toHaveLength(1);
  });
});
