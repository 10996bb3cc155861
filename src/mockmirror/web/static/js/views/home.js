// @ts-check
// #/ — what to practise: role or job description, length, difficulty, follow-ups, warm-up/closing.

import { html } from "../../vendor/lit-html/lit-html.js";
import { getConfig } from "../api.js";
import { show } from "../router.js";
import { roleName } from "../util.js";

/** @typedef {import("../types.js").Draft} Draft */
/** @typedef {import("../router.js").ViewContext} ViewContext */

/** The choices made on this page, kept while the page is open (the consent page sends them). @type {Draft} */
export const draft = { role: "any", job_description: "", core_questions: 3, difficulty: 2, max_follow_ups: 1, warm_up: true, closing: true };

/** @param {ViewContext} _ctx */
export async function home(_ctx) {
  const config = await getConfig();
  /** @param {SubmitEvent} e */
  const submit = (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    /** @param {string} id */
    const value = (id) => /** @type {HTMLInputElement} */ (form.querySelector(`#${id}`)).value;
    draft.role = value("role");
    draft.job_description = value("jd");
    draft.core_questions = Number(value("len"));
    draft.difficulty = Number(value("diff"));
    draft.max_follow_ups = Number(value("fu"));
    draft.warm_up = draft.closing = /** @type {HTMLInputElement} */ (form.querySelector("#frame")).checked;
    location.hash = "#/consent";
  };
  /** @param {[number | string, string][]} options @param {number} chosen */
  const choices = (options, chosen) => options.map(([v, text]) => html`<option value=${v} ?selected=${Number(v) === chosen}>${text}</option>`);
  show(html`<h1>Practise a job interview</h1>
  <form class="card" id="setup" @submit=${submit}>
    <label for="role">Role</label>
    <select id="role">${config.roles.map((r) => html`<option value=${r} ?selected=${r === draft.role}>${roleName(r)}</option>`)}</select>
    <label for="jd">Or paste a job description <span class="muted">(optional: questions aim at its skills)</span></label>
    <textarea id="jd" placeholder="Paste the job advert here" .value=${draft.job_description}></textarea>
    <div class="row">
      <div><label for="len">Questions</label>
        <select id="len">${choices([1, 2, 3, 5, 8].map((n) => [n, String(n)]), draft.core_questions)}</select></div>
      <div><label for="diff">Difficulty</label>
        <select id="diff">${choices([[1, "Gentle"], [2, "Standard"], [3, "Demanding"]], draft.difficulty)}</select></div>
      <div><label for="fu">Follow-up questions</label>
        <select id="fu">${choices([[0, "None"], [1, "Up to 1 per question"], [2, "Up to 2"]], draft.max_follow_ups)}</select></div>
    </div>
    <label class="inline"><input type="checkbox" id="frame" ?checked=${draft.warm_up}> Add a warm-up question first and a closing one last</label>
    <button type="submit">Continue</button>
  </form>
  <p class="muted">You can skip a question or stop at any time.</p>`, "Practise");
}
