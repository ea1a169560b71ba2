/**
 * A MySQL store that does not answer (a table locked, a server stopped):
 * each statement is bounded, so a request fails with 503 STORE_UNAVAILABLE
 * (and Retry-After) instead of waiting as long as the server lets it (a day
 * for a table lock), and the service recovers by itself once the lock goes.
 */
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { toErrorResponse } from "../../src/api/errors.ts";
import { mysqlHandle } from "../../src/db/client.ts";
import { StoreUnavailable } from "../../src/errors.ts";
import { store } from "../store-sql.ts";

const hyperdrive = (env as { HYPERDRIVE?: Hyperdrive }).HYPERDRIVE;

describe.runIf(store === "mysql")("a stuck MySQL store", () => {
  it("a statement waiting on a table lock fails as STORE_UNAVAILABLE in bounded time, then works again", async () => {
    const uri = hyperdrive?.connectionString ?? "";
    // The lock, held on a connection of its own (as `LOCK TABLES … WRITE` from a mysql client).
    const { createConnection } = await import("mysql2/promise");
    const locker = await createConnection({ uri, disableEval: true });
    const db = mysqlHandle(uri, 500);
    const read = () =>
      (db as unknown as { execute(q: unknown): Promise<unknown> }).execute(
        sql`select count(*) from api_keys`,
      );
    try {
      await locker.query("lock tables api_keys write");
      const started = Date.now();
      const error = await read().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(Date.now() - started).toBeLessThan(3000);
      const answer = toErrorResponse(error);
      expect(answer.status).toBe(503);
      expect(answer.body.error.code).toBe("STORE_UNAVAILABLE");
      expect(answer.headers?.["retry-after"]).toBe("5");
      expect(
        error instanceof StoreUnavailable ||
          (error instanceof Error && error.cause instanceof StoreUnavailable),
      ).toBe(true);
    } finally {
      await locker.query("unlock tables");
      await locker.end();
    }
    // The dropped connection is not reused: the next statement opens another.
    await expect(read()).resolves.toBeDefined();
  });
});
