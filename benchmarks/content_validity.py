"""Does the content score agree with human judges? Real mock interviews with crowd ratings.

Data: ``../shared/fixtures/interview_ratings`` (see its SOURCE.txt): the development half of the
MIT Interview Dataset (Naim et al., IEEE TAC 2018) — 71 mock job interviews of MIT undergraduates
with career counsellors, human transcripts that keep fillers, and the mean 1–7 ratings of 9 crowd
raters per trait (Overall, RecommendHiring, StructuredAnswers, NoFillers…). The other half is held
out by the project owners, who run this same script on it unchanged.

Method, per interview:

1. The transcript is cut into turns; an interviewer turn that asks one of the five standard
   questions (about yourself, leadership, a challenge in a team, a weakness, why hire you) opens an
   answer, and the interviewee's turns that follow belong to it. Back-channels ("mhmm", "great")
   and probes ("can you be more specific?") do not end an answer; small talk and the closing
   ("how are you doing", "thank you for coming") do, and what follows them is not scored.
2. Each answer is cleaned the way a speech recogniser would write it (annotations such as
   "[laughs]" removed; the transcribers wrote a comma as a double space, which becomes ", ") and
   scored against its question with ``analyze_content(question, encoder, text=answer, …)``.
3. The interview's figure for a score is the word-weighted mean over its answers (answers where
   the sub-score is not applicable are left out of that sub-score's mean).
4. Pearson and Spearman r with Overall, RecommendHiring and StructuredAnswers, with bootstrap 95 %
   CIs (interviews resampled, fixed seed), for the overall content score, every sub-score and a few
   raw measures (word count, STAR parts…).
5. Delivery: the filler rate (fillers per 100 words over everything the interviewee said, by
   ``speech.fillers.find_fillers`` on the transcript's words, a double space acting as a comma)
   against the NoFillers rating.

Per-answer measures are cached in ``/tmp/mockmirror_content_validity/`` (keyed by the fixture and
the language code), so a second run that changes only the statistics takes seconds. Writes
benchmarks/results/content_validity-YYYY-MM-DD.{json,md}.

    PYTHONPATH=src .venv/bin/python benchmarks/content_validity.py [--fixtures DIR] [--no-cache]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import re
import time
from datetime import date
from pathlib import Path

# One BLAS thread: on a shared CPU OpenBLAS's spinning threads made the NumPy BERT ten times slower.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

from mockmirror.speech.fillers import find_fillers
from mockmirror.speech.track import Word
from results_io import write_dated

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures" / "interview_ratings"
CACHE_DIR = Path("/tmp/mockmirror_content_validity")
TARGETS = ("Overall", "RecommendHiring", "StructuredAnswers")
SEED = 13
BOOTSTRAP = 2000

# The five standard questions, tested in this order (a weakness question may say "about yourself").
QUESTION_TYPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("weakness", re.compile(r"weakness|change one thing about yourself", re.I)),
    ("leadership", re.compile(r"leader", re.I)),
    ("team_challenge", re.compile(r"\bteam|challenge", re.I)),
    (
        "why_hire",
        re.compile(
            r"hire you|why should we|should (get|have) (the|this) job|should (get into|go to)|"
            r"job (that )?you'?d like|job you would like|in mind\?",
            re.I,
        ),
    ),
    (
        "about_yourself",
        re.compile(r"about yourself|your background|talk about yourself|introduce yourself", re.I),
    ),
)
# Interviewer turns that close the current answer without opening another (small talk, closing).
SMALL_TALK = re.compile(
    r"how are you|how you doin|thank|concludes|nice to meet|great to meet|\bready\b|appreciate", re.I
)
ANNOTATION = re.compile(r"\[[^\]]*\]|\([^)]*\)")


# ---- data ----------------------------------------------------------------------------------------


def load_interviews(fixtures: Path) -> list[dict]:
    """Each interview: id, transcript and its ratings (ids matched case-insensitively)."""
    with open(fixtures / "ratings.csv", newline="", encoding="utf-8") as handle:
        ratings = {
            row["Participant"].strip().lower(): {k: float(v) for k, v in row.items() if k != "Participant"}
            for row in csv.DictReader(handle)
        }
    out = []
    with open(fixtures / "transcripts.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            key = row["participant"].strip().lower()
            if key in ratings:
                out.append({"id": key, "transcript": row["transcript"], "ratings": ratings[key]})
    return sorted(out, key=lambda r: (len(r["id"]), r["id"]))


def turns(transcript: str) -> list[tuple[str, str]]:
    """(speaker, text) with speaker "interviewer" or "interviewee"; unlabelled pieces are dropped."""
    out = []
    for piece in transcript.split("|"):
        speaker, sep, text = piece.partition(":")
        speaker = speaker.strip().lower()
        if sep and speaker in ("interviewer", "interviewee"):
            out.append((speaker, text.strip()))
    return out


def question_type(text: str) -> str | None:
    for name, pattern in QUESTION_TYPES:
        if pattern.search(text):
            return name
    return None


def split_answers(transcript: str) -> list[dict]:
    """The scored (question, answer) pairs of one interview, in order.

    A turn asking a standard question opens an answer (asked again in other words, it continues
    the same one); small talk closes it; any other interviewer turn (a back-channel, a probe) lets
    the interviewee's next turns join the open answer.
    """
    answers: list[dict] = []
    current: dict | None = None
    for speaker, text in turns(transcript):
        if speaker == "interviewer":
            kind = question_type(text)
            if kind is not None:
                if current is not None and current["type"] == kind:
                    continue
                current = {"type": kind, "question": clean(text), "turns": []}
                answers.append(current)
            elif SMALL_TALK.search(text):
                current = None
        elif current is not None and text:
            current["turns"].append(text)
    out = []
    for answer in answers:
        raw = " ".join(answer["turns"])
        if raw.strip():
            out.append(
                {"type": answer["type"], "question": answer["question"], "raw": raw, "answer": clean(raw)}
            )
    return out


def clean(text: str) -> str:
    """A transcript turn as an ASR system would write it: no annotations, commas for double spaces."""
    text = ANNOTATION.sub(" ", text)
    text = re.sub(r"(?<=[^\s.!?,])[ \t]{2,}(?=\S)", ", ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"\s+([,.!?])", r"\1", text)


def transcript_words(text: str) -> list[Word]:
    """Words with made-up times (0.2 s apart; a comma is written on the word before it)."""
    words = []
    for index, token in enumerate(clean(text).split()):
        words.append(Word(token, 0.2 * index, 0.2 * index + 0.15, 1.0))
    return words


def filler_counts(text: str) -> tuple[int, int]:
    """(fillers, words) in ``text`` by the project's spoken-filler rules; words exclude fillers."""
    words = [w for w in transcript_words(text) if re.search(r"\w", w.text)]
    matches = find_fillers(words)
    flagged = sum(m.last - m.first + 1 for m in matches)
    return len(matches), len(words) - flagged


# ---- statistics ----------------------------------------------------------------------------------


def ranks(values: np.ndarray) -> np.ndarray:
    """Ranks from 1 with ties sharing their mean rank."""
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    out = np.empty(len(values))
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and sorted_values[j + 1] == sorted_values[i]:
            j += 1
        out[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return out


def pearson(x: np.ndarray, y: np.ndarray) -> float:
    x, y = np.asarray(x, float) - np.mean(x), np.asarray(y, float) - np.mean(y)
    denominator = np.sqrt((x @ x) * (y @ y))
    return float(x @ y / denominator) if denominator > 0 else float("nan")


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    return pearson(ranks(np.asarray(x, float)), ranks(np.asarray(y, float)))


def correlate(x, y, *, seed: int = SEED, n_boot: int = BOOTSTRAP) -> dict:
    """Pearson and Spearman r with percentile bootstrap 95 % CIs (pairs resampled); NaNs dropped."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = ~(np.isnan(x) | np.isnan(y))
    x, y = x[keep], y[keep]
    if len(x) < 3:
        return {"n": len(x), "pearson": None, "pearson_ci": None, "spearman": None, "spearman_ci": None}
    rng = np.random.default_rng(seed)
    boots = {"pearson": [], "spearman": []}
    for _ in range(n_boot):
        idx = rng.integers(0, len(x), len(x))
        if np.ptp(x[idx]) == 0 or np.ptp(y[idx]) == 0:
            continue
        boots["pearson"].append(pearson(x[idx], y[idx]))
        boots["spearman"].append(spearman(x[idx], y[idx]))
    out: dict = {"n": len(x)}
    for name, fn in (("pearson", pearson), ("spearman", spearman)):
        values = np.array(boots[name])
        out[name] = round(fn(x, y), 3)
        out[f"{name}_ci"] = (
            [round(float(np.percentile(values, 2.5)), 3), round(float(np.percentile(values, 97.5)), 3)]
            if len(values)
            else None
        )
    return out


def weighted_mean(values: list[float | None], weights: list[float]) -> float:
    pairs = [(v, w) for v, w in zip(values, weights, strict=True) if v is not None and w > 0]
    total = sum(w for _, w in pairs)
    return sum(v * w for v, w in pairs) / total if total else float("nan")


# ---- measuring the answers -----------------------------------------------------------------------


def code_fingerprint(fixtures: Path) -> str:
    """Changes when the fixtures, the language code or the settings module change."""
    digest = hashlib.sha256()
    paths = [fixtures / "transcripts.csv", ROOT / "src" / "mockmirror" / "settings.py", Path(__file__)]
    paths += sorted((ROOT / "src" / "mockmirror" / "language").glob("*.py"))
    paths += [ROOT / "src" / "mockmirror" / "speech" / "fillers.py"]
    for path in paths:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class CachedEncoder:
    """The sentence encoder with its vectors kept on disk: re-scoring after a change to the
    sub-scores then costs the parse, not the NumPy BERT (the vectors do not depend on our code)."""

    def __init__(self, encoder, path: Path) -> None:
        self.encoder, self.path = encoder, path
        self.vectors: dict[str, np.ndarray] = {}
        for part in sorted(path.parent.glob(f"{path.stem}*.npz")):
            data = np.load(part, allow_pickle=False)
            self.vectors.update(zip(data["texts"].tolist(), data["vectors"], strict=True))

    def encode(self, texts: list[str]) -> np.ndarray:
        missing = list(dict.fromkeys(t for t in texts if t not in self.vectors))
        if missing:
            self.vectors.update(zip(missing, self.encoder.encode(missing), strict=True))
        return np.stack([self.vectors[t] for t in texts])

    def save(self) -> None:
        texts = list(self.vectors)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(self.path, texts=np.array(texts), vectors=np.stack([self.vectors[t] for t in texts]))


def measure_answers(
    interviews: list[dict], *, use_cache: bool = True, fixtures: Path = FIXTURES, relevance: bool = True
) -> list[dict]:
    """One record per scored answer with every sub-score and measure (cached under /tmp).

    ``relevance=False`` encodes no answer (no relevance, no off-topic gate): a quick look, minutes
    instead of an hour on a busy CPU. The questions are still classified as the full path does
    (wording rules, then the sentence-encoder vote over the bank), so the sub-scores, and the
    weights fitted on them, are the same.
    """
    suffix = "" if relevance else "-norelevance"
    cache = CACHE_DIR / f"answers-{code_fingerprint(fixtures)}{suffix}.json"
    if use_cache and cache.exists():
        return json.loads(cache.read_text())
    from mockmirror.language import LanguageTools, SentenceEncoder, analyze_content
    from mockmirror.models import ModelStore
    from mockmirror.settings import Settings

    settings = Settings()
    tools = LanguageTools(settings.content)
    encoder = (
        CachedEncoder(
            SentenceEncoder(settings.content.embedding_model, ModelStore(settings.model_dir)),
            CACHE_DIR / f"vectors-{settings.content.embedding_model}.npz",
        )
        if relevance
        else None
    )
    kinds = {} if relevance else _question_kinds(interviews, settings, tools)
    records = []
    for number, interview in enumerate(interviews, 1):
        print(f"\r{number}/{len(interviews)} interviews", end="", flush=True)
        if number % 5 == 0 and encoder is not None:
            encoder.save()
        for index, pair in enumerate(split_answers(interview["transcript"])):
            result = analyze_content(
                pair["question"],
                encoder,
                text=pair["answer"],
                tools=tools,
                settings=settings.content,
                question_kind=kinds.get(pair["question"]),
            )
            fillers, spoken_words = filler_counts(pair["raw"])
            records.append(
                {
                    "interview": interview["id"],
                    "index": index,
                    "type": pair["type"],
                    "question": pair["question"],
                    "answer": pair["answer"],
                    "words": result.word_count,
                    "overall": result.overall_score,
                    "off_topic": result.off_topic,
                    "topic_similarity": result.topic_similarity,
                    "question_type": result.question_type,
                    "star": {k: v.present for k, v in result.star.items()},
                    "scores": {k: v.score for k, v in result.scores.items()},
                    "measures": {k: v.measures for k, v in result.scores.items()},
                    "contributions": dict(getattr(result, "contributions", {}) or {}),
                    "delivery_fillers": fillers,
                    "delivery_words": spoken_words,
                }
            )
    print()
    if encoder is not None:
        encoder.save()
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cache.write_text(json.dumps(records))
    return records


def _question_kinds(interviews: list[dict], settings, tools) -> dict[str, str]:
    """Every question's kind as the full path decides it, given as the bank type that means it."""
    from mockmirror.language import SentenceEncoder
    from mockmirror.language.content import question_kind_of
    from mockmirror.language.question_types import BANK_TYPE_KINDS
    from mockmirror.models import ModelStore

    bank_type = {kind: name for name, kind in BANK_TYPE_KINDS.items()}
    encoder = SentenceEncoder(settings.content.embedding_model, ModelStore(settings.model_dir))
    questions = {pair["question"] for i in interviews for pair in split_answers(i["transcript"])}
    return {q: bank_type[question_kind_of(q, None, encoder, tools).kind] for q in sorted(questions)}


# ---- the report ----------------------------------------------------------------------------------

SUB_SCORES = (
    "relevance",
    "structure",
    "specificity",
    "ownership",
    "length",
    "hedging",
    "grammar",
    "readability",
    "positivity",
    "fillers",
    "repetition",
    "register",
)


def answer_features(record: dict) -> dict[str, float | None]:
    """What is correlated per answer: the overall score, each sub-score and a few raw measures."""
    m = record["measures"]
    out: dict[str, float | None] = {"content score (overall)": record["overall"]}
    for name in SUB_SCORES:
        out[name] = record["scores"].get(name)
    out["words per answer"] = float(record["words"])
    out["STAR parts found (of 5)"] = float(sum(record["star"].values()))
    out["specific items per 100 words"] = m.get("specificity", {}).get("specific_per_100_words")
    out["hedges per 100 words"] = m.get("hedging", {}).get("hedges_per_100_words")
    out["fillers per 100 words (scorer)"] = m.get("fillers", {}).get("fillers_per_100_words")
    out["topic similarity"] = record["topic_similarity"]
    return out


def interview_table(records: list[dict], interviews: list[dict]) -> tuple[list[str], dict[str, np.ndarray]]:
    """Interview-level figure per feature (word-weighted mean over answers)."""
    ids = [i["id"] for i in interviews if any(r["interview"] == i["id"] for r in records)]
    columns: dict[str, list[float]] = {}
    for interview_id in ids:
        rows = [r for r in records if r["interview"] == interview_id]
        weights = [max(r["words"], 1) for r in rows]
        features = [answer_features(r) for r in rows]
        for name in features[0]:
            columns.setdefault(name, []).append(weighted_mean([f[name] for f in features], weights))
    return ids, {k: np.array(v, float) for k, v in columns.items()}


def delivery(interviews: list[dict]) -> dict:
    """Filler rate over all the interviewee said vs the NoFillers rating."""
    rates, ratings = [], []
    for interview in interviews:
        said = " ".join(t for s, t in turns(interview["transcript"]) if s == "interviewee")
        fillers, words = filler_counts(said)
        rates.append(100 * fillers / max(words, 1))
        ratings.append(interview["ratings"]["NoFillers"])
    return {
        "measure": "fillers per 100 words, everything the interviewee said (speech.fillers rules)",
        "mean_rate": round(float(np.mean(rates)), 2),
        "range": [round(min(rates), 2), round(max(rates), 2)],
        "vs_NoFillers": correlate(rates, ratings),
    }


def fmt(c: dict, key: str = "pearson") -> str:
    if c.get(key) is None:
        return "–"
    ci = c.get(f"{key}_ci")
    return f"{c[key]:+.2f} [{ci[0]:+.2f}, {ci[1]:+.2f}]" if ci else f"{c[key]:+.2f}"


def markdown(report: dict) -> str:
    lines = [
        f"# Content score vs human ratings ({report['date']})",
        "",
        f"{report['interviews']} interviews, {report['answers']} scored answers "
        f"({report['answers_per_type']}); MIT Interview Dataset, development half (Naim et al. 2018), "
        "9 crowd raters' mean 1–7 ratings. Interview figure = word-weighted mean of the answer scores. "
        f"r with bootstrap 95 % CI ({BOOTSTRAP} resamples of interviews, seed {SEED}). "
        f"{report['seconds_per_answer']:.2f} s per answer on {report['machine']['cores']} cores.",
        "",
        f"Content score weights: {report['score_note']}. Answers gated as off-topic (capped at 20): "
        f"{report['off_topic_answers']}; read as behavioural (structure scored): "
        f"{report['behavioural_answers']}.",
        "",
        "## Pearson r (95 % CI)",
        "",
        "| measure | n | " + " | ".join(TARGETS) + " |",
        "|---|---|" + "---|" * len(TARGETS),
    ]
    for name, per_target in report["correlations"].items():
        n = per_target[TARGETS[0]]["n"]
        lines.append(f"| {name} | {n} | " + " | ".join(fmt(per_target[t]) for t in TARGETS) + " |")
    lines += [
        "",
        "## Spearman r (95 % CI)",
        "",
        "| measure | " + " | ".join(TARGETS) + " |",
        "|---|" + "---|" * len(TARGETS),
    ]
    for name, per_target in report["correlations"].items():
        lines.append(f"| {name} | " + " | ".join(fmt(per_target[t], "spearman") for t in TARGETS) + " |")
    d = report["delivery"]
    lines += [
        "",
        "## Delivery: filler rate vs NoFillers",
        "",
        f"{d['measure']}: mean {d['mean_rate']} (range {d['range'][0]}–{d['range'][1]}); "
        f"Pearson {fmt(d['vs_NoFillers'])}, Spearman {fmt(d['vs_NoFillers'], 'spearman')} "
        "(negative = more fillers, lower NoFillers rating, as it should be).",
        "",
        "## Mean sub-scores per question type",
        "",
    ]
    names = ["overall", "words", *SUB_SCORES]
    lines += ["| question | n | " + " | ".join(names) + " |", "|---|---|" + "---|" * len(names)]
    for kind, row in report["by_question"].items():
        lines.append(f"| {kind} | {row['n']} | " + " | ".join(str(row.get(n, "–")) for n in names) + " |")
    return "\n".join(lines) + "\n"


def by_question(records: list[dict]) -> dict:
    out = {}
    for kind in sorted({r["type"] for r in records}):
        rows = [r for r in records if r["type"] == kind]
        row: dict = {"n": len(rows)}
        overall = [r["overall"] for r in rows if r["overall"] is not None]
        row["overall"] = round(float(np.mean(overall)), 1) if overall else None
        row["words"] = round(float(np.mean([r["words"] for r in rows])), 0)
        for name in SUB_SCORES:
            values = [r["scores"].get(name) for r in rows if r["scores"].get(name) is not None]
            row[name] = round(float(np.mean(values)), 1) if values else None
        out[kind] = row
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    parser.add_argument("--no-cache", action="store_true", help="re-score every answer")
    parser.add_argument(
        "--no-relevance", action="store_true", help="no sentence encoder: relevance and the gate not measured"
    )
    args = parser.parse_args()

    interviews = load_interviews(args.fixtures)
    started = time.perf_counter()
    records = measure_answers(
        interviews, use_cache=not args.no_cache, fixtures=args.fixtures, relevance=not args.no_relevance
    )
    elapsed = time.perf_counter() - started
    ids, table = interview_table(records, interviews)
    ratings = {i["id"]: i["ratings"] for i in interviews}
    correlations = {
        name: {t: correlate(values, [ratings[i][t] for i in ids]) for t in TARGETS}
        for name, values in table.items()
    }
    from mockmirror.settings import ContentSettings

    weights = ContentSettings().score_weights
    report = {
        "date": date.today().isoformat(),
        "data": str(args.fixtures),
        "relevance_measured": not args.no_relevance,
        "interviews": len(ids),
        "answers": len(records),
        "answers_per_type": ", ".join(
            f"{k} {sum(r['type'] == k for r in records)}" for k in sorted({r["type"] for r in records})
        ),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "seconds_per_answer": elapsed / max(len(records), 1),
        "score_note": (
            f"the shipped defaults {weights}. They were fitted on this same half, so the overall "
            "score's r here is in-sample; benchmarks/fit_content_score.py reports the figure "
            "cross-validated by interview"
        ),
        "off_topic_answers": sum(r["off_topic"] for r in records),
        "behavioural_answers": sum(r["question_type"] == "behavioural" for r in records),
        "correlations": correlations,
        "delivery": delivery(interviews),
        "by_question": by_question(records),
    }
    stem = write_dated(args.out, "content_validity", report, markdown(report))
    print(markdown(report))
    print(f"wrote {stem}.json/.md")


if __name__ == "__main__":
    main()
