import { readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { buildDashboard } from "./scripts/build-dashboard.ts";
import { copyDocsAssets } from "./scripts/docs-assets.ts";
import { LIMITS, workersProject } from "./vitest.config.ts";

/**
 * The store-bound Workers tests again, with the Worker storing in MySQL: a
 * `HYPERDRIVE` binding (miniflare's local Hyperdrive, straight to the server)
 * to a fresh database that test/mysql-setup.ts makes on the server at
 * FAAS_MYSQL_URL (default mysql://faas:faas@127.0.0.1:3307/faas, as
 * `npm run start:mysql` serves). D1 is still bound, and stays empty of what
 * the API stores (test/store/choice.test.ts checks that).
 */
export default defineConfig(async () => {
  process.env.ADMIN_TOKEN ??= "test-admin-token";
  process.env.WRANGLER_LOG ??= "warn";
  const migrations = await readD1Migrations("./migrations");
  copyDocsAssets();
  await buildDashboard();
  return {
    test: {
      reporters: ["dot"],
      silent: "passed-only" as const,
      projects: [
        workersProject(migrations, {
          name: "mysql",
          include: [
            "test/api/**/*.test.ts",
            "test/actions/**/*.test.ts",
            "test/goal/**/*.test.ts",
            "test/store/**/*.test.ts",
          ],
          exclude: ["test/goal/pass.test.ts"],
          hyperdrive: true,
          globalSetup: ["./test/mysql-setup.ts"],
        }),
        // Quotas under concurrent creations, and the other low limits, on MySQL.
        workersProject(migrations, {
          name: "mysql-limits",
          ...LIMITS,
          include: ["test/limits/**/*.test.ts"],
          hyperdrive: true,
          globalSetup: ["./test/mysql-setup.ts"],
        }),
      ],
    },
  };
});
