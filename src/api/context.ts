/**
 * The Hono environment every route sees: the Worker's bindings and what the
 * middleware resolved for this request.
 */
import type { Principal } from "../auth/scopes.ts";
import type { Db } from "../db/client.ts";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    /** Set by the auth middleware on every /v1 route. */
    principal: Principal;
    db: Db;
    requestId: string;
  };
}
