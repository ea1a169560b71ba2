import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only binding: the migrations read by vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[];
      /** Test-only binding: the base URL of the webhook receiver (test/receiver-setup.ts). */
      TEST_RECEIVER: string;
      /** Test-only binding: a name the stub resolver calls public that reaches the receiver ("" if none; see test/receiver-setup.ts). */
      TEST_REBIND_HOST: string;
      /** Test-only binding: the local server speaking the OpenAI protocol (test/model-server-setup.ts). */
      TEST_MODEL_SERVER: string;
    }
  }
}
