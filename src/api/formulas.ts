/**
 * Registered formulas: create or replace (each change a new immutable
 * version), read, list, read a version, delete.
 */
import { z } from "zod";
import { deleteHead, getHead, listCurrent } from "../db/formulas.ts";
import { quotaLimit } from "../db/quotas.ts";
import type { FormulaVersionRow } from "../db/schema.ts";
import { loadCurrent, loadVersion, registerFormula } from "../registry/formulas.ts";
import { ApiError } from "./errors.ts";
import { FormulaView, identifier, PutFormulaBody } from "./formula-schemas.ts";
import { type ApiRouter, cursorQuery, expectedVersion, pathParam } from "./route.ts";
import { isoTime } from "./time.ts";

/** The public view of a stored version. */
export function formulaView(row: FormulaVersionRow): z.infer<typeof FormulaView> {
  return {
    name: row.name,
    version: row.version,
    expr: row.expr,
    params: (row.params as z.infer<typeof FormulaView>["params"]) ?? null,
    description: row.description,
    inputs: row.inputs,
    calls: row.deps,
    created_at: isoTime(row.createdAt),
  };
}

/** Reads a formula name from the path: a non-identifier can never exist, so it is a 404. */
export function formulaName(raw: string): string {
  if (!identifier.safeParse(raw).success) throw notFound(raw);
  return raw;
}

export const notFound = (name: string) =>
  new ApiError(404, "NOT_FOUND", `no formula named ${name}`);

export function formulaRoutes(api: ApiRouter): void {
  api.route(
    {
      method: "put",
      path: "/v1/formulas/:name",
      operationId: "putFormula",
      errors: [409, 422],
      summary: "Create or replace a formula; each change is a new immutable version",
      tag: "formulas",
      scope: "formulas:write",
      body: PutFormulaBody,
      headers: { "If-Match": "the version you expect to replace; 409 when it is not current" },
      responses: {
        200: { description: "A new version of an existing formula", schema: FormulaView },
        201: { description: "Created", schema: FormulaView },
      },
    },
    async (c, { body }) => {
      const name = pathParam(c, "name");
      if (!identifier.safeParse(name).success) {
        throw new ApiError(
          400,
          "VALIDATION_FAILED",
          "a formula name is a letter or _ then letters, digits or _",
        );
      }
      const { tenant } = c.get("principal");
      const input = {
        expr: body.expr,
        ...(body.params ? { params: body.params } : {}),
        ...(body.description !== undefined ? { description: body.description } : {}),
      };
      const { loaded, created } = await registerFormula(
        c.get("db"),
        tenant,
        name,
        input,
        expectedVersion(c.req.header("if-match")),
        quotaLimit(c.env, "formulas"),
      );
      c.header("ETag", `"${loaded.row.version}"`);
      return c.json(formulaView(loaded.row), created ? 201 : 200);
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/formulas",
      operationId: "listFormulas",
      summary: "List formulas (current versions), by name",
      tag: "formulas",
      scope: "formulas:read",
      query: z.object({
        limit: z.coerce.number().int().min(1).max(100).default(50),
        cursor: cursorQuery(64),
      }),
      responses: {
        200: {
          description: "A page of formulas",
          schema: z.object({ formulas: z.array(FormulaView), next_cursor: z.string().nullable() }),
        },
      },
    },
    async (c, { query }) => {
      const rows = await listCurrent(
        c.get("db"),
        c.get("principal").tenant,
        query.cursor,
        query.limit + 1,
      );
      const page = rows.slice(0, query.limit);
      const next = rows.length > query.limit ? (page.at(-1)?.head.name ?? null) : null;
      return c.json({ formulas: page.map((r) => formulaView(r.version)), next_cursor: next });
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/formulas/:name",
      operationId: "getFormula",
      summary: "Read a formula's current version",
      tag: "formulas",
      scope: "formulas:read",
      responses: { 200: { description: "The current version", schema: FormulaView } },
    },
    async (c) => {
      const name = formulaName(pathParam(c, "name"));
      const loaded = await loadCurrent(c.get("db"), c.get("principal").tenant, name);
      if (!loaded) throw notFound(name);
      c.header("ETag", `"${loaded.row.version}"`);
      return c.json(formulaView(loaded.row));
    },
  );

  api.route(
    {
      method: "get",
      path: "/v1/formulas/:name/versions/:version",
      operationId: "getFormulaVersion",
      summary: "Read one immutable version",
      tag: "formulas",
      scope: "formulas:read",
      responses: { 200: { description: "That version", schema: FormulaView } },
    },
    async (c) => {
      const name = formulaName(pathParam(c, "name"));
      const version = Number(pathParam(c, "version"));
      const { tenant } = c.get("principal");
      const db = c.get("db");
      const head = await getHead(db, tenant, name);
      if (!head || head.deletedAt !== null) throw notFound(name);
      const loaded = Number.isSafeInteger(version)
        ? await loadVersion(db, tenant, name, version)
        : undefined;
      if (!loaded)
        throw new ApiError(
          404,
          "NOT_FOUND",
          `formula ${name} has no version ${pathParam(c, "version")}`,
        );
      return c.json(formulaView(loaded.row));
    },
  );

  api.route(
    {
      method: "delete",
      path: "/v1/formulas/:name",
      operationId: "deleteFormula",
      summary: "Delete a formula (formulas that pinned one of its versions keep working)",
      tag: "formulas",
      scope: "formulas:write",
      responses: { 204: { description: "Deleted" } },
    },
    async (c) => {
      const name = formulaName(pathParam(c, "name"));
      const deleted = await deleteHead(c.get("db"), c.get("principal").tenant, name, Date.now());
      if (!deleted) throw notFound(name);
      return c.body(null, 204);
    },
  );
}
