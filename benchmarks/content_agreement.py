"""Agreement of the content scorer with a hand-labelled answer set (benchmarks/data/content_answers.jsonl).

Each answer has a question, the STAR+Learning parts a reader finds in it, a rough score band
(low < 40 ≤ mid < 65 ≤ high) and a split: ``dev`` answers were used while writing the rules and
choosing the constants, ``test`` answers (every third of each category) were not looked at
answer by answer while tuning. The set is our own writing: strong, vague, off-topic, no-result,
"we"-only and rambling answers to behavioural questions, plus a few general and technical ones.

Reports, per split: STAR-part precision/recall for the spaCy parse cues and for the regex
fallback, band agreement (exact and within one band) with the confusion, and mean scores per
category. Writes benchmarks/results/content_agreement-YYYY-MM-DD.{json,md}.

    .venv/bin/python benchmarks/content_agreement.py
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from mockmirror.language.content import STAR_PARTS, analyze_content, find_star_parts, sentences_from_text
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.language.tools import LanguageTools
from mockmirror.models import ModelStore
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / "data" / "content_answers.jsonl"
GRAMMAR_ERRORS = ROOT / "benchmarks" / "data" / "content_grammar_errors.txt"
BANDS = ("low", "mid", "high")


def band(score: float | None) -> str:
    if score is None or score < 40:
        return "low"
    return "mid" if score < 65 else "high"


def star_agreement(rows: list[dict], key: str) -> dict:
    out = {}
    for part in STAR_PARTS:
        tp = sum(1 for r in rows if part in r["star"] and part in r[key])
        fp = sum(1 for r in rows if part not in r["star"] and part in r[key])
        fn = sum(1 for r in rows if part in r["star"] and part not in r[key])
        out[part] = {
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
            "tp": tp,
            "fp": fp,
            "fn": fn,
        }
    tp = sum(v["tp"] for v in out.values())
    fp = sum(v["fp"] for v in out.values())
    fn = sum(v["fn"] for v in out.values())
    out["all"] = {
        "precision": round(tp / (tp + fp), 3) if tp + fp else None,
        "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }
    return out


def band_agreement(rows: list[dict]) -> dict:
    confusion = {t: dict.fromkeys(BANDS, 0) for t in BANDS}
    for r in rows:
        confusion[r["band"]][r["predicted_band"]] += 1
    exact = sum(r["band"] == r["predicted_band"] for r in rows)
    near = sum(abs(BANDS.index(r["band"]) - BANDS.index(r["predicted_band"])) <= 1 for r in rows)
    return {
        "n": len(rows),
        "exact": round(exact / len(rows), 3) if rows else None,
        "within_one_band": round(near / len(rows), 3) if rows else None,
        "confusion": confusion,
    }


def by_category(rows: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["category"]].append(r)
    out = {}
    for name, group in sorted(groups.items()):
        subs: dict[str, list[float]] = defaultdict(list)
        for r in group:
            for k, v in r["scores"].items():
                if v is not None:
                    subs[k].append(v)
        overall = [r["overall"] for r in group if r["overall"] is not None]
        out[name] = {
            "n": len(group),
            "overall_mean": round(sum(overall) / len(overall), 1) if overall else None,
            "overall_min": min(overall) if overall else None,
            "overall_max": max(overall) if overall else None,
            "off_topic_flagged": sum(r["off_topic"] for r in group),
            "sub_means": {k: round(sum(v) / len(v), 1) for k, v in subs.items()},
        }
    return out


def grammar_agreement(items: list[dict], tools: LanguageTools) -> dict:
    """Sentence-level grammar flags: our ungrammatical sentences vs the typed answers' sentences.

    Three checkers: the spaCy rules alone, link-grammar alone (no complete parse), and what the
    scorer uses (rules, plus link-grammar when it leaves a verb/pronoun unlinked in <= 25 words).
    """
    from mockmirror.language.grammar import agreement_problems, sentence_problems

    bad = [
        line.strip() for line in GRAMMAR_ERRORS.read_text().splitlines() if line.strip() and line[0] != "#"
    ]
    good = [
        s.text
        for item in items
        if item["mode"] == "typed" and item["category"] != "rambling"
        for s in sentences_from_text(item["answer"])
    ]
    nlp, checker = tools.nlp, tools.link_grammar
    if nlp is None:
        return {}
    out: dict[str, dict] = {}
    methods = {"spaCy rules": lambda d: bool([p for s in d.sents for p in agreement_problems(s)])}
    if checker is not None:
        methods["link-grammar alone"] = lambda d: checker.check(d.text)[0] is False
    methods["scorer (rules + filtered link-grammar)"] = lambda d: bool(sentence_problems(d, checker)[1])
    bad_docs, good_docs = list(nlp.pipe(bad)), list(nlp.pipe(good))
    for name, flag in methods.items():
        caught = sum(flag(d) for d in bad_docs)
        false = sum(flag(d) for d in good_docs)
        out[name] = {
            "ungrammatical": len(bad),
            "caught": caught,
            "recall": round(caught / len(bad), 3),
            "grammatical": len(good),
            "false_flags": false,
            "false_flag_rate": round(false / len(good), 3),
        }
    return out


def pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def markdown(report: dict) -> str:
    lines = [
        f"# Content scoring agreement ({report['date']})",
        "",
        f"{report['n']} hand-labelled answers ({report['splits']['dev']['n']} dev, "
        f"{report['splits']['test']['n']} test); back-ends: {report['backends']}. "
        f"{report['seconds_per_answer']:.2f} s per answer on {report['machine']['cores']} cores.",
        "",
        "## STAR+Learning parts: precision / recall",
        "",
        "| part | spaCy cues, dev | spaCy cues, test | regex fallback, dev | regex fallback, test |",
        "|---|---|---|---|---|",
    ]
    for part in [*STAR_PARTS, "all"]:
        cells = []
        for method in ("spacy", "regex"):
            for split in ("dev", "test"):
                v = report["splits"][split]["star"][method][part]
                cells.append(f"{pct(v['precision'])} / {pct(v['recall'])}")
        lines.append(f"| {part} | " + " | ".join(cells) + " |")
    lines += ["", "## Score band (low < 40 ≤ mid < 65 ≤ high)", ""]
    lines += ["| split | n | exact | within one band |", "|---|---|---|---|"]
    for split in ("dev", "test", "all"):
        b = report["splits"][split]["band"]
        lines.append(f"| {split} | {b['n']} | {pct(b['exact'])} | {pct(b['within_one_band'])} |")
    lines += ["", "Confusion, all answers (rows = label, columns = predicted):", ""]
    lines += ["| label \\ predicted | low | mid | high |", "|---|---|---|---|"]
    for t in BANDS:
        c = report["splits"]["all"]["band"]["confusion"][t]
        lines.append(f"| {t} | {c['low']} | {c['mid']} | {c['high']} |")
    if report.get("grammar"):
        lines += ["", "## Grammar flags per sentence", ""]
        lines += ["| checker | ungrammatical caught | grammatical sentences flagged |", "|---|---|---|"]
        for name, g in report["grammar"].items():
            lines.append(
                f"| {name} | {g['caught']}/{g['ungrammatical']} ({pct(g['recall'])}) | "
                f"{g['false_flags']}/{g['grammatical']} ({pct(g['false_flag_rate'])}) |"
            )
    lines += ["", "## Mean scores per category (all answers)", ""]
    names = [
        "relevance",
        "structure",
        "specificity",
        "ownership",
        "length",
        "hedging",
        "grammar",
        "spelling",
        "readability",
        "positivity",
        "fillers",
        "repetition",
    ]
    lines.append("| category | n | overall (min–max) | off-topic flagged | " + " | ".join(names) + " |")
    lines.append("|---|---|---|---|" + "---|" * len(names))
    for cat, v in report["splits"]["all"]["categories"].items():
        subs = " | ".join(str(v["sub_means"].get(n, "–")) for n in names)
        lines.append(
            f"| {cat} | {v['n']} | {v['overall_mean']} ({v['overall_min']}–{v['overall_max']}) | "
            f"{v['off_topic_flagged']} | {subs} |"
        )
    lines += ["", "## Disagreements (band)", ""]
    for r in report["answers"]:
        if r["band"] != r["predicted_band"]:
            lines.append(f"- {r['id']} ({r['split']}): labelled {r['band']}, scored {r['overall']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args()

    settings = Settings()
    tools = LanguageTools(settings.content)
    encoder = SentenceEncoder(settings.content.embedding_model, ModelStore(settings.model_dir))
    items = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    rows = []
    started = time.perf_counter()
    for item in items:
        result = analyze_content(
            item["question"],
            encoder,
            text=item["answer"],
            key_points=item.get("key_points") or None,
            tools=tools,
            settings=settings.content,
        )
        regex = find_star_parts(sentences_from_text(item["answer"]))
        rows.append(
            {
                "id": item["id"],
                "split": item["split"],
                "category": item["category"],
                "star": item["star"],
                "band": item["band"],
                "spacy": [p for p in STAR_PARTS if result.star[p].present],
                "regex": [p for p in STAR_PARTS if regex[p].present],
                "overall": result.overall_score,
                "predicted_band": band(result.overall_score),
                "off_topic": result.off_topic,
                "relevance": result.relevance,
                "scores": {k: v.score for k, v in result.scores.items()},
            }
        )
    elapsed = time.perf_counter() - started
    splits = {}
    for split in ("dev", "test", "all"):
        subset = [r for r in rows if split == "all" or r["split"] == split]
        splits[split] = {
            "n": len(subset),
            "star": {"spacy": star_agreement(subset, "spacy"), "regex": star_agreement(subset, "regex")},
            "band": band_agreement(subset),
            "categories": by_category(subset),
        }
    report = {
        "date": date.today().isoformat(),
        "n": len(rows),
        "backends": ", ".join(f"{k}: {v}" for k, v in tools.backends().items()),
        "machine": {"cores": os.cpu_count(), "python": platform.python_version()},
        "seconds_per_answer": elapsed / max(len(rows), 1),
        "splits": splits,
        "grammar": grammar_agreement(items, tools),
        "answers": rows,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"content_agreement-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    stem.with_suffix(".md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
