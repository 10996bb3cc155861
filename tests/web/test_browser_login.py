"""Institution mode in headless Chromium: the page asks for a login, logs in, and then works
(its writes carry the CSRF token) under the app's Content-Security-Policy, with nothing blocked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mockmirror.settings import Settings
from mockmirror.store.accounts import Accounts
from mockmirror.store.db import open_database

from .helpers import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "a password for the browser"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


def test_log_in_then_practise_under_the_csp(tmp_path, monkeypatch):
    from playwright.sync_api import expect, sync_playwright

    data = tmp_path / "data"
    monkeypatch.setenv("MOCKMIRROR_WEB__DATA_DIR", str(data))
    database = open_database(Settings())
    Accounts(database).create("ann", PASSWORD)
    database.close()
    with serve(data, MOCKMIRROR_FUSION__MODE="institutional") as (url, _), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        problems: list[str] = []
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.on("console", lambda m: problems.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{url}/#/dashboard")
        expect(page.locator("h1")).to_have_text("Log in")
        page.fill("#username", "ann")
        page.fill("#password", "not the password")
        page.click("button[type=submit]")
        expect(page.locator("[role=alert]")).to_contain_text("not right")
        page.fill("#password", PASSWORD)
        page.click("button[type=submit]")
        expect(page.locator("#logout")).to_be_visible()
        expect(page.locator(".foot")).to_contain_text("organisation")
        # A write from the page (delete all my data) passes the CSRF check.
        status = page.evaluate(
            """async () => { const api = await import('/static/js/api.js');
                             await api.getMe(); await api.deleteAllData(); return 'ok'; }"""
        )
        assert status == "ok"
        page.click("#logout")
        expect(page.locator("h1")).to_have_text("Log in")
        browser.close()
    assert problems == []
