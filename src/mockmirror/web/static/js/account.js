// @ts-check
// The page's frame after a login or log-out: the "Log out" link and the footer's words.

/** @typedef {import("./api.js").Me} Me */

const PERSONAL_FOOT = "Runs entirely on this computer. Nothing is uploaded anywhere.";
const INSTITUTION_FOOT = "Runs on your organisation's own server. Nothing is sent anywhere else.";

/** @param {Me | null} me  null: nobody is logged in */
export function showAccount(me) {
  const link = document.getElementById("logout");
  const institution = me !== null ? me.mode === "institution" : true;
  if (link) link.hidden = !(me && institution);
  const foot = document.querySelector(".foot");
  if (foot) foot.textContent = institution ? INSTITUTION_FOOT : PERSONAL_FOOT;
}
