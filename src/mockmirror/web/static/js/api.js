// @ts-check
// The REST API (docs/web.md): one fetch wrapper that takes an AbortSignal, and a typed function
// per call the page makes.

import { sleep } from "./util.js";

/** @typedef {import("./types.js").UiConfig} UiConfig */
/** @typedef {import("./types.js").Session} Session */
/** @typedef {import("./types.js").Answer} Answer */
/** @typedef {import("./types.js").SessionReport} SessionReport */
/** @typedef {import("./types.js").Dashboard} Dashboard */
/** @typedef {import("./types.js").Consent} Consent */
/** @typedef {import("./types.js").Draft} Draft */

/**
 * Fetch `path` and parse the JSON answer; a non-2xx status throws an Error with the server's
 * `detail`. An aborted `signal` rejects with an AbortError (see util.isAbort).
 * @param {string} path @param {RequestInit} [options] @returns {Promise<any>}
 */
export async function api(path, options = {}) {
  const json = options.body && !(options.body instanceof FormData);
  /** @type {Record<string, string>} */
  const headers = json ? { "Content-Type": "application/json" } : {};
  // Institution mode: every write repeats the login's token (a page of another site cannot know it).
  if (csrfToken && options.method && options.method !== "GET") headers["X-CSRF-Token"] = csrfToken;
  const response = await fetch(path, { ...options, headers });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (response.status === 401 && path !== "/api/auth/login") location.hash = "#/login";
  if (!response.ok) throw new Error((data && data.detail) || `${response.status} ${response.statusText}`);
  return data;
}

/** The login's CSRF token (institution mode), from GET /api/auth/me or the login; null in personal mode. */
let csrfToken = /** @type {string | null} */ (null);

/**
 * Who is using the app: personal mode's one person, or the logged-in account (401: nobody yet).
 * @typedef {{username: string, role: string, mode: "personal" | "institution", csrf_token: string | null, must_change_password: boolean}} Me
 */

/** @param {AbortSignal} [signal] @returns {Promise<Me>} */
export async function getMe(signal) {
  /** @type {Me} */
  const me = await api("/api/auth/me", { signal });
  csrfToken = me.csrf_token;
  return me;
}

/** @param {string} username @param {string} password @param {AbortSignal} [signal] @returns {Promise<Me>} */
export async function logIn(username, password, signal) {
  /** @type {Me} */
  const me = await api("/api/auth/login", { method: "POST", body: JSON.stringify({ username, password }), signal });
  csrfToken = me.csrf_token;
  config = null; // the settings are read again as the new person
  return me;
}

/** @returns {Promise<void>} */
export async function logOut() {
  await api("/api/auth/logout", { method: "POST" });
  csrfToken = null;
}

/** @param {string} oldPassword @param {string} newPassword @param {AbortSignal} [signal] @returns {Promise<{detail: string}>} */
export const changePassword = (oldPassword, newPassword, signal) =>
  api("/api/auth/password", { method: "POST", body: JSON.stringify({ old_password: oldPassword, new_password: newPassword }), signal });

/** @type {Promise<UiConfig> | null} */
let config = null;

/**
 * The server's settings for the UI (GET /api/config), fetched once per page load.
 * @returns {Promise<UiConfig>}
 */
export function getConfig() {
  config = config || api("/api/config").catch((err) => { config = null; throw err; });
  return config;
}

/** @param {Draft | {kind: "upload"}} body @param {Consent} consent @param {AbortSignal} [signal] @returns {Promise<Session>} */
export const createSession = (body, consent, signal) =>
  api("/api/sessions", { method: "POST", body: JSON.stringify({ ...body, consent }), signal });

/** @param {AbortSignal} [signal] @returns {Promise<Session[]>} */
export const listSessions = (signal) => api("/api/sessions", { signal });

/** @param {string} id @param {AbortSignal} [signal] @returns {Promise<Session>} */
export const getSession = (id, signal) => api(`/api/sessions/${encodeURIComponent(id)}`, { signal });

/** @param {string} id @param {AbortSignal} [signal] @returns {Promise<{detail: string}>} */
export const deleteSession = (id, signal) => api(`/api/sessions/${encodeURIComponent(id)}`, { method: "DELETE", signal });

/** @param {string} id @param {"skip" | "stop"} step @param {AbortSignal} [signal] @returns {Promise<Session>} */
export const stepSession = (id, step, signal) => api(`/api/sessions/${encodeURIComponent(id)}/${step}`, { method: "POST", signal });

/** @param {string} id @param {AbortSignal} [signal] @returns {Promise<Answer>} */
export const getAnswer = (id, signal) => api(`/api/answers/${encodeURIComponent(id)}`, { signal });

/** @param {string} sessionId @param {FormData} form @param {AbortSignal} [signal] @returns {Promise<Answer>} */
export const uploadAnswer = (sessionId, form, signal) =>
  api(`/api/sessions/${encodeURIComponent(sessionId)}/answers`, { method: "POST", body: form, signal });

/** @param {string} id @param {AbortSignal} [signal] @returns {Promise<SessionReport>} */
export const getSessionReport = (id, signal) => api(`/api/sessions/${encodeURIComponent(id)}/report`, { signal });

/** @param {AbortSignal} [signal] @returns {Promise<Dashboard>} */
export const getDashboard = (signal) => api("/api/dashboard", { signal });

/** @param {AbortSignal} [signal] @returns {Promise<{detail: string}>} */
export const deleteAllData = (signal) => api("/api/data", { method: "DELETE", signal });

/**
 * Ask every `intervalMs` until the answer's analysis is done or failed, or `enough` says what is
 * known already will do; `onProgress` sees each state.
 * Stops (rejects with an AbortError) as soon as `signal` aborts.
 * @param {string} answerId @param {number} intervalMs @param {AbortSignal} signal
 * @param {(a: Answer) => void} onProgress @param {(a: Answer) => boolean} [enough]
 * @returns {Promise<Answer>}
 */
export async function waitForAnalysis(answerId, intervalMs, signal, onProgress, enough = () => false) {
  for (;;) {
    const answer = await getAnswer(answerId, signal);
    onProgress(answer);
    if (answer.status === "done" || answer.status === "failed" || enough(answer)) return answer;
    await sleep(intervalMs, signal);
  }
}
