/**
 * Stands in for `ajv` and `ajv-formats` in the Worker's bundle (wrangler.toml
 * `[alias]`). The MCP SDK imports Ajv, its default JSON Schema validator, even
 * when given another one; /mcp always passes @cfworker/json-schema's (Ajv
 * compiles with `new Function`, which workerd refuses), so Ajv is never
 * constructed, and its ~120 KiB stay out of the bundle. Constructing it fails
 * loudly rather than validating nothing.
 */
export default class NoAjv {
  constructor() {
    throw new Error("Ajv is not bundled in this Worker: pass jsonSchemaValidator");
  }
}
