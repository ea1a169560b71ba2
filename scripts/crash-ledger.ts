/**
 * The crash test's reading of the action ledger (`action_runs`: one outcome per
 * action key) once the runtime has stopped: from the persisted local D1, or
 * from the MySQL database the run used.
 */
import { spawnSync } from "node:child_process";
import { createConnection } from "mysql2/promise";

/** The MySQL action ledger. */
export async function mysqlLedger(url: string): Promise<{ key: string; status: string }[]> {
  const connection = await createConnection({ uri: url });
  try {
    const sql =
      "SELECT `key`, JSON_UNQUOTE(JSON_EXTRACT(result, '$.status')) AS status FROM action_runs";
    const [rows] = await connection.query(sql);
    return rows as { key: string; status: string }[];
  } finally {
    await connection.end();
  }
}

/** The D1 action ledger, read from the persisted state once the runtime is stopped. */
export function d1Ledger(persist: string): { key: string; status: string }[] {
  const sql = "SELECT key, json_extract(result, '$.status') AS status FROM action_runs";
  const out = spawnSync(
    "wrangler",
    [
      "d1",
      "execute",
      "agentic-faas",
      "--local",
      "--persist-to",
      persist,
      "--json",
      "--command",
      sql,
    ],
    { encoding: "utf8", env: { ...process.env, CI: "true" }, timeout: 60_000 },
  );
  if (out.status !== 0) throw new Error(`reading action_runs failed: ${out.stderr}`);
  return JSON.parse(out.stdout)[0].results;
}
