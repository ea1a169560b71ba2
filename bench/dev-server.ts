/**
 * `wrangler dev` through wrangler's own API (`unstable_startWorker`, the
 * engine the CLI runs), with the DevTools inspector off, which the CLI cannot
 * do. The benchmarks use it so every log line is written the way a deployed
 * Worker writes it (to the runtime's output, which wrangler reads and prints)
 * rather than also serialised into a DevTools session no one is watching.
 *
 * Takes the CLI's arguments that the benchmarks use: --config, --port, --ip,
 * --persist-to and --var NAME:VALUE (repeatable). Stops on SIGTERM or SIGINT.
 */
import { unstable_startWorker } from "wrangler";

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const vars: Record<string, { type: "plain_text"; value: string }> = {};
args.forEach((arg, i) => {
  const pair = arg === "--var" ? args[i + 1] : undefined;
  if (pair === undefined) return;
  const at = pair.indexOf(":");
  vars[pair.slice(0, at)] = { type: "plain_text", value: pair.slice(at + 1) };
});

const worker = await unstable_startWorker({
  config: option("--config") ?? "wrangler.toml",
  bindings: vars,
  dev: {
    server: { hostname: option("--ip") ?? "127.0.0.1", port: Number(option("--port") ?? 8787) },
    inspector: false,
    persist: option("--persist-to"),
    watch: false,
  },
});
await worker.ready;
const stop = async () => {
  await worker.dispose();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
