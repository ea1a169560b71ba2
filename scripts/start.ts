/**
 * `npm start [-- wrangler dev flags]`: prepares a fresh checkout and serves the
 * Worker locally. Creates .dev.vars from the committed example when missing,
 * applies the local D1 migrations, then runs `wrangler dev` with the given
 * flags (e.g. `npm start -- --port 8788`) and `--test-scheduled`: wrangler dev
 * never fires cron triggers itself, and that flag adds the `/__scheduled`
 * route that runs the cron once (`curl "localhost:8787/__scheduled?cron=*+*+*+*+*"`).
 * `npm run start:mysql` (start-mysql.ts) does the same on MySQL with these pieces.
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

const DATABASE = "agentic-faas";

/** Creates .dev.vars (the local ADMIN_TOKEN) from the committed example when missing. */
export function ensureDevVars(): void {
  if (existsSync(".dev.vars")) return;
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example");
}

/**
 * Runs `wrangler dev --test-scheduled` with `args` until it ends, passing
 * SIGINT and SIGTERM on to it; `cleanup` runs before this process exits with its code.
 */
export function serve(args: string[], cleanup: () => Promise<void> = async () => {}): void {
  const dev = spawn("wrangler", ["dev", "--test-scheduled", ...args], { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  dev.on("exit", async (code) => {
    await cleanup();
    process.exit(code ?? 0);
  });
}

if (import.meta.main) {
  ensureDevVars();
  const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", DATABASE, "--local"], {
    stdio: "inherit",
    env: { ...process.env, CI: "true" }, // answer wrangler's confirmation prompt non-interactively
  });
  if (migrate.status !== 0) process.exit(migrate.status ?? 1);
  serve(process.argv.slice(2));
}
