/**
 * Global setup of the `mysql` test run (runs in Node): a fresh database on the
 * MySQL or MariaDB server at FAAS_MYSQL_URL (default the local one of
 * `npm run start:mysql`), named for this run, with migrations-mysql/ applied;
 * its URL goes to the Worker's HYPERDRIVE binding. Dropped at the end. The
 * URL's user needs CREATE and DROP on databases named `faas_test_%` (and all
 * privileges on them), e.g. `GRANT ALL ON \`faas\_test\_%\`.* TO 'faas'@…`.
 */
import { drizzle } from "drizzle-orm/mysql2";
import { migrate } from "drizzle-orm/mysql2/migrator";
import { createConnection } from "mysql2/promise";
import type { TestProject } from "vitest/node";
import { createDatabase, dropDatabase, mysqlUrl } from "../scripts/mariadb.ts";

declare module "vitest" {
  export interface ProvidedContext {
    mysqlUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const server = new URL(process.env.FAAS_MYSQL_URL ?? mysqlUrl());
  const url = await createDatabase(server.href, `faas_test_${process.pid}_${Date.now()}`).catch(
    (error: Error) => {
      throw new Error(
        `no test database on the MySQL server at ${server.host} (${error.message}): start a server with \`npm run start:mysql\` or set FAAS_MYSQL_URL`,
      );
    },
  );
  const connection = await createConnection({ uri: url });
  await migrate(drizzle(connection), { migrationsFolder: "./migrations-mysql" });
  await connection.end();
  project.provide("mysqlUrl", url);
  return () => dropDatabase(url);
}
