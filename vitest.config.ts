import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Two projects: the pure core (the formula language) runs in plain Node, fast;
 * everything that touches the Worker runs inside workerd with real D1.
 */
export default defineConfig(async () => {
  const migrations = await readD1Migrations("./migrations");
  return {
    test: {
      projects: [
        {
          test: {
            name: "core",
            include: ["test/formula/**/*.test.ts"],
            environment: "node",
          },
        },
        {
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: { ADMIN_TOKEN: "test-admin-token", TEST_MIGRATIONS: migrations },
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["test/**/*.test.ts"],
            exclude: ["test/formula/**"],
            setupFiles: ["./test/apply-migrations.ts"],
          },
        },
      ],
    },
  };
});
