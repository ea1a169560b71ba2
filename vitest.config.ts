import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { buildDashboard } from "./scripts/build-dashboard.ts";
import { copyDocsAssets } from "./scripts/docs-assets.ts";

const TEST_ADMIN_TOKEN = "test-admin-token";

type RateLimit = { namespace_id: string; simple: { limit: number; period: 10 | 60 } };

/** Quotas and rate limits of the `limits` project, set low so tests can reach them. */
export const LIMITS: { vars: Record<string, string>; ratelimits: Record<string, RateLimit> } = {
  vars: {
    QUOTA_GOALS: "3",
    QUOTA_FORMULAS: "3",
    QUOTA_RECORDS: "3",
    QUOTA_HISTORY_VALUES: "500",
    QUOTA_KEYS: "4",
  },
  ratelimits: {
    API_RATE_LIMIT: { namespace_id: "1001", simple: { limit: 5, period: 10 } },
    TENANT_RATE_LIMIT: { namespace_id: "1002", simple: { limit: 12, period: 10 } },
    OUTBOUND_RATE_LIMIT: { namespace_id: "1003", simple: { limit: 3, period: 10 } },
  },
};

/**
 * A project in workerd: wrangler.toml's bindings, with test overrides. With
 * `hyperdrive` (vitest.mysql.config.ts) the Worker also gets a `HYPERDRIVE`
 * binding to the MySQL database the global setup provides, and so stores in it.
 */
export function workersProject(
  migrations: Awaited<ReturnType<typeof readD1Migrations>>,
  o: {
    name: string;
    vars?: Record<string, string>;
    ratelimits?: Record<string, RateLimit>;
    include: string[];
    exclude?: string[];
    hyperdrive?: boolean;
    globalSetup?: string[];
  },
) {
  return {
    plugins: [
      cloudflareTest(({ inject }) => ({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: {
            ADMIN_TOKEN: TEST_ADMIN_TOKEN,
            // Webhook tests deliver to a real receiver on loopback.
            ALLOW_PRIVATE_TARGETS: "true",
            TEST_MIGRATIONS: migrations,
            TEST_RECEIVER: `http://127.0.0.1:${inject("receiverPort")}`,
            // Lookups go to the receiver's DNS-over-HTTPS stub, never out.
            DNS_RESOLVER_URL: `http://127.0.0.1:${inject("receiverPort")}/dns-query`,
            TEST_REBIND_HOST: inject("rebindHost"),
            // Model-assisted decide talks to a local server speaking the OpenAI protocol.
            OPENAI_BASE_URL: `http://127.0.0.1:${inject("modelServerPort")}/v1`,
            OPENAI_API_KEY: "sk-test-model-key",
            TEST_MODEL_SERVER: `http://127.0.0.1:${inject("modelServerPort")}`,
            ...o.vars,
          },
          ...(o.ratelimits && Object.keys(o.ratelimits).length > 0
            ? { ratelimits: o.ratelimits }
            : {}),
          ...(o.hyperdrive ? { hyperdrives: { HYPERDRIVE: inject("mysqlUrl") } } : {}),
        },
      })),
    ],
    test: {
      name: o.name,
      include: o.include,
      exclude: o.exclude ?? [],
      setupFiles: ["./test/apply-migrations.ts"],
      // One runtime per worker, reused across test files, not one per file: the suite ran in
      // 106 s instead of 283 s. Tests share its storage, as they share the service's, so
      // each works in its own tenant and goals (uniqueTenant) and never assumes an empty store.
      isolate: false,
      globalSetup: [
        "./test/receiver-setup.ts",
        "./test/model-server-setup.ts",
        ...(o.globalSetup ?? []),
      ],
    },
  };
}

/**
 * Two projects: the pure core (the formula language and one loop cycle) runs in plain Node, fast;
 * everything that touches the Worker runs inside workerd with real D1.
 */
export default defineConfig(async () => {
  // wrangler.toml requires the ADMIN_TOKEN secret; wrangler reads secrets from .dev.vars, .env or
  // the environment when it loads the config for each test file, and warns for each one missing.
  // Tests get theirs from the environment (the bindings below pin the same value), and wrangler
  // writes only its warnings and errors, not a "Using secrets defined in …" line per file.
  process.env.ADMIN_TOKEN ??= TEST_ADMIN_TOKEN;
  process.env.WRANGLER_LOG ??= "warn";
  const migrations = await readD1Migrations("./migrations");
  // The static assets are read when the runtime starts: /docs's script and the dashboard
  // must be there already.
  copyDocsAssets();
  await buildDashboard();
  const workers = (
    name: string,
    vars: Record<string, string>,
    ratelimits: Record<string, RateLimit>,
    include: string[],
    exclude: string[] = [],
  ) => workersProject(migrations, { name, vars, ratelimits, include, exclude });
  return {
    test: {
      // A dot per test, then failures with their assertion and their own logs (the Worker logs
      // a JSON line per request: only a failing test's are shown), then the totals.
      reporters: ["dot"],
      silent: "passed-only" as const,
      projects: [
        {
          test: {
            name: "core",
            include: [
              "test/formula/**/*.test.ts",
              "test/spec/**/*.test.ts",
              "test/cycle/**/*.test.ts",
              // Static checks of the source tree: layering, the queue contract.
              "test/architecture/**/*.test.ts",
              // The goal's pass is pure too (no storage): it runs in Node.
              "test/goal/pass.test.ts",
            ],
            environment: "node",
          },
        },
        workers(
          "workers",
          {},
          {},
          ["test/**/*.test.ts"],
          [
            "test/formula/**",
            "test/spec/**",
            "test/cycle/**",
            "test/architecture/**",
            "test/limits/**",
            "test/goal/pass.test.ts",
          ],
        ),
        // Quotas and rate limits, set low so tests can reach them.
        workers("limits", LIMITS.vars, LIMITS.ratelimits, ["test/limits/**/*.test.ts"]),
      ],
    },
  };
});
