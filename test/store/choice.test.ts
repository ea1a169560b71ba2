/**
 * The store a deploy gets follows its bindings: with HYPERDRIVE (the `mysql`
 * test run) a record written through the API is in MySQL and not in D1;
 * without it (the default run), in D1.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { call, createKey, uniqueTenant } from "../helpers.ts";

const hyperdrive = (env as { HYPERDRIVE?: Hyperdrive }).HYPERDRIVE;

async function writeRecord(): Promise<string> {
  const tenant = uniqueTenant("store");
  const key = await createKey(tenant, ["records:read", "records:write"]);
  const put = await call("PUT", "/v1/records/where/it-is", { key, body: { n: 42 } });
  expect(put.status).toBe(200);
  return tenant;
}

async function inD1(tenant: string): Promise<number> {
  const row = await env.DB.prepare("select count(*) as n from records where tenant = ?")
    .bind(tenant)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe.runIf(hyperdrive !== undefined)("with HYPERDRIVE bound", () => {
  it("the API stores in MySQL, and D1 holds none of it", async () => {
    expect(database(env).store).toBe("mysql");
    const tenant = await writeRecord();
    // Read back over a connection of the test's own, past the service's code.
    const { createConnection } = await import("mysql2/promise");
    const connection = await createConnection({
      uri: hyperdrive?.connectionString,
      disableEval: true,
    });
    try {
      const [rows] = await connection.query(
        "select collection, `key`, value, version from records where tenant = ?",
        [tenant],
      );
      expect(rows).toEqual([{ collection: "where", key: "it-is", value: '{"n":42}', version: 1 }]);
      const [version] = await connection.query("select version() as v");
      expect((version as { v: string }[])[0]?.v).toMatch(/^\d+\.\d+/);
    } finally {
      await connection.end();
    }
    expect(await inD1(tenant)).toBe(0);
  });
});

describe.runIf(hyperdrive === undefined)("without HYPERDRIVE", () => {
  it("the API stores in D1", async () => {
    expect(database(env).store).toBe("sqlite");
    const tenant = await writeRecord();
    expect(await inD1(tenant)).toBe(1);
  });
});
