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

declare module "vitest" {
  export interface ProvidedContext {
    mysqlUrl: string;
  }
}

export const DEFAULT_MYSQL_URL = "mysql://faas:faas@127.0.0.1:3307/faas";

export default async function setup(project: TestProject) {
  const server = new URL(process.env.FAAS_MYSQL_URL ?? DEFAULT_MYSQL_URL);
  const name = `faas_test_${process.pid}_${Date.now()}`;
  const admin = await createConnection({ uri: server.href }).catch((error: Error) => {
    throw new Error(
      `no MySQL server at ${server.host} (${error.message}): start one with \`npm run start:mysql\` or set FAAS_MYSQL_URL`,
    );
  });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  const connection = await createConnection({ uri: url.href });
  await migrate(drizzle(connection), { migrationsFolder: "./migrations-mysql" });
  await connection.end();
  project.provide("mysqlUrl", url.href);
  return async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await admin.end();
  };
}
