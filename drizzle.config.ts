import { defineConfig } from "drizzle-kit";

/** Migrations are generated from the schema into the folder wrangler applies. */
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
