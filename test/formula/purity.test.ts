import { describe, expect, it } from "vitest";

interface FileSystem {
  readdirSync(path: string | URL, options: { recursive: true }): string[];
  readFileSync(path: string | URL, encoding: "utf8"): string;
}

/** Loaded by a plain string so the Workers-typed project needs no Node typings. */
async function fileSystem(): Promise<FileSystem> {
  const specifier: string = "node:fs";
  return (await import(specifier)) as FileSystem;
}

describe("the formula module is pure TypeScript", () => {
  it("imports nothing from Cloudflare, Hono, zod or Node, and never evals", async () => {
    const fs = await fileSystem();
    const root = new URL("../../src/formula/", import.meta.url);
    const files = fs.readdirSync(root, { recursive: true }).filter((file) => file.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = fs.readFileSync(new URL(file, root), "utf8");
      const imports = [...text.matchAll(/^\s*(?:import|export)[^;]*?from\s+"([^"]+)"/gm)].map(
        (m) => m[1] ?? "",
      );
      for (const specifier of imports) expect(specifier, file).toMatch(/^\.\.?\/.*\.ts$/);
      expect(text, file).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(/);
    }
  });
});
