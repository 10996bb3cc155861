// @ts-check
// Hash routes (#/, #/consent, #/calibrate/ID, #/interview/ID, #/report/ID, #/dashboard, #/upload).
// Each view runs with an AbortSignal of its own; leaving the view aborts it, which cancels its
// requests, polling loops, timers and live stream.

import { html, render } from "../vendor/lit-html/lit-html.js";
import { isAbort } from "./util.js";

/** @typedef {import("../vendor/lit-html/lit-html.js").TemplateResult} TemplateResult */
/** @typedef {{params: string[], signal: AbortSignal}} ViewContext */
/** @typedef {(ctx: ViewContext) => Promise<void>} View */

const main = /** @type {HTMLElement} */ (document.getElementById("main"));

/**
 * Draw a view into <main> (lit's render: only what changed is touched, so a re-render keeps the
 * focus, the scroll position and any playing video). `focus`: move the focus to the new content
 * (on a new view, not on a refresh of the same one).
 * @param {TemplateResult} template @param {string} title @param {{focus?: boolean}} [options]
 */
export function show(template, title, { focus = true } = {}) {
  render(template, main);
  document.title = `${title} — mockmirror`;
  if (focus) main.focus();
}

/** @param {unknown} err */
export function showError(err) {
  const message = err instanceof Error ? err.message : String(err);
  show(html`<h1>Something went wrong</h1><p class="error">${message}</p><a class="button" href="#/">Home</a>`, "Error");
}

/**
 * Wrap an event handler of a view: an error shows the error page, unless the view was left (its
 * `signal` aborted) in the meantime.
 * @template {any[]} A @param {AbortSignal} signal @param {(...args: A) => Promise<void>} handler
 * @returns {(...args: A) => void}
 */
export const guard = (signal, handler) => (...args) => {
  handler(...args).catch((err) => { if (!signal.aborted && !isAbort(err)) showError(err); });
};

/**
 * Start routing: `routes` maps the hash's first part to a view ("" is home); `onChange(name)` runs
 * before each view (e.g. to release the camera).
 * @param {Record<string, View>} routes @param {(name: string) => void} onChange
 */
export function startRouter(routes, onChange) {
  /** @type {AbortController | null} */
  let current = null;
  async function route() {
    // "#main" and the like are anchors in the page (the skip link), not routes: stay on the view.
    if (current && location.hash && !location.hash.startsWith("#/")) return;
    current?.abort();
    const controller = new AbortController();
    current = controller;
    const [, name = "", ...params] = (location.hash || "#/").split("/");
    onChange(name);
    const view = routes[name] || routes[""];
    try {
      await view({ params, signal: controller.signal });
    } catch (err) {
      if (!controller.signal.aborted && !isAbort(err)) showError(err);
    }
  }
  main.replaceChildren(); // the static "Loading…" is not lit's to update
  window.addEventListener("hashchange", route);
  route();
}
