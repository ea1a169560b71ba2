/**
 * `npm run start:mysql [-- wrangler dev flags]`: `npm start` on MySQL. Starts
 * the local MariaDB on 127.0.0.1:3307, or on the port of FAAS_MYSQL_URL when set
 * (scripts/mariadb.ts; one already running there is reused and left running, one
 * started here stops with this command),
 * applies the MySQL migrations (`drizzle-kit migrate --config drizzle.mysql.config.ts`),
 * writes wrangler.mysql.toml (wrangler.toml plus the HYPERDRIVE binding,
 * scripts/wrangler-mysql.ts) and runs `wrangler dev` on it as `npm start` does,
 * connected to that server's `faas` database.
 */
import { envMySQLPort, migrateMySQL, startMariaDB } from "./mariadb.ts";
import { ensureDevVars, serve } from "./start.ts";
import { LOCAL_CONNECTION_ENV, writeMySQLConfig } from "./wrangler-mysql.ts";

ensureDevVars();
const mariadb = await startMariaDB({ port: envMySQLPort() });
// wrangler dev reads this before the config's localConnectionString (which names port 3307).
process.env[LOCAL_CONNECTION_ENV] ??= mariadb.url;
console.log(`MariaDB ${mariadb.started ? "started" : "already running"}: ${mariadb.url}`);
try {
  migrateMySQL(mariadb.url, "inherit");
} catch (error) {
  await mariadb.stop();
  throw error;
}
serve(["--config", writeMySQLConfig(), ...process.argv.slice(2)], mariadb.stop);
