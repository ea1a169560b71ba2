/**
 * The MySQL tables (schema-mysql.ts) stand in for the SQLite ones under the
 * SQLite types (`db.t` in client.ts), so a column one has and the other lacks
 * would fail only when a query reaches it: every table of schema.ts has its
 * MySQL twin, with the same fields on the same column names.
 */
import { getTableColumns, getTableName, is, Table } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as sqlite from "../../src/db/schema.ts";
import * as mysql from "../../src/db/schema-mysql.ts";

const tablesOf = (module: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(module).flatMap(([name, value]) => (is(value, Table) ? [[name, value]] : [])),
  ) as Record<string, Table>;

const shape = (table: Table) => ({
  name: getTableName(table),
  columns: Object.fromEntries(
    Object.entries(getTableColumns(table)).map(([field, column]) => [field, column.name]),
  ),
});

describe("the MySQL schema", () => {
  it("has every SQLite table, with the same fields and column names", () => {
    const own = tablesOf(sqlite);
    const twins = tablesOf(mysql);
    expect(Object.keys(own).length).toBeGreaterThan(10);
    expect(Object.keys(twins).sort()).toEqual(Object.keys(own).sort());
    for (const [name, table] of Object.entries(own)) {
      const twin = twins[name];
      expect(twin && shape(twin), name).toEqual(shape(table));
    }
  });
});
