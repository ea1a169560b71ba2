import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/**
 * Two projects: the pure core (the formula language and one loop cycle) runs in plain Node, fast;
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
            include: ["test/formula/**/*.test.ts", "test/loop/**/*.test.ts"],
            environment: "node",
          },
        },
        {
          plugins: [
            cloudflareTest(({ inject }) => ({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                bindings: {
                  ADMIN_TOKEN: "test-admin-token",
                  // Webhook tests deliver to a real receiver on loopback.
                  ALLOW_PRIVATE_TARGETS: "true",
                  TEST_MIGRATIONS: migrations,
                  TEST_RECEIVER: `http://127.0.0.1:${inject("receiverPort")}`,
                  // Lookups go to the receiver's DNS-over-HTTPS stub, never out.
                  DNS_RESOLVER_URL: `http://127.0.0.1:${inject("receiverPort")}/dns-query`,
                  TEST_REBIND_HOST: inject("rebindHost"),
                },
              },
            })),
          ],
          test: {
            name: "workers",
            // The Worker logs a JSON line per request; show logs only for failing tests.
            silent: "passed-only",
            include: ["test/**/*.test.ts"],
            exclude: ["test/formula/**", "test/loop/**"],
            setupFiles: ["./test/apply-migrations.ts"],
            globalSetup: ["./test/receiver-setup.ts"],
          },
        },
      ],
    },
  };
});
