// @ts-check
// The live part: camera and microphone, the WebSocket stream of JPEG frames and PCM audio (from
// the AudioWorklet in /static/pcm-worklet.js), the camera preview, the recruiter's voice and the
// nudge box. Everything here stops when the view's AbortSignal aborts.

import { html } from "../vendor/lit-html/lit-html.js";
import { sleep } from "./util.js";

/** @typedef {import("./types.js").LiveMessage} LiveMessage */
/** @typedef {{stream: MediaStream, camera: boolean}} Media */

/** @type {Media | null} the camera and microphone, kept from the consent page to the interview's end */
let media = null;

export function stopMedia() {
  if (media) media.stream.getTracks().forEach((t) => t.stop());
  media = null;
}

export const hasMedia = () => media !== null;

/**
 * The camera (when wanted and allowed) and the microphone; with the camera refused, audio only.
 * @param {boolean} wantCamera @returns {Promise<Media>}
 */
export async function getMedia(wantCamera) {
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

// ---------- the nudge box ----------------------------------------------------------------------
const nudgeBox = /** @type {HTMLElement} */ (document.getElementById("nudge"));
/** @type {ReturnType<typeof setTimeout> | undefined} */
let nudgeTimer;

/** @param {string} text @param {number} seconds how long it stays up */
export function showNudge(text, seconds) {
  nudgeBox.textContent = text;
  nudgeBox.hidden = false;
  clearTimeout(nudgeTimer);
  nudgeTimer = setTimeout(hideNudge, seconds * 1000);
}

export function hideNudge() {
  clearTimeout(nudgeTimer);
  nudgeBox.hidden = true;
}

// ---------- the preview and the level meter ------------------------------------------------------
/** The camera preview (or a note that the camera is off) and the microphone's level meter. @param {Media} m */
export const preview = (m) => html`<div class="preview" aria-label="Your camera preview">
    <video id="cam" autoplay muted playsinline ?hidden=${!m.camera} .srcObject=${m.camera ? m.stream : null}></video>
    <div class="nocam" id="nocam" ?hidden=${m.camera}>Camera off: audio-only practice. Eye contact and face cues are skipped.</div>
  </div><div class="meter" aria-hidden="true"><i id="level"></i></div>`;

/** @param {number} level RMS of the last audio block, 0–1 */
export function setLevel(level) {
  const bar = document.getElementById("level");
  if (bar) bar.style.width = `${Math.min(100, level * 400)}%`;
}

// ---------- the recruiter's voice ----------------------------------------------------------------
/**
 * Speak `text` with the browser's speech synthesis; with no voice installed, wait about as long as
 * reading the caption takes. Stops speaking when `signal` aborts.
 * @param {string} text @param {AbortSignal} signal @returns {Promise<void>}
 */
export function speak(text, signal) {
  const readingMs = Math.min(12000, 1500 + text.split(/\s+/).length * 330);
  if (!("speechSynthesis" in window) || speechSynthesis.getVoices().length === 0) return sleep(readingMs, signal);
  return new Promise((resolve, reject) => {
    const u = new SpeechSynthesisUtterance(text);
    u.rate = 0.95;
    const finish = () => { clearTimeout(guard); signal.removeEventListener("abort", stop); resolve(); };
    const stop = () => { clearTimeout(guard); speechSynthesis.cancel(); reject(signal.reason); };
    const guard = setTimeout(finish, 30000);
    u.onend = u.onerror = finish;
    signal.addEventListener("abort", stop, { once: true });
    speechSynthesis.cancel();
    speechSynthesis.speak(u);
  });
}

// ---------- streaming --------------------------------------------------------------------------
/**
 * Binary message: kind (1 frame, 2 audio), uint32 sequence, float64 seconds, payload.
 * @param {1 | 2} kind @param {number} seq @param {number} t @param {ArrayBuffer} payload
 */
function packet(kind, seq, t, payload) {
  const head = new ArrayBuffer(13);
  const dv = new DataView(head);
  dv.setUint8(0, kind);
  dv.setUint32(1, seq, true);
  dv.setFloat64(5, t, true);
  return new Blob([head, payload]);
}

/**
 * Autoplay rules may hold an AudioContext "suspended" until the page gets a click (a reload of the
 * interview page has had none), and Firefox cannot start one without a sound output device: ask
 * for a click, then say plainly what is wrong rather than stream silence.
 * @param {AudioContext} ctx @param {AbortSignal} signal
 */
async function audioRunning(ctx, signal) {
  const running = () => ctx.state === "running";
  /** @param {number} ms */
  const within = (ms) => Promise.race([ctx.resume().catch(() => {}), sleep(ms, signal)]).then(running);
  if (running() || (await within(1500))) return;
  await new Promise((resolve, reject) => {
    const button = document.createElement("button");
    button.className = "unlock";
    button.textContent = "Start the microphone";
    const gone = () => { button.remove(); reject(signal.reason); };
    button.onclick = () => { signal.removeEventListener("abort", gone); ctx.resume().catch(() => {}); button.remove(); resolve(undefined); };
    signal.addEventListener("abort", gone, { once: true });
    document.body.append(button);
    button.focus();
  });
  if (await within(3000)) return;
  throw new Error("The browser's audio engine did not start. Check that a sound output device (speakers or headphones) is available, then reload the page.");
}

/**
 * One live answer (or the calibration) streamed over the WebSocket. `open()` connects and starts
 * the audio and frames; `end()` ends it normally and resolves with the server's last message;
 * aborting `signal` (the user left the view) stops everything and closes the socket, and the
 * server analyses what it received so far.
 */
export class LiveStream {
  /**
   * @param {string} sessionId @param {"answer" | "calibration"} mode @param {Media} m
   * @param {{signal: AbortSignal, videoEl?: HTMLVideoElement | null, onMessage?: (msg: LiveMessage) => void, onLevel?: (level: number) => void}} options
   */
  constructor(sessionId, mode, m, { signal, videoEl = null, onMessage, onLevel }) {
    this.sessionId = sessionId;
    this.mode = mode;
    this.media = m;
    this.signal = signal;
    this.videoEl = videoEl;
    this.onMessage = onMessage;
    this.onLevel = onLevel;
    this.seq = 0;
    this.closed = false;
    this.t0 = 0;
    /** @type {WebSocket | null} */
    this.ws = null;
    /** @type {AudioContext | null} */
    this.audio = null;
    /** @type {AudioWorkletNode | null} */
    this.node = null;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.frameTimer = undefined;
    /** @type {(msg: LiveMessage) => void} */
    let settle = () => {};
    /** @type {Promise<LiveMessage>} resolves with "ended"/"calibrated", or "closed" */
    this.finished = new Promise((resolve) => { settle = resolve; });
    this.settle = settle;
    this.abort = () => this.stop(true);
    signal.addEventListener("abort", this.abort, { once: true });
  }

  async open() {
    const proto = location.protocol === "https:" ? "wss" : "ws";
    const ws = new WebSocket(`${proto}://${location.host}/api/sessions/${encodeURIComponent(this.sessionId)}/live?mode=${this.mode}`);
    this.ws = ws;
    ws.binaryType = "arraybuffer";
    ws.onmessage = (e) => {
      /** @type {LiveMessage} */
      const msg = JSON.parse(e.data);
      if (msg.type === "ended" || msg.type === "calibrated") this.settle(msg);
      this.onMessage?.(msg);
    };
    ws.onclose = () => this.settle({ type: "closed" });
    await new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error("could not connect to the live answer socket"));
    });
    this.t0 = performance.now();
    await this.startAudio();
    if (this.media.camera && this.videoEl) this.startFrames(this.videoEl);
  }

  now() { return (performance.now() - this.t0) / 1000; }

  /** @param {Blob | string} data */
  send(data) { if (!this.closed && this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(data); }

  async startAudio() {
    const audio = new AudioContext();
    this.audio = audio;
    await audioRunning(audio, this.signal);
    await audio.audioWorklet.addModule("/static/pcm-worklet.js");
    if (this.closed) return;
    const source = audio.createMediaStreamSource(this.media.stream);
    const node = new AudioWorkletNode(audio, "pcm-chunker");
    this.node = node;
    let audioT = 0;
    node.port.onmessage = (e) => {
      if (e.data.pcm) {
        this.send(packet(2, this.seq++, audioT, e.data.pcm));
        audioT += e.data.pcm.byteLength / 2 / 16000;
      } else {
        this.onLevel?.(e.data.level);
      }
    };
    source.connect(node);
  }

  /** 320x240 JPEG at 10 fps: enough for gaze and face cues, light on the socket. @param {HTMLVideoElement} v */
  startFrames(v) {
    const canvas = document.createElement("canvas");
    canvas.width = 320; canvas.height = 240;
    const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
    this.frameTimer = setInterval(() => {
      if (!v.videoWidth) return;
      const t = this.now();
      ctx.drawImage(v, 0, 0, 320, 240);
      canvas.toBlob((blob) => { if (blob) blob.arrayBuffer().then((buf) => this.send(packet(1, this.seq++, t, buf))); },
        "image/jpeg", 0.7);
    }, 100);
  }

  /** Calibration: the step the user is on. @param {string} name */
  phase(name) { this.send(JSON.stringify({ type: "phase", phase: name })); }

  /** Stop the frames and the audio; `drop`: also close the socket at once (the view was left). @param {boolean} drop */
  stop(drop) {
    clearInterval(this.frameTimer);
    if (this.node) this.node.port.onmessage = null;
    if (this.audio && this.audio.state !== "closed") this.audio.close().catch(() => {});
    if (drop) {
      this.closed = true;
      this.ws?.close();
    }
  }

  /** End the answer normally: the server muxes and analyses it. @returns {Promise<LiveMessage>} */
  async end() {
    this.signal.removeEventListener("abort", this.abort);
    this.stop(false);
    await sleep(150); // let the last frame blob go out
    this.send(JSON.stringify({ type: "end" }));
    this.closed = true;
    // Left while waiting for the server's answer: close the socket (the answer is still analysed).
    this.signal.addEventListener("abort", () => this.ws?.close(), { once: true });
    return this.finished;
  }
}
