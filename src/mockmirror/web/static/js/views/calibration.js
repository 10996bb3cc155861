// @ts-check
// #/calibrate/ID — about 10 s: look at the camera, at the screen centre, relax, say one sentence.
// The server turns the streamed phases into the eye-contact calibration and the speech baseline.

import { html } from "../../vendor/lit-html/lit-html.js";
import { hasMedia, getMedia, LiveStream, preview, setLevel } from "../live.js";
import { guard, show } from "../router.js";
import { setText, sleep } from "../util.js";

/** @typedef {import("../router.js").ViewContext} ViewContext */

/** @type {[string, string, number][]} phase, what to do, how long (ms) */
const STEPS = [
  ["camera", "Look straight into the camera.", 3000],
  ["screen", "Now look at the centre of the screen.", 2500],
  ["neutral", "Relax your face, as if listening.", 2000],
  ["sentence", "Say out loud: “I am ready for my practice interview.”", 3500],
];

/** @param {ViewContext} ctx */
export async function calibrate({ params: [id], signal }) {
  if (!hasMedia()) { location.hash = `#/interview/${id}`; return; }
  const media = await getMedia(true); // the one opened on the consent page
  const start = guard(signal, /** @param {Event} e */ async (e) => {
    /** @type {HTMLButtonElement} */ (e.currentTarget).disabled = true;
    const videoEl = /** @type {HTMLVideoElement} */ (document.getElementById("cam"));
    const live = new LiveStream(id, "calibration", media, { signal, videoEl, onLevel: setLevel });
    await live.open();
    const progress = /** @type {HTMLProgressElement} */ (document.getElementById("cal-progress"));
    for (const [i, [phase, text, ms]] of STEPS.entries()) {
      if (!media.camera && phase !== "sentence") continue;
      live.phase(phase);
      setText("cal-step", text);
      await sleep(ms, signal);
      progress.value = i + 1;
    }
    setText("cal-step", "Thank you. Saving your baseline…");
    await live.end();
    if (!signal.aborted) location.hash = `#/interview/${id}`;
  });
  show(html`<h1>Calibration (about 10 seconds)</h1>
  <div class="stage">
    <div>${preview(media)}</div>
    <div class="card"><p class="caption" id="cal-step" aria-live="assertive">Get comfortable, then press Start.</p>
      <progress id="cal-progress" max=${STEPS.length} value="0"></progress>
      <p class="muted">This sets your own baseline: where your eyes look when you face the camera, and how loud you speak.</p>
      <button id="cal-start" @click=${start}>Start</button><a class="button secondary" href="#/interview/${id}">Skip</a></div>
  </div>`, "Calibration");
}
