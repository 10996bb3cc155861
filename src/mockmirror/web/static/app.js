// mockmirror's web UI: plain modules, no build step, nothing from a CDN.
// Views are chosen by the URL hash: #/ (home), #/consent, #/calibrate/ID, #/interview/ID,
// #/report/ID, #/dashboard, #/upload. Speech recognition happens on the server; the browser
// only speaks the questions (speechSynthesis) and streams frames and audio.

const main = document.getElementById("main");
const nudgeBox = document.getElementById("nudge");
const draft = { role: "any", job_description: "", core_questions: 3, difficulty: 2, max_follow_ups: 1, warm_up: true, closing: true };
let media = null; // { stream, camera: bool }
let meta = null;

// ---------- helpers ----------------------------------------------------------------------------
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
const fmt = (v, digits = 0, unit = "") => (v === null || v === undefined ? "—" : `${Number(v).toFixed(digits)}${unit}`);
const pct = (v) => (v === null || v === undefined ? "—" : `${Math.round(v * 100)} %`);
const clock = (t) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function api(path, options = {}) {
  const response = await fetch(path, {
    headers: options.body && !(options.body instanceof FormData) ? { "Content-Type": "application/json" } : {},
    ...options,
  });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw new Error((data && data.detail) || `${response.status} ${response.statusText}`);
  return data;
}

function view(html, title) {
  main.innerHTML = html;
  document.title = `${title} — mockmirror`;
  main.focus();
}

function showNudge(text) {
  nudgeBox.textContent = text;
  nudgeBox.hidden = false;
  clearTimeout(showNudge.timer);
  showNudge.timer = setTimeout(() => { nudgeBox.hidden = true; }, 5000);
}

function stopMedia() {
  if (media) media.stream.getTracks().forEach((t) => t.stop());
  media = null;
}

async function getMedia(wantCamera) {
  if (media) return media;
  if (wantCamera) {
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true },
        video: { width: { ideal: 640 }, height: { ideal: 480 } },
      });
      media = { stream, camera: true };
      return media;
    } catch (err) {
      console.warn("camera unavailable, continuing with audio only", err);
    }
  }
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
  media = { stream, camera: false };
  return media;
}

// ---------- live streaming ---------------------------------------------------------------------
// Binary message: kind (1 frame, 2 audio), uint32 sequence, float64 seconds, payload.
function packet(kind, seq, t, payload) {
  const head = new ArrayBuffer(13);
  const dv = new DataView(head);
  dv.setUint8(0, kind);
  dv.setUint32(1, seq, true);
  dv.setFloat64(5, t, true);
  return new Blob([head, payload]);
}

// Autoplay rules may hold an AudioContext "suspended" until the page gets a click (a reload of the
// interview page has had none), and Firefox cannot start one without a sound output device: ask for
// a click, then say plainly what is wrong rather than stream silence.
async function audioRunning(ctx) {
  const running = () => ctx.state === "running";
  const within = (ms) => Promise.race([ctx.resume().catch(() => {}), sleep(ms)]).then(running);
  if (running() || (await within(1500))) return;
  await new Promise((resolve) => {
    const button = document.createElement("button");
    button.className = "unlock";
    button.textContent = "Start the microphone";
    button.onclick = () => { ctx.resume().catch(() => {}); button.remove(); resolve(); };
    document.body.append(button);
    button.focus();
  });
  if (await within(3000)) return;
  throw new Error("The browser's audio engine did not start. Check that a sound output device (speakers or headphones) is available, then reload the page.");
}

class LiveStream {
  constructor(sessionId, mode, { onMessage, onLevel, videoEl }) {
    this.sessionId = sessionId;
    this.mode = mode;
    this.onMessage = onMessage;
    this.onLevel = onLevel;
    this.videoEl = videoEl;
    this.seq = 0;
    this.closed = false;
  }

  async open() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    this.ws = new WebSocket(`${proto}://${location.host}/api/sessions/${this.sessionId}/live?mode=${this.mode}`);
    this.ws.binaryType = "arraybuffer";
    this.finished = new Promise((resolve) => { this.resolveFinished = resolve; });
    this.ws.onmessage = (e) => {
      const msg = JSON.parse(e.data);
      if (msg.type === "ended" || msg.type === "calibrated") this.resolveFinished(msg);
      this.onMessage && this.onMessage(msg);
    };
    this.ws.onclose = () => this.resolveFinished({ type: "closed" });
    await new Promise((resolve, reject) => {
      this.ws.onopen = resolve;
      this.ws.onerror = () => reject(new Error("could not connect to the live answer socket"));
    });
    this.t0 = performance.now();
    await this.startAudio();
    if (media.camera && this.videoEl) this.startFrames();
  }

  now() { return (performance.now() - this.t0) / 1000; }

  send(blob) { if (!this.closed && this.ws.readyState === WebSocket.OPEN) this.ws.send(blob); }

  async startAudio() {
    this.audio = new AudioContext();
    await audioRunning(this.audio);
    await this.audio.audioWorklet.addModule("/static/pcm-worklet.js");
    const source = this.audio.createMediaStreamSource(media.stream);
    this.node = new AudioWorkletNode(this.audio, "pcm-chunker");
    let audioT = 0;
    this.node.port.onmessage = (e) => {
      if (e.data.pcm) {
        this.send(packet(2, this.seq++, audioT, e.data.pcm));
        audioT += e.data.pcm.byteLength / 2 / 16000;
      } else if (this.onLevel) {
        this.onLevel(e.data.level);
      }
    };
    source.connect(this.node);
  }

  startFrames() {
    // 320x240 JPEG at 10 fps: enough for gaze and face cues, light on the socket.
    const canvas = document.createElement("canvas");
    canvas.width = 320; canvas.height = 240;
    const ctx = canvas.getContext("2d");
    this.frameTimer = setInterval(() => {
      const v = this.videoEl;
      if (!v.videoWidth) return;
      const t = this.now();
      ctx.drawImage(v, 0, 0, 320, 240);
      canvas.toBlob((blob) => { if (blob) blob.arrayBuffer().then((buf) => this.send(packet(1, this.seq++, t, buf))); },
        "image/jpeg", 0.7);
    }, 100);
  }

  phase(name) { if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "phase", phase: name })); }

  async end() {
    clearInterval(this.frameTimer);
    if (this.node) this.node.port.onmessage = null;
    if (this.audio) await this.audio.close();
    await sleep(150); // let the last frame blob go out
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: "end" }));
    this.closed = true;
    return this.finished;
  }
}

function previewHtml() {
  return `<div class="preview" aria-label="Your camera preview">
    <video id="cam" autoplay muted playsinline></video>
    <div class="nocam" id="nocam" hidden>Camera off: audio-only practice. Eye contact and face cues are skipped.</div>
  </div><div class="meter" aria-hidden="true"><i id="level"></i></div>`;
}

function attachPreview() {
  const v = document.getElementById("cam");
  if (media.camera) v.srcObject = media.stream;
  else { v.hidden = true; document.getElementById("nocam").hidden = false; }
  return v;
}

const setLevel = (level) => {
  const bar = document.getElementById("level");
  if (bar) bar.style.width = `${Math.min(100, level * 400)}%`;
};

// ---------- views ------------------------------------------------------------------------------
async function home() {
  meta = meta || (await api("/api/config"));
  const roles = meta.roles.map((r) => `<option value="${r}" ${r === draft.role ? "selected" : ""}>${r === "any" ? "Any role (general questions)" : r.replace(/_/g, " ")}</option>`).join("");
  view(`<h1>Practise a job interview</h1>
  <form class="card" id="setup">
    <label for="role">Role</label>
    <select id="role">${roles}</select>
    <label for="jd">Or paste a job description <span class="muted">(optional: questions aim at its skills)</span></label>
    <textarea id="jd" placeholder="Paste the job advert here">${esc(draft.job_description)}</textarea>
    <div class="row">
      <div><label for="len">Questions</label>
        <select id="len">${[1, 2, 3, 5, 8].map((n) => `<option ${n === draft.core_questions ? "selected" : ""}>${n}</option>`).join("")}</select></div>
      <div><label for="diff">Difficulty</label>
        <select id="diff"><option value="1">Gentle</option><option value="2" selected>Standard</option><option value="3">Demanding</option></select></div>
      <div><label for="fu">Follow-up questions</label>
        <select id="fu"><option value="0">None</option><option value="1" selected>Up to 1 per question</option><option value="2">Up to 2</option></select></div>
    </div>
    <label class="inline"><input type="checkbox" id="frame" ${draft.warm_up ? "checked" : ""}> Add a warm-up question first and a closing one last</label>
    <button type="submit">Continue</button>
  </form>
  <p class="muted">You can skip a question or stop at any time.</p>`, "Practise");
  document.getElementById("diff").value = String(draft.difficulty);
  document.getElementById("setup").onsubmit = (e) => {
    e.preventDefault();
    draft.role = document.getElementById("role").value;
    draft.job_description = document.getElementById("jd").value;
    draft.core_questions = Number(document.getElementById("len").value);
    draft.difficulty = Number(document.getElementById("diff").value);
    draft.max_follow_ups = Number(document.getElementById("fu").value);
    draft.warm_up = draft.closing = document.getElementById("frame").checked;
    location.hash = "#/consent";
  };
}

async function consent() {
  meta = meta || (await api("/api/config"));
  view(`<h1>Before we start: what you allow</h1>
  <form class="card consent" id="consent">
    <label><input type="checkbox" id="c-mic" checked><span><b>Use my microphone</b>
      Your answers are turned into text on this computer to give feedback on what you say and how (pace, pauses, filler words). Needed for spoken practice.</span></label>
    <label><input type="checkbox" id="c-cam" checked><span><b>Use my camera</b>
      Used for eye contact and face cues (looking at the camera, smiling). If you say no, or the browser blocks it, you practise with audio only.</span></label>
    <label><input type="checkbox" id="c-keep"><span><b>Keep my recordings</b>
      So you can replay your answers in the report. If you leave this off, each recording is deleted as soon as it has been analysed; the feedback stays.</span></label>
    ${meta.emotion_inference_allowed ? `<label><input type="checkbox" id="c-emo"><span><b>Name my facial expressions as emotions (optional)</b>
      Off by default. Expressions are not feelings; this is only for your own practice.</span></label>` : ""}
    <p class="muted">Everything stays on this computer. You can delete a session, or all your data, at any time on the "My progress" page.</p>
    <p id="consent-error" class="error" role="alert"></p>
    <div><button type="submit">Start calibration</button><a class="button secondary" href="#/">Back</a></div>
  </form>`, "Consent");
  document.getElementById("consent").onsubmit = async (e) => {
    e.preventDefault();
    const err = document.getElementById("consent-error");
    if (!document.getElementById("c-mic").checked) {
      err.textContent = "Spoken practice needs the microphone. To practise without it, upload a recording instead.";
      return;
    }
    try {
      stopMedia();
      await getMedia(document.getElementById("c-cam").checked);
    } catch (ex) {
      err.textContent = `The browser did not give access to the microphone (${ex.message}).`;
      return;
    }
    const emo = document.getElementById("c-emo");
    try {
      const session = await api("/api/sessions", {
        method: "POST",
        body: JSON.stringify({
          ...draft,
          consent: { microphone: true, camera: media.camera, keep_recording: document.getElementById("c-keep").checked, emotion_inference: !!(emo && emo.checked) },
        }),
      });
      location.hash = `#/calibrate/${session.id}`;
    } catch (ex) {
      err.textContent = ex.message;
    }
  };
}

async function calibrate(id) {
  if (!media) { location.hash = `#/interview/${id}`; return; }
  const steps = [
    ["camera", "Look straight into the camera.", 3000],
    ["screen", "Now look at the centre of the screen.", 2500],
    ["neutral", "Relax your face, as if listening.", 2000],
    ["sentence", "Say out loud: “I am ready for my practice interview.”", 3500],
  ];
  view(`<h1>Calibration (about 10 seconds)</h1>
  <div class="stage">
    <div>${previewHtml()}</div>
    <div class="card"><p class="caption" id="cal-step" aria-live="assertive">Get comfortable, then press Start.</p>
      <progress id="cal-progress" max="${steps.length}" value="0"></progress>
      <p class="muted">This sets your own baseline: where your eyes look when you face the camera, and how loud you speak.</p>
      <button id="cal-start">Start</button><a class="button secondary" href="#/interview/${id}">Skip</a></div>
  </div>`, "Calibration");
  const video = attachPreview();
  document.getElementById("cal-start").onclick = async (e) => {
    e.target.disabled = true;
    const live = new LiveStream(id, "calibration", { videoEl: video, onLevel: setLevel });
    await live.open();
    for (const [i, [phase, text, ms]] of steps.entries()) {
      if (!media.camera && phase !== "sentence") continue;
      live.phase(phase);
      document.getElementById("cal-step").textContent = text;
      await sleep(ms);
      document.getElementById("cal-progress").value = i + 1;
    }
    document.getElementById("cal-step").textContent = "Thank you. Saving your baseline…";
    await live.end();
    location.hash = `#/interview/${id}`;
  };
}

function speak(text) {
  // Browser speech synthesis with a caption; where no voice is available, the caption alone.
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, Math.min(12000, 1500 + text.split(/\s+/).length * 330));
    if (!("speechSynthesis" in window) || speechSynthesis.getVoices().length === 0) return;
    clearTimeout(fallback);
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 0.95;
    const guard = setTimeout(resolve, 30000);
    u.onend = u.onerror = () => { clearTimeout(guard); resolve(); };
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
  });
}

async function interview(id) {
  let session = await api(`/api/sessions/${id}`);
  if (session.state === "done") { location.hash = `#/report/${id}`; return; }
  if (!media) {
    try { await getMedia(session.consent.camera); } catch (ex) {
      view(`<h1>Microphone needed</h1><p class="error">${esc(ex.message)}</p><a class="button" href="#/upload">Upload a recording instead</a>`, "Interview");
      return;
    }
  }
  view(`<div class="stage">
    <section class="card" aria-labelledby="q-label">
      <div class="recruiter"><div class="avatar" id="avatar" aria-hidden="true">MM</div>
        <div><p class="muted" id="q-label">Question <span id="q-num"></span></p>
          <p class="caption" id="caption" aria-live="polite"></p></div></div>
      <p class="status" id="status" aria-live="polite"></p>
      <div id="controls"></div>
      <div id="after"></div>
    </section>
    <section>${previewHtml()}<p class="muted">Answer when the question ends. Stop talking for a few seconds, or press “Done”, to finish your answer.</p></section>
  </div>`, "Interview");
  const video = attachPreview();
  const $ = (x) => document.getElementById(x);

  async function ask() {
    session = await api(`/api/sessions/${id}`);
    if (session.state === "done" || !session.prompt) { finishInterview(); return; }
    const p = session.prompt;
    $("q-num").textContent = `${p.number} of ${p.total}${p.kind === "follow_up" ? " (follow-up)" : ""}`;
    $("caption").textContent = p.text;
    $("after").innerHTML = "";
    $("controls").innerHTML = "";
    $("status").textContent = "The recruiter is asking…";
    $("avatar").classList.add("speaking");
    await speak(p.text);
    $("avatar").classList.remove("speaking");
    await answer();
  }

  async function answer() {
    $("status").textContent = "Listening… take your time.";
    $("controls").innerHTML = `<button id="done">Done</button><button class="secondary" id="skip">Skip question</button><button class="secondary" id="stop">End interview</button>`;
    let speechMs = 0, lastLevelAt = performance.now(), quietSince = null, ending = false;
    const live = new LiveStream(id, "answer", {
      videoEl: video,
      onMessage: (m) => { if (m.type === "cue") showNudge(m.message); },
      onLevel: (level) => {
        setLevel(level);
        // End of answer: 3 s of quiet after at least 1.5 s of speech.
        const now = performance.now();
        const dt = now - lastLevelAt;
        lastLevelAt = now;
        if (level > 0.02) { speechMs += dt; quietSince = null; } else if (speechMs > 1500) { quietSince = quietSince || now; }
        if (!ending && quietSince && now - quietSince > 3000) finish();
      },
    });
    await live.open();
    const finish = async () => {
      if (ending) return;
      ending = true;
      $("controls").innerHTML = "";
      $("status").textContent = "Answer received.";
      const ended = await live.end();
      if (ended.answer_id) await analysing(ended.answer_id);
      else { $("status").textContent = "Nothing was recorded; let us try that question again."; await answer(); }
    };
    $("done").onclick = finish;
    $("skip").onclick = async () => { ending = true; await live.end(); await api(`/api/sessions/${id}/skip`, { method: "POST" }); ask(); };
    $("stop").onclick = async () => { ending = true; await live.end(); await api(`/api/sessions/${id}/stop`, { method: "POST" }); finishInterview(); };
    $("done").focus();
  }

  async function analysing(answerId) {
    $("after").innerHTML = `<label for="an-progress">Analysing your answer</label><progress id="an-progress" max="1" value="0"></progress><p class="muted" id="an-stage"></p>`;
    let a;
    for (;;) {
      a = await api(`/api/answers/${answerId}`);
      $("an-progress").value = a.progress;
      $("an-stage").textContent = a.stage;
      if (a.status === "done" || a.status === "failed") break;
      await sleep(700);
    }
    if (a.status === "failed") { $("after").innerHTML = `<p class="error">The analysis failed: ${esc(a.error)}</p>`; }
    else { $("after").innerHTML = answerFeedback(a); }
    $("status").textContent = "";
    const next = a.dialogue_feedback && a.dialogue_feedback.next_prompt;
    $("controls").innerHTML = next && next.kind !== "goodbye"
      ? `<button id="next">${next.kind === "follow_up" ? "Answer the follow-up" : "Next question"}</button>`
      : `<button id="next">See the report</button>`;
    $("next").onclick = () => (next && next.kind !== "goodbye" ? ask() : finishInterview());
    $("next").focus();
  }

  function finishInterview() { stopMedia(); location.hash = `#/report/${id}`; }

  await ask();
}

function answerFeedback(a) {
  const m = a.measures || {};
  const fb = (a.dialogue_feedback && a.dialogue_feedback.feedback) || null;
  const answered = !fb || fb.answered;
  const notes = fb ? (fb.notes || []).map((s) => `<li>${esc(s)}</li>`) : [];
  const strong = fb && answered !== false && (fb.strong_answer_points || []).length
    ? `<h3>A strong answer to this question includes</h3><ul class="points">${fb.strong_answer_points.map((p) => `<li>${esc(p)}</li>`).join("")}</ul>`
    : "";
  const heading = fb && !fb.final ? "Your answer, before the follow-up" : "Your answer";
  return `<h2>${heading}</h2>
    ${fb && !answered ? `<p class="verdict"><b>${esc(fb.headline || "Not assessed")}</b>: not counted in your averages.</p>` : ""}
    ${answered ? `<div class="tiles">
      <div class="tile"><b>${fmt(m.words_per_minute)}</b>words / min <span class="muted">(target 130–165)</span></div>
      <div class="tile"><b>${fmt(m.filler_count)}</b>filler words</div>
      <div class="tile"><b>${pct(m.eye_contact_ratio)}</b>eye contact</div>
      <div class="tile"><b>${fmt(m.longest_pause_s, 1, " s")}</b>longest pause</div>
    </div>` : ""}
    <p class="muted">We heard: “${esc(a.transcript || "(no words recognised)")}”</p>
    ${notes.length ? `<ul class="points">${notes.join("")}</ul>` : ""}
    ${strong}`;
}

// The report's timed events drawn over the replay, in plain words (blinks, short pauses and
// sub-second expressions are too frequent or too small to show).
const EVENT_TEXT = {
  filler: (e) => `Filler word: “${e.label}”`,
  long_pause: (e) => `Long pause (${(e.end - e.start).toFixed(1)} s)`,
  gaze_away: () => "Looking away from the camera",
  no_face: () => "Face out of view",
  multiple_faces: () => "More than one face in view",
  eyes_closed: () => "Eyes closed",
  smile: () => "Smile",
  too_quiet: () => "Too quiet",
  too_loud: () => "Very loud",
  fast_pace: (e) => `Fast pace (${Math.round(e.value)} words / min)`,
  slow_pace: (e) => `Slow pace (${Math.round(e.value)} words / min)`,
  monotone: () => "Flat voice",
  clipping: () => "Sound clipping (too close to the microphone?)",
  nod: () => "Nod",
  head_shake: () => "Head shake",
  hand_over_face: () => "Hand over the face",
  gesture: () => "Hand gesture",
  posture_shift: () => "Posture shift",
  no_speech: () => "No speech",
};
const OVERLAY_MIN_S = 1.5; // a filler lasts 0.3 s: keep its note up long enough to read
const CUE_SHOW_S = 3;

// What the overlay shows at time t: live nudges sent then, and the report's events under way.
function overlayAt(answer, t) {
  const lines = (answer.cues || []).filter((c) => t >= c.t && t < c.t + CUE_SHOW_S).map((c) => ({ kind: "cue", text: c.message }));
  for (const e of answer.events || []) {
    const text = EVENT_TEXT[e.kind];
    if (text && t >= e.start && t < Math.max(e.end, e.start + OVERLAY_MIN_S)) lines.push({ kind: e.kind, text: text(e) });
  }
  return lines;
}

function pointHtml(p, kind, answerIndex) {
  const moments = (p.evidence || []).slice(0, 4).map((e) => `<button class="moment" data-answer="${answerIndex}" data-t="${e.start}" aria-label="Play from ${clock(e.start)}">${clock(e.start)}</button>`).join("");
  return `<li class="${kind}">${esc(p.phrased || p.message)} ${p.tip ? `<span class="muted">${esc(p.tip)}</span>` : ""} ${moments}</li>`;
}

async function report(id) {
  const r = await api(`/api/sessions/${id}/report`);
  const s = r.session;
  const blocks = r.answers.map((a, i) => {
    const fb = a.feedback || { strengths: [], improvements: [], notes: [] };
    const dur = a.duration_s || 1;
    const cues = (a.cues || []).map((c) => `<span style="left:${(100 * c.t) / dur}%" title="${esc(c.message)} at ${clock(c.t)}"></span>`).join("");
    const marks = (a.events || []).filter((e) => EVENT_TEXT[e.kind]).map((e) => `<span class="ev ev-${e.kind}" style="left:${(100 * e.start) / dur}%;width:max(3px, ${(100 * (e.end - e.start)) / dur}%)" title="${esc(EVENT_TEXT[e.kind](e))} at ${clock(e.start)}"></span>`).join("");
    const words = (a.words || []).map((w) => `<span class="word" tabindex="0" role="button" data-answer="${i}" data-t="${w.start}" data-end="${w.end}">${esc(w.text)}</span>`).join(" ");
    return `<section class="card" aria-labelledby="a-${i}">
      <h2 id="a-${i}">${i + 1}. ${esc(a.question || "Uploaded answer")}</h2>
      ${a.status !== "done" ? `<p class="muted" role="status">${a.status === "failed" ? `Analysis failed: ${esc(a.error)}` : `Analysing… ${Math.round(100 * a.progress)} %`}</p>` : ""}
      ${a.status === "done" && !a.counts ? `<p class="verdict"><b>${esc(a.verdict_headline || "Not assessed")}</b>: not counted in your averages.</p>` : ""}
      ${a.recording_url ? `<div class="replay"><video id="vid-${i}" src="${a.recording_url}" controls preload="metadata"></video><div class="overlay" id="ov-${i}" hidden></div></div>
        <div class="cue-bar" aria-label="Live nudges and moments of this answer">${marks}${cues}</div>` : a.status !== "done" ? "" : `<p class="muted">Recording not kept${(a.cues || []).length ? `; live nudges: ${(a.cues || []).map((c) => `${esc(c.message)} (${clock(c.t)})`).join(", ")}` : ""}.</p>`}
      <div class="tiles">
        <div class="tile"><b>${fmt(a.measures && a.measures.words_per_minute)}</b>words / min</div>
        <div class="tile"><b>${fmt(a.measures && a.measures.filler_count)}</b>fillers</div>
        <div class="tile"><b>${pct(a.measures && a.measures.eye_contact_ratio)}</b>eye contact</div>
        <div class="tile"><b>${fmt(a.content_score)}</b>content score <span class="muted">(of 100)</span></div>
      </div>
      ${fb.strengths.length ? `<h3>What went well</h3><ul class="points">${fb.strengths.map((p) => pointHtml(p, "strength", i)).join("")}</ul>` : ""}
      ${fb.improvements.length ? `<h3>To work on</h3><ul class="points">${fb.improvements.map((p) => pointHtml(p, "improvement", i)).join("")}</ul>` : ""}
      ${(fb.notes || []).length ? `<p class="muted">${fb.notes.map(esc).join(" ")}</p>` : ""}
      <h3>Transcript</h3><p class="transcript" id="tr-${i}">${words || esc(a.transcript)}</p>
      ${a.report_html_url ? `<a class="button secondary" href="${a.report_html_url}" target="_blank" rel="noopener">Full report of this answer</a>` : ""}
    </section>`;
  }).join("");
  view(`<h1>Session report</h1>
    <p class="muted">${new Date(s.created_at).toLocaleString()} · ${esc(s.job_title || s.role)} · ${r.answers.length} answer(s)${r.figures.counted < r.figures.answers ? ` · averages over the ${r.figures.counted} answered` : ""}</p>
    <div class="tiles card">
      <div class="tile"><b>${fmt(r.figures.overall_score)}</b>mean overall score <span class="muted">(of 100)</span></div>
      <div class="tile"><b>${fmt(r.figures.content_score)}</b>mean content score <span class="muted">(of 100)</span></div>
      <div class="tile"><b>${fmt(r.averages.words_per_minute)}</b>average words / min</div>
      <div class="tile"><b>${fmt(r.averages.filler_rate_per_min, 1)}</b>fillers / min</div>
      <div class="tile"><b>${pct(r.averages.eye_contact_ratio)}</b>eye contact</div>
      <div class="tile"><b>${fmt(r.averages.response_latency_s, 1, " s")}</b>time to first word</div>
    </div>
    ${blocks || `<p class="card">No answers yet.</p>`}
    <a class="button" href="#/">Practise again</a><a class="button secondary" href="#/dashboard">My progress</a>
    ${r.session_report_html_url ? `<a class="button secondary" href="${r.session_report_html_url}" target="_blank" rel="noopener">Printable session report</a>` : ""}`, "Session report");
  if (r.answers.some((a) => ["recording", "queued", "analysing"].includes(a.status))) {
    // Still being analysed: look again shortly (only while this report is on screen).
    setTimeout(() => { if (location.hash === `#/report/${id}`) report(id); }, 2500);
  }
  // Clickable moments and words seek the recording; the overlay shows the nudges and the
  // report's events at their moments as it plays.
  main.querySelectorAll(".moment, .word").forEach((el) => {
    const seek = () => {
      const v = document.getElementById(`vid-${el.dataset.answer}`);
      if (v) { v.currentTime = Number(el.dataset.t); v.play().catch(() => {}); v.focus(); }
    };
    el.addEventListener("click", seek);
    el.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); seek(); } });
  });
  r.answers.forEach((a, i) => {
    const v = document.getElementById(`vid-${i}`);
    if (!v) return;
    const words = [...main.querySelectorAll(`#tr-${i} .word`)];
    const ov = document.getElementById(`ov-${i}`);
    const draw = () => {
      const t = v.currentTime;
      words.forEach((w) => w.classList.toggle("now", t >= Number(w.dataset.t) && t <= Number(w.dataset.end)));
      const lines = overlayAt(a, t);
      ov.hidden = lines.length === 0;
      ov.innerHTML = lines.map((l) => `<span class="ov-${l.kind}">${esc(l.text)}</span>`).join("");
    };
    v.addEventListener("timeupdate", draw);
    v.addEventListener("seeked", draw);
  });
}

function lineChart(title, points, key, format) {
  const values = points.map((p) => p[key]);
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return `<div class="card chart"><h3>${title}</h3><p class="muted">No data yet.</p></div>`;
  const w = 300, h = 140, pad = 28;
  const lo = Math.min(...present), hi = Math.max(...present);
  const span = hi - lo || 1;
  const xs = (i) => pad + (values.length === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (values.length - 1));
  const ys = (v) => h - pad - ((v - lo) / span) * (h - 2 * pad);
  const pts = values.map((v, i) => (v === null || v === undefined ? null : [xs(i), ys(v)])).filter(Boolean);
  return `<div class="card chart"><h3>${title}</h3>
    <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${title}: ${present.map(format).join(", ")}">
      <line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" stroke="currentColor" opacity=".2"/>
      <polyline points="${pts.map((p) => p.join(",")).join(" ")}"/>
      ${pts.map((p, i) => `<circle cx="${p[0]}" cy="${p[1]}" r="3.5"/>`).join("")}
      <text x="4" y="${ys(hi) + 4}">${format(hi)}</text><text x="4" y="${ys(lo) + 4}">${format(lo)}</text>
      <text x="${pad}" y="${h - 8}">first</text><text x="${w - pad - 22}" y="${h - 8}">latest</text>
    </svg></div>`;
}

async function dashboard() {
  const [d, sessions] = await Promise.all([api("/api/dashboard"), api("/api/sessions")]);
  const rows = sessions.map((s) => `<tr><td><a href="#/report/${s.id}">${new Date(s.created_at).toLocaleString()}</a></td>
    <td>${esc(s.job_title || s.role)}</td><td>${s.answers.length}</td><td>${esc(s.state)}</td>
    <td><button class="secondary" data-delete="${s.id}" aria-label="Delete the session of ${new Date(s.created_at).toLocaleString()}">Delete</button></td></tr>`).join("");
  const comp = (list) => list.map((c) => `<li>${esc(c.name.replace(/_/g, " "))}: ${c.mean_content_score} <span class="muted">(${c.answers} answer${c.answers > 1 ? "s" : ""})</span></li>`).join("") || "<li class='muted'>Not enough answers yet.</li>";
  view(`<h1>My progress</h1>
    <p class="card"><b>Next practice:</b> ${esc(d.next_practice)}</p>
    <div class="charts">
      ${lineChart("Pace (words / min)", d.sessions, "words_per_minute", (v) => v.toFixed(0))}
      ${lineChart("Filler words / min", d.sessions, "filler_rate_per_min", (v) => v.toFixed(1))}
      ${lineChart("Eye contact", d.sessions, "eye_contact_ratio", (v) => `${Math.round(v * 100)}%`)}
      ${lineChart("Content score", d.sessions, "content_score", (v) => v.toFixed(0))}
    </div>
    <div class="row">
      <div class="card"><h2>Strongest competencies</h2><ul>${comp(d.best_competencies)}</ul></div>
      <div class="card"><h2>To practise</h2><ul>${comp(d.worst_competencies)}</ul></div>
    </div>
    <div class="card"><h2>Sessions</h2>
      ${rows ? `<table><thead><tr><th>When</th><th>Role</th><th>Answers</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : `<p class="muted">No sessions yet.</p>`}</div>
    <div class="card"><h2>My data</h2>
      <a class="button secondary" href="/api/data/export" download>Export all my data (zip)</a>
      <button class="danger" id="delete-all">Delete all my data</button><p id="data-msg" role="status"></p></div>`, "My progress");
  main.querySelectorAll("[data-delete]").forEach((b) => (b.onclick = async () => {
    if (!confirm("Delete this session and its recordings?")) return;
    await api(`/api/sessions/${b.dataset.delete}`, { method: "DELETE" });
    dashboard();
  }));
  document.getElementById("delete-all").onclick = async () => {
    if (!confirm("Delete every session, answer, recording and setting? This cannot be undone.")) return;
    const r = await api("/api/data", { method: "DELETE" });
    await dashboard();
    document.getElementById("data-msg").textContent = r.detail;
  };
}

async function upload() {
  meta = meta || (await api("/api/config"));
  view(`<h1>Upload a recorded answer</h1>
  <form class="card" id="up">
    <label for="file">Recording <span class="muted">(video or audio, up to ${meta.max_upload_mb} MB)</span></label>
    <input type="file" id="file" accept="video/*,audio/*" required>
    <label for="question">The question you answered</label>
    <input type="text" id="question" placeholder="Tell me about yourself.">
    <div class="consent" style="margin-top:1rem">
      <label><input type="checkbox" id="u-keep"><span><b>Keep a copy for replay</b> Otherwise the copy is deleted after the analysis.</span></label>
    </div>
    <p id="up-error" class="error" role="alert"></p>
    <button type="submit">Analyse</button>
  </form><div id="up-result"></div>`, "Upload");
  document.getElementById("up").onsubmit = async (e) => {
    e.preventDefault();
    const err = document.getElementById("up-error");
    err.textContent = "";
    const file = document.getElementById("file").files[0];
    if (!file) return;
    if (file.size > meta.max_upload_mb * 1e6) { err.textContent = `This file is ${(file.size / 1e6).toFixed(0)} MB; the limit is ${meta.max_upload_mb} MB.`; return; }
    const session = await api("/api/sessions", { method: "POST", body: JSON.stringify({ kind: "upload", consent: { camera: true, microphone: true, keep_recording: document.getElementById("u-keep").checked } }) });
    const form = new FormData();
    form.append("file", file);
    form.append("question", document.getElementById("question").value);
    const out = document.getElementById("up-result");
    out.innerHTML = `<div class="card"><label for="up-progress">Analysing</label><progress id="up-progress" max="1" value="0"></progress><p class="muted" id="up-stage">uploading…</p></div>`;
    let a;
    try { a = await api(`/api/sessions/${session.id}/answers`, { method: "POST", body: form }); } catch (ex) {
      await api(`/api/sessions/${session.id}`, { method: "DELETE" });
      out.innerHTML = ""; err.textContent = ex.message; return;
    }
    while (a.status !== "done" && a.status !== "failed") {
      await sleep(700);
      a = await api(`/api/answers/${a.id}`);
      document.getElementById("up-progress").value = a.progress;
      document.getElementById("up-stage").textContent = a.stage;
    }
    if (a.status === "failed") { out.innerHTML = `<p class="error card">${esc(a.error)}</p>`; return; }
    location.hash = `#/report/${session.id}`;
  };
}

// ---------- router -----------------------------------------------------------------------------
async function route() {
  const [, name, id] = (location.hash || "#/").split("/");
  nudgeBox.hidden = true;
  try {
    if (name !== "interview" && name !== "calibrate" && name !== "consent") stopMedia();
    if (!name) await home();
    else if (name === "consent") await consent();
    else if (name === "calibrate") await calibrate(id);
    else if (name === "interview") await interview(id);
    else if (name === "report") await report(id);
    else if (name === "dashboard") await dashboard();
    else if (name === "upload") await upload();
    else await home();
  } catch (ex) {
    view(`<h1>Something went wrong</h1><p class="error">${esc(ex.message)}</p><a class="button" href="#/">Home</a>`, "Error");
  }
}

window.addEventListener("hashchange", route);
route();
