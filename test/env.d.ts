import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only binding: the migrations read by vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[];
      /** Test-only binding: the base URL of the webhook receiver (test/receiver-setup.ts). */
      TEST_RECEIVER: string;
    }
  }
}
