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

/**
 * The goal spec and the cycle are pure too: they may use zod and the formula
 * language (the cycle also the spec), never Cloudflare, Hono, Node or another
 * folder of src/, and never read the clock or the network (the shell hands a
 * cycle its time).
 */
describe.each([
  { folder: "spec", allowed: ["formula"] },
  { folder: "cycle", allowed: ["formula", "spec"] },
])("the $folder module is pure TypeScript", ({ folder, allowed }) => {
  it(`imports only zod and ${allowed.join(", ")}, and reads no clock and no network`, async () => {
    const fs = await fileSystem();
    const root = new URL(`../../src/${folder}/`, import.meta.url);
    const files = fs.readdirSync(root, { recursive: true }).filter((file) => file.endsWith(".ts"));
    expect(files.length).toBeGreaterThan(10);
    const outside = new RegExp(`^\\.\\./(?:${allowed.join("|")})/index\\.ts$`);
    for (const file of files) {
      const text = fs.readFileSync(new URL(file, root), "utf8");
      const imports = [...text.matchAll(/^\s*(?:import|export)[^;]*?from\s+"([^"]+)"/gm)].map(
        (m) => m[1] ?? "",
      );
      for (const specifier of imports)
        expect(
          specifier === "zod" || /^\.\/[\w-]+\.ts$/.test(specifier) || outside.test(specifier),
          `${file} imports ${specifier}`,
        ).toBe(true);
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect(code, file).not.toMatch(
        /\bDate\.now\s*\(|\bnew\s+Date\s*\(\s*\)|\bperformance\.now\b/,
      );
      expect(code, file).not.toMatch(/\bfetch\s*\(|\bcaches\.|\bcrypto\.|\bnavigator\./);
      expect(code, file).not.toMatch(/\bMath\.random\s*\(/);
    }
  });
});
