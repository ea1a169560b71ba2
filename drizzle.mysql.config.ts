import { defineConfig } from "drizzle-kit";

/**
 * The MySQL (or MariaDB) store reached through Hyperdrive: migrations are generated from
 * its schema into migrations-mysql/ and applied to FAAS_MYSQL_URL (`drizzle-kit migrate`).
 */
export default defineConfig({
  dialect: "mysql",
  schema: "./src/db/schema-mysql.ts",
  out: "./migrations-mysql",
  dbCredentials: { url: process.env.FAAS_MYSQL_URL ?? "mysql://faas:faas@127.0.0.1:3307/faas" },
});
