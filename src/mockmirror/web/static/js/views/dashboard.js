// @ts-check
// #/dashboard — "My progress": trends over sessions, strongest and weakest competencies, the next
// practice, every session (with delete), export and delete of all data.

import { html, nothing, svg } from "../../vendor/lit-html/lit-html.js";
import { deleteAllData, deleteSession, getDashboard, listSessions } from "../api.js";
import { guard, show } from "../router.js";
import { roleName, setText, stateName } from "../util.js";

/** @typedef {import("../types.js").DashboardPoint} DashboardPoint */
/** @typedef {import("../types.js").Competency} Competency */
/** @typedef {import("../router.js").ViewContext} ViewContext */

/**
 * A small line chart of one measure over the sessions (oldest first).
 * @param {string} title @param {DashboardPoint[]} points
 * @param {"words_per_minute" | "filler_rate_per_min" | "eye_contact_ratio" | "content_score"} key
 * @param {(v: number) => string} format
 */
function lineChart(title, points, key, format) {
  const values = points.map((p) => p[key]);
  const present = /** @type {number[]} */ (values.filter((v) => v !== null && v !== undefined));
  if (present.length === 0) return html`<div class="card chart"><h3>${title}</h3><p class="muted">No data yet.</p></div>`;
  const w = 300, h = 140, pad = 28;
  const lo = Math.min(...present), hi = Math.max(...present);
  const span = hi - lo || 1;
  /** @param {number} i */
  const xs = (i) => pad + (values.length === 1 ? (w - 2 * pad) / 2 : (i * (w - 2 * pad)) / (values.length - 1));
  /** @param {number} v */
  const ys = (v) => (hi === lo ? h / 2 : h - pad - ((v - lo) / span) * (h - 2 * pad)); // one value: mid-height
  /** @type {[number, number][]} */
  const pts = [];
  values.forEach((v, i) => { if (v !== null && v !== undefined) pts.push([xs(i), ys(v)]); });
  return html`<div class="card chart"><h3>${title}</h3>
    <svg viewBox="0 0 ${w} ${h}" role="img" aria-label="${title}: ${present.map(format).join(", ")}">
      <line x1=${pad} y1=${h - pad} x2=${w - pad} y2=${h - pad} stroke="currentColor" opacity=".2"></line>
      <polyline points=${pts.map((p) => p.join(",")).join(" ")}></polyline>
      ${pts.map((p) => svg`<circle cx=${p[0]} cy=${p[1]} r="3.5"></circle>`)}
      <text x="4" y=${ys(hi) + 4}>${format(hi)}</text>${hi === lo ? nothing : svg`<text x="4" y=${ys(lo) + 4}>${format(lo)}</text>`}
      <text x=${pad} y=${h - 8}>first</text><text x=${w - pad - 22} y=${h - 8}>latest</text>
    </svg></div>`;
}

/** @type {("words_per_minute" | "filler_rate_per_min" | "eye_contact_ratio" | "content_score")[]} */
const TRENDS = ["words_per_minute", "filler_rate_per_min", "eye_contact_ratio", "content_score"];

/** @param {Competency[]} list */
const competencies = (list) => (list.length
  ? list.map((c) => html`<li>${c.name.replace(/_/g, " ")}: ${c.mean_content_score} <span class="muted">(${c.answers} answer${c.answers > 1 ? "s" : ""})</span></li>`)
  : html`<li class="muted">Not enough answers yet.</li>`);

/** @param {ViewContext} ctx */
export async function dashboard({ signal }) {
  const draw = async () => {
    const [d, sessions] = await Promise.all([getDashboard(signal), listSessions(signal)]);
    /** @param {string} id */
    const remove = (id) => guard(signal, async () => {
      if (!confirm("Delete this session and its recordings?")) return;
      await deleteSession(id, signal);
      await draw();
    });
    const removeAll = guard(signal, async () => {
      if (!confirm("Delete every session, answer, recording and setting? This cannot be undone.")) return;
      const r = await deleteAllData(signal);
      await draw();
      setText("data-msg", r.detail);
    });
    const rows = sessions.map((s) => {
      const when = new Date(s.created_at).toLocaleString();
      return html`<tr><td><a href="#/report/${s.id}">${when}</a></td>
        <td data-label="Role">${s.job_title || roleName(s.role)}</td><td data-label="Answers">${s.answers.length}</td><td data-label="State">${stateName(s.state)}</td>
        <td><button class="secondary" data-delete=${s.id} aria-label="Delete the session of ${when}" @click=${remove(s.id)}>Delete</button></td></tr>`;
    });
    show(html`<h1>My progress</h1>
    <p class="card"><b>Next practice:</b> ${d.next_practice}</p>
    ${TRENDS.some((key) => d.sessions.some((p) => p[key] !== null && p[key] !== undefined)) ? html`<div class="charts">
      ${lineChart("Pace (words / min)", d.sessions, "words_per_minute", (v) => v.toFixed(0))}
      ${lineChart("Filler words / min", d.sessions, "filler_rate_per_min", (v) => v.toFixed(1))}
      ${lineChart("Eye contact", d.sessions, "eye_contact_ratio", (v) => `${Math.round(v * 100)}%`)}
      ${lineChart("Content score", d.sessions, "content_score", (v) => v.toFixed(0))}
    </div>` : html`<p class="card muted">Your trends (pace, filler words, eye contact, content score) appear here once a session has an answered question.</p>`}
    <div class="row">
      <div class="card"><h2>Strongest competencies</h2><ul>${competencies(d.best_competencies)}</ul></div>
      <div class="card"><h2>To practise</h2><ul>${competencies(d.worst_competencies)}</ul></div>
    </div>
    <div class="card"><h2>Sessions</h2>
      ${rows.length ? html`<div class="table-scroll"><table class="sessions"><thead><tr><th>When</th><th>Role</th><th>Answers</th><th>State</th><th></th></tr></thead><tbody>${rows}</tbody></table></div>` : html`<p class="muted">No sessions yet.</p>`}</div>
    <div class="card"><h2>My data</h2>
      <a class="button secondary" href="/api/data/export" download>Export all my data (zip)</a>
      <button class="danger" id="delete-all" @click=${removeAll}>Delete all my data</button><p id="data-msg" role="status"></p></div>`, "My progress");
  };
  await draw();
}
