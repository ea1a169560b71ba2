/**
 * Formula queries: heads (name → current version) and immutable versions.
 */
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { type FormulaRow, type FormulaVersionRow, formulas, formulaVersions } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/** A formula's head, deleted or not. */
export async function getHead(
  db: Db,
  tenant: string,
  name: string,
): Promise<FormulaRow | undefined> {
  return db
    .select()
    .from(formulas)
    .where(and(eq(formulas.tenant, tenant), eq(formulas.name, name)))
    .get();
}

/** One immutable version. */
export async function getVersion(
  db: Db,
  tenant: string,
  name: string,
  version: number,
): Promise<FormulaVersionRow | undefined> {
  return db
    .select()
    .from(formulaVersions)
    .where(
      and(
        eq(formulaVersions.tenant, tenant),
        eq(formulaVersions.name, name),
        eq(formulaVersions.version, version),
      ),
    )
    .get();
}

/** Live formulas of a tenant with their current version, by name, after `after`. */
export async function listCurrent(
  db: Db,
  tenant: string,
  after: string | undefined,
  limit: number,
): Promise<{ head: FormulaRow; version: FormulaVersionRow }[]> {
  const rows = await db
    .select({ head: formulas, version: formulaVersions })
    .from(formulas)
    .innerJoin(
      formulaVersions,
      and(
        eq(formulaVersions.tenant, formulas.tenant),
        eq(formulaVersions.name, formulas.name),
        eq(formulaVersions.version, formulas.currentVersion),
      ),
    )
    .where(
      and(
        eq(formulas.tenant, tenant),
        isNull(formulas.deletedAt),
        after === undefined ? undefined : gt(formulas.name, after),
      ),
    )
    .orderBy(asc(formulas.name))
    .limit(limit)
    .all();
  return rows;
}

/**
 * Writes version `row.version` and moves the head to it, in one transaction.
 * A name that is not live (new, or deleted) takes room: it is written only
 * while the tenant has fewer than `limit` live formulas, counted in the
 * version's own insert (the head follows only a version written). `conflict`
 * when that version already exists (a concurrent writer won), `full` when
 * there was no room (nothing is written).
 */
export async function insertVersion(
  db: Db,
  row: FormulaVersionRow,
  limit: number,
): Promise<"stored" | "conflict" | "full"> {
  const live = (name?: string) =>
    and(
      eq(formulas.tenant, row.tenant),
      name === undefined ? undefined : eq(formulas.name, name),
      isNull(formulas.deletedAt),
    );
  const room = sql`exists (select 1 from ${formulas} where ${live(row.name)}) or ${fewerThan(formulas, live(), limit)}`;
  const written = sql`exists (select 1 from ${formulaVersions} where ${and(
    eq(formulaVersions.tenant, row.tenant),
    eq(formulaVersions.name, row.name),
    eq(formulaVersions.version, row.version),
  )})`;
  const head = {
    tenant: row.tenant,
    name: row.name,
    currentVersion: row.version,
    createdAt: row.createdAt,
    updatedAt: row.createdAt,
    deletedAt: null,
  };
  try {
    const [version] = await db.batch([
      db
        .insert(formulaVersions)
        .select(rowWhere(formulaVersions, row, room))
        .returning({ version: formulaVersions.version }),
      db
        .insert(formulas)
        .select(rowWhere(formulas, head, written))
        .onConflictDoUpdate({
          target: [formulas.tenant, formulas.name],
          set: { currentVersion: row.version, updatedAt: row.createdAt, deletedAt: null },
        }),
    ]);
    return version.length > 0 ? "stored" : "full";
  } catch (error) {
    if (isUniqueViolation(error)) return "conflict";
    throw error;
  }
}

/** Marks a live formula deleted; false when there was none. */
export async function deleteHead(
  db: Db,
  tenant: string,
  name: string,
  at: number,
): Promise<boolean> {
  const rows = await db
    .update(formulas)
    .set({ deletedAt: at, updatedAt: at })
    .where(and(eq(formulas.tenant, tenant), eq(formulas.name, name), isNull(formulas.deletedAt)))
    .returning({ name: formulas.name });
  return rows.length > 0;
}

/** How many live formulas a tenant has. */
export async function countLive(db: Db, tenant: string): Promise<number> {
  const row = await db
    .select({ n: sql<number>`count(*)` })
    .from(formulas)
    .where(and(eq(formulas.tenant, tenant), isNull(formulas.deletedAt)))
    .get();
  return row?.n ?? 0;
}

/** Whether a (possibly wrapped) D1 error is a unique/primary-key violation. */
function isUniqueViolation(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e.message.includes("UNIQUE constraint failed")) return true;
  }
  return false;
}
