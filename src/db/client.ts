/**
 * The drizzle handle over the D1 binding. Queries live beside it, one file per
 * resource, each taking the handle first so they can be tested without routing.
 */
import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";

export type Db = DrizzleD1Database<typeof schema>;

/** Opens drizzle over D1 (cheap: no connection is made until a query runs). */
export function database(d1: D1Database): Db {
  return drizzle(d1, { schema });
}
