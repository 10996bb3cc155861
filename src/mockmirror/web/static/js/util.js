// @ts-check
// Small helpers shared by the views: number formats, cancellable waits, safe links.

/** @param {number | null | undefined} v @param {number} [digits] @param {string} [unit] */
export const fmt = (v, digits = 0, unit = "") => (v === null || v === undefined ? "—" : `${Number(v).toFixed(digits)}${unit}`);

/** @param {number | null | undefined} v  a share, 0–1 */
export const pct = (v) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)} %`);

/** 0:42 style time. @param {number} t seconds */
export const clock = (t) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`;

/**
 * Wait `ms`; rejects with the signal's reason as soon as the signal aborts (the user left the page).
 * @param {number} ms @param {AbortSignal} [signal] @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) { reject(signal.reason); return; }
    const done = () => { signal?.removeEventListener("abort", cancel); resolve(); };
    const timer = setTimeout(done, ms);
    const cancel = () => { clearTimeout(timer); reject(signal?.reason); };
    signal?.addEventListener("abort", cancel, { once: true });
  });
}

/** Whether an error only says the view was left (its work was cancelled). @param {unknown} err */
export const isAbort = (err) => err instanceof DOMException && err.name === "AbortError";

/**
 * A link the server gave: only a path on this server (never javascript: or another site).
 * @param {string | null | undefined} url @returns {string | undefined}
 */
export const localUrl = (url) => (typeof url === "string" && url.startsWith("/") && !url.startsWith("//") ? url : undefined);

/** A role family as a person reads it ("any" is the general set). @param {string} role */
export const roleName = (role) => (role === "any" ? "Any role (general questions)" : role.replace(/_/g, " "));

/** A session's state in plain words. @param {string} state */
export const stateName = (state) => ({ done: "Finished", upload: "Upload" })[state] || "Not finished";

/** Set an element's text by id (plain-text updates that need no re-render). @param {string} id @param {string} text */
export function setText(id, text) {
  const el = document.getElementById(id);
  if (el) el.textContent = text;
}
