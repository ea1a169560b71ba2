// The callbacks given to page.evaluate run in the browser: they need the DOM types.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * What the dashboard's end-to-end test (e2e-dashboard.ts) checks on every
 * page: console and page errors, accessible names as Chromium computes them,
 * and the page's width.
 */
import type { Page } from "playwright-core";

/** A console error or page error, with where it came from. */
export interface Problem {
  text: string;
  url: string;
}

/**
 * Collects the page's console errors and uncaught errors into `problems`.
 * Chromium logs every 4xx answer to fetch as a console error: those from
 * `expectedFailures` (paths a step makes fail on purpose) go to `expected`,
 * and so do failed requests and sockets while `outage()` (the service is
 * down on purpose).
 */
export function watch(
  page: Page,
  problems: Problem[],
  expected: Problem[],
  expectedFailures: readonly RegExp[],
  outage: () => boolean,
) {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const problem = { text: message.text(), url: message.location().url };
    const refused =
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(problem.text) &&
      expectedFailures.some((pattern) => pattern.test(new URL(problem.url).pathname));
    const down =
      outage() && /^(Failed to load resource|WebSocket connection to .* failed)/.test(problem.text);
    (refused || down ? expected : problems).push(problem);
  });
  page.on("pageerror", (error) => problems.push({ text: String(error), url: page.url() }));
}

/** The roles of controls: what a person can press, type into or choose in. */
const CONTROL_ROLES = new Set([
  "button",
  "link",
  "textbox",
  "searchbox",
  "combobox",
  "listbox",
  "checkbox",
  "radio",
  "switch",
  "slider",
  "spinbutton",
  "tab",
  "menuitem",
  "DisclosureTriangle", // <summary>
]);

interface AxNode {
  ignored: boolean;
  role?: { value?: string };
  name?: { value?: string };
}

/**
 * The controls on the page with no accessible name, from Chromium's own
 * accessibility tree (labels, aria-label, aria-labelledby, text, title).
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: AxNode[] };
    return nodes
      .filter((node) => !node.ignored && CONTROL_ROLES.has(node.role?.value ?? ""))
      .filter((node) => (node.name?.value ?? "").trim() === "")
      .map((node) => node.role?.value ?? "?");
  } finally {
    await cdp.detach();
  }
}

/** How wide the page's content is, and the last few elements that reach past `limit` px. */
export function contentWidth(page: Page, limit: number) {
  return page.evaluate((limit) => {
    const wide = [...document.querySelectorAll<HTMLElement>("body *")]
      .filter((el) => el.getBoundingClientRect().right > limit + 1)
      .slice(-3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    return { width: document.documentElement.scrollWidth, wide };
  }, limit);
}

/** The number of controls the accessibility tree holds (a check that the check sees them). */
export async function controlCount(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { nodes } = (await cdp.send("Accessibility.getFullAXTree")) as { nodes: AxNode[] };
    return nodes.filter((n) => !n.ignored && CONTROL_ROLES.has(n.role?.value ?? "")).length;
  } finally {
    await cdp.detach();
  }
}
