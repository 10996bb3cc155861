// @ts-check
// #/interview/ID — the recruiter asks, the candidate answers live, the answer is analysed, its
// feedback shown, then the next question (or the report).

import { html, nothing } from "../../vendor/lit-html/lit-html.js";
import { getConfig, getSession, stepSession, waitForAnalysis } from "../api.js";
import { getMedia, LiveStream, preview, setLevel, showNudge, speak, stopMedia } from "../live.js";
import { guard, show } from "../router.js";
import { fmt, pct, setText } from "../util.js";

/** @typedef {import("../types.js").Answer} Answer */
/** @typedef {import("../types.js").UiConfig} UiConfig */
/** @typedef {import("../router.js").ViewContext} ViewContext */
/** @typedef {import("../../vendor/lit-html/lit-html.js").TemplateResult} TemplateResult */
/** @typedef {TemplateResult | typeof nothing} Part */

/** The microphone's level (RMS, 0–1) above which a block counts as speech for ending the answer. */
const SPEECH_LEVEL = 0.02;

/** The answer's measures and the interviewer's feedback, shown after its analysis. @param {Answer} a @param {UiConfig} config */
function answerFeedback(a, config) {
  const m = a.measures || {};
  const fb = a.dialogue_feedback?.feedback || null;
  const answered = !fb || fb.answered;
  const notes = fb?.notes || [];
  const strong = fb && answered !== false ? fb.strong_answer_points || [] : [];
  const [low, high] = config.pace_band_wpm;
  return html`<h2>${fb && !fb.final ? "Your answer, before the follow-up" : "Your answer"}</h2>
    ${fb && !answered ? html`<p class="verdict"><b>${fb.headline || "Not assessed"}</b>: not counted in your averages.</p>` : nothing}
    ${answered ? html`<div class="tiles">
      <div class="tile"><b>${fmt(m.words_per_minute)}</b>words / min <span class="muted">(comfortable: about ${low}–${high})</span></div>
      <div class="tile"><b>${fmt(m.filler_count)}</b>filler words</div>
      <div class="tile"><b>${pct(m.eye_contact_ratio)}</b>eye contact</div>
      <div class="tile"><b>${fmt(m.longest_pause_s, 1, " s")}</b>longest pause</div>
    </div>` : nothing}
    <p class="muted">We heard: “${a.transcript || "(no words recognised)"}”</p>
    ${a.status !== "done" ? html`<p class="muted">The face and the full report are still being analysed; they will be in the session report.</p>` : nothing}
    ${notes.length ? html`<ul class="points">${notes.map((s) => html`<li>${s}</li>`)}</ul>` : nothing}
    ${strong.length ? html`<h3>A strong answer to this question includes</h3><ul class="points">${strong.map((p) => html`<li>${p}</li>`)}</ul>` : nothing}`;
}

/** @param {ViewContext} ctx */
export async function interview({ params: [id], signal }) {
  const config = await getConfig();
  let session = await getSession(id, signal);
  if (session.state === "done") { location.hash = `#/report/${id}`; return; }
  /** @type {import("../live.js").Media} */
  let media;
  try { media = await getMedia(session.consent.camera); } catch (ex) {
    show(html`<h1>Microphone needed</h1><p class="error">${ex instanceof Error ? ex.message : String(ex)}</p>
      <a class="button" href="#/upload">Upload a recording instead</a>`, "Interview");
    return;
  }
  /** @type {{controls: Part, after: Part}} the parts that change; the caption and status are plain text */
  const state = { controls: nothing, after: nothing };
  const draw = (focus = false) => show(html`<div class="stage">
    <section class="card" aria-labelledby="q-label">
      <div class="recruiter"><div class="avatar" id="avatar" aria-hidden="true">MM</div>
        <div><p class="muted" id="q-label">Question <span id="q-num"></span></p>
          <p class="caption" id="caption" aria-live="polite"></p></div></div>
      <p class="status" id="status" aria-live="polite"></p>
      <div id="controls">${state.controls}</div>
      <div id="after">${state.after}</div>
    </section>
    <section>${preview(media)}<p class="muted">Answer when the question ends. Stop talking for a few seconds, or press “Done”, to finish your answer.</p></section>
  </div>`, "Interview", { focus });
  draw(true); // the focus goes to the new view once; later draws leave it where it is
  const videoEl = /** @type {HTMLVideoElement} */ (document.getElementById("cam"));
  /** @param {string} elementId */
  const focus = (elementId) => document.getElementById(elementId)?.focus();

  const finishInterview = () => { stopMedia(); location.hash = `#/report/${id}`; };

  async function ask() {
    session = await getSession(id, signal);
    const p = session.prompt;
    if (session.state === "done" || !p) { finishInterview(); return; }
    setText("q-num", `${p.number} of ${p.total}${p.kind === "follow_up" ? " (follow-up)" : ""}`);
    setText("caption", p.text);
    state.after = state.controls = nothing;
    draw();
    setText("status", "The recruiter is asking…");
    const avatar = document.getElementById("avatar");
    avatar?.classList.add("speaking");
    await speak(p.text, signal);
    avatar?.classList.remove("speaking");
    await answer();
  }

  async function answer() {
    setText("status", "Getting the microphone ready…");
    const { answer_end_quiet_s: quietS, answer_min_speech_s: minSpeechS, nudge_show_s: nudgeS } = config.live;
    let speechMs = 0, lastLevelAt = performance.now(), ending = false;
    /** @type {number | null} */
    let quietSince = null;
    const live = new LiveStream(id, "answer", media, {
      signal,
      videoEl,
      onMessage: (m) => { if (m.type === "cue" && m.message) showNudge(m.message, nudgeS); },
      onLevel: (level) => {
        setLevel(level);
        // End of answer: a few seconds of quiet after enough speech (settings web.answer_*).
        const now = performance.now();
        const dt = now - lastLevelAt;
        lastLevelAt = now;
        if (level > SPEECH_LEVEL) { speechMs += dt; quietSince = null; } else if (speechMs > minSpeechS * 1000) { quietSince = quietSince || now; }
        if (!ending && quietSince && now - quietSince > quietS * 1000) finish();
      },
    });
    /** @type {Promise<void>} */
    let opened = Promise.resolve();
    const finish = guard(signal, async () => {
      if (ending) return;
      ending = true;
      state.controls = nothing;
      draw();
      setText("status", "Answer received.");
      await opened;
      const ended = await live.end();
      if (ended.answer_id) await analysing(ended.answer_id);
      else if (!signal.aborted) { setText("status", "Nothing was recorded; let us try that question again."); await answer(); }
    });
    /** @param {"skip" | "stop"} step */
    const leave = (step) => guard(signal, async () => {
      if (ending) return;
      ending = true;
      await opened.catch(() => {});
      await live.end();
      await stepSession(id, step, signal);
      if (step === "skip") await ask();
      else finishInterview();
    });
    state.controls = html`<button id="done" @click=${finish}>Done</button><button class="secondary" id="skip" @click=${leave("skip")}>Skip question</button><button class="secondary" id="stop" @click=${leave("stop")}>End interview</button>`;
    opened = live.open();
    draw();
    await opened;
    // Only now is the answer being recorded (on a busy server the socket can take seconds).
    if (!ending) setText("status", "Listening… take your time.");
    focus("done");
  }

  /** @param {string} answerId */
  async function analysing(answerId) {
    /** @param {Answer | null} a */
    const progress = (a) => {
      state.after = html`<label for="an-progress">Analysing your answer</label><progress id="an-progress" max="1" .value=${a ? a.progress : 0}></progress><p class="muted" id="an-stage">${a ? a.stage : ""}</p>`;
      draw();
    };
    progress(null);
    // The interviewer's next turn comes with the quick feedback (speech and content); the face
    // and the full report follow on the server while the interview goes on.
    const a = await waitForAnalysis(answerId, config.poll_interval_s * 1000, signal, progress,
      (x) => !!x.dialogue_feedback?.next_prompt);
    state.after = a.status === "failed" ? html`<p class="error">The analysis failed: ${a.error}</p>` : answerFeedback(a, config);
    setText("status", "");
    const next = a.dialogue_feedback?.next_prompt;
    const more = !!next && next.kind !== "goodbye";
    const go = guard(signal, async () => { if (more) await ask(); else finishInterview(); });
    state.controls = html`<button id="next" @click=${go}>${!more ? "See the report" : next?.kind === "follow_up" ? "Answer the follow-up" : "Next question"}</button>`;
    draw();
    focus("next");
  }

  await ask();
}
