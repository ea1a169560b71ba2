/**
 * A local MariaDB for development, CI and the benchmarks: the MySQL server the
 * `HYPERDRIVE` binding's `localConnectionString` points at.
 *
 *   node scripts/mariadb.ts start [port]   starts it (default port 3307) and leaves it running
 *   node scripts/mariadb.ts stop [port]    shuts it down
 *
 * The server keeps its files in `.mariadb/<port>/` (gitignored): the data
 * directory (`mariadb-install-db` fills it on first use), its socket, pid file
 * and error log. It listens on 127.0.0.1 only. The database `faas` and the user
 * `faas`/`faas` are created (idempotently) through the socket as the OS user
 * (root's `unix_socket` account); `faas` may also create and drop databases
 * named `faas_…`, which the crash test and the benchmarks use as fresh stores.
 * A start that finds a server of its own already running on the port reuses it.
 *
 * As a module, `startMariaDB()` ties the server it starts to the calling
 * process: mariadbd runs under a small shell that shuts it down as soon as its
 * stdin closes, which happens whenever the caller ends, even by `kill -9`.
 * A server that was already running is reused and left running.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createConnection } from "mysql2/promise";

export const DEFAULT_PORT = 3307;
const MARIADBD = process.env.MARIADBD ?? "/usr/sbin/mariadbd";

/** `mysql://faas:faas@127.0.0.1:<port>/<database>`, the shape Hyperdrive's localConnectionString takes. */
export function mysqlUrl(port = DEFAULT_PORT, database = "faas"): string {
  return `mysql://faas:faas@127.0.0.1:${port}/${database}`;
}

/**
 * The port of FAAS_MYSQL_URL (default DEFAULT_PORT): the local MariaDB a script
 * uses or starts. A URL without a port means MySQL's own, 3306.
 */
export function envMySQLPort(): number {
  const url = new URL(process.env.FAAS_MYSQL_URL ?? mysqlUrl());
  if (url.protocol !== "mysql:")
    throw new Error(`FAAS_MYSQL_URL is not a mysql:// URL: ${url.protocol}`);
  return url.port === "" ? 3306 : Number(url.port);
}

export interface MariaDB {
  port: number;
  /** The `faas` database's URL. */
  url: string;
  /** Whether this call started the server (false: one was already running and is reused). */
  started: boolean;
  /** Shuts the server down if this call started it; a reused server keeps running. */
  stop(): Promise<void>;
}

interface Files {
  dir: string;
  data: string;
  socket: string;
  pid: string;
  log: string;
}

function files(port: number): Files {
  const dir = resolve(import.meta.dirname, "..", ".mariadb", String(port));
  return {
    dir,
    data: resolve(dir, "data"),
    socket: resolve(dir, "mysqld.sock"),
    pid: resolve(dir, "mysqld.pid"),
    log: resolve(dir, "mysqld.log"),
  };
}

/** The pid in the server's pid file, if that process is alive. */
function runningPid(f: Files): number | undefined {
  if (!existsSync(f.pid)) return undefined;
  const pid = Number(readFileSync(f.pid, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    // The process of that pid is alive and still a mariadbd (not a later process given the pid).
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "mariadbd" ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Runs SQL through the socket as the OS user (root's `unix_socket` account when uid is 0). */
function adminSql(f: Files, sql: string): void {
  const out = spawnSync(
    "mariadb",
    ["--no-defaults", `--socket=${f.socket}`, "-u", osUser(), "-e", sql],
    {
      encoding: "utf8",
    },
  );
  if (out.status !== 0) throw new Error(`mariadb client failed: ${out.stderr || out.error}`);
}

function osUser(): string {
  return process.getuid?.() === 0 ? "root" : (process.env.USER ?? "root");
}

/** The database and the user, idempotently; `faas` owns every database named `faas…`. */
function bootstrap(f: Files): void {
  adminSql(
    f,
    [
      "CREATE DATABASE IF NOT EXISTS faas CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
      "CREATE USER IF NOT EXISTS 'faas'@'127.0.0.1' IDENTIFIED BY 'faas'",
      "CREATE USER IF NOT EXISTS 'faas'@'localhost' IDENTIFIED BY 'faas'",
      "GRANT ALL PRIVILEGES ON `faas%`.* TO 'faas'@'127.0.0.1'",
      "GRANT ALL PRIVILEGES ON `faas%`.* TO 'faas'@'localhost'",
    ].join("; "),
  );
}

/** Whether `faas` can log in on the port and run a query. */
async function answers(port: number): Promise<boolean> {
  try {
    const connection = await createConnection({ uri: mysqlUrl(port), connectTimeout: 1000 });
    await connection.query("SELECT 1");
    await connection.end();
    return true;
  } catch {
    return false;
  }
}

/** Whether anything accepts TCP connections on 127.0.0.1:`port`. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      done(true);
    });
    socket.once("error", () => done(false));
  });
}

/** Polls the socket until the server accepts the admin account, or throws. */
async function waitReady(f: Files, child: ChildProcess | undefined, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) break;
    const ping = spawnSync(
      "mariadb-admin",
      ["--no-defaults", `--socket=${f.socket}`, "-u", osUser(), "ping"],
      {
        stdio: "ignore",
      },
    );
    if (ping.status === 0) return;
    await sleep(100);
  }
  const tail = existsSync(f.log)
    ? readFileSync(f.log, "utf8").split("\n").slice(-15).join("\n")
    : "";
  throw new Error(`mariadbd did not come up (log ${f.log}):\n${tail}`);
}

function serverArgs(f: Files, port: number): string[] {
  return [
    "--no-defaults", // not /etc/mysql: everything this server uses is on this line
    `--datadir=${f.data}`,
    `--socket=${f.socket}`,
    `--pid-file=${f.pid}`,
    `--log-error=${f.log}`,
    "--bind-address=127.0.0.1",
    `--port=${port}`,
    "--skip-name-resolve",
    "--character-set-server=utf8mb4",
    "--collation-server=utf8mb4_bin",
    ...(process.getuid?.() === 0 ? ["--user=root"] : []),
  ];
}

function install(f: Files): void {
  if (existsSync(resolve(f.data, "mysql"))) return;
  mkdirSync(f.dir, { recursive: true });
  const out = spawnSync(
    "mariadb-install-db",
    [
      "--no-defaults",
      `--datadir=${f.data}`,
      `--user=${osUser()}`,
      "--auth-root-authentication-method=socket",
      "--skip-test-db",
    ],
    { encoding: "utf8" },
  );
  if (out.status !== 0) {
    rmSync(f.data, { recursive: true, force: true });
    throw new Error(`mariadb-install-db failed: ${out.stderr || out.stdout || out.error}`);
  }
}

/** The tied children started here and not yet stopped: their stdin closes when this process ends. */
const tied = new Set<ChildProcess>();

/**
 * Starts MariaDB on 127.0.0.1:`port` (or reuses the one already running there
 * from `.mariadb/<port>/`), with database `faas` and user `faas`/`faas`.
 * `keep: true` leaves a server started here running after this process ends
 * (the command line's `start`); otherwise it ends with this process.
 */
export async function startMariaDB(
  options: { port?: number; keep?: boolean } = {},
): Promise<MariaDB> {
  const port = options.port ?? DEFAULT_PORT;
  const f = files(port);
  if (!existsSync(MARIADBD))
    throw new Error(`${MARIADBD} is missing: apt-get install mariadb-server (or set MARIADBD)`);
  const reuse = (): MariaDB => ({
    port,
    url: mysqlUrl(port),
    started: false,
    stop: async () => {},
  });
  if (runningPid(f) !== undefined) {
    await waitReady(f, undefined);
    bootstrap(f);
    return reuse();
  }
  if (await answers(port)) return reuse(); // another server on the port that already knows faas
  if (await listening(port))
    throw new Error(`port ${port} is taken by another server (not from .mariadb/${port}/)`);
  install(f);
  const log = openSync(f.log, "a");
  let child: ChildProcess;
  if (options.keep) {
    child = spawn(MARIADBD, serverArgs(f, port), { stdio: ["ignore", log, log], detached: true });
    child.unref();
  } else {
    // The shell stops mariadbd (SIGTERM: a clean shutdown) once its stdin reaches end of file.
    const script = '"$@" & pid=$!; cat >/dev/null; kill -TERM "$pid" 2>/dev/null; wait "$pid"';
    child = spawn("sh", ["-c", script, "sh", MARIADBD, ...serverArgs(f, port)], {
      stdio: ["pipe", log, log],
      detached: true, // its own process group: a Ctrl-C to the caller's group reaches the caller only
    });
    tied.add(child);
    child.once("exit", () => tied.delete(child));
  }
  const stop = async () => {
    if (!tied.has(child)) return stopMariaDB(port);
    child.stdin?.end();
    await new Promise<void>((done) =>
      child.exitCode !== null ? done() : child.once("exit", () => done()),
    );
  };
  try {
    await waitReady(f, child);
    bootstrap(f);
  } catch (error) {
    await stop();
    throw error;
  }
  return { port, url: mysqlUrl(port), started: true, stop };
}

/** Shuts down the server running from `.mariadb/<port>/` (SIGTERM, then SIGKILL after 30 s); no-op if none. */
export async function stopMariaDB(port = DEFAULT_PORT): Promise<void> {
  const f = files(port);
  const pid = runningPid(f);
  if (pid === undefined) return;
  process.kill(pid, "SIGTERM");
  const deadline = Date.now() + 30_000;
  while (runningPid(f) === pid) {
    if (Date.now() > deadline) process.kill(pid, "SIGKILL");
    await sleep(100);
  }
}

/** A new empty database `name` (`faas_…`) on the server behind `url`; returns its URL. */
export async function createDatabase(url: string, name: string): Promise<string> {
  if (!/^faas_[a-z0-9_]+$/.test(name))
    throw new Error(`database name ${name}: faas_[a-z0-9_]+ only`);
  const connection = await createConnection({ uri: url });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  } finally {
    await connection.end();
  }
  const target = new URL(url);
  target.pathname = `/${name}`;
  return target.toString();
}

/** Drops the database named in `url`. */
export async function dropDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const connection = await createConnection({ uri: url });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** The MySQL migrations (drizzle.mysql.config.ts) applied to the database in `url`. */
export function migrateMySQL(url: string, stdio: "inherit" | "ignore" = "ignore"): void {
  const out = spawnSync("drizzle-kit", ["migrate", "--config", "drizzle.mysql.config.ts"], {
    stdio,
    env: { ...process.env, FAAS_MYSQL_URL: url },
  });
  if (out.status !== 0) throw new Error(`drizzle-kit migrate failed (status ${out.status})`);
}

/**
 * How many rows of `table` belong to `tenant` in the database at `url`; null
 * when the table does not exist (its store was never migrated there). The
 * benchmarks and the crash test tell from it which store served them.
 */
export async function tenantRows(
  url: string,
  table: string,
  tenant: string,
): Promise<number | null> {
  const connection = await createConnection({ uri: url });
  try {
    const [rows] = await connection.query(
      `SELECT COUNT(*) AS n FROM \`${table}\` WHERE tenant = ?`,
      [tenant],
    );
    return Number((rows as { n: number }[])[0]?.n ?? 0);
  } catch (error) {
    if ((error as { code?: string }).code === "ER_NO_SUCH_TABLE") return null;
    throw error;
  } finally {
    await connection.end();
  }
}

/**
 * A store of its own for one run: a new database `faas_<label>_<random>` on
 * the server behind `serverUrl`, with the MySQL migrations applied.
 */
export async function freshStore(
  serverUrl: string,
  label: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `faas_${label}_${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const url = await createDatabase(serverUrl, name);
  try {
    migrateMySQL(url);
  } catch (error) {
    await dropDatabase(url);
    throw error;
  }
  return { url, drop: () => dropDatabase(url) };
}

if (import.meta.main) {
  const [command, portArg] = process.argv.slice(2);
  const port = portArg === undefined ? DEFAULT_PORT : Number(portArg);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    console.error(`not a port: ${portArg}`);
    process.exit(2);
  }
  if (command === "start") {
    const server = await startMariaDB({ port, keep: true });
    console.log(`${server.started ? "started" : "already running:"} ${server.url}`);
  } else if (command === "stop") {
    await stopMariaDB(port);
    console.log(`stopped MariaDB on port ${port}`);
  } else {
    console.error("usage: node scripts/mariadb.ts start|stop [port]");
    process.exit(2);
  }
}
