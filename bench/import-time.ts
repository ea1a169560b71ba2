/**
 * How long importing the formula module takes in a fresh process: from the
 * TypeScript sources (Node strips the types) and as the esbuild bundle that a
 * Worker ships. Each figure is the median over several fresh processes of the
 * time around `await import()` alone (process start-up excluded).
 */
import { build } from "esbuild";
import type { NodeRuntime } from "./node-runtime.ts";
import { median } from "./timing.ts";

function importOnce(node: NodeRuntime, url: string): number {
  const script = `const t = performance.now(); await import(${JSON.stringify(url)}); console.log(performance.now() - t);`;
  const result = node.spawnSync(node.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`import failed: ${result.stderr}`);
  return Number(result.stdout.trim());
}

function medianImport(node: NodeRuntime, url: string, runs: number): number {
  return median(Array.from({ length: runs }, () => importOnce(node, url)));
}

/** Import times of the source and of the bundle, and the bundle's size. */
export async function importTimes(
  node: NodeRuntime,
  entry: string,
  runs = 7,
): Promise<{ sourceMs: number; bundleMs: number; bundleBytes: number; strippingMs: number }> {
  const sourceMs = medianImport(node, node.pathToFileURL(entry).href, runs);
  const dir = node.mkdtempSync(node.join(node.tmpdir(), "formula-bench-"));
  try {
    const outfile = node.join(dir, "formula.mjs");
    await build({
      entryPoints: [entry],
      bundle: true,
      format: "esm",
      platform: "neutral",
      outfile,
      logLevel: "error",
    });
    const bundleMs = medianImport(node, node.pathToFileURL(outfile).href, runs);
    // What Node's type stripping costs by itself, for reading the source figure.
    const tiny = node.join(dir, "tiny.ts");
    node.writeFileSync(tiny, "export const one: number = 1;\n");
    const strippingMs = medianImport(node, node.pathToFileURL(tiny).href, runs);
    return { sourceMs, bundleMs, bundleBytes: node.statSync(outfile).size, strippingMs };
  } finally {
    node.rmSync(dir, { recursive: true, force: true });
  }
}
