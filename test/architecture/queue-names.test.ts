/**
 * The queue contract (src/queues.ts) names exactly the queues wrangler.toml
 * gives the Worker to consume, so no batch reaches it from a queue it does
 * not know (that one would be thrown back, not lost, but never consumed).
 */
import { describe, expect, it } from "vitest";
import { QUEUE_NAMES } from "../../src/queues.ts";

interface FileSystem {
  readFileSync(path: string | URL, encoding: "utf8"): string;
}

/** Loaded by a plain string so the Workers-typed project needs no Node typings. */
async function fileSystem(): Promise<FileSystem> {
  const specifier: string = "node:fs";
  return (await import(specifier)) as FileSystem;
}

/** The `[[queues.consumers]]` tables of wrangler.toml, as their key = "string" pairs. */
async function consumers(): Promise<Record<string, string>[]> {
  const fs = await fileSystem();
  const toml = fs.readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
  return toml
    .split(/^\[/m)
    .filter((table) => table.startsWith("[queues.consumers]]"))
    .map((table) =>
      Object.fromEntries(
        [...table.matchAll(/^(\w+)\s*=\s*"([^"]*)"/gm)].map((m) => [m[1] ?? "", m[2] ?? ""]),
      ),
    );
}

describe("the queue contract", () => {
  it("names every queue wrangler.toml consumes, and no other", async () => {
    const names = (await consumers()).map((table) => table.queue).sort();
    expect(names).toEqual(Object.values(QUEUE_NAMES).sort());
  });

  it("dead-letters the actions queue into the queue it consumes as dead actions", async () => {
    const actions = (await consumers()).find((table) => table.queue === QUEUE_NAMES.actions);
    expect(actions?.dead_letter_queue).toBe(QUEUE_NAMES.deadActions);
  });
});
