// @ts-check
// mockmirror's web UI: ES modules, no build step, nothing from a CDN (lit-html is vendored under
// ../vendor). Speech recognition happens on the server; the browser only speaks the questions
// (speechSynthesis) and streams frames and audio. docs/web.md describes the layout.

import { showAccount } from "./account.js";
import { getMe, logOut } from "./api.js";
import { hideNudge, stopMedia } from "./live.js";
import { startRouter } from "./router.js";
import { calibrate } from "./views/calibration.js";
import { consent } from "./views/consent.js";
import { dashboard } from "./views/dashboard.js";
import { home } from "./views/home.js";
import { interview } from "./views/interview.js";
import { login } from "./views/login.js";
import { report } from "./views/report.js";
import { upload } from "./views/upload.js";

/** Views that keep the camera and microphone open (from the consent to the interview's end). */
const LIVE = new Set(["consent", "calibrate", "interview"]);

/** #/logout: end the login, then the login page. */
async function logout() {
  await logOut().catch(() => undefined);
  showAccount(null);
  location.hash = "#/login";
}

startRouter({ "": home, consent, calibrate, interview, report, dashboard, upload, login, logout }, (name) => {
  hideNudge();
  if (!LIVE.has(name)) stopMedia();
});

// Institution mode: fetch the login's write token, or show the login page (api() does on a 401).
getMe().then(showAccount).catch(() => { showAccount(null); location.hash = "#/login"; });
