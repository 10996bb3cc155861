"""How readable is the feedback a candidate reads? Plain-English check of every produced sentence.

Runs the analysis pipeline (``AnswerAnalyzer`` with ``Settings()``) on the fixtures — the 11 GRID
clips, each as an answer to a behavioural question, ``face_videos/single_face.mp4``, a ~40 s answer
assembled from the GRID clips (as tests/conftest.py does) — and a few written answers from
benchmarks/data/content_answers.jsonl through content analysis and fusion with no speech or face.
It collects every candidate-facing text: feedback messages and tips, the answer verdict's message,
the notes, the indicators' summaries and the overall score's explanation (before ``OverallScore``
had a plain ``message``, the overall notes shown on the summary card), and the moment labels.

Per sentence: textstat (0.7.x) Flesch reading ease and Flesch–Kincaid grade, and the length in
words; over all of them the median and mean, and every forbidden pattern found
(``fusion.feedback.forbidden_patterns``: variable or file names, action-unit codes, decimals
below one, nested parentheses; the candidate's own words in quotes are skipped). Targets
(docs/fusion.md §8): median reading ease ≥ 60, median sentence ≤ 20 words, no forbidden pattern.

    .venv/bin/python benchmarks/feedback_readability.py [--fixtures ../shared/fixtures]
        [--compare earlier.json] [--out benchmarks/results]

``--compare`` adds a before/after table against an earlier result (e.g. the same benchmark run on
an older commit). Writes benchmarks/results/feedback_readability-YYYY-MM-DD.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import textstat

from mockmirror import __version__
from mockmirror.analysis.pipeline import AnswerAnalyzer
from mockmirror.face.track import FaceTrack
from mockmirror.fusion.coaching import fusion_feedback
from mockmirror.fusion.feedback import build_feedback, forbidden_patterns
from mockmirror.fusion.fuse import fuse
from mockmirror.language.content import analyze_content
from mockmirror.media.compose import compose_answer
from mockmirror.settings import Settings
from mockmirror.speech.track import SpeechTrack
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "Tell me about a time you led a team."
WRITTEN = ("strong-01", "vague-01", "off_topic-01", "we_only-01", "no_result-01", "rambling-01")
TARGETS = {"median_reading_ease_min": 60.0, "median_sentence_words_max": 20.0, "forbidden_max": 0}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[“\"A-Z0-9])")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'–-]*")


def candidate_texts(analysis_feedback, content, fusion) -> dict[str, list[str]]:
    """What the candidate reads, by kind (sentences for readability; labels only for the pattern check)."""
    texts: dict[str, list[str]] = {"sentences": [], "labels": []}
    for p in [*analysis_feedback.strengths, *analysis_feedback.improvements]:
        texts["sentences"] += [t for t in (p.message, p.tip) if t]
        texts["labels"] += [e.label for e in p.evidence]
        headline = getattr(p, "headline", "")
        if headline:
            texts["labels"].append(headline)
    texts["sentences"] += list(analysis_feedback.notes)
    verdict = getattr(content, "verdict", None)
    if verdict is not None and not verdict.answered:
        texts["sentences"].append(verdict.message)
    if fusion is not None:
        texts["sentences"] += [i.summary for i in fusion.indicators if i.summary]
        message = getattr(fusion.overall, "message", None)
        texts["sentences"] += [message] if message else list(fusion.overall.notes)
    return texts


def sentences_of(text: str) -> list[str]:
    """Sentences, not splitting inside the candidate's own words quoted back (“Bin blue F2 now.”)."""
    quotes: list[str] = []

    def hide(match: re.Match[str]) -> str:
        quotes.append(match.group(0))
        return f"“Q{len(quotes) - 1}”"

    masked = re.sub(r"“[^”]*”", hide, text.strip())
    parts = [s.strip() for s in _SENTENCE_END.split(masked) if s.strip()]
    return [re.sub(r"“Q(\d+)”", lambda m: quotes[int(m.group(1))], s) for s in parts]


def measure(sentence: str) -> dict:
    return {
        "sentence": sentence,
        "words": len(_WORD.findall(sentence)),
        "reading_ease": round(textstat.flesch_reading_ease(sentence), 1),
        "grade": round(textstat.flesch_kincaid_grade(sentence), 1),
    }


def spoken_inputs(fixtures: Path, scratch: Path) -> list[tuple[str, Path]]:
    clips = sorted((fixtures / "grid_av").glob("*.mpg"))
    gaps = [0.4] * (len(clips) - 1)
    gaps[5] = 2.5
    assembled = scratch / "assembled_answer.mp4"
    compose_answer(clips, gaps, assembled, lead_s=1.5)
    return [
        *[(f"GRID {c.stem}", c) for c in clips],
        ("single_face", fixtures / "face_videos" / "single_face.mp4"),
        ("assembled GRID answer (40 s)", assembled),
    ]


def summarise(rows: list[dict], forbidden: list[dict]) -> dict:
    ease = [r["reading_ease"] for r in rows]
    grade = [r["grade"] for r in rows]
    words = [r["words"] for r in rows]
    summary = {
        "sentences": len(rows),
        "median_reading_ease": round(statistics.median(ease), 1),
        "mean_reading_ease": round(statistics.mean(ease), 1),
        "median_grade": round(statistics.median(grade), 1),
        "mean_grade": round(statistics.mean(grade), 1),
        "median_sentence_words": statistics.median(words),
        "mean_sentence_words": round(statistics.mean(words), 1),
        "sentences_over_20_words": sum(w > 20 for w in words),
        "forbidden": len(forbidden),
    }
    summary["meets_targets"] = (
        summary["median_reading_ease"] >= TARGETS["median_reading_ease_min"]
        and summary["median_sentence_words"] <= TARGETS["median_sentence_words_max"]
        and summary["forbidden"] <= TARGETS["forbidden_max"]
    )
    return summary


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--compare", type=Path, help="an earlier result JSON, for a before/after table")
    parser.add_argument("--label", default="", help="what this run measures (e.g. a commit)")
    args = parser.parse_args()

    settings = Settings()
    analyzer = AnswerAnalyzer(settings)
    per_input: list[dict] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, path in spoken_inputs(args.fixtures, Path(tmp)):
            analysis = analyzer.analyze(path, question=QUESTION)
            per_input.append(
                {
                    "input": name,
                    "verdict": analysis.content.verdict.status.value if analysis.content.verdict else None,
                    **candidate_texts(analysis.feedback, analysis.content, analysis.fusion),
                }
            )
    rows = [json.loads(line) for line in (ROOT / "benchmarks" / "data" / "content_answers.jsonl").open()]
    tools, encoder = analyzer.language_tools(), analyzer.sentence_encoder()
    for row in (r for r in rows if r["id"] in WRITTEN):
        content = analyze_content(row["question"], encoder, text=row["answer"], tools=tools)
        speech = SpeechTrack.unavailable("written answer", 0.0)
        face = FaceTrack.unavailable("written answer")
        band = settings.speech.pace_band_wpm
        fusion = fuse(speech, face, content, settings.fusion, band, None, tools.vader)
        feedback = build_feedback(speech, face, content, band, 0.0, extra=fusion_feedback(fusion, content))
        per_input.append(
            {
                "input": f"written {row['id']}",
                "verdict": content.verdict.status.value if content.verdict else None,
                **candidate_texts(feedback, content, fusion),
            }
        )
    elapsed = time.perf_counter() - started

    unique: dict[str, dict] = {}
    forbidden: list[dict] = []
    seen_texts: set[str] = set()
    for item in per_input:
        for text in item["sentences"] + item["labels"]:
            if text in seen_texts:
                continue
            seen_texts.add(text)
            forbidden += [{"text": text, "found": f} for f in forbidden_patterns(text)]
        for text in item["sentences"]:
            for sentence in sentences_of(text):
                row = unique.setdefault(sentence, {**measure(sentence), "inputs": []})
                row["inputs"].append(item["input"])
    measured = sorted(unique.values(), key=lambda r: r["reading_ease"])
    summary = summarise(measured, forbidden)
    try:
        commit = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
        ).stdout.strip()
    except OSError:
        commit = ""
    report = {
        "date": date.today().isoformat(),
        "mockmirror": __version__,
        "commit": commit,
        "label": args.label,
        "question": QUESTION,
        "textstat": ".".join(map(str, getattr(textstat, "__version__", ()))),
        "targets": TARGETS,
        "summary": summary,
        "wall_s": round(elapsed, 1),
        "inputs": per_input,
        "forbidden": forbidden,
        "sentences": measured,
    }
    before = json.loads(args.compare.read_text()) if args.compare else None
    stem = write_results(args.out, report, before)
    print(json.dumps(summary, indent=2))
    print(f"wrote {stem}.json and .md")


def write_results(out: Path, report: dict, before: dict | None) -> Path:
    s = report["summary"]

    def run_name(r: dict) -> str:
        return r.get("commit", "") + (f", {r['label']}" if r.get("label") else "")

    lines = [
        f"# Feedback readability — {report['date']}",
        "",
        f"mockmirror {report['mockmirror']} ({run_name(report)}); "
        f"textstat Flesch reading ease and Flesch–Kincaid grade per sentence, over the {s['sentences']} "
        f"distinct candidate-facing sentences produced for {len(report['inputs'])} answers (11 GRID clips, "
        "single_face, the 40 s assembled GRID answer, 6 written answers). Targets: median reading ease "
        "≥ 60, median sentence ≤ 20 words, no forbidden pattern.",
        "",
        "Counted: the texts in the feedback data that the HTML report, the session report and the web "
        "app show (messages, tips, notes, the verdict's message, indicator summaries, the overall "
        "score's explanation; moment labels and headlines for the pattern check only). Page furniture "
        "(titles, tiles, the collapsed 'How this was measured' section) is not counted. Reading ease "
        "of a 3–6 word sentence swings with one long word, hence the median.",
        "",
    ]
    keys = [
        ("median_reading_ease", "median Flesch reading ease"),
        ("mean_reading_ease", "mean Flesch reading ease"),
        ("median_grade", "median Flesch–Kincaid grade"),
        ("mean_grade", "mean Flesch–Kincaid grade"),
        ("median_sentence_words", "median sentence length, words"),
        ("mean_sentence_words", "mean sentence length, words"),
        ("sentences_over_20_words", "sentences over 20 words"),
        ("forbidden", "forbidden patterns found"),
        ("sentences", "distinct sentences"),
        ("meets_targets", "meets the targets"),
    ]
    if before is not None:
        b = before["summary"]
        lines += [
            f"| measure | before ({run_name(before)}) | now ({run_name(report)}) |",
            "|---|---|---|",
        ]
        lines += [f"| {label} | {b.get(key, '–')} | {s[key]} |" for key, label in keys]
    else:
        lines += ["| measure | value |", "|---|---|"] + [f"| {label} | {s[key]} |" for key, label in keys]
    lines += ["", "## Answers", "", "| answer | verdict | texts |", "|---|---|---|"]
    lines += [f"| {i['input']} | {i['verdict']} | {len(i['sentences'])} |" for i in report["inputs"]]
    lines += ["", "## Forbidden patterns", ""]
    lines += [f"- {f['found']} — “{f['text'][:120]}”" for f in report["forbidden"][:40]] or ["None."]
    lines += ["", "## Hardest sentences (lowest reading ease)", "", "| ease | grade | words | sentence |"]
    lines += ["|---|---|---|---|"]
    lines += [
        f"| {r['reading_ease']} | {r['grade']} | {r['words']} | {r['sentence'].replace('|', '/')} |"
        for r in report["sentences"][:12]
    ]
    if before is not None:
        lines += ["", "## Before: forbidden patterns (first 20)", ""]
        lines += [f"- {f['found']} — “{f['text'][:120]}”" for f in before["forbidden"][:20]] or ["None."]
    return write_dated(out, "feedback_readability", report, "\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
