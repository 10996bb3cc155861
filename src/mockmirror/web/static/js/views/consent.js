// @ts-check
// #/consent — what the candidate allows, per modality; then the camera and microphone are opened
// and the session is created.

import { html, nothing } from "../../vendor/lit-html/lit-html.js";
import { createSession, getConfig } from "../api.js";
import { getMedia, stopMedia } from "../live.js";
import { guard, show } from "../router.js";
import { draft } from "./home.js";

/** @typedef {import("../router.js").ViewContext} ViewContext */

/** @param {ViewContext} ctx */
export async function consent({ signal }) {
  const config = await getConfig();
  const submit = guard(signal, /** @param {SubmitEvent} e */ async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    /** @param {string} id */
    const checked = (id) => !!(/** @type {HTMLInputElement | null} */ (form.querySelector(`#${id}`))?.checked);
    const err = /** @type {HTMLElement} */ (form.querySelector("#consent-error"));
    if (!checked("c-mic")) {
      err.textContent = "Spoken practice needs the microphone. To practise without it, upload a recording instead.";
      return;
    }
    let media;
    try {
      stopMedia();
      media = await getMedia(checked("c-cam"));
    } catch (ex) {
      err.textContent = `The browser did not give access to the microphone (${ex instanceof Error ? ex.message : ex}).`;
      return;
    }
    try {
      const session = await createSession(draft, {
        microphone: true, camera: media.camera, keep_recording: checked("c-keep"), emotion_inference: checked("c-emo"),
      }, signal);
      location.hash = `#/calibrate/${session.id}`;
    } catch (ex) {
      if (signal.aborted) return;
      err.textContent = ex instanceof Error ? ex.message : String(ex);
    }
  });
  show(html`<h1>Before we start: what you allow</h1>
  <form class="card consent" id="consent" @submit=${submit}>
    <label><input type="checkbox" id="c-mic" checked><span><b>Use my microphone</b>
      Your answers are turned into text on this computer to give feedback on what you say and how (pace, pauses, filler words). Needed for spoken practice.</span></label>
    <label><input type="checkbox" id="c-cam" checked><span><b>Use my camera</b>
      Used for eye contact and face cues (looking at the camera, smiling). If you say no, or the browser blocks it, you practise with audio only.</span></label>
    <label><input type="checkbox" id="c-keep"><span><b>Keep my recordings</b>
      So you can replay your answers in the report. If you leave this off, each recording is deleted as soon as it has been analysed; the feedback stays.</span></label>
    ${config.emotion_inference_allowed ? html`<label><input type="checkbox" id="c-emo"><span><b>Name my facial expressions as emotions (optional)</b>
      Off by default. Expressions are not feelings; this is only for your own practice.</span></label>` : nothing}
    <p class="muted">Everything stays on this computer. You can delete a session, or all your data, at any time on the "My progress" page.</p>
    <p id="consent-error" class="error" role="alert"></p>
    <div><button type="submit">Start calibration</button><a class="button secondary" href="#/">Back</a></div>
  </form>`, "Consent");
}
