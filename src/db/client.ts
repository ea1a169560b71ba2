/**
 * The store: drizzle over D1 (`env.DB`), or over MySQL through Hyperdrive when
 * the Worker has a `HYPERDRIVE` binding. Queries live beside this file, one
 * per resource, each taking the handle first, written once for both stores;
 * `dialect.ts` has the few pieces that differ.
 *
 * MySQL connections: Hyperdrive's host is valid only inside the request (or
 * alarm, queue batch, cron run) that uses it, and Hyperdrive pools the real
 * database connections, so opening one is cheap and none is kept across
 * invocations. Each `database(env)` call gets its own handle whose connection
 * opens on its first query and ends once no query has been running for a
 * turn of the event loop; a later query opens a new one. A transaction takes
 * a connection of its own for its length (`atomic`), so statements of the
 * handle that run meanwhile never land inside it.
 */
import { type DrizzleD1Database, drizzle as drizzleD1 } from "drizzle-orm/d1";
import { drizzle as drizzleMySql } from "drizzle-orm/mysql2";
import { type Connection, createConnection } from "mysql2/promise";
import * as schema from "./schema.ts";
import * as mysqlSchema from "./schema-mysql.ts";

/** The tables, as the shared queries see them (the SQLite definitions' types). */
export type Tables = typeof tables;

const tables = {
  apiKeys: schema.apiKeys,
  formulas: schema.formulas,
  formulaVersions: schema.formulaVersions,
  goals: schema.goals,
  goalSubscriptions: schema.goalSubscriptions,
  records: schema.records,
  recordEvents: schema.recordEvents,
  cycles: schema.cycles,
  actionRuns: schema.actionRuns,
  actionClaims: schema.actionClaims,
  metricCounts: schema.metricCounts,
  metricTotals: schema.metricTotals,
  goalSecrets: schema.goalSecrets,
  idempotentRequests: schema.idempotentRequests,
  approvals: schema.approvals,
};

const mysqlTables: { [K in keyof Tables]: unknown } = {
  apiKeys: mysqlSchema.apiKeys,
  formulas: mysqlSchema.formulas,
  formulaVersions: mysqlSchema.formulaVersions,
  goals: mysqlSchema.goals,
  goalSubscriptions: mysqlSchema.goalSubscriptions,
  records: mysqlSchema.records,
  recordEvents: mysqlSchema.recordEvents,
  cycles: mysqlSchema.cycles,
  actionRuns: mysqlSchema.actionRuns,
  actionClaims: mysqlSchema.actionClaims,
  metricCounts: mysqlSchema.metricCounts,
  metricTotals: mysqlSchema.metricTotals,
  goalSecrets: mysqlSchema.goalSecrets,
  idempotentRequests: mysqlSchema.idempotentRequests,
  approvals: mysqlSchema.approvals,
};

/** The bindings that choose the store. */
export interface StoreEnv {
  DB: D1Database;
  HYPERDRIVE?: Hyperdrive;
}

/**
 * A drizzle handle and its dialect's tables. Its type is drizzle's D1 one:
 * the shared queries use only what both dialects' builders have (select,
 * insert … values or select, update, delete, each awaited), and go through
 * `dialect.ts` for the rest (`returning`, upserts, batches, counts).
 */
export type Db = DrizzleD1Database<typeof schema> & {
  /** Which store: D1 (SQLite) or MySQL. */
  readonly store: "sqlite" | "mysql";
  readonly t: Tables;
  /** MySQL only: a handle over a connection of its own, for one transaction. */
  readonly dedicated?: () => Promise<{ db: Db; end: () => Promise<void> }>;
};

const d1Handles = new WeakMap<D1Database, Db>();

/** The store the env chooses: MySQL through Hyperdrive when bound, else D1. */
export function database(env: StoreEnv): Db {
  if (env.HYPERDRIVE) return mysqlHandle(env.HYPERDRIVE.connectionString);
  let db = d1Handles.get(env.DB);
  if (!db) {
    // Built once per binding (building it processes the whole schema).
    db = Object.assign(drizzleD1(env.DB, { schema }), { store: "sqlite" as const, t: tables });
    d1Handles.set(env.DB, db);
  }
  return db;
}

/**
 * Opens a connection: `disableEval` because Workers forbid code generation
 * (mysql2 otherwise compiles its row parsers); queries go through mysql2's
 * `query` (drizzle's mysql2 session uses nothing else for them, transactions
 * included; only its migrator calls `execute`, and that runs in Node), never
 * `execute`, whose prepared statements Hyperdrive does not serve. One
 * statement per query (`multipleStatements` off), and never a `USE`: the
 * database is the connection string's.
 */
function connect(connectionString: string): Promise<Connection> {
  // The URL's parts, not its query (options for other clients, which mysql2 warns about).
  const url = new URL(connectionString);
  return createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    disableEval: true,
    multipleStatements: false,
  });
}

type QueryArgs = Parameters<Connection["query"]>;

/**
 * The part of a mysql2 connection drizzle uses, opened on demand and ended
 * when idle. It has `query` only: were anything to call `execute` (a prepared
 * statement, which Hyperdrive refuses), it would fail here, in every test run.
 */
class IdleConnection {
  #connection: Promise<Connection> | undefined;
  #running = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;

  readonly uri: string;

  constructor(uri: string) {
    this.uri = uri;
  }

  async query(...args: QueryArgs) {
    clearTimeout(this.#idle);
    this.#running++;
    try {
      this.#connection ??= this.#open();
      return await (await this.#connection).query(...args);
    } finally {
      if (--this.#running === 0) this.#idle = setTimeout(() => this.#end(), 0);
    }
  }

  #open(): Promise<Connection> {
    const opened = connect(this.uri);
    opened.then(
      (connection) =>
        connection.on("error", () => {
          if (this.#connection === opened) this.#connection = undefined;
        }),
      () => {
        if (this.#connection === opened) this.#connection = undefined;
      },
    );
    return opened;
  }

  #end(): void {
    const opened = this.#connection;
    this.#connection = undefined;
    opened?.then((connection) => connection.end()).catch(() => undefined);
  }
}

function mysqlHandle(uri: string): Db {
  const over = (client: unknown): Db =>
    Object.assign(drizzleMySql(client as Connection), {
      store: "mysql" as const,
      t: mysqlTables as Tables,
      dedicated: async () => {
        const connection = await connect(uri);
        const client = { query: (...args: QueryArgs) => connection.query(...args) };
        return { db: over(client), end: () => connection.end() };
      },
    }) as unknown as Db;
  return over(new IdleConnection(uri));
}
