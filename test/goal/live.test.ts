/**
 * What the dashboard reads besides the goals API: the caller's scopes, the
 * goals list with each loop in brief, the spec version each receipt ran
 * with, and the live channel (a ticket, then a WebSocket from the goal's
 * Durable Object that sends each cycle as it happens).
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, eventually, uniqueTenant } from "../helpers.ts";

async function keyFor(tenant: string, scopes: string[], name?: string) {
  const created = await call("POST", "/v1/keys", { key: ADMIN, body: { tenant, scopes, name } });
  expect(created.status).toBe(201);
  return { key: created.body.key as string, id: created.body.id as string };
}

const spec = (threshold = 10) => ({
  name: "watched",
  every: "1h",
  observe: { temp: { from: "push" } },
  orient: { hot: `temp > ${threshold}` },
  decide: { rules: [{ id: "cool", when: "hot", do: "note" }] },
  act: { note: { record: { collection: "notes", key: "cool", value: { temp: "=temp" } } } },
});

async function ownerWithGoal() {
  const tenant = uniqueTenant("live");
  const { key } = await keyFor(tenant, ["goals:read", "goals:write", "observe", "records:write"]);
  const created = await call("POST", "/v1/goals", { key, body: spec() });
  expect(created.status).toBe(201);
  return { tenant, key, id: created.body.id as string };
}

/** Opens the goal's live socket with a new ticket; collects the messages it receives. */
async function openLive(key: string, id: string) {
  const ticket = await call("POST", `/v1/goals/${id}/live`, { key });
  expect(ticket.status).toBe(201);
  const response = await exports.default.fetch(`http://faas.test${ticket.body.url}`, {
    headers: { upgrade: "websocket" },
  });
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  if (!socket) throw new Error("no socket");
  socket.accept();
  // biome-ignore lint/suspicious/noExplicitAny: messages are JSON of several shapes
  const messages: any[] = [];
  const texts: string[] = [];
  socket.addEventListener("message", (event) => {
    const text = String(event.data);
    texts.push(text);
    if (text.startsWith("{")) messages.push(JSON.parse(text));
  });
  let closed: number | undefined;
  socket.addEventListener("close", (event) => {
    closed = event.code;
  });
  return { socket, messages, texts, ticket: ticket.body, closed: () => closed };
}

describe("the caller", () => {
  it("GET /v1/me names the key's tenant and scopes, and needs no scope", async () => {
    const tenant = uniqueTenant("me");
    const { key, id } = await keyFor(tenant, ["records:read"], "reader");
    const me = await call("GET", "/v1/me", { key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      tenant,
      key_id: id,
      name: "reader",
      scopes: ["records:read"],
      operator: false,
    });
    const operator = await call("GET", "/v1/me", { key: ADMIN });
    expect(operator.body.operator).toBe(true);
    expect(operator.body.scopes).toContain("admin");
    expect((await call("GET", "/v1/me")).status).toBe(401);
    expect((await call("GET", "/v1/me", { key: "nope" })).status).toBe(401);
  });
});

describe("the goals list with include=live", () => {
  it("gives each goal's cadence, last cycle, outcome and actions in the last hour", async () => {
    const { key, id } = await ownerWithGoal();
    await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "temp", value: 30 },
    });
    const live = await eventually(async () => {
      const list = await call("GET", "/v1/goals?include=live", { key });
      const entry = list.body.goals.find((goal: { id: string }) => goal.id === id);
      return entry?.live?.actions_last_hour === 1 ? entry.live : undefined;
    });
    expect(live).toMatchObject({
      every: "1h",
      failures: 0,
      last_fault: null,
      awaiting_approval: 0,
      actions_last_hour: 1,
    });
    expect(live.cycle).toBeGreaterThanOrEqual(1);
    // The next cycle (the 1h cadence), not the alarm that comes early for the D1 copies.
    expect(Date.parse(live.next_wake_at)).toBeGreaterThan(Date.now() + 50 * 60_000);
    expect(live.last_outcome.cycle).toBe(live.cycle);
    const plain = await call("GET", "/v1/goals", { key });
    expect(plain.body.goals[0]).not.toHaveProperty("live");
    const bad = await call("GET", "/v1/goals?include=everything", { key });
    expect(bad.status).toBe(400);
  });

  it("the goal's own page has the same loop fields", async () => {
    const { key, id } = await ownerWithGoal();
    const before = await call("GET", `/v1/goals/${id}`, { key });
    expect(before.body).toMatchObject({
      every: "1h",
      actions_last_hour: 0,
      awaiting_approval: [],
      inbox: { items: 0, bytes: 0 },
    });
    // The first alarm comes 1 ms after creation: the read may see the goal before it or after.
    if (before.body.cycle === 0) expect(before.body.last_outcome).toBeNull();
    else expect(before.body.last_outcome).toMatchObject({ cycle: before.body.cycle, fault: false });
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "temp", value: 3 } });
    const after = await eventually(async () => {
      const goal = await call("GET", `/v1/goals/${id}`, { key });
      return goal.body.cycle > 0 ? goal.body : undefined;
    });
    expect(after.last_outcome).toEqual({
      cycle: after.cycle,
      trigger: after.last_outcome.cycle === 1 ? expect.stringMatching(/^(alarm|push)$/) : "push",
      matched: [],
      actions: 0,
      fault: false,
    });
  });
});

describe("spec versions", () => {
  it("each receipt names its spec version, and the version can be read back", async () => {
    const { key, id } = await ownerWithGoal();
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "temp", value: 30 } });
    // Until the note's result is back (its own cycle), so no cycle of spec 1 comes after spec 2's.
    await eventually(async () => {
      const page = await call("GET", `/v1/goals/${id}/cycles`, { key });
      return page.body.cycles.some((r: { trigger: string }) => r.trigger === "act") || undefined;
    });
    const replaced = await call("PUT", `/v1/goals/${id}`, { key, body: spec(50) });
    expect(replaced.status).toBe(200);
    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "temp", value: 30 } });
    const receipts = await eventually(async () => {
      const page = await call("GET", `/v1/goals/${id}/cycles`, { key });
      const cycles = page.body.cycles as { spec_version: number }[];
      return cycles.some((r) => r.spec_version === 2) ? cycles : undefined;
    });
    expect(receipts[0]?.spec_version).toBe(1);
    const one = await call("GET", `/v1/goals/${id}/specs/1`, { key });
    expect(one.status).toBe(200);
    expect(one.body.spec.orient).toEqual({ hot: "temp > 10" });
    const two = await call("GET", `/v1/goals/${id}/specs/2`, { key });
    expect(two.body).toMatchObject({ version: 2, spec: { orient: { hot: "temp > 50" } } });
    expect((await call("GET", `/v1/goals/${id}/specs/3`, { key })).status).toBe(404);
    const bad = await call("GET", `/v1/goals/${id}/specs/0`, { key });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect((await call("GET", `/v1/goals/${id}/specs/1e3`, { key })).status).toBe(400);

    const replay = await call("POST", `/v1/goals/${id}/replay`, { key, body: {} });
    expect(replay.body.compared.differing).toEqual([]);
    expect(replay.body.cycles.map((r: { spec_version: number }) => r.spec_version)).toEqual(
      receipts.map((r) => r.spec_version),
    );
    const whatIf = await call("POST", `/v1/goals/${id}/replay`, { key, body: { spec: spec(5) } });
    expect(whatIf.body.cycles[0]).not.toHaveProperty("spec_version");

    const stranger = await keyFor(uniqueTenant("live"), ["goals:read"]);
    expect((await call("GET", `/v1/goals/${id}/specs/1`, { key: stranger.key })).status).toBe(404);
  });
});

describe("the live channel", () => {
  it("says hello, then sends each cycle's receipt and the goal as they happen", async () => {
    const { key, id } = await ownerWithGoal();
    const live = await openLive(key, id);
    expect(live.ticket.url).toMatch(new RegExp(`^/live/goals/${id}\\?ticket=[\\w-]{43}$`));
    expect(live.ticket.url).not.toContain(key);
    const hello = await eventually(async () => live.messages.find((m) => m.type === "hello"));
    expect(hello.goal).toMatchObject({ id, status: "active", every: "1h" });

    await call("POST", `/v1/goals/${id}/observations`, { key, body: { name: "temp", value: 42 } });
    const cycle = await eventually(async () =>
      live.messages.find((m) => m.type === "cycle" && m.receipt.observed?.temp),
    );
    expect(cycle.receipt.observed.temp[0].value).toBe(42);
    expect(typeof cycle.receipt.observed.temp[0].at).toBe("string");
    expect(cycle.receipt).toMatchObject({ goal_id: id, trigger: "push", spec_version: 1 });
    expect(cycle.receipt.verdicts[0]).toMatchObject({ rule: "cool", status: "matched" });
    expect(cycle.goal.latest.temp.value).toBe(42);

    live.socket.send("ping");
    await eventually(async () => live.texts.includes("pong") || undefined);
    // Anything but "ping" closes the sender's socket (it would wake the object for nothing).
    const noisy = await openLive(key, id);
    await eventually(async () => noisy.messages.find((m) => m.type === "hello"));
    noisy.socket.send("x".repeat(100_000));
    await eventually(async () => noisy.closed());
    expect(noisy.closed()).toBe(1003);
    const binary = await openLive(key, id);
    await eventually(async () => binary.messages.find((m) => m.type === "hello"));
    binary.socket.send(new Uint8Array([0, 1, 2, 255]));
    await eventually(async () => binary.closed());
    expect(binary.closed()).toBe(1003);

    await call("POST", `/v1/goals/${id}/pause`, { key });
    const paused = await eventually(async () =>
      live.messages.find((m) => m.type === "goal" && m.goal.status === "paused"),
    );
    expect(paused.goal.next_wake_at).toBeNull();

    expect((await call("DELETE", `/v1/goals/${id}`, { key })).status).toBe(204);
    await eventually(async () => live.messages.find((m) => m.type === "deleted"));
    await eventually(async () => live.closed());
    expect(live.closed()).toBe(1000);
  });

  it("a ticket opens one socket, once; other tickets and plain requests are refused", async () => {
    const { key, id } = await ownerWithGoal();
    const live = await openLive(key, id);
    const again = await exports.default.fetch(`http://faas.test${live.ticket.url}`, {
      headers: { upgrade: "websocket" },
    });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe(
      "UNAUTHENTICATED",
    );
    const forged = await exports.default.fetch(
      `http://faas.test/live/goals/${id}?ticket=${"A".repeat(43)}`,
      { headers: { upgrade: "websocket" } },
    );
    expect(forged.status).toBe(401);
    const noTicket = await call("GET", `/live/goals/${id}`);
    expect(noTicket.status).toBe(400);
    const fresh = await call("POST", `/v1/goals/${id}/live`, { key });
    const plain = await call("GET", fresh.body.url);
    expect(plain.status).toBe(426);
    live.socket.close(1000);
  });

  it("a revoked key's ticket opens nothing, and its open sockets close before the next message", async () => {
    const tenant = uniqueTenant("live");
    const owner = await keyFor(tenant, ["goals:read", "goals:write", "observe", "records:write"]);
    const created = await call("POST", "/v1/goals", { key: owner.key, body: spec() });
    const id = created.body.id as string;
    // After the first cycle (1 ms after creation), so the only cycle sent later is the push's.
    await eventually(async () => {
      const goal = await call("GET", `/v1/goals/${id}`, { key: owner.key });
      return goal.body.cycle >= 1 || undefined;
    });
    const viewer = await keyFor(tenant, ["goals:read"], "viewer");
    const open = await openLive(viewer.key, id);
    await eventually(async () => open.messages.find((m) => m.type === "hello"));
    const unused = await call("POST", `/v1/goals/${id}/live`, { key: viewer.key });
    expect(unused.status).toBe(201);
    const watcher = await openLive(owner.key, id);
    await eventually(async () => watcher.messages.find((m) => m.type === "hello"));

    expect((await call("DELETE", `/v1/keys/${viewer.id}`, { key: ADMIN })).status).toBe(204);
    const refused = await exports.default.fetch(`http://faas.test${unused.body.url}`, {
      headers: { upgrade: "websocket" },
    });
    expect(refused.status).toBe(401);

    await call("POST", `/v1/goals/${id}/observations`, {
      key: owner.key,
      body: { name: "temp", value: 42 },
    });
    await eventually(async () =>
      watcher.messages.find((m) => m.type === "cycle" && m.receipt.trigger === "push"),
    );
    await eventually(async () => open.closed());
    expect(open.closed()).toBe(1008);
    expect(open.messages.some((m) => m.type === "cycle" && m.receipt.trigger === "push")).toBe(
      false,
    );
    expect(watcher.closed()).toBeUndefined();
    watcher.socket.close(1000);
  });

  it("another tenant's goal and a key without goals:read get no ticket", async () => {
    const { id } = await ownerWithGoal();
    const stranger = await keyFor(uniqueTenant("live"), ["goals:read"]);
    expect((await call("POST", `/v1/goals/${id}/live`, { key: stranger.key })).status).toBe(404);
    const tenant = uniqueTenant("live");
    const observer = await keyFor(tenant, ["observe"]);
    expect((await call("POST", `/v1/goals/${id}/live`, { key: observer.key })).status).toBe(403);
    expect((await call("POST", `/v1/goals/${id}/live`)).status).toBe(401);
  });
});
