/**
 * The drizzle handle over the D1 binding. Queries live beside it, one file per
 * resource, each taking the handle first so they can be tested without routing.
 */
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export type Db = DrizzleD1Database<typeof schema>;

const handles = new WeakMap<D1Database, Db>();

/** Drizzle over D1, built once per binding (building it processes the whole schema). */
export function database(d1: D1Database): Db {
  let db = handles.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    handles.set(d1, db);
  }
  return db;
}
