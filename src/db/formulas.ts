/**
 * Formula queries: heads (name → current version) and immutable versions.
 */
import { and, asc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "./client.ts";
import { atomic, count, counted, isUniqueViolation, one, upsert, written } from "./dialect.ts";
import type { FormulaRow, FormulaVersionRow } from "./schema.ts";
import { fewerThan, rowWhere } from "./within-quota.ts";

/** A formula's head, deleted or not. */
export async function getHead(
  db: Db,
  tenant: string,
  name: string,
): Promise<FormulaRow | undefined> {
  const { formulas } = db.t;
  return one(
    db,
    db
      .select()
      .from(formulas)
      .where(and(eq(formulas.tenant, tenant), eq(formulas.name, name))),
  );
}

/** One immutable version. */
export async function getVersion(
  db: Db,
  tenant: string,
  name: string,
  version: number,
): Promise<FormulaVersionRow | undefined> {
  const { formulaVersions } = db.t;
  return one(
    db,
    db
      .select()
      .from(formulaVersions)
      .where(
        and(
          eq(formulaVersions.tenant, tenant),
          eq(formulaVersions.name, name),
          eq(formulaVersions.version, version),
        ),
      ),
  );
}

/** Live formulas of a tenant with their current version, by name, after `after`. */
export async function listCurrent(
  db: Db,
  tenant: string,
  after: string | undefined,
  limit: number,
): Promise<{ head: FormulaRow; version: FormulaVersionRow }[]> {
  const { formulas, formulaVersions } = db.t;
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
    .limit(limit);
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
  const { formulas, formulaVersions } = db.t;
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
    const [version] = await atomic(db, (q) => [
      counted(q, q.insert(formulaVersions).select(rowWhere(q, formulaVersions, row, room))),
      upsert(q, q.insert(formulas).select(rowWhere(q, formulas, head, written)), formulas, {
        target: [formulas.tenant, formulas.name],
        set: { currentVersion: row.version, updatedAt: row.createdAt, deletedAt: null },
      }),
    ]);
    return count(db, version) > 0 ? "stored" : "full";
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
  const { formulas } = db.t;
  const rows = await written(
    db,
    db
      .update(formulas)
      .set({ deletedAt: at, updatedAt: at })
      .where(and(eq(formulas.tenant, tenant), eq(formulas.name, name), isNull(formulas.deletedAt))),
  );
  return rows > 0;
}

/** How many live formulas a tenant has. */
export async function countLive(db: Db, tenant: string): Promise<number> {
  const { formulas } = db.t;
  const row = await one(
    db,
    db
      .select({ n: sql<number>`count(*)` })
      .from(formulas)
      .where(and(eq(formulas.tenant, tenant), isNull(formulas.deletedAt))),
  );
  return row?.n ?? 0;
}
