import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

async function latest(
  key: string,
  id: string,
  name: string,
  check: (v: unknown) => boolean = (v) => v !== undefined,
) {
  return eventually(async () => {
    const g = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return check(g.latest[name]?.value) ? g : undefined;
  });
}

describe("observe sources", () => {
  it("record: the current value primes the first cycle; a change is observed", async () => {
    const { key } = await goalTenant();
    await call("PUT", "/v1/records/inventory/widget", { key, body: { qty: 12 } });
    const spec = {
      name: "r",
      every: "1h",
      observe: { stock: { from: "record", collection: "inventory", key: "widget", path: "qty" } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    await latest(key, id, "stock", (v) => v === 12);
    await call("PUT", "/v1/records/inventory/widget", { key, body: { qty: 3 } });
    await latest(key, id, "stock", (v) => v === 3);
    await call("PUT", "/v1/records/inventory/gadget", { key, body: { qty: 99 } });
    await call("DELETE", "/v1/records/inventory/widget", { key });
    const goal = await latest(key, id, "stock", (v) => v === null);
    expect(goal.latest.stock.value).toBeNull();
  });

  it("stream: a published event reaches every goal observing the topic, and only those", async () => {
    const { key } = await goalTenant();
    const watching = {
      name: "s",
      every: "1h",
      observe: { price: { from: "stream", topic: "prices", path: "eur" } },
    };
    const other = {
      name: "o",
      every: "1h",
      observe: { price: { from: "stream", topic: "other" } },
    };
    const a = (await call("POST", "/v1/goals", { key, body: watching })).body.id;
    const b = (await call("POST", "/v1/goals", { key, body: watching })).body.id;
    const c = (await call("POST", "/v1/goals", { key, body: other })).body.id;
    expect((await call("POST", "/v1/streams/prices", { key, body: { eur: 41.5 } })).status).toBe(
      202,
    );
    await latest(key, a, "price", (v) => v === 41.5);
    await latest(key, b, "price", (v) => v === 41.5);
    expect((await call("GET", `/v1/goals/${c}`, { key })).body.latest.price).toBeUndefined();
  });

  it("http: polled each cadence cycle with path extraction; a failure is observed as such", async () => {
    const { key } = await goalTenant();
    const spec = {
      name: "h",
      every: "1h",
      observe: {
        n: {
          from: "http",
          url: `${env.TEST_RECEIVER}/price/${crypto.randomUUID()}`,
          path: "n",
          timeout: "2s",
        },
        down: {
          from: "http",
          url: `${env.TEST_RECEIVER}/fail/${crypto.randomUUID()}`,
          max_age: "1m",
        },
      },
      orient: { up: "n > 0" },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    const goal = await latest(key, id, "n", (v) => typeof v === "number");
    expect(goal.oriented.up).toBe(true);
    const receipt = (await call("GET", `/v1/goals/${id}/cycles`, { key })).body.cycles.at(-1);
    expect(receipt.polls.n.status).toBe("ok");
    expect(receipt.polls.down).toMatchObject({ status: "failed", detail: "HTTP 503" });
    expect(receipt.stale).toContain("down");
  });

  it("metric: the tenant's own counters are observable", async () => {
    const { key } = await goalTenant();
    const spec = {
      name: "m",
      every: "1h",
      observe: {
        requests: { from: "metric", name: "http.requests" },
        rate: { from: "metric", name: "http.5xx.rate" },
      },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    const goal = await latest(key, id, "rate", (v) => typeof v === "number");
    expect(goal.latest.rate.value).toBe(0);
    const metrics = await call("GET", "/v1/metrics", { key });
    expect(metrics.body.metrics["http.requests"]).toBeGreaterThanOrEqual(1);
    const text = await call("GET", "/v1/metrics", { key, headers: { accept: "text/plain" } });
    expect(text.body).toMatch(/faas_http_requests_total\{tenant="[^"]+",status_class="2xx"\} \d+/);
  });
});

describe("act kinds that stay inside the service", () => {
  it("signal: one goal sends an observation to another goal of the same tenant", async () => {
    const { key } = await goalTenant();
    const receiver = (
      await call("POST", "/v1/goals", {
        key,
        body: { name: "rx", every: "1h", observe: { alert: { from: "push" } } },
      })
    ).body.id;
    const sender = {
      name: "tx",
      every: "1h",
      observe: { level: { from: "push" } },
      decide: { rules: [{ id: "r", when: "level > 5", cooldown: "1h", do: "tell" }] },
      act: { tell: { signal: { goal: receiver, name: "alert", value: "=level * 2" } } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: sender })).body.id;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value: 9 } });
    const rx = await latest(key, receiver, "alert", (v) => v === 18);
    expect(rx.latest.alert.value).toBe(18);
  });

  it("record: an action upserts a record, which watching goals then observe", async () => {
    const { key } = await goalTenant();
    const spec = {
      name: "w",
      every: "1h",
      observe: { level: { from: "push" } },
      decide: { rules: [{ id: "r", when: "level > 5", cooldown: "1h", do: "save" }] },
      act: { save: { record: { collection: "alerts", key: "level", value: { level: "=level" } } } },
    };
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "level", value: 8 } });
    const record = await eventually(async () => {
      const r = await call("GET", "/v1/records/alerts/level", { key });
      return r.status === 200 ? r.body : undefined;
    });
    expect(record).toMatchObject({ value: { level: 8 }, version: 1 });
  });

  it("spawn: a sub-goal with a parent link; its completion is observed by the parent", async () => {
    const { key } = await goalTenant();
    const parent = {
      name: "parent",
      every: "1h",
      observe: { go: { from: "push" } },
      decide: { rules: [{ id: "r", when: "go", cooldown: "1h", do: "child" }] },
      act: {
        child: {
          spawn: {
            spec: { name: "child", every: "1h", observe: { x: { from: "push" } }, done: "true" },
          },
        },
      },
    };
    const id = (await call("POST", "/v1/goals", { key, body: parent })).body.id;
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "go", value: true } });
    const done = await eventually(async () => {
      const cycles = (await call("GET", `/v1/goals/${id}/cycles?limit=50`, { key })).body
        .cycles as { act_results: { attempt: number; status: string }[] }[];
      return cycles.flatMap((c) => c.act_results).find((r) => r.attempt === 2);
    }, 8000);
    expect(done.status).toBe("ok");
    const list = (await call("GET", "/v1/goals", { key })).body.goals as {
      id: string;
      name: string;
      parent_id: string;
      status: string;
    }[];
    const child = list.find((g) => g.name === "child");
    expect(child).toMatchObject({ parent_id: id, status: "done" });
  });
});

describe("self-healing", () => {
  it("the cron re-arms an active goal whose alarm is missing", async () => {
    const { key } = await goalTenant();
    const id = (
      await call("POST", "/v1/goals", {
        key,
        body: { name: "heal", every: "1h", observe: { x: { from: "push" } } },
      })
    ).body.id;
    const stub = env.GOAL.getByName(id);
    await eventually(async () =>
      (await call("GET", `/v1/goals/${id}`, { key })).body.cycle >= 1 ? true : undefined,
    );
    await runDurableObjectAlarm(stub); // runs and removes the armed alarm, then re-arms…
    const {
      runInDurableObject,
      createScheduledController,
      createExecutionContext,
      waitOnExecutionContext,
    } = await import("cloudflare:test");
    await runInDurableObject(stub, (_i, state) => state.storage.deleteAlarm()); // …so lose it on purpose
    const worker = (await import("../../src/index.ts")).default as unknown as {
      scheduled(c: ScheduledController, e: Env, x: ExecutionContext): Promise<void>;
    };
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await runInDurableObject(stub, (_i, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
