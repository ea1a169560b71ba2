/**
 * Creating a goal writes its D1 row, then starts its Durable Object. A crash
 * between the two (or between the two halves of a deletion) must never leave
 * a goal that is listed but answers 404, nor make a retry create a second one.
 * The half-made states are made here directly, as a `kill -9` would leave them.
 */
import {
  createExecutionContext,
  createScheduledController,
  runInDurableObject,
  waitOnExecutionContext,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { getGoal, insertGoal } from "../../src/db/goals.ts";
import type { GoalRow } from "../../src/db/schema.ts";
import { goalId } from "../../src/goal/lifecycle.ts";
import { goalStub } from "../../src/goal/stub.ts";
import worker from "../../src/index.ts";
import { call, eventually, goalTenant } from "../helpers.ts";

const spec = { name: "half", every: "1h", observe: { x: { from: "push" } } };

/** What a crash right after `insertGoal` leaves: the registry row, and an object never started. */
async function registeredOnly(tenant: string, parent?: GoalRow["parentId"]): Promise<string> {
  const id = await goalId();
  const now = Date.now();
  await insertGoal(
    database(env),
    {
      id,
      tenant,
      name: spec.name,
      spec,
      specVersion: 1,
      status: "active",
      parentId: parent ?? null,
      parentAction: parent ? "child" : null,
      parentKey: parent ? `${parent}:1:r:child` : null,
      createdAt: now,
      updatedAt: now,
    },
    [],
    Number.MAX_SAFE_INTEGER,
  );
  return id;
}

/** Empties a goal's object as if it had never been started (no deletion mark either). */
async function wipe(id: string): Promise<void> {
  await runInDurableObject(env.GOAL.getByName(id), async (_i, state) => {
    await state.storage.deleteAlarm();
    await state.storage.deleteAll();
  });
  // The instance's in-memory copy goes with it, as after the restart that follows a crash.
  const { evictDurableObject } = await import("cloudflare:test");
  await evictDurableObject(env.GOAL.getByName(id));
}

/** The exported cron handler, run to completion. */
async function cron(): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron: "* * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

/** The live view straight from the goal's object (null when it holds no goal). */
const objectView = (id: string, tenant: string) => goalStub(env, id).view(tenant);

describe("creating a goal, across a crash", () => {
  it("a retry with the same Idempotency-Key gets the goal the crashed attempt registered, now running", async () => {
    const { tenant, key } = await goalTenant();
    const headers = { "idempotency-key": "create-half-1" };
    const first = await call("POST", "/v1/goals", { key, body: spec, headers });
    expect(first.status).toBe(201);
    const id = first.body.id as string;
    // The crash: the object never got `start`, and the key's claim was left unfinished
    // until the middleware gives it up (a minute).
    await wipe(id);
    const db = database(env);
    const { goalSecrets, idempotentRequests } = db.t;
    await db
      .update(idempotentRequests)
      .set({ status: null, body: null, contentType: null, createdAt: Date.now() - 61_000 })
      .where(
        and(
          eq(idempotentRequests.tenant, tenant),
          eq(idempotentRequests.key, headers["idempotency-key"]),
        ),
      );

    const retry = await call("POST", "/v1/goals", { key, body: spec, headers });
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(id);
    const listed = (await call("GET", "/v1/goals", { key })).body.goals as { id: string }[];
    expect(listed.map((g) => g.id)).toEqual([id]);
    // The secrets were never shown by a response that arrived: the retry shows the stored ones.
    const [stored] = await db.select().from(goalSecrets).where(eq(goalSecrets.goalId, id));
    expect(retry.body.signing_secret).toBe(stored?.signingSecret);
    expect(retry.body.ingest_secret).toBe(stored?.ingestSecret);

    const pushed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "x", value: 7 },
    });
    expect(pushed.status).toBe(202);
    const goal = await eventually(async () => {
      const g = await call("GET", `/v1/goals/${id}`, { key });
      return g.body.latest?.x?.value === 7 ? g.body : undefined;
    });
    expect(goal.status).toBe("active");
  });

  it("a repeat after the key's record expired gets the same goal; with another spec it is a 422", async () => {
    const { tenant, key } = await goalTenant();
    const headers = { "idempotency-key": "create-expired-1" };
    const first = await call("POST", "/v1/goals", { key, body: spec, headers });
    const db = database(env);
    const forget = () =>
      db.delete(db.t.idempotentRequests).where(eq(db.t.idempotentRequests.tenant, tenant));
    await forget();
    const same = await call("POST", "/v1/goals", { key, body: spec, headers });
    expect(same.status).toBe(201);
    expect(same.body.id).toBe(first.body.id);
    await forget();
    const other = await call("POST", "/v1/goals", {
      key,
      body: { ...spec, every: "5m" },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await call("GET", "/v1/goals", { key })).body.goals).toHaveLength(1);
  });

  it("a read of a goal whose object was never started starts it", async () => {
    const { tenant, key } = await goalTenant();
    const id = await registeredOnly(tenant);
    const read = await call("GET", `/v1/goals/${id}`, { key });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id, status: "active", spec_version: 1 });
    expect(await objectView(id, tenant)).not.toBeNull();
  });

  it("the cron starts an active goal whose object was never started, with its parent link", async () => {
    const { tenant, key } = await goalTenant();
    const parent = await goalId();
    const id = await registeredOnly(tenant, parent);
    expect(await objectView(id, tenant)).toBeNull();
    await cron();
    const view = await objectView(id, tenant);
    expect(view).toMatchObject({ id, status: "active", parent_id: parent });
    const pushed = await call("POST", `/v1/goals/${id}/observations`, {
      key,
      body: { name: "x", value: 1 },
    });
    expect(pushed.status).toBe(202);
  });

  it("the cron removes what a deletion left when it stopped between the object and the row; it never restarts it", async () => {
    const { tenant, key } = await goalTenant();
    const id = (await call("POST", "/v1/goals", { key, body: spec })).body.id as string;
    // The crash: the object was destroyed, the row not yet removed.
    await goalStub(env, id).destroy(tenant);
    expect((await call("GET", `/v1/goals/${id}`, { key })).status).toBe(404);
    await cron();
    expect(await getGoal(database(env), tenant, id)).toBeUndefined();
    expect(await objectView(id, tenant)).toBeNull();
    expect((await call("GET", "/v1/goals", { key })).body.goals).toHaveLength(0);
  });
});
