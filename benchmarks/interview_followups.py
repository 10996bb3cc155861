"""Follow-up choice on a labelled set of typed answers, and how long one interview turn takes.

Each case is a bank question, an answer written for this benchmark, and the follow-up an
interviewer should ask first (or none for a complete answer). The checks run for real: the
signals, ``analyze_content`` from the language package and the MiniLM off-topic gate. The answers
were written by the author of the rules, so agreement here is an upper bound (a regression and
consistency measure), not evidence of agreement with human interviewers; that needs answers and
labels from other people.

    .venv/bin/python benchmarks/interview_followups.py

Writes benchmarks/results/interview_followups-YYYY-MM-DD.{json,md}.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from collections import Counter
from datetime import date
from pathlib import Path

from mockmirror.interview.bank import load_bank
from mockmirror.interview.followups import AnswerAssessor, FollowUpKind, decide_follow_up
from mockmirror.interview.plan import PlannedQuestion, Stage
from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
from mockmirror.models import ModelStore
from mockmirror.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
K = FollowUpKind

# (question id, answer, expected first follow-up or None)
CASES: list[tuple[str, str, FollowUpKind | None]] = [
    # --- complete answers: no follow-up ---
    (
        "gen-prio-01",
        "In my last month at the agency, three client reports and a pitch deck were all due on the same "
        "Friday. My goal was to deliver what mattered most without burning out the team. I ranked the work "
        "by client impact, I told the smallest client on Monday that their report would come a week later, "
        "and I blocked two mornings for the pitch. As a result we won the pitch and every report except the "
        "one we had rescheduled went out on time. I learned that telling people early costs far less than "
        "apologising late.",
        None,
    ),
    (
        "gen-init-01",
        "At my previous job the weekly stock count took the team a whole afternoon. I noticed most of the "
        "time went on copying numbers between two spreadsheets, so I built a single shared sheet with a "
        "barcode column. As a result the count dropped from four hours to ninety minutes.",
        None,
    ),
    (
        "nurse-04",
        "Last winter on a night shift I had six patients and two of them deteriorated within ten minutes. "
        "My task was to keep everyone safe until help came. I assessed both using the early warning score, "
        "I asked the healthcare assistant to do observations on the stable patients and I called the "
        "outreach team for the sicker man. As a result both patients were stabilised and no routine care "
        "was missed.",
        None,
    ),
    (
        "sales-02",
        "Last year I missed my third-quarter target by about twenty percent. My task was to understand why "
        "before the next quarter started. I went through my pipeline and found I had spent most of my time "
        "on large deals that stalled, so I rebalanced towards mid-sized accounts and I booked two extra "
        "prospecting hours a day. As a result I finished the fourth quarter at one hundred and ten percent. "
        "I learned to review my pipeline every Friday instead of at the end of the quarter.",
        None,
    ),
    (
        "gen-comm-04",
        "First I would open with the decision I need, in one sentence, so the director knows why I am there. "
        "Then I would give the two options with their cost and risk, and say which one I recommend and why. "
        "After that I would leave time for questions, and finally I would confirm the decision and the next "
        "step before the five minutes are up.",
        None,
    ),
    (
        "sw-13",
        "I make schema changes backwards compatible, so the old version of the code still works against the "
        "new database: add columns first, backfill, switch reads, and only drop old columns a release later. "
        "New behaviour goes behind a feature flag and rolls out to a small share of traffic first, with "
        "dashboards on error rates and latency. The rollback path is the previous build plus the flag off, "
        "and we rehearse it on staging so nobody is doing it for the first time during an incident.",
        None,
    ),
    (
        "teach-10",
        "In my second year at university I volunteered at a homework club, and one evening a boy who had "
        "been stuck on fractions for weeks suddenly got it and explained it to his friend. That moment is "
        "why I want to teach. I worked best with eleven to fourteen year olds during my placement, because "
        "I enjoy the mix of structure and curiosity at that age.",
        None,
    ),
    # --- no example: general claims about oneself ---
    (
        "gen-lead-01",
        "I think leadership is about listening. I am a natural leader and people usually follow me because I "
        "am approachable and I always make time for others.",
        K.SPECIFIC_EXAMPLE,
    ),
    (
        "cs-01",
        "I always stay calm with upset customers. I think it is important to listen and be empathetic, and "
        "I never take it personally when someone is angry with me.",
        K.SPECIFIC_EXAMPLE,
    ),
    (
        "gen-resil-01",
        "I generally handle stress well. I tend to make lists and I believe that staying organised is the "
        "key to getting through busy periods at work.",
        K.SPECIFIC_EXAMPLE,
    ),
    # --- a story told only as "we" ---
    (
        "gen-stake-02",
        "Last spring our team ran a website redesign for three departments. We held a fortnightly review "
        "with each of them and we sent a short written update every Friday. We launched a week early and "
        "the departments were happy with it.",
        K.OWNERSHIP,
    ),
    (
        "data-13",
        "At my previous company we had a report that took a day to compile every month. We wrote some "
        "scripts to pull the data automatically and we scheduled them. We saved about a day a month.",
        K.OWNERSHIP,
    ),
    # --- no outcome ---
    (
        "gen-conf-02",
        "Last year at my previous job a colleague kept missing our shared deadlines. My task was to raise it "
        "without damaging our relationship. I booked a private coffee, I showed him the three dates we had "
        "missed and I asked what was getting in the way.",
        K.RESULT,
    ),
    (
        "des-05",
        "At my last company an engineer told me the animation I had designed for the checkout could not be "
        "built in time. My task was to keep what mattered about it. I sat down with him, I listed the three "
        "things the animation was for and we sketched a simpler version together.",
        K.RESULT,
    ),
    (
        "fin-03",
        "In my first year at the firm the quarter-end close fell in the same week as an audit visit. My "
        "responsibility was the accruals. I built a checklist, I chased the department heads for their "
        "numbers a week early and I worked through the reconciliations in order of size.",
        K.RESULT,
    ),
    # --- no lesson where the question asks for one ---
    (
        "gen-fail-02",
        "Last year I set myself the goal of passing a professional exam in March. I studied in the evenings "
        "but I failed one of the three papers, mainly because I left the practice questions until the last "
        "fortnight. As a result I had to resit in June, and I passed.",
        K.LEARNING,
    ),
    # --- off topic ---
    (
        "gen-learn-01",
        "My favourite holiday was a trip to Portugal with my family. The beaches were beautiful and we ate "
        "grilled sardines almost every evening by the harbour.",
        K.OFF_TOPIC,
    ),
    (
        "sw-06",
        "I enjoy working in small teams where everyone knows each other, and I like having a manager who "
        "gives regular feedback and supports my development.",
        K.OFF_TOPIC,
    ),
    # --- too short / nothing ---
    ("gen-team-02", "Yes, I did that once.", K.TOO_SHORT),
    ("data-03", "A/B test.", K.TOO_SHORT),
    ("gen-eth-01", "", K.NO_ANSWER),
    ("warm-01", "Hello.", K.TOO_SHORT),
    # --- not English, or code ---
    (
        "gen-team-03",
        "Una vez tuve que cubrir a una compañera enferma durante dos semanas y organicé mi trabajo para "
        "atender a sus clientes también.",
        K.LANGUAGE,
    ),
    (
        "gen-adapt-01",
        "Quand mon projet a été annulé, j'ai réorganisé mon planning et j'ai aidé une autre équipe.",
        K.LANGUAGE,
    ),
    (
        "sw-08",
        "EXPLAIN ANALYZE SELECT * FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.created > "
        "now() - interval '30 days';",
        K.CODE,
    ),
    (
        "sw-01",
        "for (const item of items) {\n  if (!item.id) {\n    console.log(item);\n  }\n}",
        K.CODE,
    ),
    # --- situational without steps, technical too thin, motivation too generic ---
    (
        "gen-eth-02",
        "I would deal with it in a professional way and make sure the right thing happens.",
        K.STEPS,
    ),
    (
        "cs-04",
        "I would work through the queue efficiently and keep everyone happy.",
        K.STEPS,
    ),
    (
        "data-15",
        "Correlation means two things move together, causation means one causes the other.",
        K.DEPTH,
    ),
    (
        "prod-03",
        "I would look at which idea has the most impact compared with the effort needed.",
        K.DEPTH,
    ),
    (
        "gen-motiv-01",
        "I am passionate about this sector and I believe this role is a great opportunity for my growth.",
        K.SPECIFIC_REASON,
    ),
    (
        "nurse-12",
        "I have always wanted to help people and I think nursing is a very rewarding career.",
        K.SPECIFIC_REASON,
    ),
]


def machine_info() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def stage_of(qtype: str) -> Stage:
    return {"warm_up": Stage.WARM_UP, "closing": Stage.CLOSING}.get(qtype, Stage.CORE)


def main() -> None:
    settings = Settings()
    bank = load_bank()
    encoder = SentenceEncoder(SHIPPED_MODEL, ModelStore(settings.model_dir))
    assessor = AnswerAssessor(encoder)
    # Warm up the encoder and the language back-ends so the first case is not charged for loading.
    warm = bank.get("gen-team-01")
    assert assessor.assess(PlannedQuestion(warm, warm.text, Stage.CORE), "Warm-up.", "Warm-up.").content

    rows, times = [], []
    for qid, answer, expected in CASES:
        q = bank.get(qid)
        planned = PlannedQuestion(q, q.text, stage_of(q.type.value))
        started = time.perf_counter()
        assessment = assessor.assess(planned, answer, answer)
        got = decide_follow_up(planned, assessment, [], fresh_answer=True, rules=assessor.rules)
        elapsed = time.perf_counter() - started
        times.append(elapsed)
        rows.append(
            {
                "question": qid,
                "type": q.type.value,
                "expected": expected.value if expected else "none",
                "got": got.value if got else "none",
                "ok": got == expected,
                "seconds": round(elapsed, 3),
                "relevance": None if not assessment.analysed else assessment.relevance,
            }
        )

    labels = sorted({r["expected"] for r in rows} | {r["got"] for r in rows})
    per_label = {}
    for label in labels:
        tp = sum(r["expected"] == label and r["got"] == label for r in rows)
        fp = sum(r["expected"] != label and r["got"] == label for r in rows)
        fn = sum(r["expected"] == label and r["got"] != label for r in rows)
        per_label[label] = {
            "support": sum(r["expected"] == label for r in rows),
            "precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None,
        }
    strong = [r for r in rows if r["expected"] == "none"]
    weak = [r for r in rows if r["expected"] != "none"]
    result = {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "cases": len(rows),
        "agreement": round(sum(r["ok"] for r in rows) / len(rows), 3),
        "strong_answers_without_follow_up": f"{sum(r['got'] == 'none' for r in strong)}/{len(strong)}",
        "weak_answers_with_a_follow_up": f"{sum(r['got'] != 'none' for r in weak)}/{len(weak)}",
        "per_label": per_label,
        "confusions": dict(Counter(f"{r['expected']} -> {r['got']}" for r in rows if not r["ok"])),
        "seconds_per_turn": {
            "median": round(statistics.median(times), 3),
            "p90": round(sorted(times)[int(0.9 * (len(times) - 1))], 3),
            "max": round(max(times), 3),
        },
        "rows": rows,
    }
    out = ROOT / "benchmarks" / "results" / f"interview_followups-{result['date']}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# Interview follow-up choice ({result['date']})",
        "",
        f"{len(rows)} typed answers written for this benchmark, each labelled with the follow-up an "
        "interviewer should ask first (or none). Written by the author of the rules: an upper bound, "
        "not agreement with human interviewers.",
        f"Machine: {result['machine']['cpu']}, {result['machine']['cores']} cores (other work may have "
        "been running).",
        "",
        f"- agreement with the label: **{result['agreement']:.0%}**",
        f"- complete answers left alone: {result['strong_answers_without_follow_up']}",
        f"- weak answers that got a follow-up: {result['weak_answers_with_a_follow_up']}",
        f"- time per turn (checks + decision): median {result['seconds_per_turn']['median']} s, "
        f"p90 {result['seconds_per_turn']['p90']} s, max {result['seconds_per_turn']['max']} s",
        "",
        "| follow-up | cases | precision | recall |",
        "|---|---|---|---|",
    ]
    for label, m in per_label.items():
        lines.append(f"| {label} | {m['support']} | {m['precision']} | {m['recall']} |")
    if result["confusions"]:
        lines += ["", "Disagreements (label -> chosen):", ""]
        lines += [f"- {k}: {v}" for k, v in result["confusions"].items()]
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
