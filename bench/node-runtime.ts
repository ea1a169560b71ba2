/**
 * The few Node APIs the benchmark uses, typed here because the project's
 * TypeScript setup targets Workers (no @types/node). Loaded with dynamic
 * imports whose specifiers are plain strings, so the type checker does not
 * look for Node's declarations.
 */

interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** What the benchmark needs from Node. */
export interface NodeRuntime {
  execPath: string;
  cwd(): string;
  spawnSync(
    command: string,
    args: readonly string[],
    options: { encoding: "utf8"; cwd?: string },
  ): SpawnResult;
  mkdtempSync(prefix: string): string;
  rmSync(path: string, options: { recursive: boolean; force: boolean }): void;
  statSync(path: string): { size: number };
  writeFileSync(path: string, text: string): void;
  tmpdir(): string;
  join(...parts: string[]): string;
  pathToFileURL(path: string): { href: string };
  version: string;
}

interface ProcessLike {
  execPath: string;
  version: string;
  cwd(): string;
}

async function load<T>(specifier: string): Promise<T> {
  return (await import(specifier)) as T;
}

/** Loads the Node APIs; fails outside Node. */
export async function nodeRuntime(): Promise<NodeRuntime> {
  const process = (globalThis as unknown as { process: ProcessLike }).process;
  const childProcess = await load<Pick<NodeRuntime, "spawnSync">>("node:child_process");
  const fs =
    await load<Pick<NodeRuntime, "mkdtempSync" | "rmSync" | "statSync" | "writeFileSync">>(
      "node:fs",
    );
  const os = await load<Pick<NodeRuntime, "tmpdir">>("node:os");
  const path = await load<Pick<NodeRuntime, "join">>("node:path");
  const url = await load<Pick<NodeRuntime, "pathToFileURL">>("node:url");
  return {
    execPath: process.execPath,
    version: process.version,
    cwd: () => process.cwd(),
    spawnSync: childProcess.spawnSync,
    mkdtempSync: fs.mkdtempSync,
    rmSync: fs.rmSync,
    statSync: fs.statSync,
    writeFileSync: fs.writeFileSync,
    tmpdir: os.tmpdir,
    join: path.join,
    pathToFileURL: url.pathToFileURL,
  };
}
