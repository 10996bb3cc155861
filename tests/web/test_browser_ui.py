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


def test_leaving_the_interview_mid_answer_closes_the_stream(server, fixtures_dir, tmp_path):
    """The live answer's socket closes as soon as the page is left (no stream into a page nobody
    sees); what was recorded is still analysed, and the page sends nothing more."""
    from playwright.sync_api import expect, sync_playwright

    from .test_browser_e2e import make_fake_devices

    url = server
    y4m, wav = make_fake_devices(fixtures_dir / CLIP, tmp_path)
    args = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={y4m}", f"--use-file-for-fake-audio-capture={wav}",
            "--autoplay-policy=no-user-gesture-required", "--no-sandbox"]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        closed: list[float] = []
        page.on("websocket", lambda ws: ws.on("close", lambda _: closed.append(time.monotonic())))
        requests: list[tuple[float, str]] = []
        page.on("request", lambda r: requests.append((time.monotonic(), r.url)))
        page.goto(url)
        page.select_option("#len", "1")
        page.uncheck("#frame")
        page.click("text=Continue")
        page.click("text=Start calibration")
        page.click("a[href^='#/interview/']")  # skip calibration
        expect(page.locator("#status")).to_contain_text("Listening", timeout=30_000)
        session_id = page.evaluate("location.hash.split('/')[2]")
        page.wait_for_timeout(4000)
        assert closed == []
        page.click("nav >> text=My progress")
        left = time.monotonic()
        expect(page.locator("h1")).to_have_text("My progress")
        page.wait_for_timeout(3000)
        assert len(closed) == 1 and closed[0] - left < 1.0, "the live socket stayed open after leaving"
        late = [u for t, u in requests if t > left + 1.0]
        assert late == [], f"the interview page kept working after it was left: {late}"
        assert page.locator("#cam").count() == 0
        browser.close()
    assert errors == [], errors
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        answers = httpx.get(f"{url}/api/sessions/{session_id}").json()["answers"]
        if answers and answers[0]["status"] in ("done", "failed"):
            break
        time.sleep(1)
    [answer] = answers
    assert answer["status"] == "done" and 2 <= answer["duration_s"] <= 8, answer
