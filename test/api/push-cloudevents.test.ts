/**
 * CloudEvents on the push routes, sent as the `cloudevents` SDK writes them:
 * structured mode (the event is the body) and binary mode (ce-* headers, the
 * body its data). Source and id are the idempotency key; the event's time is
 * when its values were true; what is not an event we read is a clear 4xx.
 */
import { CloudEvent, HTTP } from "cloudevents";
import { describe, expect, it } from "vitest";
import { call, eventually, goalTenant } from "../helpers.ts";

const spec = {
  name: "events",
  every: "1h",
  observe: {
    amount: { from: "push", path: "object.amount_paid" },
    kind: { from: "push", path: "kind" },
  },
  orient: { n: "len(history.amount)", total: "sum(history.amount)" },
};

async function newGoal() {
  const { key } = await goalTenant();
  const created = await call("POST", "/v1/goals", { key, body: spec });
  expect(created.status).toBe(201);
  return { key, id: created.body.id as string, ingest: created.body.ingest_secret as string };
}

const ingest = (id: string) => `/ingest/goals/${id}/observations`;
const push = (id: string) => `/v1/goals/${id}/observations`;

/** An event as a payment service might emit it. */
function paid(id: string, amount: number, extra: Partial<{ source: string; time: string }> = {}) {
  return new CloudEvent({
    specversion: "1.0",
    id,
    source: extra.source ?? "/billing/invoices",
    type: "com.example.invoice.paid",
    time: extra.time ?? "2024-05-01T12:00:00.000Z",
    datacontenttype: "application/json",
    data: { kind: "invoice.paid", object: { id: `in_${id}`, amount_paid: amount } },
  });
}

/** Sends an SDK message (headers and body) to the Worker with the given key. */
function send(path: string, key: string, message: { headers: object; body: unknown }) {
  const headers = Object.fromEntries(
    Object.entries(message.headers).map(([k, v]) => [k.toLowerCase(), String(v)]),
  );
  return call("POST", path, { key, headers, body: String(message.body) });
}

/** The goal's oriented values once it has taken `n` amounts. */
async function taken(key: string, id: string, n: number) {
  return eventually(async () => {
    const goal = (await call("GET", `/v1/goals/${id}`, { key })).body;
    return goal.oriented?.n === n ? goal : undefined;
  });
}

describe("CloudEvents", () => {
  it("structured mode on the ingest route: data is the payload, time the observation's time", async () => {
    const g = await newGoal();
    const message = HTTP.structured(paid("evt-1", 4200));
    expect(message.headers).toMatchObject({
      "content-type": expect.stringMatching(/cloudevents\+json/),
    });
    const res = await send(ingest(g.id), g.ingest, message);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 2, ignored: [], duplicate: false });
    const goal = await taken(g.key, g.id, 1);
    expect(goal.latest.amount).toEqual({ value: 4200, at: "2024-05-01T12:00:00.000Z" });
    expect(goal.latest.kind.value).toBe("invoice.paid");
  });

  it("binary mode on the API-key route: ce-* headers, the body the data", async () => {
    const g = await newGoal();
    const message = HTTP.binary(paid("evt-2", 1300, { time: "2024-05-02T08:30:00Z" }));
    expect(message.headers).toMatchObject({ "ce-id": "evt-2", "ce-specversion": "1.0" });
    const res = await send(push(g.id), g.key, message);
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(2);
    const goal = await taken(g.key, g.id, 1);
    expect(goal.latest.amount).toEqual({ value: 1300, at: "2024-05-02T08:30:00.000Z" });
  });

  it("a redelivery (same source and id) is a duplicate and observes nothing new, in either mode", async () => {
    const g = await newGoal();
    const first = await send(ingest(g.id), g.ingest, HTTP.structured(paid("evt-3", 100)));
    expect(first.body.duplicate).toBe(false);
    // The same event again, in the other mode, even with other data: the id says it is the same.
    for (const message of [HTTP.binary(paid("evt-3", 100)), HTTP.structured(paid("evt-3", 999))]) {
      const again = await send(ingest(g.id), g.ingest, message);
      expect(again.status).toBe(202);
      expect(again.body).toEqual({ accepted: 2, ignored: [], duplicate: true });
      expect(again.headers.get("idempotent-replayed")).toBe("true");
    }
    // The same id from another source is another event.
    const other = await send(
      ingest(g.id),
      g.ingest,
      HTTP.binary(paid("evt-3", 5, { source: "/billing/refunds" })),
    );
    expect(other.body.duplicate).toBe(false);
    const goal = await taken(g.key, g.id, 2);
    expect(goal.oriented.total).toBe(105);
    // The key of a CloudEvent outranks an Idempotency-Key header on the API-key route too.
    const viaApi = await send(push(g.id), g.key, {
      headers: { ...HTTP.binary(paid("evt-3", 100)).headers, "idempotency-key": "fresh" },
      body: JSON.stringify(paid("evt-3", 100).data),
    });
    expect(viaApi.body.duplicate).toBe(true);
  });

  it("missing required attributes are a 400 naming them, in either mode", async () => {
    const g = await newGoal();
    const binary = await call("POST", ingest(g.id), {
      key: g.ingest,
      headers: { "ce-specversion": "1.0", "ce-type": "t" },
      body: { kind: "x" },
    });
    expect(binary.status).toBe(400);
    expect(binary.body.error.details.missing).toEqual(["ce-id", "ce-source"]);
    expect(binary.body.error.message).toContain("ce-id, ce-source");
    // Named first, whatever else is wrong (curl's default form content type here).
    const form = await call("POST", ingest(g.id), {
      key: g.ingest,
      headers: { "ce-specversion": "1.0", "content-type": "application/x-www-form-urlencoded" },
      body: "{}",
    });
    expect(form.status).toBe(400);
    expect(form.body.error.details.missing).toEqual(["ce-id", "ce-source", "ce-type"]);
    const structured = await call("POST", push(g.id), {
      key: g.key,
      headers: { "content-type": "application/cloudevents+json" },
      body: { specversion: "1.0", id: "", type: "t", data: { kind: "x" } },
    });
    expect(structured.status).toBe(400);
    expect(structured.body.error.details.missing).toEqual(["id", "source"]);
    // Nothing was taken.
    const goal = (await call("GET", `/v1/goals/${g.id}`, { key: g.key })).body;
    expect(goal.latest).toEqual({});
  });

  it("what is not an event we read is refused clearly", async () => {
    const g = await newGoal();
    const event = { specversion: "1.0", id: "1", source: "/s", type: "t", data: { kind: "x" } };
    const cases: [Record<string, string>, unknown, number, RegExp][] = [
      [
        { "content-type": "application/cloudevents-batch+json" },
        [event],
        415,
        /one event per request/,
      ],
      [{ "content-type": "application/cloudevents+xml" }, "<e/>", 415, /cloudevents\+json/],
      [
        { "content-type": "application/cloudevents+json" },
        { ...event, data: undefined, data_base64: "eyJ4IjoxfQ==" },
        415,
        /data_base64/,
      ],
      [
        { "content-type": "application/cloudevents+json" },
        { ...event, datacontenttype: "text/plain" },
        415,
        /JSON/,
      ],
      [
        { "content-type": "application/cloudevents+json" },
        { ...event, specversion: "0.3" },
        400,
        /1\.0/,
      ],
      [
        { "content-type": "application/cloudevents+json" },
        { ...event, time: "yesterday" },
        400,
        /RFC 3339/,
      ],
      [
        { "content-type": "application/cloudevents+json" },
        { ...event, data: undefined },
        400,
        /no data/,
      ],
      [{ "content-type": "application/cloudevents+json" }, [event], 400, /JSON object/],
      [
        {
          "ce-specversion": "1.0",
          "ce-id": "1",
          "ce-source": "/s",
          "ce-type": "t",
          "content-type": "text/plain",
        },
        "hello",
        415,
        /application\/json/,
      ],
      [
        { "ce-specversion": "1.0", "ce-id": "1", "ce-source": "/s", "ce-type": "t" },
        "",
        400,
        /no data/,
      ],
      [
        { "ce-specversion": "1.0", "ce-id": "1", "ce-source": "/s", "ce-type": "t" },
        "42",
        400,
        /\{name, value, at\?\}/,
      ],
    ];
    for (const [headers, body, status, message] of cases) {
      const res = await call("POST", ingest(g.id), {
        key: g.ingest,
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      expect(res.status, JSON.stringify([headers, body])).toBe(status);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it("an event whose data names its values is read as that shape", async () => {
    const g = await newGoal();
    const event = new CloudEvent({
      id: "v-1",
      source: "/ops",
      type: "values",
      data: { values: { amount: 7 } },
    });
    const res = await send(push(g.id), g.key, HTTP.structured(event));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: 1, ignored: [], duplicate: false });
    expect((await taken(g.key, g.id, 1)).oriented.total).toBe(7);
  });
});
