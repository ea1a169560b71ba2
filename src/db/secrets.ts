/**
 * Goal secrets in D1: created with the goal, rotated on request, read by the
 * webhook sender and the ingest route. Never part of a goal read or list.
 * New ones are `whsec_<base64 of 32 bytes>`; those made before (`whsec_<hex>`,
 * `ingest_<hex>`) stay valid as they are (see `keyBytes` for their HMAC key).
 */
import { and, eq } from "drizzle-orm";
import type { Db } from "./client.ts";
import { one, upsert } from "./dialect.ts";
import type { GoalSecretsRow } from "./schema.ts";

/**
 * A fresh secret: `whsec_` and the base64 of 32 random bytes (Standard
 * Webhooks asks for 24 to 64), the form `new Webhook(secret)` takes.
 */
export function generateSecret(): string {
  let binary = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(32)))
    binary += String.fromCharCode(byte);
  return `whsec_${btoa(binary)}`;
}

/** How long a rotated-out signing secret still signs (as a second signature). */
export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

/** Fresh secrets for a new goal (replacing any left from an earlier goal of that id). */
export async function createSecrets(
  db: Db,
  tenant: string,
  goalId: string,
  now: number,
): Promise<GoalSecretsRow> {
  const row: GoalSecretsRow = {
    goalId,
    tenant,
    signingSecret: generateSecret(),
    previousSigningSecret: null,
    previousUntil: null,
    ingestSecret: generateSecret(),
    updatedAt: now,
  };
  const { goalSecrets } = db.t;
  await upsert(db, db.insert(goalSecrets).values(row), goalSecrets, {
    target: goalSecrets.goalId,
    set: row,
  });
  return row;
}

/** The goal's secrets; created on first use for a goal registered before secrets existed. */
export async function secretsOf(db: Db, tenant: string, goalId: string): Promise<GoalSecretsRow> {
  const { goalSecrets } = db.t;
  const row = await one(
    db,
    db
      .select()
      .from(goalSecrets)
      .where(and(eq(goalSecrets.goalId, goalId), eq(goalSecrets.tenant, tenant))),
  );
  return row ?? createSecrets(db, tenant, goalId, Date.now());
}

/** Looks a goal's secrets up by id alone (the ingest route, before the tenant is known). */
export async function secretsById(db: Db, goalId: string): Promise<GoalSecretsRow | undefined> {
  const { goalSecrets } = db.t;
  return one(db, db.select().from(goalSecrets).where(eq(goalSecrets.goalId, goalId)));
}

/** Replaces some of a goal's secrets, as `change` derives them from the current ones. */
async function rotate(
  db: Db,
  tenant: string,
  goalId: string,
  change: (current: GoalSecretsRow) => Partial<GoalSecretsRow>,
  now: number,
): Promise<GoalSecretsRow> {
  const current = await secretsOf(db, tenant, goalId);
  const next: GoalSecretsRow = { ...current, ...change(current), updatedAt: now };
  await db.update(db.t.goalSecrets).set(next).where(eq(db.t.goalSecrets.goalId, goalId));
  return next;
}

/** A new signing secret; the old one keeps signing alongside for ROTATION_GRACE_MS. */
export function rotateSigningSecret(db: Db, tenant: string, goalId: string, now: number) {
  return rotate(
    db,
    tenant,
    goalId,
    (current) => ({
      signingSecret: generateSecret(),
      previousSigningSecret: current.signingSecret,
      previousUntil: now + ROTATION_GRACE_MS,
    }),
    now,
  );
}

/** A new ingest secret; the old one stops working at once. */
export function rotateIngestSecret(db: Db, tenant: string, goalId: string, now: number) {
  return rotate(db, tenant, goalId, () => ({ ingestSecret: generateSecret() }), now);
}

export async function deleteSecrets(db: Db, tenant: string, goalId: string): Promise<void> {
  const { goalSecrets } = db.t;
  await db
    .delete(goalSecrets)
    .where(and(eq(goalSecrets.goalId, goalId), eq(goalSecrets.tenant, tenant)));
}
