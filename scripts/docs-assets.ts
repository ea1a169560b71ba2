/**
 * Copies Scalar's browser bundle (the API reference at /docs) from
 * node_modules into the Worker's static assets, so the page loads it from this
 * service and never from a CDN. The copy is generated, not committed: it
 * follows the installed `@scalar/api-reference` version.
 *
 * Runs before every `wrangler dev` / `wrangler deploy` (wrangler.toml's
 * `[build] command`) and when vitest loads its config; a copy that is already
 * current is left alone, so the asset watcher of `wrangler dev` stays quiet.
 *
 *   node scripts/docs-assets.ts
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Where the bundle is served from: SCALAR_BUNDLE_PATH in src/api/docs.ts. */
const SCALAR_BUNDLE_PATH = "/docs/scalar/standalone.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Copies the bundle into public/ unless an identical copy is there; returns its path. */
export function copyDocsAssets(): string {
  const require = createRequire(import.meta.url);
  // The package exports no package.json; its main entry sits in dist/.
  const dist = dirname(require.resolve("@scalar/api-reference"));
  const source = resolve(dist, "browser/standalone.js");
  const target = resolve(root, "public", `.${SCALAR_BUNDLE_PATH}`);
  if (existsSync(target) && readFileSync(target).equals(readFileSync(source))) return target;
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
  return target;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  console.log(`docs assets: ${copyDocsAssets()}`);
}
