/**
 * `wrangler.mysql.toml`, the configuration of a deploy that keeps its data in
 * MySQL through Hyperdrive: wrangler.toml as it is, plus the `HYPERDRIVE`
 * binding. It is generated (and gitignored) rather than written as an
 * `[env.mysql]` section, because an environment inherits none of the
 * bindings (vars, D1, Durable Objects, queues, rate limits): that section would
 * repeat most of wrangler.toml by hand and drift from it.
 *
 *   node scripts/wrangler-mysql.ts     writes it (with a placeholder id: enough for wrangler dev)
 *   HYPERDRIVE_ID=<id> npm run deploy:mysql   writes it with the id `wrangler hyperdrive create`
 *                                      printed and deploys it
 *
 * `localConnectionString` is the local MariaDB of scripts/mariadb.ts; a run
 * that uses another database sets CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE,
 * which wrangler dev reads before it.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mysqlUrl } from "./mariadb.ts";

export const MYSQL_CONFIG = "wrangler.mysql.toml";

/** The environment variable wrangler dev reads for the binding's local connection string. */
export const LOCAL_CONNECTION_ENV = "CLOUDFLARE_HYPERDRIVE_LOCAL_CONNECTION_STRING_HYPERDRIVE";

/** Writes wrangler.mysql.toml next to wrangler.toml (the paths in it stay valid) and returns its name. */
export function writeMySQLConfig(id = process.env.HYPERDRIVE_ID): string {
  const hyperdriveId = id ?? "00000000000000000000000000000000";
  if (!/^[0-9a-f]{32}$/.test(hyperdriveId))
    throw new Error(`HYPERDRIVE_ID ${hyperdriveId}: 32 hex digits`);
  const base = readFileSync("wrangler.toml", "utf8");
  const [schema, ...rest] = base.split("\n");
  const text = [
    schema,
    "# GENERATED from wrangler.toml by scripts/wrangler-mysql.ts: edit wrangler.toml, not this file.",
    ...rest,
    "",
    "# The store: MySQL through Hyperdrive. With this binding present every store operation",
    "# uses MySQL (env.HYPERDRIVE.connectionString); DB (D1) is still bound and unused by them.",
    "[[hyperdrive]]",
    'binding = "HYPERDRIVE"',
    `id = "${hyperdriveId}"`,
    `localConnectionString = "${mysqlUrl()}"`,
    "",
  ].join("\n");
  // Unchanged, it is left alone: a running `wrangler dev` on it reloads when the file is written.
  if (!existsSync(MYSQL_CONFIG) || readFileSync(MYSQL_CONFIG, "utf8") !== text)
    writeFileSync(MYSQL_CONFIG, text);
  return MYSQL_CONFIG;
}

/** What `startRuntime` (bench/runtime.ts) needs to serve the Worker on the MySQL database at `url`. */
export function mysqlRuntime(url: string): { args: string[]; env: Record<string, string> } {
  return { args: ["--config", writeMySQLConfig()], env: { [LOCAL_CONNECTION_ENV]: url } };
}

if (import.meta.main) {
  // --deploy (npm run deploy:mysql): the real id is required; a placeholder only serves wrangler dev.
  if (process.argv.includes("--deploy") && !process.env.HYPERDRIVE_ID) {
    console.error("HYPERDRIVE_ID is not set: the id `wrangler hyperdrive create` printed");
    process.exit(2);
  }
  console.log(`wrote ${writeMySQLConfig()}`);
}
