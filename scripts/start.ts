/**
 * `npm start [-- wrangler dev flags]`: prepares a fresh checkout and serves the
 * Worker locally. Creates .dev.vars from the committed example when missing,
 * applies the local D1 migrations, then runs `wrangler dev` with the given
 * flags (e.g. `npm start -- --port 8788`) and `--test-scheduled`: wrangler dev
 * never fires cron triggers itself, and that flag adds the `/__scheduled`
 * route that runs the cron once (`curl "localhost:8787/__scheduled?cron=*+*+*+*+*"`).
 */
import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync } from "node:fs";

const DATABASE = "agentic-faas";

if (!existsSync(".dev.vars")) {
  copyFileSync(".dev.vars.example", ".dev.vars");
  console.log("created .dev.vars from .dev.vars.example");
}

const migrate = spawnSync("wrangler", ["d1", "migrations", "apply", DATABASE, "--local"], {
  stdio: "inherit",
  env: { ...process.env, CI: "true" }, // answer wrangler's confirmation prompt non-interactively
});
if (migrate.status !== 0) process.exit(migrate.status ?? 1);

const dev = spawn("wrangler", ["dev", "--test-scheduled", ...process.argv.slice(2)], {
  stdio: "inherit",
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
