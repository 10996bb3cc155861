"""Is there an answer? The answer-validity verdict and the rank order of answered answers.

Three sets, each judged by ``mockmirror.language.analyze_content`` (the verdict is
``ContentAnalysis.verdict``; only an answered answer gets an overall score):

1. typed: ``benchmarks/data/answer_validity.yaml``, 10 questions (two each: behavioural,
   situational, motivation, technical, self-description) with one answer per category: strong,
   weak_on_topic, vague (answered, quality tiers 3 / 2 / 1), off_topic, gibberish,
   keyword_stuffed, asr_garbled (not_understood), echo, one_word (too_short), other_language
   (not_english). ``split: test`` items (a third) were not looked at while tuning.
2. spoken: eight categories for one question of each kind, read by espeak-ng (synthetic voice,
   labelled as such) and transcribed by the project's Whisper (verbatim mode, as in analysis).
3. real recordings that are not interview answers (GRID commands, LibriSpeech, LJSpeech, JFK,
   AMI, PocketSphinx commands; all 11 GRID clips joined as one "answer" too), given as answers to
   every question: none should be answered.

Also: the 67 real-looking answers of ``content_answers.jsonl`` (all answered but the off-topic
ones): how many are wrongly rejected. Reports verdict agreement (accuracy, per-status
precision / recall, confusion), the share of non-answers with a content score (must be 0), the
share of real answers rejected, and the rank order strong > weak_on_topic > vague by overall
score (pairwise concordance per question). Writes benchmarks/results/answer_validity-DATE.{json,md}.

    .venv/bin/python benchmarks/answer_validity.py [--no-spoken] [--no-real]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import time
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import yaml

from mockmirror.language.content import analyze_content
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.language.tools import LanguageTools
from mockmirror.language.validity import AnswerStatus
from mockmirror.models import ModelStore
from mockmirror.settings import Settings
from mockmirror.speech.track import Transcript, Word
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "answer_validity.yaml"
CONTENT_SET = ROOT / "benchmarks" / "data" / "content_answers.jsonl"
FIXTURES = ROOT.parent / "shared" / "fixtures"
STATUSES = [s.value for s in AnswerStatus]
# The project's question types (scoring.classify_question) for the kinds in the data.
QUESTION_TYPE = {"behavioural": "behavioural", "technical": "technical"}
# Spoken subset: one question of each kind, the categories an ASR can carry.
SPOKEN_QUESTIONS = ("q01", "q03", "q05", "q07", "q09")
SPOKEN_CATEGORIES = (
    "strong",
    "weak_on_topic",
    "vague",
    "off_topic",
    "echo",
    "one_word",
    "asr_garbled",
    "gibberish",
)
TIER_PAIRS = (("strong", "weak_on_topic"), ("strong", "vague"), ("weak_on_topic", "vague"))
RATE_WPM = 165


class Judge:
    """The loaded models, shared by every answer."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.tools = LanguageTools(settings.content)
        self.encoder = SentenceEncoder(settings.content.embedding_model, ModelStore(settings.model_dir))

    def __call__(self, question: str, kind: str | None = None, **answer) -> dict:
        result = analyze_content(
            question,
            self.encoder,
            tools=self.tools,
            settings=self.settings.content,
            question_kind=QUESTION_TYPE.get(kind or ""),
            **answer,
        )
        verdict = result.verdict
        return {
            "status": verdict.status.value,
            "overall": result.overall_score,
            "reasons": list(verdict.reasons),
            "measures": dict(verdict.measures),
            "message": verdict.message,
        }


# ---- speech ----------------------------------------------------------------------------------


class Speech:
    """espeak-ng and the project's Whisper, with transcripts cached on disk (the ASR is slow)."""

    def __init__(self, settings: Settings, cache: Path) -> None:
        from mockmirror.speech.asr import Transcriber

        self.transcriber = Transcriber(settings, ModelStore(settings.model_dir))
        self.cache = cache
        cache.mkdir(parents=True, exist_ok=True)
        self.model = settings.speech.asr_model

    def _cached(self, key: str, make) -> Transcript:
        path = self.cache / f"{hashlib.sha1(key.encode()).hexdigest()[:16]}.json"
        if path.exists():
            data = json.loads(path.read_text())
        else:
            transcript = self.transcriber.transcribe(make(), fillers=True)  # verbatim, as in analysis
            data = {
                "text": transcript.text,
                "language": transcript.language,
                "words": [[w.text, w.start, w.end, w.probability, w.is_filler] for w in transcript.words],
            }
            path.write_text(json.dumps(data))
        words = [Word(t, s, e, p, f) for t, s, e, p, f in data["words"]]
        return Transcript(text=data["text"], words=words, language=data["language"])

    def say(self, text: str) -> Transcript:
        from mockmirror.speech.synthetic import speak

        def make() -> np.ndarray:
            pad = np.zeros(8000, dtype=np.float32)
            return np.concatenate([pad, speak(text, rate_wpm=RATE_WPM), pad])

        return self._cached(f"espeak|{RATE_WPM}|{self.model}|{text}", make)

    def recording(self, paths: list[Path], gap_s: float = 0.4) -> Transcript:
        from mockmirror.media.decode import load_audio

        def make() -> np.ndarray:
            gap = np.zeros(round(gap_s * 16000), dtype=np.float32)
            parts: list[np.ndarray] = []
            for path in paths:
                if parts:
                    parts.append(gap)
                parts.append(load_audio(path, 16000))
            return np.concatenate(parts)

        return self._cached(f"file|{self.model}|" + "|".join(str(p) for p in paths), make)


def real_recordings() -> dict[str, list[Path]]:
    """Recordings that are not interview answers (each a list of files joined in order)."""
    grid = sorted((FIXTURES / "grid_av" / "audio_16k").glob("*.wav"))
    out: dict[str, list[Path]] = {f"grid/{p.stem}": [p] for p in grid}
    if grid:
        out["grid/all 11 clips joined"] = grid
    for path in sorted((FIXTURES / "speech" / "cards").glob("*.wav")):
        out[f"pocketsphinx/cards {path.stem}"] = [path]
    more = FIXTURES / "speech_more"
    named = {
        "pocketsphinx/goforward": FIXTURES / "speech" / "goforward" / "goforward.wav",
        "librispeech/2412-153948-0000": more / "2412-153948-0000.flac",
        "ljspeech/LJ002-0020": more / "LJ002-0020.wav",
        "ljspeech/LJ002-0035": more / "LJ002-0035.wav",
        "jfk": more / "jfk.flac",
        "ami/ES2011a 40-46 s": more / "ES2011a.Headset-0-40s-46s.wav",
    }
    out.update({name: [path] for name, path in named.items() if path.exists()})
    return out


# ---- measures --------------------------------------------------------------------------------


def agreement(rows: list[dict]) -> dict:
    if not rows:
        return {"n": 0}
    confusion = {e: Counter() for e in STATUSES}
    for r in rows:
        confusion[r["expected"]][r["status"]] += 1
    per_status = {}
    for s in STATUSES:
        tp = confusion[s][s]
        predicted = sum(confusion[e][s] for e in STATUSES)
        actual = sum(confusion[s].values())
        if predicted or actual:
            per_status[s] = {
                "precision": round(tp / predicted, 3) if predicted else None,
                "recall": round(tp / actual, 3) if actual else None,
                "n": actual,
            }
    answered = [r for r in rows if r["expected"] == "answered"]
    non_answers = [r for r in rows if r["expected"] != "answered"]
    return {
        "n": len(rows),
        "accuracy": round(sum(r["status"] == r["expected"] for r in rows) / len(rows), 3),
        # Answered or not: the decision that gates a content score.
        "answered_accuracy": round(
            sum((r["status"] == "answered") == (r["expected"] == "answered") for r in rows) / len(rows), 3
        ),
        "non_answers": len(non_answers),
        "non_answers_scored": sum(r["overall"] is not None for r in non_answers),
        "non_answers_accepted": sum(r["status"] == "answered" for r in non_answers),
        "answers": len(answered),
        "answers_rejected": sum(r["status"] != "answered" for r in answered),
        "per_status": per_status,
        "confusion": {e: dict(c) for e, c in confusion.items() if c},
    }


def rank_order(rows: list[dict], split: str = "all") -> dict:
    """Per question, strong > weak_on_topic > vague by overall score (unscored pairs count as wrong).

    A pair is in the test split when either answer is a test item, in dev when both are dev items.
    """
    by_question: dict[str, dict[str, dict]] = defaultdict(dict)
    for r in rows:
        if r.get("tier"):
            by_question[r["qid"]][r["category"]] = r
    concordant = discordant = ties = missing = 0
    per_pair = {f"{a} > {b}": Counter() for a, b in TIER_PAIRS}
    for answers in by_question.values():
        for a, b in TIER_PAIRS:
            if a not in answers or b not in answers:
                continue
            pair_split = "test" if "test" in (answers[a]["split"], answers[b]["split"]) else "dev"
            if split != "all" and pair_split != split:
                continue
            x, y = answers[a]["overall"], answers[b]["overall"]
            key = f"{a} > {b}"
            if x is None or y is None:
                missing += 1
                per_pair[key]["unscored"] += 1
            elif x > y:
                concordant += 1
                per_pair[key]["right"] += 1
            elif x < y:
                discordant += 1
                per_pair[key]["wrong"] += 1
            else:
                ties += 1
                per_pair[key]["tie"] += 1
    pairs = concordant + discordant + ties + missing
    return {
        "questions": len(by_question),
        "pairs": pairs,
        "concordant": concordant,
        "discordant": discordant,
        "ties": ties,
        "unscored": missing,
        "concordance": round(concordant / pairs, 3) if pairs else None,
        # Kendall-style: (right - wrong) / pairs; a pair with an unscored answer counts as wrong.
        "tau": round((concordant - discordant - missing) / pairs, 3) if pairs else None,
        "per_pair": {k: dict(v) for k, v in per_pair.items()},
    }


def tier_means(rows: list[dict]) -> dict:
    out = {}
    for cat in ("strong", "weak_on_topic", "vague"):
        scores = [r["overall"] for r in rows if r["category"] == cat and r["overall"] is not None]
        out[cat] = round(sum(scores) / len(scores), 1) if scores else None
    return out


def summarise(rows: list[dict]) -> dict:
    out = {}
    for split in ("dev", "test", "all"):
        subset = [r for r in rows if split == "all" or r["split"] == split]
        out[split] = {
            "verdict": agreement(subset),
            "rank": rank_order(rows, split),
            "tier_means": tier_means(subset),
        }
    return out


# ---- the run ---------------------------------------------------------------------------------


def run_typed(judge: Judge, items: list[dict]) -> list[dict]:
    rows = []
    for item in items:
        got = judge(item["question"], item["kind"], text=item["text"])
        rows.append(_row(item, got, item["text"]))
    return rows


def run_spoken(judge: Judge, speech: Speech, items: list[dict]) -> list[dict]:
    rows = []
    for item in items:
        if item["id"][:3] not in SPOKEN_QUESTIONS or item["category"] not in SPOKEN_CATEGORIES:
            continue
        transcript = speech.say(item["text"])
        got = judge(item["question"], item["kind"], words=transcript.words)
        rows.append(_row(item, got, transcript.text))
    return rows


def _row(item: dict, got: dict, heard: str) -> dict:
    return {
        "id": item["id"],
        "qid": item["id"][:3],
        "split": item["split"],
        "kind": item["kind"],
        "category": item["category"],
        "tier": item.get("tier"),
        "expected": item["expected_status"],
        "heard": heard,
        **got,
    }


def run_real(judge: Judge, speech: Speech, questions: list[tuple[str, str]]) -> list[dict]:
    rows = []
    for name, paths in real_recordings().items():
        transcript = speech.recording(paths)
        statuses: Counter = Counter()
        scored = 0
        per_question = {}
        for qid, question in questions:
            got = judge(question, words=transcript.words)
            statuses[got["status"]] += 1
            scored += got["overall"] is not None
            per_question[qid] = got["status"]
        rows.append(
            {
                "recording": name,
                "heard": transcript.text,
                "words": sum(not w.is_filler for w in transcript.words),
                "statuses": dict(statuses),
                "answered": statuses["answered"],
                "scored": scored,
                "per_question": per_question,
            }
        )
    return rows


def run_content_set(judge: Judge) -> dict:
    """The real-looking answers of content_answers.jsonl: answered unless labelled off-topic."""
    items = [json.loads(line) for line in CONTENT_SET.read_text().splitlines() if line.strip()]
    rows = []
    for item in items:
        got = judge(item["question"], text=item["answer"], key_points=item.get("key_points") or None)
        rows.append({"id": item["id"], "category": item["category"], "split": item["split"], **got})
    on_topic = [r for r in rows if r["category"] != "off_topic"]
    off = [r for r in rows if r["category"] == "off_topic"]
    return {
        "n": len(rows),
        "on_topic": len(on_topic),
        "on_topic_rejected": [
            {"id": r["id"], "status": r["status"], "reasons": r["reasons"]}
            for r in on_topic
            if r["status"] != "answered"
        ],
        "off_topic": len(off),
        "off_topic_statuses": dict(Counter(r["status"] for r in off)),
    }


# ---- report ----------------------------------------------------------------------------------


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def _verdict_table(summary: dict, label: str) -> list[str]:
    lines = [
        f"| {label} split | n | status agrees | answered-or-not agrees | non-answers scored | "
        "real answers rejected | rank concordance | Kendall-style tau |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for split in ("dev", "test", "all"):
        v, r = summary[split]["verdict"], summary[split]["rank"]
        if not v.get("n"):
            continue
        lines.append(
            f"| {split} | {v['n']} | {pct(v['accuracy'])} | {pct(v['answered_accuracy'])} | "
            f"{v['non_answers_scored']}/{v['non_answers']} | {v['answers_rejected']}/{v['answers']} | "
            f"{r['concordant']}/{r['pairs']} ({pct(r['concordance'])}) | {r['tau']} |"
        )
    return lines


def _confusion(summary: dict) -> list[str]:
    confusion = summary["all"]["verdict"]["confusion"]
    cols = [s for s in STATUSES if any(s in c for c in confusion.values()) or s in confusion]
    lines = ["| expected \\ verdict | " + " | ".join(cols) + " |", "|---|" + "---|" * len(cols)]
    for e, c in confusion.items():
        lines.append(f"| {e} | " + " | ".join(str(c.get(s, 0) or "") for s in cols) + " |")
    lines += ["", "| status | precision | recall | n |", "|---|---|---|---|"]
    for s, v in summary["all"]["verdict"]["per_status"].items():
        lines.append(f"| {s} | {pct(v['precision'])} | {pct(v['recall'])} | {v['n']} |")
    return lines


def markdown(report: dict) -> str:
    lines = [
        f"# Is there an answer? Verdict and rank order ({report['date']})",
        "",
        f"{report['typed']['n']} typed answers to 10 questions (benchmarks/data/answer_validity.yaml; "
        "a third held out as `test`), a spoken subset read by espeak-ng (synthetic voice) and "
        "transcribed by the project's Whisper, and real recordings that are not interview answers. "
        f"{report['seconds']:.0f} s on {report['machine']['cores']} cores.",
        "",
        "## Typed",
        "",
        *_verdict_table(report["typed"]["summary"], "typed"),
        "",
        "Confusion, all typed answers (rows = expected, columns = verdict):",
        "",
        *_confusion(report["typed"]["summary"]),
        "",
        "Mean overall score per tier (typed, all): "
        + ", ".join(f"{k} {v}" for k, v in report["typed"]["summary"]["all"]["tier_means"].items()),
    ]
    if report.get("spoken"):
        lines += [
            "",
            "## Spoken (espeak-ng → Whisper)",
            "",
            *_verdict_table(report["spoken"]["summary"], "spoken"),
            "",
            "Confusion, all spoken answers:",
            "",
            *_confusion(report["spoken"]["summary"]),
            "",
            "Mean overall score per tier (spoken, all): "
            + ", ".join(f"{k} {v}" for k, v in report["spoken"]["summary"]["all"]["tier_means"].items()),
        ]
    if report.get("real"):
        q = len(report["questions"])
        lines += [
            "",
            f"## Real recordings that are not interview answers (each given as the answer to {q} questions)",
            "",
            "| recording | heard | verdicts | answered | scored |",
            "|---|---|---|---|---|",
        ]
        for r in report["real"]:
            verdicts = ", ".join(f"{k} {v}" for k, v in sorted(r["statuses"].items()))
            heard = r["heard"] if len(r["heard"]) < 90 else r["heard"][:87] + "…"
            lines.append(f"| {r['recording']} | {heard} | {verdicts} | {r['answered']} | {r['scored']} |")
    cs = report.get("content_set")
    if cs:
        lines += [
            "",
            "## Real-looking answers (benchmarks/data/content_answers.jsonl)",
            "",
            f"{len(cs['on_topic_rejected'])} of {cs['on_topic']} on-topic answers rejected; "
            f"the {cs['off_topic']} off-topic ones got: "
            + ", ".join(f"{k} {v}" for k, v in sorted(cs["off_topic_statuses"].items()))
            + ".",
        ]
        for r in cs["on_topic_rejected"]:
            lines.append(f"- {r['id']}: {r['status']} ({'; '.join(r['reasons'])})")
    for name in ("typed", "spoken"):
        part = report.get(name)
        if not part:
            continue
        wrong = [r for r in part["rows"] if r["status"] != r["expected"]]
        lines += ["", f"## Disagreements, {name} ({len(wrong)})", ""]
        for r in wrong:
            reason = "; ".join(r["reasons"])
            lines.append(
                f"- {r['id']} ({r['split']}): expected {r['expected']}, got {r['status']} — {reason}"
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument(
        "--cache", type=Path, default=Path.home() / ".cache" / "mockmirror" / "answer_validity"
    )
    parser.add_argument("--no-spoken", action="store_true", help="skip the espeak-ng / Whisper answers")
    parser.add_argument("--no-real", action="store_true", help="skip the real recordings")
    parser.add_argument("--no-content-set", action="store_true", help="skip content_answers.jsonl")
    parser.add_argument("--print-rows", action="store_true", help="print every typed/spoken verdict")
    args = parser.parse_args()

    started = time.perf_counter()
    settings = Settings()
    judge = Judge(settings)
    items = yaml.safe_load(args.data.read_text(encoding="utf-8"))["items"]
    typed = run_typed(judge, items)
    report: dict = {
        "date": date.today().isoformat(),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "settings": {
            k: getattr(settings.content, k)
            for k in (
                "min_answer_words",
                "min_new_content_words",
                "min_english_share",
                "min_word_probability",
                "max_non_word_share",
                "off_topic_threshold",
            )
            if hasattr(settings.content, k)
        },
        "typed": {"n": len(typed), "summary": summarise(typed), "rows": typed},
    }
    questions = sorted({(i["id"][:3], i["question"]) for i in items})
    report["questions"] = dict(questions)
    need_speech = not args.no_spoken or not args.no_real
    speech = Speech(settings, args.cache) if need_speech else None
    if not args.no_spoken and speech is not None:
        spoken = run_spoken(judge, speech, items)
        report["spoken"] = {"n": len(spoken), "summary": summarise(spoken), "rows": spoken}
    if not args.no_real and speech is not None and FIXTURES.is_dir():
        report["real"] = run_real(judge, speech, questions)
    if not args.no_content_set:
        report["content_set"] = run_content_set(judge)
    report["seconds"] = time.perf_counter() - started
    if args.print_rows:
        for name in ("typed", "spoken"):
            for r in report.get(name, {}).get("rows", []):
                mark = " " if r["status"] == r["expected"] else "X"
                print(
                    f"{mark} {name:6} {r['id']:26} {r['expected']:14} {r['status']:14} {r['overall']}  "
                    f"{'; '.join(r['reasons'])[:110]}"
                )
    stem = write_dated(args.out, "answer_validity", report, markdown(report))
    print(markdown(report))
    print(f"wrote {stem}.json / .md")


if __name__ == "__main__":
    main()
