"""End to end in headless Firefox (Debian's firefox-esr), driven over WebDriver BiDi (tests/web/bidi.py).

Firefox's fake devices (profile prefs) give a moving colour pattern for the camera and a tone for
the microphone: no face and no words. So the live answer checks that the page runs in Firefox
(camera preview, AudioWorklet, JPEG frames and PCM over the WebSocket, analysis, feedback) and that
an answer without speech is stored as "no speech", not as a failure; the upload of a GRID clip
through the upload form checks the words. Screenshots go to $MOCKMIRROR_E2E_SHOTS (default: the
test's temp dir).
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import httpx
import pytest

from mockmirror.speech.wer import word_errors

from .bidi import FIREFOX, PULSEAUDIO, Firefox, null_audio_output
from .helpers import serve

CLIP = "grid_av/sbwe5n.mpg"
WORDS = "set blue with e five now"

pytestmark = pytest.mark.skipif(
    FIREFOX is None,
    reason="firefox-esr is not installed (scripts/setup.sh installs it with pulseaudio)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("firefox")
    with serve(folder / "data") as (url, _):
        yield url, folder


def _by_id(element_id: str, expression: str) -> str:
    return f"document.getElementById({element_id!r}) && document.getElementById({element_id!r}).{expression}"


def test_live_answer_and_upload_in_firefox(server, fixtures_dir):
    url, folder = server
    shots = Path(os.environ.get("MOCKMIRROR_E2E_SHOTS", folder / "shots"))
    shots.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        # No sound card on a CI machine: a PulseAudio null sink lets Firefox's Web Audio run
        # (without pulseaudio, the machine's own sound server is used).
        env = {"PULSE_SERVER": stack.enter_context(null_audio_output(folder / "pulse"))} if PULSEAUDIO else {}
        ff = stack.enter_context(Firefox(folder / "profile", env=env))
        assert ff.capabilities["browserName"] == "firefox"
        ff.navigate(url)
        ff.wait_for("document.getElementById('setup')")
        ff.evaluate("(document.getElementById('len').value = '1', document.getElementById('fu').value = '0')")
        ff.click("#frame")  # no warm-up / closing question
        ff.screenshot(shots / "ff-1-home.png")
        ff.click("#setup button[type=submit]")
        ff.wait_for("document.getElementById('consent')")
        ff.click("#consent button[type=submit]")  # camera and microphone on, recordings not kept
        ff.wait_for("location.hash.startsWith('#/calibrate/')")
        session_id = ff.evaluate("location.hash.split('/')[2]")
        ff.click("a[href^='#/interview/']")  # skip calibration (the Chromium test runs it)
        ff.wait_for(_by_id("status", "textContent.includes('Listening')"), timeout=30)
        # The camera plays in the preview and the microphone drives the level meter (the
        # AudioWorklet runs: Firefox allowed the AudioContext to start).
        ff.wait_for(_by_id("cam", "videoWidth > 0"), timeout=10)
        ff.wait_for("parseFloat(document.getElementById('level').style.width) > 0", timeout=10)
        time.sleep(6)
        ff.screenshot(shots / "ff-2-answer.png")
        ff.click("#done")
        ff.wait_for("document.getElementById('next')", timeout=120)
        feedback = ff.evaluate("document.getElementById('after').textContent")
        ff.screenshot(shots / "ff-3-feedback.png")
        assert "The analysis failed" not in feedback, feedback

        # The next question comes with the quick feedback; the face and report follow.
        deadline = time.monotonic() + 120
        while True:
            session = httpx.get(f"{url}/api/sessions/{session_id}").json()
            [answer] = session["answers"]
            if answer["status"] in ("done", "failed") or time.monotonic() > deadline:
                break
            time.sleep(0.3)
        assert answer["source"] == "live" and answer["status"] == "done", answer.get("error")
        assert 4 <= answer["duration_s"] <= 20, "about 6 s of streamed audio and video"
        measures = answer["measures"]
        # A tone has no words: stored as an answer without speech, not as a failed analysis.
        assert answer["transcript"].strip() == "" and measures["word_count"] == 0, answer["transcript"]
        assert measures["words_per_minute"] is None and measures["face_visible_ratio"] == 0
        assert "no words recognised" in feedback and "No answer was heard" in feedback, feedback
        # The frames were read live: the colour pattern has no face, so the face nudge came.
        assert any(c["kind"] == "face_hidden" for c in answer["cues"]), answer["cues"]
        report = httpx.get(url + answer["report_url"]).json()
        assert report["input"]["has_video"], "the frames Firefox streamed reached the recording"

        # Upload a GRID clip through the form.
        ff.navigate(f"{url}/#/upload")
        ff.wait_for("document.getElementById('up')")
        ff.set_files("#file", [fixtures_dir / CLIP])
        ff.click("#question")
        for key in "Say a command.":
            ff.press(key)
        ff.click("#up button[type=submit]")
        ff.wait_for("(document.querySelector('h1') || {}).textContent === 'Session report'"
                    " || [...document.querySelectorAll('.error')].some((e) => e.textContent)", timeout=120)
        failed = ff.evaluate("[...document.querySelectorAll('.error')].map((e) => e.textContent).join(' ')")
        assert not failed, f"the upload form shows: {failed}"
        ff.screenshot(shots / "ff-4-upload-report.png")
        upload_session = ff.evaluate("location.hash.split('/')[2]")
        shown = ff.evaluate(_by_id("tr-0", "textContent"))
        errors = ff.errors()
    uploaded = httpx.get(f"{url}/api/sessions/{upload_session}").json()["answers"][0]
    assert uploaded["status"] == "done" and uploaded["question"] == "Say a command."
    assert word_errors(WORDS, uploaded["transcript"]).wer <= 0.34, uploaded["transcript"]
    assert word_errors(WORDS, shown).wer <= 0.34, f"the report page shows {shown!r}"
    assert errors == [], errors
    print(f"firefox e2e took {time.monotonic() - started:.1f} s")
