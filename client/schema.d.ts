/**
 * The Agentic FaaS API's types, generated from its OpenAPI document (GET /openapi.json)
 * by openapi-typescript. Do not edit: run `npm run openapi:types`.
 */

export interface paths {
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: answers while the Worker runs, with the API version */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ingest/goals/{id}/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Push observations without an API key: Authorization: Bearer <ingest secret>, or signed by it (Standard Webhooks) */
        post: operations["ingestObservations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/live/goals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The goal's live channel: a WebSocket (Upgrade: websocket) opened with a ticket from POST /v1/goals/:id/live */
        get: operations["openLiveChannel"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This API as an OpenAPI 3.1 document */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's approvals inbox, newest first (status=pending for those waiting) */
        get: operations["listApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/eval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Evaluate an expression: {expr, vars} → {value}; {expr, rows|columns} → {values} */
        post: operations["evaluate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/formulas": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List formulas (current versions), by name */
        get: operations["listFormulas"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/formulas/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a formula's current version */
        get: operations["getFormula"];
        /** Create or replace a formula; each change is a new immutable version */
        put: operations["putFormula"];
        post?: never;
        /** Delete a formula (formulas that pinned one of its versions keep working) */
        delete: operations["deleteFormula"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/formulas/{name}/eval": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Evaluate with inputs as query parameters (?x=1&y=2); cacheable with ETag */
        get: operations["evaluateFormulaByQuery"];
        put?: never;
        /** Evaluate a registered formula (current version, or `version`) */
        post: operations["evaluateFormula"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/formulas/{name}/versions/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read one immutable version */
        get: operations["getFormulaVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List goals */
        get: operations["listGoals"];
        put?: never;
        /** Register a goal; its loop starts at once */
        post: operations["createGoal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A goal: spec, status, last cycle, oriented values, verdicts, next wake-up */
        get: operations["getGoal"];
        /** Replace the spec (a new spec version; loop state kept where names survive) */
        put: operations["replaceGoalSpec"];
        post?: never;
        /** Delete a goal: its alarm is cleared and its storage deleted */
        delete: operations["deleteGoal"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A goal's approvals, newest first (status= to filter) */
        get: operations["listGoalApprovals"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/approvals/{key}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Approve a held action: it is sent now with its original idempotency key */
        post: operations["approveAction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/approvals/{key}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Reject a held action: the goal sees act.NAME.status == "rejected" */
        post: operations["rejectAction"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/cycles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit trail: receipts, newest last (after= a cycle number, limit=) */
        get: operations["listCycles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/ingest-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the ingest secret (shown once); the old one stops working at once */
        post: operations["rotateIngestSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A ticket for the goal's live channel (a WebSocket: hello, then each cycle's receipt as it happens) */
        post: operations["createLiveTicket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Push observations ({name, value}, {values}, {observations:[…]}, a payload as it is, or a CloudEvent); a cycle runs at once */
        post: operations["pushObservations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/pause": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Pause the loop (observations are kept for later) */
        post: operations["pauseGoal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Replay every recorded cycle's inputs through the goal's own spec versions (the receipts it wrote, exactly) or a changed spec (what if) */
        post: operations["replayGoal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Resume the loop; a cycle runs at once */
        post: operations["resumeGoal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the webhook signing secret (shown once); the old one keeps signing alongside for 24 h */
        post: operations["rotateSigningSecret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/{id}/specs/{version}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A spec version the goal ran with (a receipt's spec_version): the current one, or one its kept history ran with */
        get: operations["getGoalSpecVersion"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/goals/simulate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run a spec over a timeline of observations: the receipts it would produce, no side effects */
        post: operations["simulateGoal"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List API keys (never the keys themselves) */
        get: operations["listKeys"];
        put?: never;
        /** Create an API key (the key is returned once) */
        post: operations["createKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/keys/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API key; it stops working at once */
        delete: operations["revokeKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Who the key is: its tenant and scopes (so a client offers only what the key may do) */
        get: operations["getCaller"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The tenant's counters over the last five minutes (JSON); with Accept: text/plain, its running counters and histograms in the Prometheus text format */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/{collection}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List a collection's records by key */
        get: operations["listRecords"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/records/{collection}/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Read a record */
        get: operations["getRecord"];
        /** Create or replace a record (any JSON, at most 64 KiB); goals watching it observe the change */
        put: operations["putRecord"];
        post?: never;
        /** Delete a record (watchers observe null) */
        delete: operations["deleteRecord"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/streams/{topic}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Publish an event (any JSON) to every goal observing the topic */
        post: operations["publishEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        ApprovalDecided: {
            approval: {
                action: string;
                cycle: number;
                decided_at: string | null;
                /** @description the API key that decided (null: pending, or expired) */
                decided_by: {
                    key_id: string;
                    name: string | null;
                } | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                expires_at: string;
                goal_id: string;
                /** @description the held action's idempotency key */
                key: string;
                /** @enum {string} */
                kind: "webhook" | "formula" | "record" | "signal" | "spawn";
                /** @description what the action will send, as planned */
                payload: components["schemas"]["JsonValue"];
                reason: string | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                requested_at: string;
                rule: string;
                /** @enum {string} */
                status: "pending" | "approved" | "rejected" | "expired";
            };
            /** @description true when this decision had been taken before (nothing changed) */
            repeated: boolean;
        };
        ApprovalDecision: {
            /** @description why; kept in the goal's receipts */
            reason?: string;
        };
        Caller: {
            /** @description the key's id ("operator" for the operator token) */
            key_id: string;
            name: string | null;
            /** @description true only for the operator token (every tenant's keys) */
            operator: boolean;
            /** @description what the key may do; `admin` implies every other scope in its tenant */
            scopes: ("formulas:read" | "formulas:write" | "goals:read" | "goals:write" | "observe" | "records:read" | "records:write" | "admin")[];
            tenant: string;
        };
        /** @description one CloudEvent (structured mode); source and id are the idempotency key. In binary mode send its attributes as ce-* headers and its data as the application/json body */
        CloudEvent: {
            /** @description read as a push body is (any of the shapes of application/json) */
            data: components["schemas"]["JsonValue"];
            /** @description application/json or absent */
            datacontenttype?: string;
            id: string;
            source: string;
            /** @constant */
            specversion: "1.0";
            /**
             * Format: date-time
             * @description when values without their own `at` were true
             */
            time?: string;
            type: string;
        } & {
            [key: string]: unknown;
        };
        CreateKeyRequest: {
            name?: string;
            scopes: ("formulas:read" | "formulas:write" | "goals:read" | "goals:write" | "observe" | "records:read" | "records:write" | "admin")[];
            /** @description defaults to the caller's tenant */
            tenant?: string;
        };
        CreateKeyResponse: {
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            created_at: string;
            id: string;
            /** @description the secret key; shown only in this response */
            key: string;
            name: string | null;
            /** @description the first characters of the key */
            prefix: string;
            revoked_at: string | null;
            scopes: ("formulas:read" | "formulas:write" | "goals:read" | "goals:write" | "observe" | "records:read" | "records:write" | "admin")[];
            tenant: string;
        };
        /** @description The envelope of every error response */
        Error: {
            error: {
                /** @description Stable and machine-readable, e.g. VALIDATION_FAILED, NOT_FOUND */
                code: string;
                /** @description Structured facts about the failure (issues, limits, ids) */
                details?: unknown;
                /** @description What went wrong, for people */
                message: string;
            };
        };
        EvalResult: {
            value: components["schemas"]["JsonValue"];
        } | {
            values: components["schemas"]["JsonValue"][];
        };
        EvaluateFormulaRequest: {
            columns?: {
                [key: string]: components["schemas"]["JsonValue"][];
            };
            /**
             * @description "null" returns null instead of the FORMULA_NON_FINITE error
             * @enum {string}
             */
            non_finite?: "error" | "null";
            rows?: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
            vars?: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            version?: number;
        };
        EvaluateRequest: {
            columns?: {
                [key: string]: components["schemas"]["JsonValue"][];
            };
            expr: string;
            /**
             * @description "null" returns null instead of the FORMULA_NON_FINITE error
             * @enum {string}
             */
            non_finite?: "error" | "null";
            rows?: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
            vars?: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        };
        Formula: {
            /** @description fn.NAME calls pinned to versions */
            calls: {
                [key: string]: number;
            };
            /**
             * Format: date-time
             * @description when this version was made
             */
            created_at: string;
            description: string | null;
            expr: string;
            /** @description names the formula reads */
            inputs: string[];
            name: string;
            params: {
                default?: components["schemas"]["LanguageValue"];
                description?: string;
                max?: number;
                min?: number;
                name: string;
            }[] | null;
            version: number;
        };
        FormulaEvalResult: {
            name: string;
            version: number;
        } & components["schemas"]["EvalResult"];
        GetGoalSpecVersionResponse: {
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            version: number;
        };
        GetHealthResponse: {
            /** @constant */
            status: "ok";
            version: string;
        };
        GetMetricsResponse: {
            metrics: {
                "actions.failed": number;
                "actions.ok": number;
                "http.4xx": number;
                "http.5xx": number;
                "http.5xx.rate": number;
                "http.latency_ms.avg": number;
                "http.requests": number;
                "loop.actions": number;
                "loop.cycles": number;
                "loop.faults": number;
            };
            /** @constant */
            window: "5m";
        };
        /** @description The Prometheus text exposition format (version 0.0.4) */
        GetMetricsResponseText: string;
        /** @description An OpenAPI 3.1 document */
        GetOpenApiDocumentResponse: {
            info: {
                [key: string]: unknown;
            };
            openapi: string;
            paths: {
                [key: string]: unknown;
            };
        } & {
            [key: string]: unknown;
        };
        Goal: {
            actions_last_hour: number;
            /** @description actions held for approval, oldest first */
            awaiting_approval: {
                action: string;
                cycle: number;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                expires_at: string;
                key: string;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                requested_at: string;
                rule: string;
            }[];
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            created_at: string;
            cycle: number;
            /** @description the spec's cadence */
            every: string;
            /** @description consecutive failed passes (above 0: failing) */
            failures: number;
            id: string;
            inbox: {
                bytes: number;
                items: number;
            };
            last_cycle_at: string | null;
            last_fault: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                at: string;
                message: string;
            } | null;
            /** @description the newest cycle in brief (null before the first) */
            last_outcome: {
                /** @description actions planned */
                actions: number;
                cycle: number;
                fault: boolean;
                /** @description the rules that matched */
                matched: string[];
                /** @description what started the cycle (push, alarm, act, ...; "fault": it failed) */
                trigger: string;
            } | null;
            latest: {
                [key: string]: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                    value: components["schemas"]["JsonValue"];
                };
            };
            name: string;
            next_wake_at: string | null;
            oriented: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            parent_id: string | null;
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            spec_version: number;
            /** @enum {string} */
            status: "active" | "paused" | "done" | "failed";
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            updated_at: string;
            verdicts: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
        };
        GoalCreated: {
            actions_last_hour: number;
            /** @description actions held for approval, oldest first */
            awaiting_approval: {
                action: string;
                cycle: number;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                expires_at: string;
                key: string;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                requested_at: string;
                rule: string;
            }[];
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            created_at: string;
            cycle: number;
            /** @description the spec's cadence */
            every: string;
            /** @description consecutive failed passes (above 0: failing) */
            failures: number;
            id: string;
            inbox: {
                bytes: number;
                items: number;
            };
            /** @description authenticates observations sent to /ingest/goals/:id without an API key; shown once */
            ingest_secret: string | null;
            last_cycle_at: string | null;
            last_fault: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                at: string;
                message: string;
            } | null;
            /** @description the newest cycle in brief (null before the first) */
            last_outcome: {
                /** @description actions planned */
                actions: number;
                cycle: number;
                fault: boolean;
                /** @description the rules that matched */
                matched: string[];
                /** @description what started the cycle (push, alarm, act, ...; "fault": it failed) */
                trigger: string;
            } | null;
            latest: {
                [key: string]: {
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                    value: components["schemas"]["JsonValue"];
                };
            };
            name: string;
            next_wake_at: string | null;
            oriented: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            parent_id: string | null;
            /** @description whsec_<base64>: signs this goal's webhooks (Standard Webhooks webhook-signature); shown once, rotate to replace */
            signing_secret: string | null;
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
            spec_version: number;
            /** @enum {string} */
            status: "active" | "paused" | "done" | "failed";
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            updated_at: string;
            verdicts: {
                [key: string]: components["schemas"]["JsonValue"];
            }[];
        };
        GoalLive: {
            actions_last_hour: number;
            /** @description actions held for a person's approval */
            awaiting_approval: number;
            cycle: number;
            /** @description the spec's cadence */
            every: string;
            /** @description consecutive failed passes (above 0: failing) */
            failures: number;
            last_cycle_at: string | null;
            last_fault: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                at: string;
                message: string;
            } | null;
            /** @description the newest cycle in brief (null before the first) */
            last_outcome: {
                /** @description actions planned */
                actions: number;
                cycle: number;
                fault: boolean;
                /** @description the rules that matched */
                matched: string[];
                /** @description what started the cycle (push, alarm, act, ...; "fault": it failed) */
                trigger: string;
            } | null;
            next_wake_at: string | null;
        };
        GoalSpec: {
            act?: {
                [key: string]: unknown;
            };
            /** @default {} */
            decide?: {
                model?: {
                    /**
                     * @description values of each observed name's history shown to the model, newest last (default 10)
                     * @default 10
                     */
                    history?: number;
                    /** @description what the model should aim for, added to the system message */
                    instructions?: string;
                    /**
                     * @description model calls in any rolling hour (default 30); beyond it the rules decide without a call
                     * @default 30
                     */
                    max_calls_per_hour?: number;
                    /** @description the provider's model id */
                    model: string;
                    /**
                     * @description `openai`: the deployment's OpenAI-compatible chat-completions endpoint (OPENAI_BASE_URL, OPENAI_API_KEY); `workers-ai`: its AI binding
                     * @enum {string}
                     */
                    provider: "openai" | "workers-ai";
                    /**
                     * @description how long one call may take (default 10s); then the rules decide
                     * @default 10s
                     */
                    timeout?: string;
                };
                /**
                 * @description `first` matching rule, `all` matching rules, the `best` score, or `model`: a model chooses among the declared actions, the rules (as `first`) deciding when it cannot
                 * @default first
                 * @enum {string}
                 */
                policy?: "first" | "all" | "best" | "model";
                /** @default [] */
                rules?: {
                    cooldown?: string;
                    do: string | string[];
                    for?: string;
                    id: string;
                    keep_for?: string;
                    score?: string;
                    when: string;
                }[];
            };
            done?: string;
            /** @default 1m */
            every?: string;
            /** @default {} */
            guard?: {
                /** @description webhook hosts allowed (`erp.example`, `*.example.com`); absent: any public host */
                allow_hosts?: string[];
                /**
                 * @description names of actions (keys of `act`) that wait for a person's approval (POST /v1/goals/:id/approvals/:key/approve or /reject) before they run
                 * @default []
                 */
                approve?: string[];
                /**
                 * @description how long an action waits for approval before it expires and comes back as act.NAME.status "expired" (default 24h)
                 * @default 24h
                 */
                approve_within?: string;
                /**
                 * @description plan and record actions, never run them
                 * @default false
                 */
                dry_run?: boolean;
                /**
                 * @description actions one causal chain may cause in this goal: one push, cadence tick or other arrival, and every result, record change and signal its actions lead to (default 20); beyond it a rule is blocked
                 * @default 20
                 */
                max_actions_per_chain?: number;
                /**
                 * @description actions planned in any rolling hour, dry-run and held ones included (default 100); beyond it a rule is blocked
                 * @default 100
                 */
                max_actions_per_hour?: number;
            };
            /** @default 100 */
            keep?: number;
            name: string;
            /** @default {} */
            observe?: {
                [key: string]: {
                    /** @constant */
                    from: "push";
                    max_age?: string;
                    path?: string;
                } | {
                    /** @constant */
                    from: "http";
                    headers?: {
                        [key: string]: string;
                    };
                    max_age?: string;
                    /**
                     * @default GET
                     * @enum {string}
                     */
                    method?: "GET" | "POST";
                    path?: string;
                    /** @default 5s */
                    timeout?: string;
                    url: string;
                } | {
                    collection: string;
                    /** @constant */
                    from: "record";
                    key?: string;
                    max_age?: string;
                    path?: string;
                } | {
                    /** @constant */
                    from: "stream";
                    max_age?: string;
                    path?: string;
                    topic: string;
                } | {
                    /** @constant */
                    from: "metric";
                    max_age?: string;
                    name: string;
                } | {
                    /** @constant */
                    from: "goal";
                    goal: string;
                    max_age?: string;
                    path?: string;
                };
            };
            /** @default {} */
            orient?: {
                [key: string]: string;
            };
            /** @default {} */
            params?: {
                [key: string]: unknown;
            };
        };
        /** @description Any JSON value */
        JsonValue: unknown;
        LanguageValue: LanguageValue;
        ListApprovalsResponse: {
            approvals: {
                action: string;
                cycle: number;
                decided_at: string | null;
                /** @description the API key that decided (null: pending, or expired) */
                decided_by: {
                    key_id: string;
                    name: string | null;
                } | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                expires_at: string;
                goal_id: string;
                /** @description the held action's idempotency key */
                key: string;
                /** @enum {string} */
                kind: "webhook" | "formula" | "record" | "signal" | "spawn";
                /** @description what the action will send, as planned */
                payload: components["schemas"]["JsonValue"];
                reason: string | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                requested_at: string;
                rule: string;
                /** @enum {string} */
                status: "pending" | "approved" | "rejected" | "expired";
            }[];
            next_cursor: string | null;
        };
        ListCyclesResponse: {
            cycles: ({
                act_results?: ({
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                })[];
                /**
                 * Format: date-time
                 * @description when the cycle ran (a fault receipt: when it failed)
                 */
                at: string;
                cycle: number;
                decisions?: ({
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                })[];
                fault?: {
                    /**
                     * Format: date-time
                     * @description when the goal tries again
                     */
                    retry_at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                };
                goal_id: string;
                observed?: {
                    [key: string]: ({
                        /**
                         * Format: date-time
                         * @description ISO 8601, UTC
                         */
                        at: string;
                    } & {
                        [key: string]: components["schemas"]["JsonValue"];
                    })[];
                };
                /** @description the spec version the cycle ran with (GET /v1/goals/:id/specs/:version); absent on a what-if replay's receipts and on receipts stored before it was recorded */
                spec_version?: number;
            } & {
                [key: string]: components["schemas"]["JsonValue"];
            })[];
            /** @description pass as `after` for the next page (null: the page is empty) */
            next_after: string | null;
        };
        ListFormulasResponse: {
            formulas: components["schemas"]["Formula"][];
            next_cursor: string | null;
        };
        ListGoalApprovalsResponse: {
            approvals: {
                action: string;
                cycle: number;
                decided_at: string | null;
                /** @description the API key that decided (null: pending, or expired) */
                decided_by: {
                    key_id: string;
                    name: string | null;
                } | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                expires_at: string;
                goal_id: string;
                /** @description the held action's idempotency key */
                key: string;
                /** @enum {string} */
                kind: "webhook" | "formula" | "record" | "signal" | "spawn";
                /** @description what the action will send, as planned */
                payload: components["schemas"]["JsonValue"];
                reason: string | null;
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                requested_at: string;
                rule: string;
                /** @enum {string} */
                status: "pending" | "approved" | "rejected" | "expired";
            }[];
        };
        ListGoalsResponse: {
            goals: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                created_at: string;
                id: string;
                /** @description with include=live (null: the goal's object did not answer) */
                live?: components["schemas"]["GoalLive"] | null;
                name: string;
                parent_id: string | null;
                spec_version: number;
                /** @enum {string} */
                status: "active" | "paused" | "done" | "failed";
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                updated_at: string;
            }[];
            next_cursor: string | null;
        };
        ListKeysResponse: {
            keys: {
                /**
                 * Format: date-time
                 * @description ISO 8601, UTC
                 */
                created_at: string;
                id: string;
                name: string | null;
                /** @description the first characters of the key */
                prefix: string;
                revoked_at: string | null;
                scopes: ("formulas:read" | "formulas:write" | "goals:read" | "goals:write" | "observe" | "records:read" | "records:write" | "admin")[];
                tenant: string;
            }[];
        };
        ListRecordsResponse: {
            next_cursor: string | null;
            records: components["schemas"]["Record"][];
        };
        LiveTicket: {
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            expires_at: string;
            /** @description opens one socket, once, until expires_at */
            ticket: string;
            /** @description the socket's path with the ticket: open it as ws:// or wss:// */
            url: string;
        };
        ObservationPush: {
            observations: {
                /** @description when the value was true (ISO 8601 or epoch ms); default now */
                at?: number | string;
                name: string;
                value: components["schemas"]["JsonValue"];
            }[];
        } | {
            at?: number | string;
            values: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        } | {
            /** @description when the value was true (ISO 8601 or epoch ms); default now */
            at?: number | string;
            name: string;
            value: components["schemas"]["JsonValue"];
        } | ({
            [key: string]: components["schemas"]["JsonValue"];
        } | components["schemas"]["JsonValue"][]);
        PublishEventResponse: {
            id: string;
            topic: string;
        };
        PushResult: {
            /** @description observations taken for the next cycle */
            accepted: number;
            /** @description a repeat of an earlier push with this Idempotency-Key (or CloudEvent source and id) */
            duplicate: boolean;
            /** @description pushed names this goal does not observe, or push sources that found no value in a payload (not taken), each with the reason */
            ignored: {
                name: string;
                reason: string;
            }[];
        };
        PutFormulaRequest: {
            description?: string;
            expr: string;
            params?: (string | {
                default?: components["schemas"]["LanguageValue"];
                description?: string;
                max?: number;
                min?: number;
                name: string;
            })[];
        };
        Record: {
            collection: string;
            key: string;
            /**
             * Format: date-time
             * @description ISO 8601, UTC
             */
            updated_at: string;
            value: components["schemas"]["JsonValue"];
            version: number;
        };
        ReplayGoalRequest: {
            /** @description return the replayed receipts after this cycle (default: the latest `limit`) */
            after?: number;
            /**
             * @description policy model: ask the model again instead of using the recorded answers, for the first 20 cycles that would call it (what if); later cycles use the recorded answers. Needs goals:write
             * @default false
             */
            call_model?: boolean;
            /** @default 100 */
            limit?: number;
            /** @description a changed spec to try (what if); default the goal's own spec versions, exactly */
            spec?: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        };
        ReplayGoalResponse: {
            /** @description with the goal's own specs: how many returned receipts were compared with the stored ones, and the cycles that differ (none when replay is exact) */
            compared?: {
                differing: number[];
                receipts: number;
            };
            cycles: ({
                act_results?: ({
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                })[];
                /**
                 * Format: date-time
                 * @description when the cycle ran (a fault receipt: when it failed)
                 */
                at: string;
                cycle: number;
                decisions?: ({
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                })[];
                fault?: {
                    /**
                     * Format: date-time
                     * @description when the goal tries again
                     */
                    retry_at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                };
                goal_id: string;
                observed?: {
                    [key: string]: ({
                        /**
                         * Format: date-time
                         * @description ISO 8601, UTC
                         */
                        at: string;
                    } & {
                        [key: string]: components["schemas"]["JsonValue"];
                    })[];
                };
                /** @description the spec version the cycle ran with (GET /v1/goals/:id/specs/:version); absent on a what-if replay's receipts and on receipts stored before it was recorded */
                spec_version?: number;
            } & {
                [key: string]: components["schemas"]["JsonValue"];
            })[];
            from_cycle: number | null;
            /** @description with call_model: how many times the model was asked afresh */
            model_calls?: number;
            next_after: number | null;
            /** @description cycles replayed (every recorded cycle kept) */
            replayed: number;
            to_cycle: number | null;
        };
        SecretRotated: {
            goal_id: string;
            ingest_secret?: string;
            previous_valid_until?: string | null;
            signing_secret?: string;
        };
        SimulateGoalRequest: {
            observations: {
                at: number | string;
                /** @description policy model: the model's answer at this step, as if recorded (no model is called; without one the rules decide): `choice` an action name or "none" */
                model?: {
                    choice: string;
                    reason?: string;
                };
                /** @enum {string} */
                trigger?: "push" | "alarm";
                /** @default {} */
                values?: {
                    [key: string]: components["schemas"]["JsonValue"];
                };
            }[];
            spec: {
                [key: string]: components["schemas"]["JsonValue"];
            };
        };
        SimulateGoalResponse: {
            cycles: ({
                act_results?: ({
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                })[];
                /**
                 * Format: date-time
                 * @description when the cycle ran (a fault receipt: when it failed)
                 */
                at: string;
                cycle: number;
                decisions?: ({
                    /**
                     * Format: date-time
                     * @description ISO 8601, UTC
                     */
                    at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                })[];
                fault?: {
                    /**
                     * Format: date-time
                     * @description when the goal tries again
                     */
                    retry_at: string;
                } & {
                    [key: string]: components["schemas"]["JsonValue"];
                };
                goal_id: string;
                observed?: {
                    [key: string]: ({
                        /**
                         * Format: date-time
                         * @description ISO 8601, UTC
                         */
                        at: string;
                    } & {
                        [key: string]: components["schemas"]["JsonValue"];
                    })[];
                };
                /** @description the spec version the cycle ran with (GET /v1/goals/:id/specs/:version); absent on a what-if replay's receipts and on receipts stored before it was recorded */
                spec_version?: number;
            } & {
                [key: string]: components["schemas"]["JsonValue"];
            })[];
        };
    };
    responses: {
        /** @description The request is malformed: VALIDATION_FAILED (details.issues names each path), INVALID_JSON, JSON_TOO_DEEP, FORMULA_SYNTAX, FORMULA_LIMIT */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description VERSION_CONFLICT (If-Match names a version that is not current), IDEMPOTENCY_IN_PROGRESS (retry after Retry-After), REPLAY_INCOMPLETE, APPROVAL_DECIDED */
        Conflict: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description An unexpected fault (500 INTERNAL), the store not answering in time (503 STORE_UNAVAILABLE, with Retry-After), or any other error */
        Error: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description FORBIDDEN: the key lacks the route's scope (details.required); QUOTA_EXCEEDED: the tenant's quota is used up */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description NOT_FOUND: nothing by that name for this tenant (another tenant's looks the same) */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description PAYLOAD_TOO_LARGE, or a size limit of what was sent (RECORD_TOO_LARGE, SPEC_TOO_LARGE, PUSH_TOO_LARGE, …); details.max_bytes says the limit */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description RATE_LIMITED (per key, tenant or goal, or the tenant's share of evaluation work) or INBOX_FULL; retry after Retry-After */
        TooManyRequests: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description UNAUTHENTICATED: no credential, or one that is unknown or revoked */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Well-formed but not acceptable: a formula that cannot be evaluated (FORMULA_*), an invalid goal spec (GOAL_INVALID, details.issues), IDEMPOTENCY_KEY_REUSED, UNKNOWN_OBSERVATION */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before trying again */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Up */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetHealthResponse"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    ingestObservations: {
        parameters: {
            query?: {
                shape?: "payload";
            };
            header?: {
                /** @description Bearer <the goal's ingest secret> (or sign instead) */
                Authorization?: string;
                /** @description binary mode, required: with ce-source, the event's identity and the push's idempotency key */
                "ce-id"?: string;
                /** @description binary mode, required */
                "ce-source"?: string;
                /** @description CloudEvents binary mode: 1.0 (its presence marks the request as an event) */
                "ce-specversion"?: string;
                /** @description binary mode, optional: RFC 3339; when values without their own `at` were true */
                "ce-time"?: string;
                /** @description binary mode, required */
                "ce-type"?: string;
                /** @description with a bearer secret, a repeat is accepted and not counted twice; a signed request is identified by its webhook-id (or X-Faas signature) instead (this header is not signed, so it is not used); a CloudEvent by its source and id */
                "Idempotency-Key"?: string;
                /** @description Standard Webhooks: the message's id, the same on retries; a repeat of an id is not counted twice */
                "webhook-id"?: string;
                /** @description Standard Webhooks: v1,<base64 HMAC-SHA256 of ID.TIMESTAMP.BODY by the ingest secret>, several space-separated */
                "webhook-signature"?: string;
                /** @description Standard Webhooks: Unix seconds, within 300 s of now */
                "webhook-timestamp"?: string;
                /** @description deprecated (until 2027-06-30): v1=<hex HMAC-SHA256 of TIMESTAMP.BODY keyed by the ingest secret as written> */
                "x-faas-signature"?: string;
                /** @description deprecated (until 2027-06-30): Unix seconds, within 300 s of now */
                "x-faas-timestamp"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["CloudEvent"];
                "application/json": components["schemas"]["ObservationPush"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    openLiveChannel: {
        parameters: {
            query: {
                ticket: string;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to the WebSocket: JSON text messages {"type":"hello"|"cycle"|"goal"|"deleted"}; send "ping" for "pong" (anything else closes the socket, 1003) */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetOpenApiDocumentResponse"];
                };
            };
            default: components["responses"]["Error"];
        };
    };
    listApprovals: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
                status?: "pending" | "approved" | "rejected" | "expired";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListApprovalsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    evaluate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluateRequest"];
            };
        };
        responses: {
            /** @description The result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvalResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    listFormulas: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of formulas */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListFormulasResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getFormula: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The current version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Formula"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    putFormula: {
        parameters: {
            query?: never;
            header?: {
                /** @description the version you expect to replace; 409 when it is not current */
                "If-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutFormulaRequest"];
            };
        };
        responses: {
            /** @description A new version of an existing formula */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Formula"];
                };
            };
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Formula"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    deleteFormula: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    evaluateFormulaByQuery: {
        parameters: {
            query?: {
                non_finite?: "error" | "null";
                version?: number;
            };
            header?: {
                /** @description an ETag from an earlier response; 304 when unchanged */
                "If-None-Match"?: string;
            };
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The result; every other query parameter is an input */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FormulaEvalResult"];
                };
            };
            /** @description Not modified */
            304: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    evaluateFormula: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluateFormulaRequest"];
            };
        };
        responses: {
            /** @description The result */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FormulaEvalResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getFormulaVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                name: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description That version */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Formula"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    listGoals: {
        parameters: {
            query?: {
                cursor?: string;
                include?: "live";
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListGoalsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    createGoal: {
        parameters: {
            query?: never;
            header?: {
                /** @description the goal's id derives from it: a retry gets the same goal (finished if a crash left it half-made) */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GoalSpec"];
            };
        };
        responses: {
            /** @description Created; the loop is running. The secrets are shown this once (and to a retry with the same Idempotency-Key within 24 h) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GoalCreated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getGoal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The goal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Goal"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    replaceGoalSpec: {
        parameters: {
            query?: never;
            header?: {
                /** @description the spec_version you expect to replace, e.g. "3" (the ETag of a GET); 409 VERSION_CONFLICT when it is not current */
                "If-Match"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["GoalSpec"];
            };
        };
        responses: {
            /** @description The goal with the version this request stored (its ETag); concurrent changes each get their own, the last stored wins */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Goal"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    deleteGoal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    listGoalApprovals: {
        parameters: {
            query?: {
                status?: "pending" | "approved" | "rejected" | "expired";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Approvals */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListGoalApprovalsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    approveAction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalDecision"];
            };
        };
        responses: {
            /** @description Decided (or the same decision again: repeated) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalDecided"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Decided otherwise before, or expired (APPROVAL_DECIDED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    rejectAction: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalDecision"];
            };
        };
        responses: {
            /** @description Decided (or the same decision again: repeated) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalDecided"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description Decided otherwise before, or expired (APPROVAL_DECIDED) */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    listCycles: {
        parameters: {
            query?: {
                after?: string;
                limit?: number;
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Receipts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListCyclesResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    rotateIngestSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRotated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    createLiveTicket: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ticket, valid once for 60 s */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LiveTicket"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    pushObservations: {
        parameters: {
            query?: {
                shape?: "payload";
            };
            header?: {
                /** @description binary mode, required: with ce-source, the event's identity and the push's idempotency key */
                "ce-id"?: string;
                /** @description binary mode, required */
                "ce-source"?: string;
                /** @description CloudEvents binary mode: 1.0 (its presence marks the request as an event) */
                "ce-specversion"?: string;
                /** @description binary mode, optional: RFC 3339; when values without their own `at` were true */
                "ce-time"?: string;
                /** @description binary mode, required */
                "ce-type"?: string;
                /** @description a repeat with the same key is accepted and not counted twice (kept by the goal, with the observations); a CloudEvent's source and id take its place */
                "Idempotency-Key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/cloudevents+json": components["schemas"]["CloudEvent"];
                "application/json": components["schemas"]["ObservationPush"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    pauseGoal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The goal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Goal"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    replayGoal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReplayGoalRequest"];
            };
        };
        responses: {
            /** @description Receipts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReplayGoalResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    resumeGoal: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The goal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Goal"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    rotateSigningSecret: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The new secret */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecretRotated"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getGoalSpecVersion: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                version: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The spec as it was */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetGoalSpecVersionResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    simulateGoal: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SimulateGoalRequest"];
            };
        };
        responses: {
            /** @description Receipts */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SimulateGoalResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    listKeys: {
        parameters: {
            query?: {
                tenant?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Keys, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListKeysResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    createKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateKeyRequest"];
            };
        };
        responses: {
            /** @description Created */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreateKeyResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    revokeKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Revoked */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getCaller: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Caller"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics: JSON by default, the Prometheus text format with Accept: text/plain */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GetMetricsResponse"];
                    "text/plain; version=0.0.4; charset=utf-8": components["schemas"]["GetMetricsResponseText"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    listRecords: {
        parameters: {
            query?: {
                cursor?: string;
                limit?: number;
            };
            header?: never;
            path: {
                collection: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ListRecordsResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    getRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                collection: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The record */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    putRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                collection: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JsonValue"];
            };
        };
        responses: {
            /** @description Stored */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Record"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    deleteRecord: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                collection: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
    publishEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                topic: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["JsonValue"];
            };
        };
        responses: {
            /** @description Published */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublishEventResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            422: components["responses"]["UnprocessableContent"];
            429: components["responses"]["TooManyRequests"];
            default: components["responses"]["Error"];
        };
    };
}

export type LanguageValue = number | boolean | string | null | LanguageValue[];
