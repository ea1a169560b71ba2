/**
 * A goal takes a third party's payload as it is: a push source with a `path`
 * reads the value there, one without the key of its own name, on both push
 * routes. Bodies are told apart by their keys; one that fits no shape is a 4xx
 * that names the shapes; hostile payloads are answered cleanly.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

async function newGoal(spec: Record<string, unknown>) {
  const { key } = await goalTenant();
  const created = await call("POST", "/v1/goals", { key, body: { every: "1h", ...spec } });
  expect(created.status).toBe(201);
  return { key, id: created.body.id as string, ingest: created.body.ingest_secret as string };
}

const ingest = (id: string, query = "") => `/ingest/goals/${id}/observations${query}`;
const push = (id: string, query = "") => `/v1/goals/${id}/observations${query}`;

/** The goal's latest values once `name` has one. */
async function latest(key: string, id: string, name: string) {
  return eventually(async () => {
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return goal.latest?.[name] === undefined ? undefined : goal.latest;
  });
}

/** A Stripe `invoice.paid` event, trimmed but shaped as Stripe sends it. */
const invoicePaid = {
  id: "evt_1PjLq2AbCdEf",
  object: "event",
  api_version: "2024-06-20",
  created: 1_722_000_000,
  type: "invoice.paid",
  livemode: false,
  pending_webhooks: 1,
  request: { id: null, idempotency_key: null },
  data: {
    object: {
      id: "in_1PjLpzAbCdEf",
      object: "invoice",
      amount_due: 4200,
      amount_paid: 4200,
      currency: "eur",
      customer: "cus_Q1w2e3",
      lines: { object: "list", data: [{ id: "il_1", amount: 4200, quantity: 1 }] },
      status: "paid",
    },
  },
};

/** A GitHub `push` event, trimmed. */
const githubPush = {
  ref: "refs/heads/main",
  before: "a1b2c3",
  after: "d4e5f6",
  repository: { id: 1, full_name: "acme/widgets", stargazers_count: 42, open_issues_count: 3 },
  pusher: { name: "octocat", email: "octocat@example.com" },
  commits: [
    { id: "d4e5f6", message: "Fix the widget", added: [], removed: [], modified: ["a.ts"] },
    { id: "c3b2a1", message: "Start the widget", added: ["a.ts"], removed: [], modified: [] },
  ],
};

describe("a payload pushed as it is", () => {
  it("a Stripe invoice.paid event on the ingest route is observed at its path, and the rule fires", async () => {
    const g = await newGoal({
      name: "revenue",
      observe: {
        amount: { from: "push", path: "data.object.amount_paid" },
        currency: { from: "push", path: "data.object.currency" },
      },
      decide: { rules: [{ id: "big", when: "amount >= 1000", do: "note" }] },
      act: {
        note: { record: { collection: "paid", key: "last", value: "=concat(currency, amount)" } },
      },
    });
    const res = await call("POST", ingest(g.id), { key: g.ingest, body: invoicePaid });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 2, ignored: [], duplicate: false });
    const values = await latest(g.key, g.id, "amount");
    expect(values.amount.value).toBe(4200);
    expect(values.currency.value).toBe("eur");
    const record = await eventually(async () => {
      const r = await call("GET", "/v1/records/paid/last", { key: g.key });
      return r.status === 200 ? r.body : undefined;
    });
    expect(record.value).toBe("eur4200");
  });

  it("a GitHub push event: paths through objects and arrays, and a key of the source's own name", async () => {
    const g = await newGoal({
      name: "repo",
      observe: {
        stars: { from: "push", path: "repository.stargazers_count" },
        head: { from: "push", path: "commits.0.id" },
        files: { from: "push", path: "commits.0.modified" },
        ref: { from: "push" },
        polled: { from: "http", url: `${env.TEST_RECEIVER}/ok/polled`, path: "ref" },
      },
    });
    const res = await call("POST", push(g.id), { key: g.key, body: githubPush });
    expect(res.status).toBe(202);
    // Only push sources read a payload: the polled `polled` is not overwritten by its key.
    expect(res.body).toEqual({ accepted: 4, ignored: [], duplicate: false });
    const values = await latest(g.key, g.id, "stars");
    expect(values.stars.value).toBe(42);
    expect(values.head.value).toBe("d4e5f6");
    expect(values.files.value).toEqual(["a.ts"]);
    expect(values.ref.value).toBe("refs/heads/main");
    expect(values.polled?.value).not.toBe("refs/heads/main");
  });

  it("a plain object of values is a push; sources it lacks are answered as ignored", async () => {
    const g = await newGoal({
      name: "plain",
      observe: { price: { from: "push" }, stock: { from: "push" } },
    });
    for (const path of [push(g.id), ingest(g.id)]) {
      const key = path.startsWith("/v1") ? g.key : g.ingest;
      const res = await call("POST", path, { key, body: { price: 150, note: "not observed" } });
      expect(res.status).toBe(202);
      expect(res.body).toEqual({
        accepted: 1,
        ignored: [{ name: "stock", reason: "the payload has nothing at key stock" }],
        duplicate: false,
      });
    }
    expect((await latest(g.key, g.id, "price")).price.value).toBe(150);
  });

  it("null found at a path is a value; a payload that is an array is read by index", async () => {
    const g = await newGoal({
      name: "arrays",
      observe: {
        first: { from: "push", path: "0.amount" },
        last: { from: "push", path: "-1.amount" },
      },
    });
    const res = await call("POST", push(g.id), {
      key: g.key,
      body: [{ amount: 3 }, { amount: null }],
    });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
    const values = await latest(g.key, g.id, "first");
    expect(values.first.value).toBe(3);
    expect(values.last.value).toBeNull();
  });

  it("a payload in which no push source finds a value is a 422 naming where each looked", async () => {
    const g = await newGoal({
      name: "nothing",
      observe: {
        amount: { from: "push", path: "data.object.amount_paid" },
        price: { from: "push" },
      },
    });
    const res = await call("POST", ingest(g.id), {
      key: g.ingest,
      body: { type: "customer.created", data: { object: { id: "cus_1" } } },
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe("UNKNOWN_OBSERVATION");
    expect(res.body.error.message).toContain("path data.object.amount_paid");
    expect(res.body.error.message).toContain("key price");
    expect(res.body.error.details.ignored).toEqual([
      { name: "amount", reason: "the payload has nothing at path data.object.amount_paid" },
      { name: "price", reason: "the payload has nothing at key price" },
    ]);
    expect(res.body.error.details.shapes.length).toBeGreaterThanOrEqual(4);
    // Nothing was taken.
    const goal = (await call("GET", `/v1/goals/${g.id}`, { key: g.key })).body;
    expect(goal.latest).toEqual({});
  });

  it("a goal with no push source refuses a payload, saying how to push its names", async () => {
    const g = await newGoal({
      name: "polled",
      observe: { price: { from: "http", url: `${env.TEST_RECEIVER}/ok/price` } },
    });
    const res = await call("POST", push(g.id), { key: g.key, body: { price: 1 } });
    expect(res.status).toBe(422);
    expect(res.body.error.message).toMatch(/no push source.*\{values: \{NAME: value\}\}/);
    // By name it is taken, as before.
    const named = await call("POST", push(g.id), { key: g.key, body: { values: { price: 1 } } });
    expect(named.status).toBe(202);
  });
});

describe("shapes are told apart by their keys", () => {
  it("a body that is no object or array is a 400 naming the accepted shapes", async () => {
    const g = await newGoal({ name: "s", observe: { x: { from: "push" } } });
    for (const body of ["42", '"x"', "null", "true"]) {
      for (const [path, key] of [
        [push(g.id), g.key],
        [ingest(g.id), g.ingest],
      ] as const) {
        const res = await call("POST", path, { key, body });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("VALIDATION_FAILED");
        expect(res.body.error.message).toContain("{name, value, at?}");
        expect(res.body.error.message).toContain("{values: {NAME: value}, at?}");
        expect(res.body.error.message).toContain("{observations: [{name, value, at?}]}");
        expect(res.body.error.message).toContain("payload");
        expect(res.body.error.details.shapes).toHaveLength(5);
      }
    }
  });

  it("a body whose keys claim a shape it does not fit is a 400 with the issues; ?shape=payload reads it as a payload", async () => {
    const g = await newGoal({
      name: "claims",
      observe: {
        x: { from: "push" },
        host: { from: "push" },
        cpu: { from: "push", path: "value" },
      },
    });
    const bad = await call("POST", push(g.id), { key: g.key, body: { observations: "oops" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("{observations: [{name, value, at?}]}");
    expect(bad.body.error.details.issues[0].path).toBe("observations");
    // A third party's {name, value, host} would be misread as {name, value}: it is refused...
    const metric = { name: "cpu", value: 0.93, host: "web-1" };
    const refused = await call("POST", push(g.id), { key: g.key, body: metric });
    expect(refused.status).toBe(400);
    expect(refused.body.error.message).toContain("{name, value, at?}");
    expect(refused.body.error.details.issues).toContainEqual(
      expect.objectContaining({ message: expect.stringContaining("host") }),
    );
    // ...and read as it is with ?shape=payload, on both routes.
    const taken = await call("POST", push(g.id, "?shape=payload"), { key: g.key, body: metric });
    expect(taken.status).toBe(202);
    expect(taken.body).toEqual({
      accepted: 2,
      ignored: [{ name: "x", reason: "the payload has nothing at key x" }],
      duplicate: false,
    });
    const values = await latest(g.key, g.id, "cpu");
    expect(values.cpu.value).toBe(0.93);
    expect(values.host.value).toBe("web-1");
    const viaIngest = await call("POST", ingest(g.id, "?shape=payload"), {
      key: g.ingest,
      body: metric,
    });
    expect(viaIngest.status).toBe(202);
    const badShape = await call("POST", push(g.id, "?shape=raw"), { key: g.key, body: metric });
    expect(badShape.status).toBe(400);
    expect(badShape.body.error.details.issues[0].path).toBe("shape");
  });

  it("the named shapes are taken as before", async () => {
    const g = await newGoal({ name: "named", observe: { x: { from: "push" } } });
    for (const body of [
      { name: "x", value: 1 },
      { values: { x: 2 } },
      { observations: [{ name: "x", value: 3 }] },
    ]) {
      const res = await call("POST", push(g.id), { key: g.key, body });
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(1);
    }
  });
});

describe("hostile payloads", () => {
  it("a 10,000-deep payload is a 400 before it is parsed", async () => {
    const g = await newGoal({ name: "deep", observe: { x: { from: "push", path: "a" } } });
    const deep = `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`;
    for (const [path, key] of [
      [push(g.id), g.key],
      [ingest(g.id), g.ingest],
    ] as const) {
      const res = await call("POST", path, { key, body: deep });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("JSON_TOO_DEEP");
    }
  });

  it("__proto__ is a key like any other; inherited names are never read", async () => {
    const g = await newGoal({
      name: "proto",
      observe: {
        p: { from: "push", path: "__proto__.x" },
        ctor: { from: "push", path: "constructor" },
        str: { from: "push", path: "a.toString" },
        len: { from: "push", path: "s.length" },
      },
    });
    const body = '{"__proto__": {"x": 7}, "a": {}, "s": "abc"}';
    const res = await call("POST", push(g.id), { key: g.key, body });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.ignored.map((i: { name: string }) => i.name)).toEqual(["ctor", "str", "len"]);
    expect((await latest(g.key, g.id, "p")).p.value).toBe(7);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it("a value over 16 KiB at a path is ignored with the reason; a number out of range is a 400", async () => {
    const g = await newGoal({
      name: "big",
      observe: { blob: { from: "push", path: "data.blob" }, n: { from: "push", path: "data.n" } },
    });
    const big = { data: { blob: "x".repeat(17 * 1024), n: 1 } };
    const res = await call("POST", push(g.id), { key: g.key, body: big });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(1);
    expect(res.body.ignored[0].name).toBe("blob");
    expect(res.body.ignored[0].reason).toMatch(/over the 16384/);
    const only = await call("POST", push(g.id), {
      key: g.key,
      body: { data: { blob: big.data.blob } },
    });
    expect(only.status).toBe(422);
    const huge = await call("POST", ingest(g.id), { key: g.ingest, body: '{"data":{"n":1e999}}' });
    expect(huge.status).toBe(400);
    expect(huge.body.error.details.issues[0].path).toBe("data.n");
  });
});

describe("a push source's path in the spec", () => {
  it("is checked: no empty step, no control characters, at most 32 steps and 256 characters", async () => {
    const { key } = await goalTenant();
    const bad = [
      "a..b",
      ".a",
      "a.",
      " a",
      "a\u0000b",
      Array.from({ length: 33 }, () => "a").join("."),
      "a".repeat(257),
      "",
    ];
    for (const path of bad) {
      const res = await call("POST", "/v1/goals", {
        key,
        body: { name: "p", observe: { x: { from: "push", path } } },
      });
      expect(res.status, JSON.stringify(path)).toBe(422);
      expect(res.body.error.code).toBe("GOAL_INVALID");
      expect(res.body.error.details.issues[0].path).toBe("observe.x.path");
    }
    const good = ["data.object.amount_paid", "items.0.qty", "a b.c", "__proto__", "-1.x"];
    for (const path of good) {
      const res = await call("POST", "/v1/goals", {
        key,
        body: { name: "p", observe: { x: { from: "push", path } } },
      });
      expect(res.status, path).toBe(201);
    }
  });
});
