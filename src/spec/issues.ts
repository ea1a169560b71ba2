/**
 * What is wrong with a goal spec, in one shape for every check: schema errors
 * from zod, semantic checks, and formula compile errors. The HTTP API returns
 * these as the `details` of a 422.
 */
import type { z } from "zod";

/** A place in a formula's source (offset 0-based, line and column 1-based). */
export interface IssuePosition {
  offset: number;
  line: number;
  column: number;
}

/**
 * One problem in a spec. `path` is dotted from the spec's root
 * (`decide.rules.0.when`, `act.order.body.qty`); `code` is stable
 * (`SPEC_TYPE`, `ORIENT_CYCLE`, or the formula's own code such as
 * `FORMULA_UNKNOWN_NAME`); formula errors also carry `position` and `hint`.
 */
export interface SpecIssue {
  path: string;
  code: string;
  message: string;
  position?: IssuePosition;
  hint?: string;
}

/** A dotted path from zod's path segments (`["decide", "rules", 0, "when"]` → `decide.rules.0.when`). */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments.map((segment) => String(segment)).join(".");
}

/** Joins a prefix and a path, either possibly empty. */
export function joinPath(prefix: string, path: string): string {
  if (prefix === "") return path;
  return path === "" ? prefix : `${prefix}.${path}`;
}

/**
 * The stable code of a zod issue: a custom check's own `params.code`, else a
 * `SPEC_*` code by kind (`SPEC_TYPE` wrong type, `SPEC_UNKNOWN_KEY` a key the
 * spec does not have, `SPEC_RANGE` too small or too big, `SPEC_VALUE` not one of
 * the allowed values, `SPEC_FORMAT` a malformed string, `SPEC_INVALID` otherwise).
 */
export function zodIssueCode(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "custom": {
      const code: unknown = issue.params?.code;
      return typeof code === "string" ? code : "SPEC_INVALID";
    }
    case "invalid_type":
      return "SPEC_TYPE";
    case "unrecognized_keys":
      return "SPEC_UNKNOWN_KEY";
    case "too_small":
    case "too_big":
      return "SPEC_RANGE";
    case "invalid_value":
    case "invalid_union":
      return "SPEC_VALUE";
    case "invalid_format":
      return "SPEC_FORMAT";
    default:
      return "SPEC_INVALID";
  }
}

/**
 * Spec issues from zod issues. An unknown key gets the key's own path
 * (`observe.price.fro`) so the message points at the typo.
 */
export function fromZodIssues(issues: readonly z.core.$ZodIssue[], prefix = ""): SpecIssue[] {
  const out: SpecIssue[] = [];
  for (const issue of issues) {
    const code = zodIssueCode(issue);
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: joinPath(prefix, formatPath([...issue.path, key])),
          code,
          message: `unknown key "${key}"`,
        });
      }
      continue;
    }
    out.push({ path: joinPath(prefix, formatPath(issue.path)), code, message: issue.message });
  }
  return out;
}
