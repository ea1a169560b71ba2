/** Small hooks the pages share: the hash route, a ticking clock, a loaded resource. */
import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "./api.ts";

/** A part of the hash, decoded; as it is when it is not valid percent-encoding (`%E0`). */
function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** The route: the hash without `#/`, split on `/` (`#/goals/g_1` → ["goals", "g_1"]). */
export function useRoute(): string[] {
  const read = () =>
    location.hash
      .replace(/^#\/?/, "")
      .split("/")
      .filter((part) => part !== "")
      .map(decodePart);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const onChange = () => setRoute(read());
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}

export const go = (path: string) => {
  location.hash = `#/${path}`;
};

/** Date.now(), updated every `ms`. */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
  set: (data: T) => void;
}

/**
 * Loads `load()` when `deps` change (and every `refreshMs`, when given);
 * keeps the last data while reloading.
 */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[], refreshMs?: number): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const current = useRef(0);
  const reload = useCallback(async () => {
    const call = ++current.current;
    setLoading(true);
    try {
      const value = await load();
      if (call !== current.current) return;
      setData(value);
      setError(undefined);
    } catch (e) {
      if (call !== current.current) return;
      setError(e instanceof ApiError ? e : new ApiError(0, "CLIENT", String(e)));
    } finally {
      if (call === current.current) setLoading(false);
    }
  }, deps);
  useEffect(() => {
    void reload();
    if (refreshMs === undefined) return;
    const timer = setInterval(() => void reload(), refreshMs);
    return () => clearInterval(timer);
  }, [reload, refreshMs]);
  return { data, error, loading, reload, set: setData };
}

/** `value`, once it has stayed the same for `ms`. */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
