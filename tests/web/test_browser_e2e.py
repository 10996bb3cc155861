"""End to end in headless Chromium with a fake camera and microphone fed from a GRID clip.

The server runs as `mockmirror serve` on 127.0.0.1 (a free port, bounded run time); the browser is
Debian's chromium driven by Playwright (its driver ships in the wheel; no `playwright install`).
Screenshots are written to $MOCKMIRROR_E2E_SHOTS (default: the test's temp dir) for a person to look at.
"""

from __future__ import annotations

import os
import shutil
import time
import wave
from fractions import Fraction
from pathlib import Path

import av
import httpx
import numpy as np
import pytest

from mockmirror.media import iter_frames, load_audio
from mockmirror.speech.wer import normalize_words

from .helpers import serve

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CLIP = "grid_av/sbwe5n.mpg"
WORDS = "set blue with e five now"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


def make_fake_devices(clip: Path, folder: Path) -> tuple[Path, Path]:
    """clip.y4m (the video, looped by Chromium) and clip.wav (looped too): the words twice, then
    2 s of quiet — shorter than the 3 s that end an answer, so each answer runs until "Done" and
    holds at least one whole clip whatever point of the loop it starts at."""
    y4m = folder / "clip.y4m"
    with av.open(str(y4m), "w", format="yuv4mpegpipe") as out:
        stream = out.add_stream("rawvideo", rate=25)
        stream.width, stream.height, stream.pix_fmt = 360, 288, "yuv420p"
        for i, frame in enumerate(iter_frames(clip, fps=25, max_width=None)):
            image = av.VideoFrame.from_ndarray(frame.rgb, format="rgb24").reformat(format="yuv420p")
            image.pts, image.time_base = i, Fraction(1, 25)
            for packet in stream.encode(image):
                out.mux(packet)
        for packet in stream.encode(None):
            out.mux(packet)
    audio = load_audio(clip, 16_000)
    gap = np.zeros(int(16_000 * 0.4), np.float32)
    quiet = np.zeros(int(16_000 * 2.0), np.float32)
    pcm = (np.clip(np.concatenate([audio, gap, audio, quiet]), -1, 1) * 32767).astype("<i2")
    wav = folder / "clip.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(pcm.tobytes())
    return y4m, wav


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    # The product nudges at most every 20 s; a short test answer needs a lower pace bar to see the
    # live path deliver one (GRID speech is quick, but not that quick).
    with serve(folder / "data", MOCKMIRROR_WEB__CUE_FAST_SYLLABLES_PER_S="2.0") as (url, _):
        yield url, folder


def _shots_dir(folder: Path) -> Path:
    target = Path(os.environ.get("MOCKMIRROR_E2E_SHOTS", folder / "shots"))
    target.mkdir(parents=True, exist_ok=True)
    return target


# What the replay overlay says for each kind of the report's events (static/js/views/report.js EVENT_TEXT).
OVERLAY_TEXT = {
    "filler": "Filler word: “", "long_pause": "Long pause (", "gaze_away": "Looking away from the camera",
    "no_face": "Face out of view", "multiple_faces": "More than one face", "eyes_closed": "Eyes closed",
    "smile": "Smile", "too_quiet": "Too quiet", "too_loud": "Very loud", "fast_pace": "Fast pace (",
    "slow_pace": "Slow pace (", "monotone": "Flat voice", "clipping": "Sound clipping", "nod": "Nod",
    "head_shake": "Head shake", "no_speech": "No speech",
}


def _seek(page, index: int, t: float) -> dict:
    """Seek replay `index` to `t` (paused) and read its overlay once the seek is done."""
    return page.evaluate("""async ([i, t]) => {
        const v = document.getElementById(`vid-${i}`);
        if (v.readyState < 1) await new Promise((r) => v.addEventListener("loadedmetadata", r, {once: true}));
        v.pause();
        const done = new Promise((r) => v.addEventListener("seeked", r, {once: true}));
        v.currentTime = t;
        await done;
        await new Promise((r) => setTimeout(r, 50));
        const ov = document.getElementById(`ov-${i}`);
        return {hidden: ov.hidden, lines: [...ov.children].map((c) => [c.className, c.textContent])};
    }""", [index, t])


def check_replay(page, report: dict, shots: Path) -> None:
    """The report's events are drawn over the replay at their moments; feedback moments seek."""
    answers = report["answers"]
    shown = [(i, e) for i, a in enumerate(answers) for e in a["events"] if e["kind"] in OVERLAY_TEXT]
    assert shown, f"no event to draw: {[e['kind'] for a in report['answers'] for e in a['events']]}"
    assert page.locator(".cue-bar span.ev").count() == len(shown)
    for i, event in (shown[0], shown[-1]):
        overlay = _seek(page, i, event["start"] + 0.02)
        assert not overlay["hidden"], f"no overlay at {event}"
        assert any(cls == f"ov-{event['kind']}" and text.startswith(OVERLAY_TEXT[event["kind"]])
                   for cls, text in overlay["lines"]), (event, overlay)
    page.locator(f"#vid-{shown[-1][0]}").scroll_into_view_if_needed()
    page.screenshot(path=shots / "7b-replay-overlay.png")
    # A moment with nothing under way: no overlay.
    i = shown[0][0]
    answer = answers[i]
    spans = [(e["start"], max(e["end"], e["start"] + 1.5))
             for e in answer["events"] if e["kind"] in OVERLAY_TEXT]
    spans += [(c["t"], c["t"] + 3) for c in answer["cues"]]
    quiet = next((t / 10 for t in range(int(answer["duration_s"] * 10))
                  if not any(a - 0.2 <= t / 10 < b + 0.2 for a, b in spans)), None)
    if quiet is not None:
        assert _seek(page, i, quiet)["hidden"], f"an overlay at {quiet} s, where nothing happens"
    # Clicking a feedback point's time seeks its answer's video there.
    moment = page.locator(".moment").first
    index, t = int(moment.get_attribute("data-answer")), float(moment.get_attribute("data-t"))
    _seek(page, index, answers[index]["duration_s"] - 0.1 if t < 1 else 0.0)
    moment.click()
    now = page.evaluate("(i) => document.getElementById(`vid-${i}`).currentTime", index)
    assert t - 0.05 <= now <= t + 1.0, f"the moment at {t} s left the video at {now} s"


def test_two_question_interview_in_chromium(server, fixtures_dir):
    from playwright.sync_api import expect, sync_playwright

    url, folder = server
    y4m, wav = make_fake_devices(fixtures_dir / CLIP, folder)
    shots = _shots_dir(folder)
    args = [
        "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}", f"--use-file-for-fake-audio-capture={wav}",
        "--autoplay-policy=no-user-gesture-required", "--no-sandbox",
    ]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=args)
        page = browser.new_page(viewport={"width": 1100, "height": 800})
        console = []
        page.on("console", lambda m: console.append(m.text))
        # Note every nudge the page shows (it hides each after a few seconds).
        page.add_init_script("""
            window.__nudges = [];
            new MutationObserver(() => {
              const box = document.getElementById("nudge");
              if (box && !box.hidden) window.__nudges.push(box.textContent);
            }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
        """)
        page.goto(url)
        page.select_option("#len", "2")
        page.select_option("#fu", "0")
        page.uncheck("#frame")
        page.screenshot(path=shots / "1-home.png")
        page.click("text=Continue")
        page.check("#c-keep")
        page.screenshot(path=shots / "2-consent.png")
        page.click("text=Start calibration")
        page.click("#cal-start")
        page.wait_for_timeout(4000)
        page.screenshot(path=shots / "3-calibration.png")
        for number in (1, 2):
            expect(page.locator("#q-num")).to_contain_text(f"{number} of 2", timeout=30_000)
            expect(page.locator("#status")).to_contain_text("Listening", timeout=30_000)
            page.wait_for_timeout(5000)
            page.screenshot(path=shots / f"4-answer-{number}.png")
            page.wait_for_timeout(5000)  # 10 s of answer: a whole 8.4 s loop of the fake microphone
            # The fake microphone's loop has quiet gaps, so the answer may already have ended by
            # itself (a few seconds of quiet); otherwise "Done" has the focus while listening.
            done = page.locator("#done")
            if done.is_visible():
                expect(done).to_be_focused()
                page.keyboard.press("Enter")
            page.screenshot(path=shots / f"5-analysing-{number}.png")
            expect(page.locator("#next")).to_be_visible(timeout=180_000)
            page.screenshot(path=shots / f"6-feedback-{number}.png", full_page=True)
            page.click("#next")
        expect(page.locator("h1")).to_have_text("Session report", timeout=30_000)
        page.wait_for_timeout(1000)
        page.screenshot(path=shots / "7-report.png", full_page=True)
        session_id = page.evaluate("location.hash.split('/')[2]")
        shown = page.evaluate("window.__nudges")  # before the reload below forgets them
        # The interview moves on with the quick feedback; the last answer's face, report and
        # replay copy may still be under way: the open report looks again until they are in.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and any(
                a["status"] != "done" or a["stage"] != "done"
                for a in httpx.get(f"{url}/api/sessions/{session_id}").json()["answers"]):
            time.sleep(0.5)
        page.reload()
        expect(page.locator("h1")).to_have_text("Session report", timeout=30_000)
        page.wait_for_timeout(1000)
        check_replay(page, httpx.get(f"{url}/api/sessions/{session_id}/report").json(), shots)
        page.goto(f"{url}/#/dashboard")
        expect(page.locator("h1")).to_have_text("My progress")
        page.wait_for_timeout(500)
        page.screenshot(path=shots / "8-dashboard.png", full_page=True)
        browser.close()
    session = httpx.get(f"{url}/api/sessions/{session_id}").json()
    assert session["state"] == "done" and session["calibrated"], console
    answers = session["answers"]
    assert len(answers) == 2 and all(a["status"] == "done" for a in answers)
    expected = normalize_words(WORDS)
    for answer in answers:
        heard = normalize_words(answer["transcript"])
        recall = sum(w in heard for w in expected) / len(expected)
        assert recall >= 0.8, f"transcript {answer['transcript']!r} does not match the clip"
        assert answer["has_recording"], "keep recording was chosen"
        assert answer["measures"]["face_visible_ratio"] > 0.8
    stored = [c["message"] for a in answers for c in a["cues"]]
    assert stored, "no live nudge reached the answers"
    assert set(stored) <= set(shown), f"nudges stored {stored} but the page showed {shown}"
