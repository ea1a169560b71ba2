/**
 * Deleting a goal: a button that opens a dialog asking for the goal's name as
 * shown (its id when the name shows nothing, so it can be typed), so a goal is
 * never deleted by one stray click.
 */
import { useRef, useState } from "preact/hooks";
import { ApiError, api } from "./api.ts";
import { go } from "./hooks.ts";
import { GoalName, shownName } from "./ui.tsx";

export function DeleteGoal({
  id,
  name,
  onError,
}: {
  id: string;
  name: string;
  onError: (error: ApiError) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const remove = async () => {
    setBusy(true);
    try {
      await api("DELETE", `/v1/goals/${id}`);
      dialog.current?.close();
      go("goals");
    } catch (e) {
      dialog.current?.close();
      if (e instanceof ApiError) onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <button
        type="button"
        class="danger"
        onClick={() => {
          setTyped("");
          dialog.current?.showModal();
        }}
      >
        Delete…
      </button>
      <dialog ref={dialog} aria-labelledby="delete-title" class="confirm">
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            void remove();
          }}
        >
          <h2 id="delete-title">
            Delete <GoalName name={name} id={id} />?
          </h2>
          <p>
            Its loop stops and its state, receipts and pending approvals are removed. This cannot be
            undone. Type the goal's name as shown above to confirm.
          </p>
          <label for="confirm-name">Goal name</label>
          <input
            id="confirm-name"
            value={typed}
            autocomplete="off"
            onInput={(e) => setTyped(e.currentTarget.value)}
          />
          <div class="row end">
            <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </button>
            <button type="submit" class="danger" disabled={busy || typed !== shownName(name, id)}>
              Delete goal
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}
