/**
 * The domain's refusals: a named error per reason the registry, the goals,
 * the records, auth and the action runner turn something down, each with a
 * stable code, a message, optional details (facts a client can act on) and
 * the error that caused it. Nothing here knows HTTP: the API maps each code
 * to a status in one table (`api/errors.ts`), and the action runner catches
 * the ones it ends an action on by type.
 */

/** Every code a domain error carries. */
export type DomainErrorCode =
  | "NOT_FOUND"
  | "UNAUTHENTICATED"
  | "RATE_LIMITED"
  | "QUOTA_EXCEEDED"
  | "VERSION_CONFLICT"
  | "IDEMPOTENCY_KEY_REUSED"
  | "GOAL_INVALID"
  | "RECORD_TOO_LARGE"
  | "FORMULA_CYCLE"
  | "FORMULA_CALL_DEPTH"
  | "FORMULA_BUDGET"
  | "STORE_UNAVAILABLE";

export interface DomainErrorOptions {
  /** Facts about the refusal, shown to the client as they are. */
  details?: unknown;
  /** Seconds after which the same request may succeed. */
  retryAfterS?: number;
  cause?: unknown;
}

/** A refusal of the domain; its subclasses name the reason. */
export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  readonly details?: unknown;
  readonly retryAfterS?: number;

  constructor(message: string, { details, retryAfterS, cause }: DomainErrorOptions = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    if (details !== undefined) this.details = details;
    if (retryAfterS !== undefined) this.retryAfterS = retryAfterS;
  }
}

/** No such goal, record or formula (version) for this tenant. */
export class NotFound extends DomainError {
  readonly code = "NOT_FOUND";
}

/** No credentials, or ones that name no one. */
export class Unauthenticated extends DomainError {
  readonly code = "UNAUTHENTICATED";
}

/** Too many requests for a key, a tenant or a goal; `retryAfterS` says when to try again. */
export class RateLimited extends DomainError {
  readonly code = "RATE_LIMITED";
}

/** The tenant's quota of something is used up; details name the quota, its limit and the use. */
export class QuotaExceeded extends DomainError {
  readonly code = "QUOTA_EXCEEDED";
}

/** A change made over a version that is no longer current (or lost a race to another change). */
export class VersionConflict extends DomainError {
  readonly code = "VERSION_CONFLICT";
}

/** An Idempotency-Key already used for something else. */
export class IdempotencyKeyReused extends DomainError {
  readonly code = "IDEMPOTENCY_KEY_REUSED";
}

/** A goal spec with issues; details list every one. */
export class GoalInvalid extends DomainError {
  readonly code = "GOAL_INVALID";
}

/** A record value past the largest a record may be. */
export class RecordTooLarge extends DomainError {
  readonly code = "RECORD_TOO_LARGE";
}

/** A formula that would call itself through `fn.` calls. */
export class FormulaCycle extends DomainError {
  readonly code = "FORMULA_CYCLE";
}

/** `fn.` calls that nest too deep or reach too many formulas. */
export class FormulaCallDepth extends DomainError {
  readonly code = "FORMULA_CALL_DEPTH";
}

/** A formula whose worst-case work is more than one evaluation may spend. */
export class FormulaOverBudget extends DomainError {
  readonly code = "FORMULA_BUDGET";
}

/**
 * The store did not answer in time (a statement or a connection past its
 * bound: a table locked, the server stopped or unreachable). Nothing of the
 * request is known to have been written; the same request may succeed later.
 */
export class StoreUnavailable extends DomainError {
  readonly code = "STORE_UNAVAILABLE";
}
