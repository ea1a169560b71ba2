/** The sign-in form: an API key, checked with `GET /v1/me`, then kept in session storage. */
import { useState } from "preact/hooks";
import { ApiError, type Me, session, whoAmI } from "./api.ts";

export function SignIn({ notice, onSignedIn }: { notice?: string; onSignedIn: (me: Me) => void }) {
  const [key, setKey] = useState("");
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const me = await whoAmI(key.trim());
      session.signIn(key.trim());
      setKey("");
      onSignedIn(me);
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 401
          ? "The service does not know this key (or it was revoked)."
          : e instanceof Error
            ? e.message
            : String(e),
      );
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form class="card" onSubmit={submit} aria-labelledby="sign-in-title">
        <h1 id="sign-in-title">Agentic FaaS</h1>
        <p class="muted">
          Sign in with an API key. It stays in this tab only (session storage) and goes to the
          service as a bearer token; closing the tab or signing out forgets it.
        </p>
        {notice && <p class="notice">{notice}</p>}
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          value={key}
          onInput={(e) => setKey(e.currentTarget.value)}
          required
        />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ""}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
