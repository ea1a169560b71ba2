/**
 * The store a deploy gets follows its bindings: with HYPERDRIVE (the `mysql`
 * test run) a record written through the API is in MySQL and not in D1;
 * without it (the default run), in D1.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client.ts";
import { call, createKey, uniqueTenant } from "../helpers.ts";
import { store, storeRows } from "../store-sql.ts";

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

describe.runIf(store === "mysql")("with HYPERDRIVE bound", () => {
  it("the API stores in MySQL, and D1 holds none of it", async () => {
    expect(database(env).store).toBe("mysql");
    const tenant = await writeRecord();
    // Read back over a connection of the test's own, past the service's code.
    const rows = await storeRows(
      "select collection, `key`, value, version from records where tenant = ?",
      [tenant],
    );
    expect(rows).toEqual([{ collection: "where", key: "it-is", value: '{"n":42}', version: 1 }]);
    const [version] = await storeRows<{ v: string }>("select version() as v");
    expect(version?.v).toMatch(/^\d+\.\d+/);
    expect(await inD1(tenant)).toBe(0);
  });
});

describe.runIf(store === "sqlite")("without HYPERDRIVE", () => {
  it("the API stores in D1", async () => {
    expect(database(env).store).toBe("sqlite");
    const tenant = await writeRecord();
    expect(await inD1(tenant)).toBe(1);
  });
});
