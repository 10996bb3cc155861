// @ts-check
// #/upload — analyse a recording instead of the live flow.

import { html, nothing } from "../../vendor/lit-html/lit-html.js";
import { createSession, deleteSession, getConfig, uploadAnswer, waitForAnalysis } from "../api.js";
import { guard, show } from "../router.js";

/** @typedef {import("../router.js").ViewContext} ViewContext */
/** @typedef {import("../../vendor/lit-html/lit-html.js").TemplateResult} TemplateResult */

/** @param {ViewContext} ctx */
export async function upload({ signal }) {
  const config = await getConfig();
  const limit = config.max_upload_mb;
  /** @type {{error: string, result: TemplateResult | typeof nothing}} */
  const state = { error: "", result: nothing };
  const submit = guard(signal, /** @param {SubmitEvent} e */ async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    state.error = "";
    draw();
    const file = /** @type {HTMLInputElement} */ (form.querySelector("#file")).files?.[0];
    if (!file) return;
    if (file.size > limit * 1e6) { state.error = `This file is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${limit} MB.`; draw(); return; }
    const keep = /** @type {HTMLInputElement} */ (form.querySelector("#u-keep")).checked;
    const session = await createSession({ kind: "upload" }, { camera: true, microphone: true, keep_recording: keep }, signal);
    const body = new FormData();
    body.append("file", file);
    body.append("question", /** @type {HTMLInputElement} */ (form.querySelector("#question")).value);
    /** @param {number} progress @param {string} stage */
    const progress = (progress, stage) => {
      state.result = html`<div class="card"><label for="up-progress">Analysing</label><progress id="up-progress" max="1" .value=${progress}></progress><p class="muted" id="up-stage">${stage}</p></div>`;
      draw();
    };
    progress(0, "uploading…");
    let answer;
    try { answer = await uploadAnswer(session.id, body, signal); } catch (ex) {
      await deleteSession(session.id);
      state.result = nothing;
      state.error = ex instanceof Error ? ex.message : String(ex);
      draw();
      return;
    }
    const a = await waitForAnalysis(answer.id, config.poll_interval_s * 1000, signal, (a) => progress(a.progress, a.stage));
    if (a.status === "failed") { state.result = html`<p class="error card">${a.error}</p>`; draw(); return; }
    location.hash = `#/report/${session.id}`;
  });
  const draw = (focus = false) => show(html`<h1>Upload a recorded answer</h1>
  <form class="card" id="up" @submit=${submit}>
    <label for="file">Recording <span class="muted">(video or audio, up to ${limit} MB)</span></label>
    <input type="file" id="file" accept="video/*,audio/*" required>
    <label for="question">The question you answered</label>
    <input type="text" id="question" placeholder="Tell me about yourself.">
    <div class="consent" style="margin-top:1rem">
      <label><input type="checkbox" id="u-keep"><span><b>Keep a copy for replay</b> Otherwise the copy is deleted after the analysis.</span></label>
    </div>
    <p id="up-error" class="error" role="alert">${state.error || nothing}</p>
    <button type="submit">Analyse</button>
  </form><div id="up-result">${state.result}</div>`, "Upload", { focus });
  draw(true);
}
