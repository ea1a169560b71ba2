/**
 * The store: drizzle over D1 (`env.DB`), or over MySQL through Hyperdrive when
 * the Worker has a `HYPERDRIVE` binding. Queries live beside this file, one
 * per resource, each taking the handle first, written once for both stores;
 * `dialect.ts` has the few pieces that differ.
 *
 * MySQL goes through drizzle's MySQL dialect and its proxy driver: drizzle
 * builds each statement and `send` runs it on mysql2 with `query` alone.
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
import { drizzle as drizzleMySqlProxy } from "drizzle-orm/mysql-proxy";
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
  /** MySQL only: a handle over a connection of its own, for one transaction (none inside one). */
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

/** A statement and its parameters, as drizzle hands them to the connection. */
type Send = (
  sql: string,
  params: unknown[],
  method: "all" | "execute",
) => Promise<{ rows: unknown[] }>;

/**
 * Opens a connection (mysql2 is loaded only then, so a D1 deploy never loads
 * it): `disableEval` because Workers forbid code generation (mysql2 otherwise
 * compiles its row parsers). Every statement goes through mysql2's `query`
 * (the text protocol), never `execute`, whose prepared statements
 * (COM_STMT_PREPARE) Hyperdrive does not serve; one statement per query
 * (`multipleStatements` off), and never a `USE`: the database is the
 * connection string's.
 */
async function connect(connectionString: string) {
  const { createConnection } = await import("mysql2/promise");
  // The URL's parts, not its query (options for other clients, which mysql2 warns about).
  const url = new URL(connectionString);
  const connection = await createConnection({
    host: url.hostname,
    port: url.port === "" ? 3306 : Number(url.port),
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.slice(1)),
    disableEval: true,
    multipleStatements: false,
  });
  /** Rows as arrays for a select (drizzle maps them to its fields), the result header for a write. */
  const send: Send = async (sql, params, method) => {
    const [rows] = await connection.query({ sql, values: params, rowsAsArray: method === "all" });
    return { rows: method === "all" ? (rows as unknown[]) : [rows] };
  };
  return { connection, send };
}

type Opened = Awaited<ReturnType<typeof connect>>;

/**
 * A connection opened on the first statement and ended when idle: once no
 * statement has been running for a turn of the event loop. A later
 * statement opens another.
 */
class IdleConnection {
  #opened: Promise<Opened> | undefined;
  #running = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;

  readonly uri: string;

  constructor(uri: string) {
    this.uri = uri;
  }

  readonly send: Send = async (sql, params, method) => {
    clearTimeout(this.#idle);
    this.#running++;
    try {
      this.#opened ??= this.#open();
      return await (await this.#opened).send(sql, params, method);
    } finally {
      if (--this.#running === 0) this.#idle = setTimeout(() => this.#end(), 0);
    }
  };

  #open(): Promise<Opened> {
    const opened = connect(this.uri);
    const forget = () => {
      if (this.#opened === opened) this.#opened = undefined;
    };
    opened.then(({ connection }) => connection.on("error", forget), forget);
    return opened;
  }

  #end(): void {
    const opened = this.#opened;
    this.#opened = undefined;
    opened?.then(({ connection }) => connection.end()).catch(() => undefined);
  }
}

/**
 * Drizzle's MySQL dialect over `send` (its proxy driver: the SQL it builds,
 * run by the function given; this one runs it on mysql2).
 */
function mysqlDb(send: Send, uri: string | undefined): Db {
  return Object.assign(drizzleMySqlProxy(send), {
    store: "mysql" as const,
    t: mysqlTables as Tables,
    ...(uri === undefined
      ? {}
      : {
          dedicated: async () => {
            const { connection, send: own } = await connect(uri);
            return { db: mysqlDb(own, undefined), end: () => connection.end() };
          },
        }),
  }) as unknown as Db;
}

function mysqlHandle(uri: string): Db {
  return mysqlDb(new IdleConnection(uri).send, uri);
}
