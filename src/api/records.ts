/**
 * Records: small JSON documents per collection and key. Every write or
 * delete is stored with its event and the event published on the
 * observations queue, which fans it out to the goals watching that
 * collection or key (`records/write.ts`, which record actions use too).
 */
import type { Context } from "hono";
import { z } from "zod";
import { getRecord, listRecords } from "../db/records.ts";
import type { RecordRow } from "../db/schema.ts";
import { RECORD_SEGMENT, removeRecord, writeRecord } from "../records/write.ts";
import type { AppEnv } from "./context.ts";
import { ApiError } from "./errors.ts";
import { jsonValue } from "./formula-schemas.ts";
import { type ApiRouter, cursorQuery, pathParam, readJson } from "./route.ts";
import { DateTime, isoTime } from "./time.ts";

const RecordView = z
  .object({
    collection: z.string(),
    key: z.string(),
    value: jsonValue,
    version: z.number().int(),
    updated_at: DateTime,
  })
  .meta({ id: "Record" });

function recordView(row: RecordRow): z.infer<typeof RecordView> {
  return {
    collection: row.collection,
    key: row.key,
    value: row.value,
    version: row.version,
    updated_at: isoTime(row.updatedAt),
  };
}

function segment(c: Context<AppEnv>, name: "collection" | "key"): string {
  const value = pathParam(c, name);
  if (!RECORD_SEGMENT.test(value))
    throw new ApiError(400, "VALIDATION_FAILED", `${name} is 1-128 of A-Z a-z 0-9 _ . -`);
  return value;
}

export function recordRoutes(api: ApiRouter): void {
  const tag = "records";
  api.route(
    {
      tag,
      method: "put",
      path: "/v1/records/:collection/:key",
      operationId: "putRecord",
      summary:
        "Create or replace a record (any JSON, at most 64 KiB); goals watching it observe the change",
      scope: "records:write",
      documentedBody: jsonValue,
      responses: { 200: { description: "Stored", schema: RecordView } },
    },
    async (c) => {
      const collection = segment(c, "collection");
      const key = segment(c, "key");
      const value = await readJson(c);
      const { tenant } = c.get("principal");
      const row = await writeRecord(c.env, c.get("db"), tenant, collection, key, value);
      return c.json(recordView(row));
    },
  );

  api.route(
    {
      tag,
      method: "get",
      path: "/v1/records/:collection/:key",
      operationId: "getRecord",
      summary: "Read a record",
      scope: "records:read",
      responses: { 200: { description: "The record", schema: RecordView } },
    },
    async (c) => {
      const row = await getRecord(
        c.get("db"),
        c.get("principal").tenant,
        segment(c, "collection"),
        segment(c, "key"),
      );
      if (!row) throw new ApiError(404, "NOT_FOUND", "no such record");
      return c.json(recordView(row));
    },
  );

  api.route(
    {
      tag,
      method: "get",
      path: "/v1/records/:collection",
      operationId: "listRecords",
      summary: "List a collection's records by key",
      scope: "records:read",
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: cursorQuery(128),
      }),
      responses: {
        200: {
          description: "A page",
          schema: z.object({ records: z.array(RecordView), next_cursor: z.string().nullable() }),
        },
      },
    },
    async (c, { query }) => {
      const rows = await listRecords(
        c.get("db"),
        c.get("principal").tenant,
        segment(c, "collection"),
        query.cursor,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      return c.json({
        records: page.map(recordView),
        next_cursor: rows.length > query.limit ? (page.at(-1)?.key ?? null) : null,
      });
    },
  );

  api.route(
    {
      tag,
      method: "delete",
      path: "/v1/records/:collection/:key",
      operationId: "deleteRecord",
      summary: "Delete a record (watchers observe null)",
      scope: "records:write",
      responses: { 204: { description: "Deleted" } },
    },
    async (c) => {
      const collection = segment(c, "collection");
      const key = segment(c, "key");
      const { tenant } = c.get("principal");
      const deleted = await removeRecord(c.env, c.get("db"), tenant, collection, key);
      if (!deleted) throw new ApiError(404, "NOT_FOUND", "no such record");
      return c.body(null, 204);
    },
  );
}
