/**
 * Fault: an `http` source answers garbage. Text, HTML, truncated JSON, JSON
 * without the path, an object where a value belongs, a 2 MB body, a body of
 * 40,000 characters in 120,000 bytes, a 500 and no answer at all. Every body holds a 99 a careless reader could find, and
 * every rule fires at `> 10`: none may cross. Each failed read is a failed
 * poll in the receipt, and what reads it gets insufficient data (or, for a
 * value of the wrong type, an error): never a match, never an action.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../helpers.ts";
import {
  armed,
  cycles,
  keyCounts,
  newGoal,
  observedValues,
  push,
  type Receipt,
  receiptWhere,
} from "./helpers.ts";

/** Each source's receiver path and the failure its poll must record. */
const GARBAGE: Record<string, { path: string; detail: string }> = {
  text: { path: "/garbage/text", detail: "no value at path n" },
  html: { path: "/garbage/html", detail: "no value at path n" },
  truncated: { path: "/garbage/truncated", detail: "no value at path n" },
  nopath: { path: "/garbage/nopath", detail: "no value at path n" },
  object: { path: "/garbage/object", detail: "the value at n is an object, not a value" },
  huge: { path: "/garbage/huge", detail: "response larger than 64 KiB" },
  wide: { path: "/garbage/wide", detail: "response larger than 64 KiB" },
  error: { path: "/status/500", detail: "HTTP 500" },
  hang: { path: "/hang", detail: "timeout" },
};

function garbageSpec(run: string, notify: string) {
  const observe: Record<string, unknown> = {
    // No path: the whole (HTML) body is the value, a string no number rule can use.
    raw: { from: "http", url: `${env.TEST_RECEIVER}/garbage/html/${run}` },
    stock: { from: "push" },
  };
  for (const [name, { path }] of Object.entries(GARBAGE)) {
    const timeout = name === "hang" ? "200ms" : "2s";
    observe[name] = { from: "http", url: `${env.TEST_RECEIVER}${path}/${run}`, path: "n", timeout };
  }
  const names = [...Object.keys(GARBAGE), "raw"];
  return {
    name: "garbage",
    every: "1h",
    observe,
    orient: { sum: "text + html", restock: "stock < 10" },
    decide: {
      policy: "all",
      rules: names.map((name) => ({ id: `${name}_high`, when: `${name} > 10`, do: "notify" })),
    },
    act: { notify: { webhook: `${env.TEST_RECEIVER}${notify}`, body: { at: "=cycle" } } },
  };
}

/** The checks every polling cycle must pass. */
function expectNothingTrusted(receipt: Receipt | undefined) {
  if (!receipt) throw new Error("no receipt");
  for (const [name, { detail }] of Object.entries(GARBAGE)) {
    expect(receipt.polls?.[name], name).toMatchObject({ status: "failed", detail });
    expect(
      receipt.verdicts?.find((v) => v.rule === `${name}_high`),
      name,
    ).toMatchObject({
      status: "insufficient_data",
      reason: expect.stringContaining(`${name} has no observation yet`),
    });
  }
  expect(receipt.polls?.raw).toMatchObject({ status: "ok" });
  expect(receipt.verdicts?.find((v) => v.rule === "raw_high")).toMatchObject({
    status: "error",
    code: "FORMULA_TYPE",
  });
  expect(receipt.oriented?.sum).toMatchObject({ insufficient_data: expect.anything() });
  expect(receipt.actions).toEqual([]);
  expect(receipt.fault).toBeUndefined();
}

describe("an http source that returns garbage", () => {
  it("each garbage answer is a failed poll; rules get insufficient data or an error, never a match", async () => {
    const run = crypto.randomUUID();
    const notify = `/ok/${run}`;
    const { key, id, stub } = await newGoal(garbageSpec(run, notify));
    expectNothingTrusted((await cycles(key, id))[0]);

    await push(key, id, "stock", 4); // a good push beside the garbage is applied as usual
    await receiptWhere(key, id, (r) => observedValues([r], "stock").length > 0);
    await armed(stub);
    await runDurableObjectAlarm(stub); // and the next cadence cycle polls the garbage again
    const trail = await cycles(key, id);
    const polled = trail.filter((r) => r.trigger === "alarm");
    expect(polled.length).toBeGreaterThanOrEqual(2);
    for (const receipt of polled) expectNothingTrusted(receipt);
    expect(observedValues(trail, "stock")).toEqual([4]);
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    expect(goal.oriented.restock).toBe(true);
    expect(Object.keys(goal.latest).sort()).toEqual(["raw", "stock"]);
    expect(goal.failures).toBe(0);

    expect(await keyCounts(notify)).toEqual({});
    expect((await call("GET", `/v1/goals/${id}`, { key })).body.next_wake_at).not.toBeNull();
    expect(await armed(stub)).toBeGreaterThan(Date.now() + 3_000_000); // the cadence, 1h
  });
});
