/**
 * `npm run check:openapi`: builds the OpenAPI document exactly as
 * `GET /openapi.json` serves it (the app's own `apiDocument`; a test in
 * test/api/openapi.test.ts holds the served one to it), then
 *
 * 1. validates it with swagger-parser (OpenAPI 3.1 schema and every `$ref`);
 * 2. lints it with `redocly lint` (redocly.yaml: the recommended rules), failing on any error;
 * 3. generates the client's types with openapi-typescript and fails when the
 *    committed client/schema.d.ts differs.
 *
 * `npm run openapi:types` (this script with --write) regenerates client/schema.d.ts.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SwaggerParser from "@apidevtools/swagger-parser";
import openapiTS, { astToString, type OpenAPI3 } from "openapi-typescript";

const write = process.argv.includes("--write");
const root = new URL("../../", import.meta.url);
const typesPath = new URL("client/schema.d.ts", root);

// Imported by a computed specifier: the app is Worker code, type-checked by tsconfig.json, not
// by this script's Node configuration; it runs in Node as it is (no Workers API at import).
const appModule = new URL("src/api/app.ts", root).href;
const { apiDocument } = (await import(appModule)) as {
  apiDocument: () => Record<string, unknown>;
};
const document = apiDocument();

const HEADER = `/**
 * The Agentic FaaS API's types, generated from its OpenAPI document (GET /openapi.json)
 * by openapi-typescript. Do not edit: run \`npm run openapi:types\`.
 */

`;

/**
 * A component whose type names itself outside an object (`LanguageValue: number | …
 * | components["schemas"]["LanguageValue"][]`) is a circular property type, which
 * TypeScript reads as `any` (TS2502, hidden in a .d.ts by skipLibCheck). Each becomes a
 * recursive type alias of its own, which TypeScript does allow, and the component names it.
 */
function recursiveAliases(types: string): string {
  const aliases: string[] = [];
  const fixed = types.replace(
    /^( {8})([A-Za-z_][A-Za-z0-9_]*): ([^{\n]*);$/gm,
    (line, indent: string, name: string, type: string) => {
      const self = `components["schemas"]["${name}"]`;
      if (!type.includes(self)) return line;
      aliases.push(`export type ${name} = ${type.replaceAll(self, name)};`);
      return `${indent}${name}: ${name};`;
    },
  );
  return aliases.length === 0 ? fixed : `${fixed}\n${aliases.join("\n")}\n`;
}

/** The client's types for `document`, as openapi-typescript writes them. */
async function clientTypes(): Promise<string> {
  const ast = await openapiTS(structuredClone(document) as unknown as OpenAPI3, {
    alphabetize: true,
    // A default is what the server assumes when a request leaves the field out: the field
    // stays optional to senders (the document's `required` lists say what must be sent).
    defaultNonNullable: false,
  });
  return HEADER + recursiveAliases(astToString(ast));
}

const failures: string[] = [];

try {
  // validate() dereferences in place: give it a copy.
  await SwaggerParser.validate(structuredClone(document) as never);
  console.log("swagger-parser: valid");
} catch (error) {
  failures.push(`swagger-parser: ${(error as Error).message}`);
}

const types = await clientTypes();
const dir = mkdtempSync(join(tmpdir(), "faas-openapi-"));
const quiet = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" };
try {
  const file = join(dir, "openapi.json");
  writeFileSync(file, JSON.stringify(document, null, 2));
  const config = new URL("redocly.yaml", root).pathname;
  const lint = spawnSync("npx", ["redocly", "lint", file, "--config", config, "--format=stylish"], {
    stdio: "inherit",
    env: quiet,
  });
  if (lint.status !== 0) failures.push(`redocly lint: exit ${lint.status ?? lint.signal}`);

  // The project skips type-checking .d.ts files (skipLibCheck), which would hide an error
  // in the generated types (a type TypeScript reads as any): check them on their own.
  const typesFile = join(dir, "schema.d.ts");
  writeFileSync(typesFile, types);
  const strict = ["--strict", "--skipLibCheck", "false", "--lib", "ES2023", "--types", "node"];
  const tsc = spawnSync("npx", ["tsc", "--noEmit", ...strict, typesFile], { stdio: "inherit" });
  if (tsc.status !== 0)
    failures.push(`tsc of the generated types: exit ${tsc.status ?? tsc.signal}`);
  else console.log("client types: compile with skipLibCheck off");
} finally {
  rmSync(dir, { recursive: true, force: true });
}

if (write) {
  writeFileSync(typesPath, types);
  console.log("wrote client/schema.d.ts");
} else {
  let committed = "";
  try {
    committed = readFileSync(typesPath, "utf8");
  } catch {
    // missing: a difference like any other
  }
  if (committed === types) console.log("client/schema.d.ts: current");
  else
    failures.push(
      "client/schema.d.ts is not what the document generates: run `npm run openapi:types` and commit it",
    );
}

if (failures.length > 0) {
  for (const failure of failures) console.error(`FAIL ${failure}`);
  process.exit(1);
}
console.log(
  write
    ? "OpenAPI document: valid, no lint errors; client types written"
    : "OpenAPI document: valid, no lint errors, client types current",
);
