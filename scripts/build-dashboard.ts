/**
 * Builds the operator's dashboard (dashboard/, served at `/`) into the
 * Worker's static assets: public/index.html, public/app/app.js and
 * public/app/app.css (Preact, uPlot and their CSS bundled in, minified, no
 * CDN, no inline script or style, so the page runs under a strict CSP). The
 * output is generated, not committed.
 *
 * Runs before every `wrangler dev` / `wrangler deploy` / `wrangler types`
 * (wrangler.toml's `[build] command`); a file whose content did not change is
 * left alone, so the asset watcher of `wrangler dev` stays quiet.
 *
 *   node scripts/build-dashboard.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const source = resolve(root, "dashboard");
const target = resolve(root, "public");

/** Writes `bytes` to `path` unless it already holds exactly them; true when written. */
function writeIfChanged(path: string, bytes: Uint8Array): boolean {
  if (existsSync(path) && readFileSync(path).equals(bytes)) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
  return true;
}

/** Bundles the dashboard; returns the files written (empty when all were current). */
export async function buildDashboard(): Promise<string[]> {
  const result = await build({
    entryPoints: [resolve(source, "src/main.tsx")],
    outfile: resolve(target, "app/app.js"),
    bundle: true,
    minify: true,
    format: "esm",
    target: "es2022",
    platform: "browser",
    jsx: "automatic",
    jsxImportSource: "preact",
    tsconfig: resolve(source, "tsconfig.json"),
    legalComments: "none",
    logLevel: "warning",
    write: false,
  });
  const files = [
    ...result.outputFiles.map((file) => ({ path: file.path, bytes: file.contents })),
    { path: resolve(target, "index.html"), bytes: readFileSync(resolve(source, "index.html")) },
  ];
  return files.filter((file) => writeIfChanged(file.path, file.bytes)).map((file) => file.path);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const written = await buildDashboard();
  console.log(
    written.length === 0
      ? "dashboard: up to date"
      : `dashboard: ${written.map((path) => relative(root, path)).join(", ")}`,
  );
}
