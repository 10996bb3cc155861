"""The HTML report rendered by headless Chromium: charts drawn, accessible, offline; PDF export;
the session report and the CLI commands that write them."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from mockmirror.core.types import MockmirrorError
from mockmirror.report.document import AnswerReport, build_report
from mockmirror.report.html import media_link, render_answer_html
from mockmirror.report.pdf import BrowserNotFound, browser_command, find_browser, html_to_pdf
from mockmirror.report.session import build_session_report, render_session_html

CLI = [sys.executable, "-m", "mockmirror.cli.main"]


def _dom(page: Path, tmp_path: Path) -> str:
    """The DOM after the page's scripts ran, from headless Chromium."""
    command = browser_command(
        find_browser(),
        "--dump-dom",
        "--virtual-time-budget=3000",
        page.resolve().as_uri(),
        profile=tmp_path / "p",
    )
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


def _drawn(dom: str) -> set[str]:
    match = re.search(r'<body[^>]*data-charts-drawn="([^"]*)"', dom)
    assert match, "the page's script did not run"
    return set(match.group(1).split())


@pytest.fixture(scope="module")
def answer_report(assembled_analysis) -> AnswerReport:
    return build_report(assembled_analysis, {"whisper-base": "0" * 64})


@pytest.fixture(scope="module")
def answer_page(answer_report, assembled_answer, tmp_path_factory) -> Path:
    page = tmp_path_factory.mktemp("html") / "answer.html"
    page.write_text(
        render_answer_html(answer_report, media_link(assembled_answer.path, page)), encoding="utf-8"
    )
    return page


def test_html_is_self_contained_and_accessible(answer_page):
    html = answer_page.read_text()
    # Offline: no fetched scripts, styles, fonts or images (the recording link is relative).
    assert not re.search(r'(src|href)="(https?:)?//', html)
    assert "<link " not in html and "@import" not in html
    svgs = re.findall(r"<svg[^>]*>", html)
    assert len(svgs) >= 4
    for tag in svgs:
        assert 'role="img"' in tag and ("aria-label" in tag or "aria-labelledby" in tag), tag
    # Okabe–Ito colours only for the tracks (colour-blind safe).
    assert "#E69F00" in html and "#56B4E9" in html and "#009E73" in html
    assert "answer.html" not in html  # no full paths of the report
    assert re.search(r'<video id="media" [^>]*src="[^"/]*(/[^"/]+)*/assembled_answer.mp4"', html)
    # Titled by the question, not the file name; the file name only under "How this was measured".
    assert "<title>mockmirror · Tell me about a project you are proud of.</title>" in html
    assert "<h1>Tell me about a project you are proud of.</h1>" in html
    main_text, measured = html.split('<details class="card measured" id="how-measured">')
    assert "File: assembled_answer.mp4" in measured and "assembled_answer.mp4 ·" not in main_text


def test_chromium_draws_every_chart(answer_page, answer_report, tmp_path):
    dom = _dom(answer_page, tmp_path)
    drawn = _drawn(dom)
    assert {"timeline", "radar", "heatmap", "bars"} <= drawn, drawn
    # Cue tracks of the timeline, by name.
    for track in (
        "Speech",
        "Pauses",
        "Pace (WPM)",
        "Volume (dB)",
        "Eye contact",
        "Smile",
        "Face config.",
        "Blinks",
    ):
        assert f'data-track="{track}"' in dom, track
    assert 'data-track="Fillers ▲' in dom
    # One pace bar per timed phrase; the long pause drawn; a transcript word per recognised word.
    assert dom.count('class="seek pace"') == 11
    assert "long pause 3" in dom or "long pause 2" in dom
    words = len(answer_report.speech.transcript.words)
    assert len(re.findall(r'class="w( filler)?( now)?"', dom)) == words and words > 40
    # Feedback timestamps are buttons that seek (data-t), with an accessible label.
    buttons = re.findall(r'<button class="t" data-t="([\d.]+)"[^>]*aria-label="Go to ([^"]+)"', dom)
    assert len(buttons) >= 6
    assert all(0 <= float(t) <= answer_report.input.duration_s for t, _ in buttons)
    # No moment button for a whole-answer statistic: every feedback button is a real moment.
    points = answer_report.feedback.strengths + answer_report.feedback.improvements
    moments = {round(e.start, 2) for p in points for e in p.evidence}
    feedback_buttons = re.findall(r'<li><strong>.*?</li>', dom.split("<h2>Timeline</h2>")[0], re.S)
    for item in feedback_buttons:
        for t in re.findall(r'data-t="([\d.]+)"', item):
            assert round(float(t), 2) in moments
    # The answer verdict leads the page, in words; its technical reasons are in the details.
    verdict = answer_report.content.verdict
    assert f"<h2>{verdict.headline}</h2>" in dom
    assert "Measure:" not in dom and "content.scores" not in dom.split('id="how-measured"')[0]
    # Emotion inference is off by default: facial configurations, not emotions.
    assert "Facial configuration" in dom and "relaxed" in dom
    assert ">happy<" not in dom and ">angry<" not in dom


def test_screenshot_of_the_report(answer_page, tmp_path):
    shot = tmp_path / "report.png"
    command = browser_command(
        find_browser(),
        f"--screenshot={shot}",
        "--window-size=1280,2400",
        "--virtual-time-budget=3000",
        answer_page.resolve().as_uri(),
        profile=tmp_path / "p",
    )
    subprocess.run(command, capture_output=True, timeout=120, check=True)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2400)
    assert len(data) > 100_000  # a drawn page, not a blank one (a blank 1280x2400 PNG is ~10 kB)


def test_pdf_export(answer_report, tmp_path):
    page = tmp_path / "print.html"
    page.write_text(render_answer_html(answer_report, for_print=True), encoding="utf-8")
    pdf = html_to_pdf(page, tmp_path / "report.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert pages >= 2 and "A4" in info
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Tell me about a project you are proud of." in text and "Engagement" in text
    # Print opens "How this was measured": the cue tables with their reliabilities.
    assert "How this was measured" in text and "How each indicator was made" in text
    assert "eye contact" in text and "reliability" in text


def test_missing_browser_gives_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setenv("MOCKMIRROR_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(BrowserNotFound, match="MOCKMIRROR_CHROMIUM"):
        find_browser()
    monkeypatch.delenv("MOCKMIRROR_CHROMIUM")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BrowserNotFound, match="apt-get install chromium"):
        find_browser()
    assert issubclass(BrowserNotFound, MockmirrorError)


def test_session_report_combines_answers(answer_report, grid_analysis, tmp_path):
    second = build_report(grid_analysis)
    session = build_session_report([answer_report, second])
    assert [a.label for a in session.answers] == ["answer 1", "answer 2"]
    # Both are GRID command clips, not answers to the question: listed with their verdict, in no
    # average, and no session feedback is built from them.
    assert [a.counts for a in session.answers] == [False, False]
    assert all(a.status != "answered" for a in session.answers)
    assert session.figures.counted == 0 and session.overall_score is None
    assert session.feedback.strengths == [] and session.feedback.improvements == []
    page = tmp_path / "session.html"
    page.write_text(render_session_html(session), encoding="utf-8")
    html = page.read_text()
    assert html.count("not counted") >= 2
    assert "radar" in _drawn(_dom(page, tmp_path))


def test_cli_analyze_writes_html_and_pdf_and_session(fixtures_dir, answer_report, tmp_path):
    # The CLI on a real audio-only clip (fast), then a session of it and the assembled answer.
    clip = fixtures_dir / "grid_av" / "audio_16k" / "lbax4n.wav"
    html, pdf, js = tmp_path / "a.html", tmp_path / "a.pdf", tmp_path / "a.json"
    done = subprocess.run(
        [
            *CLI,
            "analyze",
            str(clip),
            "-q",
            "Describe a project.",
            "--report",
            str(html),
            "--pdf",
            str(pdf),
            "--json",
            str(js),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert html.stat().st_size > 10_000 and pdf.read_bytes()[:5] == b"%PDF-"
    report = AnswerReport.model_validate_json(js.read_bytes())
    assert report.fusion is not None
    face = next(g for g in report.fusion.overall.groups if g.name == "face")
    assert not face.available and face.effective_share == 0
    # Audio only: engagement is not measured without the camera (it used to read 100 from the voice).
    engagement = report.fusion.get("engagement")
    assert engagement.score is None and "without the camera" in engagement.summary
    assert "Not measured without the camera" in html.read_text()
    first = tmp_path / "first.json"
    first.write_text(answer_report.model_dump_json(), encoding="utf-8")
    session_html, session_pdf = tmp_path / "s.html", tmp_path / "s.pdf"
    done = subprocess.run(
        [*CLI, "report-session", str(first), str(js), "--html", str(session_html), "--pdf", str(session_pdf)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "2 answers" in done.stdout
    assert "answer 2" in session_html.read_text() and session_pdf.stat().st_size > 5_000
    # An earlier report as the baseline: the reference is named in the new report.
    again = tmp_path / "b.json"
    done = subprocess.run(
        [*CLI, "analyze", str(clip), "--baseline", str(first), "--json", str(again)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert AnswerReport.model_validate_json(again.read_bytes()).fusion.reference.startswith("own baseline")
    # A calibration recording of the same person sets the reference instead.
    calibrated = tmp_path / "c.json"
    calib = fixtures_dir / "grid_av" / "audio_16k" / "lbbc2a.wav"
    done = subprocess.run(
        [*CLI, "analyze", str(clip), "--calibration", str(calib), "--json", str(calibrated)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    fusion = AnswerReport.model_validate_json(calibrated.read_bytes()).fusion
    assert fusion.reference.startswith("own baseline (calibration: lbbc2a.wav)")
    assert fusion.baseline.source == "calibration"


def test_report_session_needs_an_output(tmp_path, answer_report):
    first = tmp_path / "first.json"
    first.write_text(answer_report.model_dump_json(), encoding="utf-8")
    done = subprocess.run([*CLI, "report-session", str(first)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "--html" in done.stderr
    with pytest.raises(MockmirrorError):
        html_to_pdf(tmp_path / "missing.html", tmp_path / "x.pdf", timeout_s=60)


def test_timestamps_seek_the_recording_and_mark_the_timeline(answer_page, tmp_path):
    # Click the first feedback timestamp from a script, then read what the page's handler did.
    probe = """<script>
    (function () {
      var button = document.querySelector("button.t");
      button.click();
      var media = document.getElementById("media"), head = document.getElementById("playhead");
      document.body.setAttribute("data-probe", [button.dataset.t, media.currentTime,
        head.getAttribute("visibility"), head.getAttribute("x1"),
        document.querySelectorAll(".w.now").length].join("|"));
    })();
    </script></body>"""
    page = tmp_path / answer_page.name
    page.write_text(answer_page.read_text().replace("</body>", probe), encoding="utf-8")
    # Keep the relative link to the recording working from the copy's folder.
    (tmp_path / "assembled_answer.mp4").symlink_to(
        (
            answer_page.parent / re.search(r'<video id="media" [^>]*src="([^"]+)"', page.read_text()).group(1)
        ).resolve()
    )
    page.write_text(
        re.sub(r'(<video id="media" [^>]*src=")[^"]+"', r'\1assembled_answer.mp4"', page.read_text())
    )
    dom = _dom(page, tmp_path)
    t, current, visibility, x1, _words = re.search(r'data-probe="([^"]+)"', dom).group(1).split("|")
    assert float(current) == pytest.approx(float(t), abs=0.05)
    assert visibility == "visible" and float(x1) > 110  # the playhead moved into the plot
