/**
 * The operator's dashboard: sign-in, then the goals, a goal's live page,
 * the approvals inbox, "what if" replays and the formula playground, each a
 * hash route (`#/goals/g_…`) so the static page needs no server routing.
 */
import "uplot/dist/uPlot.min.css";
import "../styles.css";
import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { ApiError, api, can, type Me, session, whoAmI } from "./api.ts";
import { ApprovalsPage } from "./approvals.tsx";
import { FormulasPage } from "./formulas.tsx";
import { GoalPage } from "./goal-page.tsx";
import { GoalsPage } from "./goals-list.tsx";
import { useLoad, useRoute } from "./hooks.ts";
import { SignIn } from "./sign-in.tsx";
import { WhatIfPage } from "./what-if.tsx";

/**
 * What a goal id and a cycle number look like. The route's parts become API
 * paths (`/v1/goals/{id}/live` is posted as the page opens), so a link whose id
 * is `g_…/pause?` must open nothing rather than pause that goal.
 */
const GOAL_ID = /^g_[0-9a-f]{1,64}$/;
const CYCLE = /^[1-9][0-9]{0,14}$/;

/** How many actions await approval across the tenant's goals, read every 15 s. */
function usePending(me: Me | null): number | undefined {
  const allowed = me !== null && can(me, "goals:read");
  const pending = useLoad(
    async () =>
      allowed
        ? (await api<{ approvals: unknown[] }>("GET", "/v1/approvals?status=pending&limit=200"))
            .approvals.length
        : undefined,
    [allowed],
    15_000,
  );
  return pending.data;
}

function App() {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(session.key() !== null);
  const [notice, setNotice] = useState<string>();
  const route = useRoute();
  const pending = usePending(me);

  useEffect(() => {
    const onSignOut = () => {
      setMe(null);
      setNotice("Signed out. A key the service refuses (revoked or wrong) also signs out.");
    };
    window.addEventListener("signed-out", onSignOut);
    const key = session.key();
    if (key !== null) {
      whoAmI(key)
        .then(setMe)
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.status === 401) session.signOut();
          else setNotice(e instanceof Error ? e.message : String(e));
        })
        .finally(() => setChecking(false));
    }
    return () => window.removeEventListener("signed-out", onSignOut);
  }, []);

  if (checking) return <p class="boot">Checking the key…</p>;
  if (me === null) {
    return (
      <SignIn
        notice={notice}
        onSignedIn={(who) => {
          setNotice(undefined);
          setMe(who);
        }}
      />
    );
  }

  const [page = "goals", id, sub, arg] = route;
  let content = <GoalsPage me={me} />;
  if (page === "goals" && id !== undefined && !GOAL_ID.test(id)) {
    content = <p class="notice">There is no goal here: a goal's id looks like g_0123…</p>;
  } else if (page === "goals" && id !== undefined && sub === "what-if") {
    content = <WhatIfPage id={id} />;
  } else if (page === "goals" && id !== undefined) {
    const cycle = sub === "cycle" && arg !== undefined && CYCLE.test(arg) ? Number(arg) : undefined;
    content = <GoalPage me={me} id={id} cycle={cycle} />;
  } else if (page === "approvals") content = <ApprovalsPage me={me} />;
  else if (page === "formulas") content = <FormulasPage me={me} />;
  const needs = page === "formulas" ? "formulas:read" : "goals:read";
  if (!can(me, needs)) {
    content = (
      <p class="notice">
        This key may not read {page === "formulas" ? "formulas" : "goals"} (it lacks {needs}).
      </p>
    );
  }

  const nav = [
    { href: "#/goals", label: "Goals", page: "goals", show: can(me, "goals:read") },
    { href: "#/approvals", label: "Approvals", page: "approvals", show: can(me, "goals:read") },
    { href: "#/formulas", label: "Formulas", page: "formulas", show: can(me, "formulas:read") },
  ];
  return (
    <>
      <header class="top">
        <a class="brand" href="#/goals">
          Agentic FaaS
        </a>
        <nav aria-label="Pages">
          {nav
            .filter((item) => item.show)
            .map((item) => (
              <a
                key={item.href}
                href={item.href}
                aria-current={item.page === page ? "page" : undefined}
              >
                {item.label}
                {item.page === "approvals" && pending !== undefined && pending > 0 && (
                  <span class="count">
                    {" "}
                    {pending}
                    <span class="sr-only"> pending</span>
                  </span>
                )}
              </a>
            ))}
        </nav>
        <div class="who">
          <span title={me.scopes.join(", ")}>
            {me.tenant} · {me.name ?? me.key_id}
          </span>
          <button type="button" class="link" onClick={() => session.signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main>{content}</main>
    </>
  );
}

const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(<App />, root);
}
