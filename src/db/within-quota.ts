/**
 * Inserts bounded by a quota. The count and the write are one SQL statement,
 * `INSERT … SELECT <the row> WHERE (SELECT count(*) …) < limit`: D1 runs one
 * statement at a time, so concurrent creations cannot all see room for one
 * more (counting first and writing after let a burst overshoot by its size).
 * MySQL runs the same statement (InnoDB locks what an INSERT … SELECT reads).
 */
import { getTableColumns, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";
import { noTable } from "./dialect.ts";

/**
 * `SELECT <row's values, in the table's column order> WHERE condition`: the
 * source of an insert (`db.insert(table).select(…)`) made only when
 * `condition` holds. Values go through each column's own encoding (JSON).
 */
export function rowWhere<T extends SQLiteTable>(
  db: Db,
  table: T,
  row: T["$inferInsert"],
  condition: SQL,
): SQL {
  const fields = row as Record<string, unknown>;
  const values = Object.entries(getTableColumns(table)).map(([field, column]) =>
    sql.param(fields[field] ?? null, column),
  );
  return sql`select ${sql.join(values, sql`, `)}${noTable(db)} where ${condition}`;
}

/** True while fewer than `limit` rows of `table` match `where`. */
export function fewerThan(table: SQLiteTable, where: SQL | undefined, limit: number): SQL {
  return sql`(select count(*) from ${table} where ${where}) < ${limit}`;
}
