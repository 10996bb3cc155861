"""The page's own behaviour in headless Chromium (no camera needed): what the server sends is shown
as text, never run as markup; the session report re-renders in place while an answer is analysed
(the focus and the scroll position stay); leaving a page stops its polling."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import httpx
import pytest

from .helpers import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CLIP = "grid_av/bbaf2n.mpg"
# A question typed by whoever uploaded the answer, shown on the report page.
HOSTILE = 'Why? <img src=x onerror="window.__xss = 1"><b id="injected">bold</b>'

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ui")
    with serve(folder / "data") as (url, _):
        yield url


def test_report_renders_in_place_escapes_and_stops_polling(server, fixtures_dir):
    from playwright.sync_api import expect, sync_playwright

    url = server
    session = httpx.post(f"{url}/api/sessions", json={"kind": "upload", "consent": {"keep_recording": False}},
                         headers={"origin": url}).json()
    with (fixtures_dir / CLIP).open("rb") as clip:
        answer = httpx.post(f"{url}/api/sessions/{session['id']}/answers", headers={"origin": url},
                            files={"file": ("clip.mpg", clip, "video/mpeg")}, data={"question": HOSTILE},
                            timeout=60).json()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 390, "height": 500})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        report_requests: list[float] = []
        page.on("request", lambda r: report_requests.append(time.monotonic())
                if r.url.endswith(f"/api/sessions/{session['id']}/report") else None)
        page.goto(f"{url}/#/report/{session['id']}")
        expect(page.locator("h1")).to_have_text("Session report")
        # Still analysing: the report looks again every few seconds. The reader has scrolled down
        # and moved the focus to the last link; both stay where they are across the re-renders.
        assert page.locator("main section [role=status]").count() == 1, "the answer should still be analysing"
        page.focus("a[href='#/dashboard']")
        page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        scrolled = page.evaluate("window.scrollY")
        assert scrolled > 0
        page.evaluate("document.querySelector('a[href=\"#/dashboard\"]').dataset.mark = 'same node'")
        expect(page.locator(".transcript")).not_to_have_text("", timeout=240_000)  # analysed, re-rendered
        assert len(report_requests) >= 2
        assert page.evaluate("document.activeElement.dataset.mark") == "same node"
        assert page.evaluate("window.scrollY") >= min(scrolled, 1), "the page jumped to the top"
        # The question is shown as the text it is; nothing in it ran or became an element.
        assert HOSTILE in page.locator("#a-0").text_content()
        assert page.locator("#injected").count() == 0 and page.locator("main img").count() == 0
        assert page.evaluate("window.__xss") is None
        # Leaving a page that is polling stops it: open a report that is still analysing, leave.
        pending = httpx.post(f"{url}/api/sessions", json={"kind": "upload"}, headers={"origin": url}).json()
        with (fixtures_dir / CLIP).open("rb") as clip:
            httpx.post(f"{url}/api/sessions/{pending['id']}/answers", headers={"origin": url},
                       files={"file": ("clip.mpg", clip, "video/mpeg")}, timeout=60)
        polled: list[float] = []
        page.on("request", lambda r: polled.append(time.monotonic())
                if r.url.endswith(f"/api/sessions/{pending['id']}/report") else None)
        page.goto(f"{url}/#/report/{pending['id']}")
        expect(page.locator("main section [role=status]")).to_have_count(1)
        page.wait_for_timeout(3000)
        assert len(polled) >= 2, "the report did not look again while analysing"
        page.click("nav >> text=My progress")
        expect(page.locator("h1")).to_have_text("My progress")
        left = time.monotonic()
        page.wait_for_timeout(6000)
        assert [t for t in polled if t > left + 0.5] == [], "the report kept polling after the page was left"
        browser.close()
    assert errors == [], errors
    assert answer["status"] in ("queued", "analysing", "done")
