// @ts-check
// #/report/ID — the session report: each answer with its replay (nudges and the report's moments
// drawn over the video and on a bar under it), its measures, feedback and transcript. While
// answers are still being analysed it looks again every few seconds and re-renders in place (lit
// touches only what changed), so the focus, the scroll position and a playing video stay put.

import { html, nothing, render } from "../../vendor/lit-html/lit-html.js";
import { getConfig, getSessionReport } from "../api.js";
import { show } from "../router.js";
import { clock, fmt, localUrl, pct, roleName, sleep } from "../util.js";

/** @typedef {import("../types.js").ReportAnswer} ReportAnswer */
/** @typedef {import("../types.js").SessionReport} SessionReport */
/** @typedef {import("../types.js").FeedbackPoint} FeedbackPoint */
/** @typedef {import("../types.js").TimedEvent} TimedEvent */
/** @typedef {import("../types.js").UiConfig} UiConfig */
/** @typedef {import("../router.js").ViewContext} ViewContext */

/**
 * The report's timed events drawn over the replay, in plain words (blinks, short pauses and
 * sub-second expressions are too frequent or too small to show).
 * @type {Record<string, (e: TimedEvent) => string>}
 */
export const EVENT_TEXT = {
  filler: (e) => `Filler word: “${e.label}”`,
  long_pause: (e) => `Long pause (${(e.end - e.start).toFixed(1)} s)`,
  gaze_away: () => "Looking away from the camera",
  no_face: () => "Face out of view",
  multiple_faces: () => "More than one face in view",
  eyes_closed: () => "Eyes closed",
  smile: () => "Smile",
  too_quiet: () => "Too quiet",
  too_loud: () => "Very loud",
  fast_pace: (e) => `Fast pace (${Math.round(e.value ?? 0)} words / min)`,
  slow_pace: (e) => `Slow pace (${Math.round(e.value ?? 0)} words / min)`,
  monotone: () => "Flat voice",
  clipping: () => "Sound clipping (too close to the microphone?)",
  nod: () => "Nod",
  head_shake: () => "Head shake",
  hand_over_face: () => "Hand over the face",
  gesture: () => "Hand gesture",
  posture_shift: () => "Posture shift",
  no_speech: () => "No speech",
};

const PENDING = ["recording", "queued", "analysing"];

/**
 * What the overlay shows at time t: live nudges sent then, and the report's events under way.
 * @param {ReportAnswer} answer @param {number} t @param {UiConfig["replay"]} replay
 */
function overlayAt(answer, t, replay) {
  const lines = (answer.cues || []).filter((c) => t >= c.t && t < c.t + replay.cue_show_s).map((c) => ({ kind: "cue", text: c.message }));
  for (const e of answer.events || []) {
    const text = EVENT_TEXT[e.kind];
    if (text && t >= e.start && t < Math.max(e.end, e.start + replay.event_min_s)) lines.push({ kind: e.kind, text: text(e) });
  }
  return lines;
}

/** Seek answer i's recording to t and play it. @param {number} i @param {number} t */
function seek(i, t) {
  const v = /** @type {HTMLVideoElement | null} */ (document.getElementById(`vid-${i}`));
  if (v) { v.currentTime = t; v.play().catch(() => {}); v.focus(); }
}

/** Enter and Space act as a click on a non-button element. @param {() => void} action */
const onKey = (action) => /** @param {KeyboardEvent} e */ (e) => {
  if (e.key === "Enter" || e.key === " ") { e.preventDefault(); action(); }
};

/** @param {FeedbackPoint} p @param {string} kind @param {number} i the answer's index */
const point = (p, kind, i) => html`<li class=${kind}>${p.headline ? html`<strong>${p.headline}.</strong> ` : nothing}${p.phrased || p.message} ${p.tip ? html`<span class="muted">Try this: ${p.tip}</span>` : nothing}
  ${(p.evidence || []).slice(0, 4).map((e) => html`<button class="moment" data-answer=${i} data-t=${e.start}
    aria-label="Play from ${clock(e.start)}" @click=${() => seek(i, e.start)}>${clock(e.start)}</button>`)}</li>`;

/**
 * One answer's section.
 * @param {ReportAnswer} a @param {number} i @param {UiConfig} config
 */
function answerSection(a, i, config) {
  const fb = a.feedback || { strengths: [], improvements: [], notes: [] };
  const dur = a.duration_s || 1;
  const cues = a.cues || [];
  const marks = (a.events || []).filter((e) => EVENT_TEXT[e.kind]).map((e) => html`<span class="ev ev-${e.kind}"
    style="left:${(100 * e.start) / dur}%;width:max(3px, ${(100 * (e.end - e.start)) / dur}%)" title="${EVENT_TEXT[e.kind](e)} at ${clock(e.start)}"></span>`);
  // While the video plays: the words spoken now light up, the overlay says what is under way.
  /** @param {Event} ev */
  const draw = (ev) => {
    const v = /** @type {HTMLVideoElement} */ (ev.currentTarget);
    const t = v.currentTime;
    document.querySelectorAll(`#tr-${i} .word`).forEach((w) => {
      const el = /** @type {HTMLElement} */ (w);
      el.classList.toggle("now", t >= Number(el.dataset.t) && t <= Number(el.dataset.end));
    });
    const ov = /** @type {HTMLElement} */ (document.getElementById(`ov-${i}`));
    const lines = overlayAt(a, t, config.replay);
    ov.hidden = lines.length === 0;
    render(lines.map((l) => html`<span class="ov-${l.kind}">${l.text}</span>`), ov);
  };
  /** An audio-only recording: a slim player, the overlay under it rather than over a black box. @param {Event} ev */
  const sized = (ev) => {
    const v = /** @type {HTMLVideoElement} */ (ev.currentTarget);
    v.parentElement?.classList.toggle("audio-only", v.videoWidth === 0);
  };
  const recording = localUrl(a.recording_url);
  const status = a.status !== "done"
    ? html`<p class="muted" role="status">${a.status === "failed" ? `Analysis failed: ${a.error}` : `Analysing… ${Math.round(100 * a.progress)} %`}</p>`
    : nothing;
  const replay = recording
    ? html`<div class="replay"><video id="vid-${i}" src=${recording} controls preload="metadata" @loadedmetadata=${sized} @timeupdate=${draw} @seeked=${draw}></video><div class="overlay" id="ov-${i}" hidden></div></div>
        <div class="cue-bar" aria-label="Live nudges and moments of this answer">${marks}${cues.map((c) => html`<span style="left:${(100 * c.t) / dur}%" title="${c.message} at ${clock(c.t)}"></span>`)}</div>`
    : a.status !== "done" ? nothing
    : html`<p class="muted">Recording not kept${cues.length ? `; live nudges: ${cues.map((c) => `${c.message} (${clock(c.t)})`).join(", ")}` : ""}.</p>`;
  const words = (a.words || []).map((w) => html`<span class="word" tabindex="0" role="button" data-answer=${i} data-t=${w.start} data-end=${w.end}
    @click=${() => seek(i, w.start)} @keydown=${onKey(() => seek(i, w.start))}>${w.text}</span> `);
  const full = localUrl(a.report_html_url);
  return html`<section class="card" aria-labelledby="a-${i}">
      <h2 id="a-${i}">${i + 1}. ${a.question || "Uploaded answer"}</h2>
      ${status}
      ${a.status === "done" && !a.counts ? html`<p class="verdict"><b>${a.verdict_headline || "Not assessed"}</b>: not counted in your averages.</p>` : nothing}
      ${replay}
      <div class="tiles">
        <div class="tile"><b>${fmt(a.measures?.words_per_minute)}</b>words / min</div>
        <div class="tile"><b>${fmt(a.measures?.filler_count)}</b>fillers</div>
        <div class="tile"><b>${pct(a.measures?.eye_contact_ratio)}</b>eye contact</div>
        <div class="tile"><b>${fmt(a.content_score)}</b>content score <span class="muted">(of 100)</span></div>
      </div>
      ${fb.strengths.length ? html`<h3>What went well</h3><ul class="points">${fb.strengths.map((p) => point(p, "strength", i))}</ul>` : nothing}
      ${fb.improvements.length ? html`<h3>To work on</h3><ul class="points">${fb.improvements.map((p) => point(p, "improvement", i))}</ul>` : nothing}
      ${(fb.notes || []).length ? html`<p class="muted">${(fb.notes || []).join(" ")}</p>` : nothing}
      <h3>Transcript</h3><p class="transcript" id="tr-${i}">${words.length ? words : a.transcript}</p>
      ${full ? html`<a class="button secondary" href=${full} target="_blank" rel="noopener">Full report of this answer</a>` : nothing}
    </section>`;
}

/** @param {SessionReport} r @param {UiConfig} config */
function reportPage(r, config) {
  const s = r.session;
  const printable = localUrl(r.session_report_html_url);
  const { answers, counted } = r.figures;
  const over = counted === answers ? "" : counted === 0 ? " · no answered question yet, so no averages" : ` · averages over the ${counted} answered`;
  return html`<h1>Session report</h1>
    <p class="muted">${new Date(s.created_at).toLocaleString()} · ${s.job_title || roleName(s.role)} · ${r.answers.length} answer${r.answers.length === 1 ? "" : "s"}${over}</p>
    <div class="tiles card">
      <div class="tile"><b>${fmt(r.figures.overall_score)}</b>mean overall score <span class="muted">(of 100)</span></div>
      <div class="tile"><b>${fmt(r.figures.content_score)}</b>mean content score <span class="muted">(of 100)</span></div>
      <div class="tile"><b>${fmt(r.averages.words_per_minute)}</b>average words / min</div>
      <div class="tile"><b>${fmt(r.averages.filler_rate_per_min, 1)}</b>fillers / min</div>
      <div class="tile"><b>${pct(r.averages.eye_contact_ratio)}</b>eye contact</div>
      <div class="tile"><b>${fmt(r.averages.response_latency_s, 1, " s")}</b>time to first word</div>
    </div>
    ${r.answers.length ? r.answers.map((a, i) => answerSection(a, i, config)) : html`<p class="card">No answers yet.</p>`}
    <a class="button" href="#/">Practise again</a><a class="button secondary" href="#/dashboard">My progress</a>
    ${printable ? html`<a class="button secondary" href=${printable} target="_blank" rel="noopener">Printable session report</a>` : nothing}`;
}

/** @param {ViewContext} ctx */
export async function report({ params: [id], signal }) {
  const config = await getConfig();
  for (let first = true; ; first = false) {
    const r = await getSessionReport(id, signal);
    show(reportPage(r, config), "Session report", { focus: first });
    if (!r.answers.some((a) => PENDING.includes(a.status))) return;
    // Still being analysed: look again shortly; leaving the page aborts the wait.
    await sleep(config.report_poll_interval_s * 1000, signal);
  }
}
