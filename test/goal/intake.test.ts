/**
 * What reaches a goal from outside: each source name observes its own value
 * when several share one record change or stream event; a push answers what
 * it took and what it ignored, and a push of names the goal does not observe
 * is refused without running a cycle.
 */
import { describe, expect, it } from "vitest";
import { cycles, type Receipt } from "../faults/helpers.ts";
import { call, eventually, goalTenant } from "../helpers.ts";

describe("sources that share one event", () => {
  it("a record change is observed by every name that watches it: two paths of the key, and the collection", async () => {
    const { key } = await goalTenant();
    const collection = `inv-${crypto.randomUUID().slice(0, 8)}`;
    const created = await call("POST", "/v1/goals", {
      key,
      body: {
        name: "shared",
        every: "1h",
        observe: {
          qty: { from: "record", collection, key: "w", path: "qty" },
          cost: { from: "record", collection, key: "w", path: "cost" },
          whole: { from: "record", collection },
          a: { from: "stream", topic: `${collection}-t`, path: "a" },
          b: { from: "stream", topic: `${collection}-t`, path: "b" },
        },
      },
    });
    const id = created.body.id as string;
    expect(
      (await call("PUT", `/v1/records/${collection}/w`, { key, body: { qty: 4, cost: 2.5 } }))
        .status,
    ).toBe(200);
    expect(
      (await call("POST", `/v1/streams/${collection}-t`, { key, body: { a: 1, b: 2 } })).status,
    ).toBe(202);
    const goal = await eventually(async () => {
      const res = await call("GET", `/v1/goals/${id}`, { key });
      return Object.keys(res.body.latest).length === 5 ? res.body : undefined;
    });
    expect(goal.latest.qty.value).toBe(4);
    expect(goal.latest.cost.value).toBe(2.5);
    expect(goal.latest.whole.value).toEqual({ qty: 4, cost: 2.5 });
    expect(goal.latest.a.value).toBe(1);
    expect(goal.latest.b.value).toBe(2);
    const ignored = (await cycles(key, id)).flatMap((r: Receipt) => r.ignored ?? []);
    expect(ignored).toEqual([]);
  });
});

describe("a push", () => {
  it("answers what it took and what it ignored; one of only unknown names is a 422 and runs no cycle", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: { name: "names", every: "1h", observe: { stock: { from: "push" } } },
    });
    const id = created.body.id as string;
    await eventually(async () => ((await cycles(key, id)).length > 0 ? true : undefined));
    const before = (await cycles(key, id)).length;

    const typo = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "stok", value: 3 },
    });
    expect(typo.status).toBe(422);
    expect(typo.body.error).toMatchObject({
      code: "UNKNOWN_OBSERVATION",
      details: {
        ignored: [{ name: "stok", reason: "this goal does not observe it" }],
        observed: ["stock"],
      },
    });
    expect(typo.body.error.message).toContain("it observes stock");

    const mixed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { values: { stock: 9, stok: 3 } },
    });
    expect(mixed.status).toBe(202);
    expect(mixed.body).toEqual({
      accepted: 1,
      ignored: [{ name: "stok", reason: "this goal does not observe it" }],
      duplicate: false,
    });
    const after = await eventually(async () => {
      const all = await cycles(key, id);
      return all.length > before ? all : undefined;
    });
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)?.observed).toEqual({ stock: [expect.objectContaining({ value: 9 })] });
  });

  it("a push larger than one inbox entry takes is a 413 naming the limit", async () => {
    const { key } = await goalTenant();
    const created = await call("POST", "/v1/goals", {
      key,
      body: { name: "big", every: "1h", observe: { x: { from: "push" } } },
    });
    const id = created.body.id as string;
    const observations = Array.from({ length: 40 }, () => ({
      name: "x",
      value: "v".repeat(15_000),
    }));
    const res = await call("POST", `/v1/goals/${id}/observations`, { key, body: { observations } });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({
      code: "PUSH_TOO_LARGE",
      details: { max_bytes: 512 * 1024 },
    });
  });
});
