/**
 * The layering of src/: no folder imports a folder that imports it back, and
 * the folders' imports form no cycle. Each folder of src/ is one module; a
 * file directly in src/ (the entry, the queue contract) is a module of its
 * own. Read from the import statements of every .ts file under src/.
 */
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

/**
 * Two-way imports allowed, each as "a↔b" (names in order). None: the domain
 * errors, the quota and idempotency queries and the secrets' making moved to
 * the layer below. A new pair fails here until its cause moves.
 */
const KNOWN_TWO_WAY: readonly string[] = [];

/** The module a path under src/ belongs to: its first folder, or the file itself. */
function moduleOf(path: string): string {
  const slash = path.indexOf("/");
  return slash === -1 ? path : path.slice(0, slash);
}

/** Resolves `specifier` (relative) against `from` (a path under src/), as a path under src/. */
function resolve(from: string, specifier: string): string {
  const parts = from.split("/").slice(0, -1);
  for (const part of specifier.split("/")) {
    if (part === "..") parts.pop();
    else if (part !== ".") parts.push(part);
  }
  return parts.join("/");
}

/** Every module → the modules it imports (itself and packages left out). */
async function moduleGraph(): Promise<Map<string, Set<string>>> {
  const fs = await fileSystem();
  const root = new URL("../../src/", import.meta.url);
  const files = fs
    .readdirSync(root, { recursive: true })
    .map((file) => file.replaceAll("\\", "/"))
    .filter((file) => file.endsWith(".ts"));
  const graph = new Map<string, Set<string>>();
  for (const file of files) {
    const from = moduleOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    const text = fs.readFileSync(new URL(file, root), "utf8");
    for (const match of text.matchAll(/^\s*(?:import|export)[^;]*?from\s+"(\.\.?\/[^"]+)"/gm)) {
      const to = moduleOf(resolve(file, match[1] ?? ""));
      if (to !== from) edges.add(to);
    }
  }
  return graph;
}

/** The strongly connected groups of more than one module (Tarjan), each sorted. */
function cycles(graph: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node) ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node) ?? 0, low.get(to) ?? 0));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node) ?? 0, index.get(to) ?? 0));
    }
    if (low.get(node) !== index.get(node)) return;
    const group: string[] = [];
    for (;;) {
      const member = stack.pop() ?? node;
      onStack.delete(member);
      group.push(member);
      if (member === node) break;
    }
    if (group.length > 1) found.push(group.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

describe("the layering of src/", () => {
  it("has no two-way imports between folders but the known ones", async () => {
    const graph = await moduleGraph();
    expect(graph.size).toBeGreaterThan(8);
    const twoWay = [...graph]
      .flatMap(([from, edges]) => [...edges].filter((to) => from < to).map((to) => [from, to]))
      .filter(([from, to]) => graph.get(to ?? "")?.has(from ?? "") === true)
      .map(([from, to]) => `${from}↔${to}`)
      .sort();
    expect(twoWay).toEqual([...KNOWN_TWO_WAY].sort());
  });

  it("has no cycle among folders once the known two-way imports are set aside", async () => {
    const graph = await moduleGraph();
    for (const pair of KNOWN_TWO_WAY) {
      const [a = "", b = ""] = pair.split("↔");
      graph.get(a)?.delete(b);
      graph.get(b)?.delete(a);
    }
    expect(cycles(graph)).toEqual([]);
  });
});
