"""Fusion and reports on every kind of fixture: indicator values, which cues were left out and
why, the overall score's actual group shares, facial-activity separation (neutral GRID speakers
vs expressive clips), and the cost of fusion, HTML rendering and PDF printing.

There are no human ratings of these recordings, so this is a behaviour record, not an accuracy
measure: it shows what the formulas give on real inputs (docs/fusion.md quotes it).
Writes benchmarks/results/fusion_fixtures-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/fusion_fixtures.py [--fixtures ../shared/fixtures]
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from mockmirror import __version__
from mockmirror.analysis.pipeline import AnswerAnalyzer
from mockmirror.fusion.cues import facial_activity
from mockmirror.media.compose import compose_answer
from mockmirror.report.document import build_report
from mockmirror.report.html import render_answer_html
from mockmirror.report.pdf import write_pdf
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Tell me about a project you are proud of."


def inputs(fixtures: Path, scratch: Path) -> list[tuple[str, Path, str]]:
    clips = sorted((fixtures / "grid_av").glob("*.mpg"))
    gaps = [0.4] * (len(clips) - 1)
    gaps[5] = 2.5
    assembled = scratch / "assembled_answer.mp4"
    compose_answer(clips, gaps, assembled, lead_s=1.5)
    more = fixtures / "speech_more"
    return [
        ("GRID clip (3 s, video)", clips[0], "neutral speaker, little speech"),
        ("assembled GRID answer (40 s, video)", assembled, "neutral speaker, one 2.5 s pause"),
        (
            "Wolfgang (20 s, video, no speech)",
            fixtures / "face_videos" / "WolfgangLanger_Pexels.mp4",
            "expressive",
        ),
        ("single_face (2.4 s, video)", fixtures / "face_videos" / "single_face.mp4", "smiling"),
        ("GRID audio only (3 s)", fixtures / "grid_av" / "audio_16k" / "lbax4n.wav", "missing face"),
        ("JFK (11 s, audio)", more / "jfk.flac", "oratory"),
        ("AMI meeting (6 s, audio)", next(more.glob("ES2011a*.wav")), "spontaneous speech"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    args = parser.parse_args()
    settings = Settings()
    analyzer = AnswerAnalyzer(settings)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for name, path, note in inputs(args.fixtures, scratch):
            analysis = analyzer.analyze(path, question=QUESTION)
            report = build_report(analysis)
            started = time.perf_counter()
            html = render_answer_html(report, for_print=True)
            html_s = time.perf_counter() - started
            started = time.perf_counter()
            pdf = write_pdf(html, scratch / "r.pdf")
            pdf_s = time.perf_counter() - started
            fusion = report.fusion
            activity = facial_activity(analysis.face) if analysis.face.available else None
            rows.append(
                {
                    "input": name,
                    "note": note,
                    "duration_s": round(analysis.media.duration, 2),
                    "face_reliability": analysis.face.reliability.score if analysis.face.available else None,
                    "voice_reliability": analysis.speech.reliability.score,
                    "indicators": {i.name: i.score for i in fusion.indicators},
                    "indicator_reliability": {i.name: i.reliability for i in fusion.indicators},
                    "left_out": {i.name: i.left_out for i in fusion.indicators if i.left_out},
                    "overall": fusion.overall.score,
                    "shares": {g.name: g.effective_share for g in fusion.overall.groups},
                    "expressive_movement_ratio": activity.active_ratio if activity else None,
                    "mismatches": len(fusion.mismatches),
                    "fusion_s": round(analysis.timings_s.get("fusion", 0.0), 3),
                    "html_s": round(html_s, 3),
                    "html_kb": round(len(html.encode()) / 1024, 1),
                    "pdf_s": round(pdf_s, 2),
                    "pdf_kb": round(pdf.stat().st_size / 1024, 1),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    checks = {
        "face_share_at_most_15_percent": all(r["shares"]["face"] <= 0.15 + 1e-9 for r in rows),
        "no_overall_without_speech": all(
            r["overall"] is None for r in rows if r["voice_reliability"] < settings.fusion.min_reliability
        ),
    }
    out = {
        "date": date.today().isoformat(),
        "mockmirror": __version__,
        "settings": settings.fusion.model_dump(),
        "rows": rows,
        "checks": checks,
    }
    stem = ROOT / "benchmarks" / "results" / f"fusion_fixtures-{out['date']}"
    stem.with_suffix(".json").write_text(json.dumps(out, indent=2) + "\n")
    lines = [
        f"# Fusion on the fixtures ({out['date']}, mockmirror {__version__})",
        "",
        "| input | engagement | composure | clarity | content | overall | shares c/v/f | expressive "
        "| fusion s | HTML s | PDF s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def f(v):
        return "–" if v is None else f"{v:.0f}"

    for r in rows:
        ind, sh = r["indicators"], r["shares"]
        expressive = (
            "–" if r["expressive_movement_ratio"] is None else f"{r['expressive_movement_ratio']:.0%}"
        )
        lines.append(
            f"| {r['input']} | {f(ind['engagement'])} | {f(ind['composure'])} | {f(ind['clarity'])} | "
            f"{f(ind['content'])} | {f(r['overall'])} | "
            f"{sh['content']:.2f}/{sh['voice']:.2f}/{sh['face']:.2f} | "
            f"{expressive} | {r['fusion_s']:.2f} | {r['html_s']:.2f} | {r['pdf_s']:.1f} |"
        )
    lines += ["", "Checks: " + ", ".join(f"{k} = {v}" for k, v in checks.items()), ""]
    lines += ["Left out (cue reliability below the threshold or not measured):", ""]
    lines += [f"- {r['input']}: {r['left_out']}" for r in rows]
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n")
    print(stem.with_suffix(".md").read_text())


if __name__ == "__main__":
    main()
