/**
 * What D1 (SQLite) and MySQL do differently, as small pieces the shared
 * queries call: reading one row, counting rows written (`returning` in
 * SQLite, the affected-rows count in MySQL, which has no `returning`),
 * upserts (`on conflict` against `on duplicate key update`), several
 * statements as one (a D1 batch, a MySQL transaction) and a unique-key
 * violation's error. Nothing here sends more than one statement per query.
 */
import { type Column, getTableColumns, getTableName, type SQL, sql } from "drizzle-orm";
import type { SQLiteTable } from "drizzle-orm/sqlite-core";
import type { Db } from "./client.ts";

/** The first row of a select, or undefined. */
export async function one<T>(
  db: Db,
  query: { get(): Promise<T | undefined> } & PromiseLike<T[]>,
): Promise<T | undefined> {
  if (db.store === "sqlite") return query.get();
  return (await query)[0];
}

/** An insert, update or delete whose result `count` reads (awaited, or in `atomic`). */
export function counted<Q extends { returning(fields: { n: SQL }): unknown }>(
  db: Db,
  query: Q,
): Q | ReturnType<Q["returning"]> {
  return db.store === "sqlite"
    ? (query.returning({ n: sql`1` }) as ReturnType<Q["returning"]>)
    : query;
}

/**
 * How many rows the `counted` write wrote. In MySQL an update counts the rows
 * it matched (mysql2 connects with CLIENT_FOUND_ROWS), as SQLite's `returning`
 * does; an insert … on duplicate key update counts 1 for a new row, 2 for one
 * updated.
 */
export function count(db: Db, result: unknown): number {
  if (db.store === "sqlite") return (result as unknown[]).length;
  return (result as [{ affectedRows: number }])[0].affectedRows;
}

/** Runs a `counted` write and gives its count. */
export async function written(
  db: Db,
  query: { returning(fields: { n: SQL }): unknown },
): Promise<number> {
  if (db.store === "sqlite") return count(db, await counted(db, query));
  return retryingDeadlocks(async () => count(db, await query));
}

type Results<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Runs the statements `build` makes, in order, all or none: one D1 batch (one
 * round trip), or a MySQL transaction on a connection of its own. The results
 * are each statement's: rows for a select, for a write what `count` reads.
 */
export async function atomic<T extends readonly unknown[]>(
  db: Db,
  build: (q: Db) => [...T],
): Promise<Results<T>> {
  if (db.store === "sqlite") {
    const statements = build(db);
    if (statements.length === 0) return [] as unknown as Results<T>;
    return (await db.batch(statements as never)) as unknown as Results<T>;
  }
  const dedicated = db.dedicated;
  if (!dedicated) throw new Error("atomic: nested in a transaction");
  return retryingDeadlocks(async () => {
    const probe = build(db);
    if (probe.length <= 1) return (await Promise.all(probe)) as Results<T>;
    // A transaction on a connection of its own: statements of `db` running meanwhile stay out.
    const { db: own, end } = await dedicated();
    const run = (statement: SQL) =>
      (own as unknown as { execute(q: SQL): Promise<unknown> }).execute(statement);
    try {
      await run(sql`begin`);
      try {
        const results: unknown[] = [];
        for (const statement of build(own)) results.push(await statement);
        await run(sql`commit`);
        return results as Results<T>;
      } catch (error) {
        await run(sql`rollback`).catch(() => undefined);
        throw error;
      }
    } finally {
      await end().catch(() => undefined);
    }
  });
}

/** Tries of a MySQL transaction that InnoDB ended as a deadlock's victim. */
const DEADLOCK_TRIES = 16;
/** The longest wait before trying again (the waits grow from a few ms, with full jitter). */
const DEADLOCK_MAX_WAIT_MS = 250;

/**
 * Runs `attempt` again when InnoDB chose it as a deadlock's victim (it was
 * rolled back whole). Concurrent quota-bounded inserts meet that way: each
 * statement's count locks the rows it read, and both then insert among them
 * (gap locks do not exclude each other, so locking first would not order them).
 * SQLite (D1) runs one statement at a time and never does.
 */
async function retryingDeadlocks<R>(attempt: () => Promise<R>): Promise<R> {
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (error) {
      if (tries >= DEADLOCK_TRIES || !isDeadlock(error)) throw error;
      // Exponential backoff with full jitter: writers that keep meeting spread out, so
      // a burst of concurrent registrations in one tenant settles instead of failing.
      const ceiling = Math.min(DEADLOCK_MAX_WAIT_MS, 4 * 2 ** tries);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
    }
  }
}

function isDeadlock(error: unknown): boolean {
  return someCause(error, (e) => {
    const code = (e as { code?: unknown }).code;
    return code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT";
  });
}

/** Whether `test` holds for `error` or one of its first few causes (drivers wrap errors). */
function someCause(error: unknown, test: (e: Error) => boolean): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (test(e)) return true;
  }
  return false;
}

/**
 * An insert that updates the existing row on a key conflict: `set` (values
 * or SQL), only where `setWhere` holds. In MySQL each assignment sees those
 * before it, so `set` lists the columns `setWhere` reads last.
 */
export function upsert<Q>(
  db: Db,
  insert: Q,
  table: SQLiteTable,
  options: { target: Column | Column[]; set: Record<string, unknown>; setWhere?: SQL },
): Q {
  if (db.store === "sqlite")
    return (insert as { onConflictDoUpdate(o: typeof options): Q }).onConflictDoUpdate(options);
  const { setWhere } = options;
  const columns = getTableColumns(table) as Record<string, Column>;
  const set =
    setWhere === undefined
      ? options.set
      : Object.fromEntries(
          Object.entries(options.set).map(([field, value]) => {
            const column = columns[field];
            if (!column) throw new Error(`upsert: no column ${field}`);
            const next =
              value instanceof Object && "getSQL" in value ? value : sql.param(value, column);
            return [field, sql`if(${setWhere}, ${next}, ${qualified(table, column)})`];
          }),
        );
  return (insert as { onDuplicateKeyUpdate(o: { set: unknown }): Q }).onDuplicateKeyUpdate({ set });
}

/** An insert that leaves an existing row (same key) as it is. */
export function ignoreDuplicates<Q>(db: Db, insert: Q, table: SQLiteTable): Q {
  if (db.store === "sqlite") return (insert as { onConflictDoNothing(): Q }).onConflictDoNothing();
  // A no-op assignment (not INSERT IGNORE, which would also turn a value too long for its
  // column into a truncated one instead of an error).
  const [field, column] = Object.entries(getTableColumns(table))[0] as [string, Column];
  return (insert as { onDuplicateKeyUpdate(o: { set: unknown }): Q }).onDuplicateKeyUpdate({
    set: { [field]: qualified(table, column) },
  });
}

/**
 * Inserts `row` unless its key is taken; whether it did. In MySQL this is
 * INSERT IGNORE (a no-op update counts as a row found): only for rows whose
 * values the API has already bounded to their columns.
 */
export async function insertNew<T extends SQLiteTable>(
  db: Db,
  table: T,
  row: T["$inferInsert"],
): Promise<boolean> {
  if (db.store === "sqlite")
    return (
      (await db.insert(table).values(row).onConflictDoNothing().returning({ n: sql`1` })).length > 0
    );
  interface MySqlInsert {
    ignore(): MySqlInsert;
    values(r: unknown): Promise<unknown>;
  }
  const insert = db.insert(table) as unknown as MySqlInsert;
  return count(db, await insert.ignore().values(row)) > 0;
}

/** The value an upsert's insert brought for `column`, in its update. */
export function incoming(db: Db, column: Column): SQL {
  return db.store === "sqlite"
    ? sql`excluded.${sql.identifier(column.name)}`
    : sql`values(${sql.identifier(column.name)})`;
}

/** The id the last insert on this connection (batch or transaction) gave its row. */
export function lastInsertId(db: Db): SQL {
  return db.store === "sqlite" ? sql`last_insert_rowid()` : sql`last_insert_id()`;
}

/** A SELECT of constants with a WHERE: MySQL wants a FROM for that (`dual`). */
export function noTable(db: Db): SQL {
  return db.store === "sqlite" ? sql`` : sql` from dual`;
}

/** Whether a (possibly wrapped) error is a unique or primary key violation, in either store. */
export function isUniqueViolation(error: unknown): boolean {
  return someCause(
    error,
    (e) =>
      e.message.includes("UNIQUE constraint failed") ||
      (e as { code?: unknown }).code === "ER_DUP_ENTRY",
  );
}

function qualified(table: SQLiteTable, column: Column): SQL {
  return sql`${sql.identifier(getTableName(table))}.${sql.identifier(column.name)}`;
}
