// @ts-check
// #/login — institution mode: log in, and choose a new password when an administrator reset it.

import { html } from "../../vendor/lit-html/lit-html.js";
import { showAccount } from "../account.js";
import { changePassword, getMe, logIn } from "../api.js";
import { guard, show } from "../router.js";

/** @typedef {import("../router.js").ViewContext} ViewContext */

/** @param {ViewContext} ctx */
export async function login({ signal }) {
  const state = { error: "", mustChange: false, password: "" };
  try {
    const me = await getMe(signal);
    if (me.mode === "personal") { location.hash = "#/"; return; }
    if (!me.must_change_password) { location.hash = "#/"; return; }
    state.mustChange = true;
  } catch { /* nobody is logged in yet: show the form */ }

  /** @param {HTMLFormElement} form @param {string} id */
  const value = (form, id) => /** @type {HTMLInputElement} */ (form.querySelector(`#${id}`)).value;

  const submitLogin = guard(signal, /** @param {SubmitEvent} e */ async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    try {
      const me = await logIn(value(form, "username"), value(form, "password"), signal);
      state.password = value(form, "password");
      if (me.must_change_password) { state.mustChange = true; state.error = ""; draw(); return; }
      showAccount(me);
      location.hash = "#/";
    } catch (err) {
      state.error = err instanceof Error ? err.message : String(err);
      draw();
    }
  });

  const submitChange = guard(signal, /** @param {SubmitEvent} e */ async (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    if (value(form, "new-password") !== value(form, "again")) {
      state.error = "The two new passwords are not the same.";
      draw();
      return;
    }
    try {
      await changePassword(value(form, "old-password"), value(form, "new-password"), signal);
      state.mustChange = false;
      state.error = "Your password was changed. Log in with the new one.";
      draw();
    } catch (err) {
      state.error = err instanceof Error ? err.message : String(err);
      draw();
    }
  });

  function draw() {
    const error = state.error ? html`<p class="error" role="alert">${state.error}</p>` : "";
    if (state.mustChange) {
      show(html`<h1>Choose a new password</h1>
        <p>Your password was set by an administrator. Choose one only you know before you go on.</p>
        ${error}
        <form class="card" @submit=${submitChange}>
          <label for="old-password">Current password</label>
          <input id="old-password" type="password" autocomplete="current-password" required .value=${state.password}>
          <label for="new-password">New password (at least 10 characters)</label>
          <input id="new-password" type="password" autocomplete="new-password" minlength="10" required>
          <label for="again">New password again</label>
          <input id="again" type="password" autocomplete="new-password" minlength="10" required>
          <button class="button" type="submit">Save the new password</button>
        </form>`, "New password");
      return;
    }
    show(html`<h1>Log in</h1>
      <p>Log in with the name and password your school or organisation gave you.</p>
      ${error}
      <form class="card" @submit=${submitLogin}>
        <label for="username">User name</label>
        <input id="username" autocomplete="username" required>
        <label for="password">Password</label>
        <input id="password" type="password" autocomplete="current-password" required>
        <button class="button" type="submit">Log in</button>
      </form>`, "Log in");
  }
  draw();
}
