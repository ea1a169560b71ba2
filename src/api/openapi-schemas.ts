/**
 * Zod schemas as OpenAPI components. Every request and response schema of
 * every route becomes one entry of `components/schemas`, referenced by `$ref`
 * from the operations, and so does every schema nested in them that carries
 * an id (`.meta({ id })`): shared shapes are written once, and recursive
 * ones (a formula value is an array of values) resolve within the document.
 *
 * Zod converts a registry of schemas in one pass per direction (a request is
 * read as zod's input, a response written as its output; they differ where a
 * schema has defaults or transforms). A schema named alike in both directions
 * but different between them gets the input's name suffixed `Input`.
 */
import { z } from "zod";

type JsonObject = Record<string, unknown>;
type Io = "input" | "output";

const PREFIX = "#/components/schemas/";

/** What zod calls the shared definitions of a registry conversion. */
const SHARED = "__shared";

interface Use {
  schema: z.ZodType;
  io: Io;
  /** The name when the schema has no id of its own. */
  fallback: string;
  /** The `$ref` object handed out, completed when the components are built. */
  refs: JsonObject[];
}

/** Visits every object in `value` (JSON), depth first. */
function eachObject(value: unknown, visit: (object: JsonObject) => void): void {
  if (Array.isArray(value)) for (const item of value) eachObject(item, visit);
  else if (typeof value === "object" && value !== null) {
    visit(value as JsonObject);
    for (const child of Object.values(value)) eachObject(child, visit);
  }
}

/** Rewrites every `$ref` in `value` through `rename` (which sees the component's name). */
function renameRefs(value: unknown, rename: (name: string) => string): void {
  eachObject(value, (object) => {
    const target = object.$ref;
    if (typeof target === "string" && target.startsWith(PREFIX))
      object.$ref = PREFIX + rename(target.slice(PREFIX.length));
  });
}

/**
 * A record keyed by an enum (`z.record(z.enum([...]), v)`) as the object it is,
 * each key a declared property, instead of `propertyNames` plus `required`:
 * the same instances, but tools then see (and type) every key.
 */
function enumKeysAsProperties({ jsonSchema }: { jsonSchema: JsonObject }): void {
  const names = (jsonSchema.propertyNames as JsonObject | undefined)?.enum;
  const value = jsonSchema.additionalProperties;
  if (jsonSchema.properties || !Array.isArray(names) || typeof value !== "object") return;
  jsonSchema.properties = Object.fromEntries(names.map((name) => [String(name), value]));
  jsonSchema.additionalProperties = false;
  delete jsonSchema.propertyNames;
}

/** The id a schema was given with `.meta({ id })`, if any. */
function ownId(schema: z.ZodType): string | undefined {
  const id = z.globalRegistry.get(schema)?.id;
  return typeof id === "string" ? id : undefined;
}

/**
 * One direction's schemas through one zod registry: named components, with
 * the shared definitions zod sets apart (schemas with an id nested in them)
 * lifted beside them and their references pointed there.
 */
function convert(uses: readonly Use[], io: Io): { names: Map<Use, string>; schemas: JsonObject } {
  const registry = z.registry<{ id: string }>();
  const names = new Map<Use, string>();
  for (const use of uses) {
    const existing = registry.get(use.schema)?.id;
    const name = existing ?? ownId(use.schema) ?? use.fallback;
    if (existing === undefined) registry.add(use.schema, { id: name });
    names.set(use, name);
  }
  const { schemas } = z.toJSONSchema(registry, {
    io,
    unrepresentable: "any",
    uri: (id) => PREFIX + id,
    override: enumKeysAsProperties,
  }) as { schemas: Record<string, JsonObject> };
  const out: JsonObject = {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (name === SHARED) continue;
    const { $schema: _schema, $id: _id, ...rest } = schema;
    out[name] = rest;
  }
  const shared = (schemas[SHARED]?.$defs ?? {}) as Record<string, JsonObject>;
  for (const [name, schema] of Object.entries(shared)) {
    // zod names an id-less recursive schema schemaN: give it a name people can read.
    if (/^schema\d+$/.test(name))
      throw new Error(`a recursive schema needs a name: .meta({ id }) (zod called it ${name})`);
    if (name in out) throw new Error(`two schemas are called ${name}`);
    out[name] = schema;
  }
  const sharedRef = `${SHARED}#/$defs/`;
  renameRefs(out, (name) => (name.startsWith(sharedRef) ? name.slice(sharedRef.length) : name));
  return { names, schemas: out };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Collects the schemas of a document and builds its `components/schemas`. */
export class SchemaComponents {
  readonly #uses: Use[] = [];
  readonly #extra: JsonObject = {};

  /**
   * A `$ref` to `schema` read as `io`, named by its own id or else `fallback`.
   * The object is completed by `build()`.
   */
  ref(schema: z.ZodType, io: Io, fallback: string): JsonObject {
    const use = this.#uses.find((u) => u.schema === schema && u.io === io);
    const ref: JsonObject = {};
    if (use) use.refs.push(ref);
    else this.#uses.push({ schema, io, fallback, refs: [ref] });
    return ref;
  }

  /** A hand-written component (the error envelope). */
  add(name: string, schema: JsonObject): void {
    this.#extra[name] = schema;
  }

  /** Every component, and each handed-out `$ref` pointed at its own. */
  build(): JsonObject {
    const output = convert(
      this.#uses.filter((u) => u.io === "output"),
      "output",
    );
    const input = convert(
      this.#uses.filter((u) => u.io === "input"),
      "input",
    );
    const components: JsonObject = { ...this.#extra };
    for (const [name, schema] of Object.entries(output.schemas)) {
      if (name in components) throw new Error(`two schemas are called ${name}`);
      components[name] = schema;
    }
    const renamed = new Map<string, string>();
    for (const [name, schema] of Object.entries(input.schemas)) {
      if (name in components && !same(components[name], schema)) renamed.set(name, `${name}Input`);
    }
    renameRefs(input.schemas, (name) => renamed.get(name) ?? name);
    for (const [name, schema] of Object.entries(input.schemas)) {
      const final = renamed.get(name) ?? name;
      if (final in components && !same(components[final], schema))
        throw new Error(`two schemas are called ${final}`);
      components[final] = schema;
    }
    for (const [use, name] of [...output.names, ...input.names]) {
      const final = use.io === "input" ? (renamed.get(name) ?? name) : name;
      for (const ref of use.refs) ref.$ref = PREFIX + final;
    }
    return Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)));
  }
}

/** A flat schema (a query's) as a JSON Schema object inline, where no `$ref` may go. */
export function inlineSchema(schema: z.ZodType, io: Io): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: enumKeysAsProperties,
  }) as JsonObject;
  if ("$defs" in rest) throw new Error("a query schema cannot share or nest named schemas");
  return rest;
}
