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
import { StoreUnavailable } from "../errors.ts";
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
async function connect(connectionString: string, timeoutMs: number) {
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
    // The handshake too: a server that accepts the connection and never answers.
    connectTimeout: timeoutMs,
  }).catch((error: unknown) => {
    throw unavailable(error, `the store could not be reached within ${timeoutMs} ms`);
  });
  /** Rows as arrays for a select (drizzle maps them to its fields), the result header for a write. */
  const send: Send = async (sql, params, method) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    // A statement that waits on a lock (a table locked, a server stopped) would wait as long as
    // the server lets it (a day for a table lock): past the bound the connection is dropped,
    // which ends the statement and any transaction on it, and the caller gets a 503.
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        connection.destroy();
        reject(
          new StoreUnavailable(`the store did not answer a statement within ${timeoutMs} ms`, {
            retryAfterS: STORE_RETRY_AFTER_S,
          }),
        );
      }, timeoutMs);
    });
    try {
      const [rows] = await Promise.race([
        connection.query({ sql, values: params, rowsAsArray: method === "all" }),
        late,
      ]);
      return { rows: method === "all" ? (rows as unknown[]) : [rows] };
    } catch (error) {
      throw unavailable(error, "the store's connection was lost");
    } finally {
      clearTimeout(timer);
    }
  };
  return { connection, send };
}

/**
 * How long one MySQL statement, or opening a connection, may take. Past it
 * the request fails with 503 STORE_UNAVAILABLE instead of waiting as long as
 * the server would (MariaDB's `lock_wait_timeout` is a day, InnoDB's row lock
 * wait 50 s, a stopped server forever).
 */
export const STORE_TIMEOUT_MS = 10_000;

/** The Retry-After of a 503 STORE_UNAVAILABLE. */
const STORE_RETRY_AFTER_S = 5;

/** Codes of a connection that failed or was lost (the driver's and the socket's). */
const CONNECTION_FAULTS = new Set([
  "ETIMEDOUT",
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
]);

/** `error` as StoreUnavailable when the connection failed (`message` then says so), else as it is. */
function unavailable(error: unknown, message: string): unknown {
  if (error instanceof StoreUnavailable) return error;
  const code = (error as { code?: unknown } | null)?.code;
  const fatal = (error as { fatal?: unknown } | null)?.fatal === true;
  if (
    typeof code === "string" &&
    (CONNECTION_FAULTS.has(code) || (fatal && !code.startsWith("ER_")))
  )
    return new StoreUnavailable(message, { retryAfterS: STORE_RETRY_AFTER_S, cause: error });
  return error;
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
  readonly timeoutMs: number;

  constructor(uri: string, timeoutMs: number) {
    this.uri = uri;
    this.timeoutMs = timeoutMs;
  }

  readonly send: Send = async (sql, params, method) => {
    clearTimeout(this.#idle);
    this.#running++;
    try {
      this.#opened ??= this.#open();
      const opened = this.#opened;
      try {
        return await (await opened).send(sql, params, method);
      } catch (error) {
        // A connection that failed or was dropped past the bound: the next statement opens another.
        if (error instanceof StoreUnavailable && this.#opened === opened) this.#opened = undefined;
        throw error;
      }
    } finally {
      if (--this.#running === 0) this.#idle = setTimeout(() => this.#end(), 0);
    }
  };

  #open(): Promise<Opened> {
    const opened = connect(this.uri, this.timeoutMs);
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
function mysqlDb(send: Send, uri: string | undefined, timeoutMs: number): Db {
  return Object.assign(drizzleMySqlProxy(send), {
    store: "mysql" as const,
    t: mysqlTables as Tables,
    ...(uri === undefined
      ? {}
      : {
          dedicated: async () => {
            const { connection, send: own } = await connect(uri, timeoutMs);
            return { db: mysqlDb(own, undefined, timeoutMs), end: () => connection.end() };
          },
        }),
  }) as unknown as Db;
}

/** A MySQL handle on `uri`, each statement and connection bounded by `timeoutMs`. */
export function mysqlHandle(uri: string, timeoutMs = STORE_TIMEOUT_MS): Db {
  return mysqlDb(new IdleConnection(uri, timeoutMs).send, uri, timeoutMs);
}
