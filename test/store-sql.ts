/**
 * Raw SQL against whichever store the Worker uses in this run: MySQL when
 * HYPERDRIVE is bound (the `mysql` runs), else D1. For tests that check
 * rows past the service's own queries.
 */
import { env } from "cloudflare:workers";

const hyperdrive = (env as { HYPERDRIVE?: Hyperdrive }).HYPERDRIVE;

/** Which store this run writes to. */
export const store: "sqlite" | "mysql" = hyperdrive ? "mysql" : "sqlite";

/** The rows of one query (`?` placeholders) on the run's store. */
export async function storeRows<T>(query: string, params: unknown[] = []): Promise<T[]> {
  if (!hyperdrive) {
    const { results } = await env.DB.prepare(query)
      .bind(...params)
      .all<T>();
    return results;
  }
  // Loaded only in a MySQL run (a D1 run never loads mysql2).
  const { createConnection } = await import("mysql2/promise");
  const connection = await createConnection({
    uri: hyperdrive.connectionString,
    disableEval: true,
  });
  try {
    const [rows] = await connection.query(query, params);
    return rows as T[];
  } finally {
    await connection.end();
  }
}
