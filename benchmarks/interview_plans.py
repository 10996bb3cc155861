"""How far the question bank goes: fresh sessions per role before a question repeats, plan variety
and the time to build a plan.

For each role family, sessions of 5 core questions are planned one after another, each excluding
every question seen before (the "recent" list growing without limit), until a plan has to reuse a
question. Variety is measured on 200 seeds per role: distinct competencies in a plan, share of the
role's own questions, and how many different questions the seeds reach.

    .venv/bin/python benchmarks/interview_plans.py

Writes benchmarks/results/interview_plans-YYYY-MM-DD.{json,md}.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import time
from datetime import date
from pathlib import Path

from mockmirror.interview.bank import CORE_TYPES, QuestionType, RoleFamily, load_bank
from mockmirror.interview.plan import PlanRequest, build_plan

ROOT = Path(__file__).resolve().parents[1]
CORE = 5
SEEDS = 200


def machine_info() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version()}


def fresh_sessions(bank, role: RoleFamily) -> int:
    """Sessions in a row whose core questions are all new (warm-up and closing rotate separately)."""
    seen: list[str] = []
    for session in range(1, 200):
        request = PlanRequest(role=role, core_questions=CORE, seed=session, recent_ids=tuple(seen))
        plan = build_plan(bank, request)
        if any(note.startswith(("only", f"{n} question")) for note in plan.notes for n in range(1, CORE + 1)):
            return session - 1
        seen.extend(plan.ids)
    return 199


def main() -> None:
    bank = load_bank()
    rows = []
    build_times: list[float] = []
    for role in RoleFamily:
        competencies, own_share, reached = [], [], set()
        for seed in range(SEEDS):
            started = time.perf_counter()
            plan = build_plan(bank, PlanRequest(role=role, core_questions=CORE, seed=seed))
            build_times.append(time.perf_counter() - started)
            core = plan.core
            competencies.append(len({q.question.competency for q in core}))
            if role is not RoleFamily.ANY:
                own_share.append(sum(role in q.question.roles for q in core) / len(core))
            reached.update(q.id for q in core)
        rows.append(
            {
                "role": role.value,
                "fresh_sessions": fresh_sessions(bank, role),
                "mean_distinct_competencies": round(statistics.mean(competencies), 2),
                "mean_own_role_share": round(statistics.mean(own_share), 2) if own_share else None,
                "questions_reached_by_seeds": len(reached),
                "core_pool": len(bank.select(role=role, types=CORE_TYPES)),
            }
        )
    result = {
        "date": date.today().isoformat(),
        "machine": machine_info(),
        "bank_size": len(bank),
        "core_questions_per_session": CORE,
        "seeds": SEEDS,
        "plan_build_ms": {
            "median": round(1000 * statistics.median(build_times), 2),
            "max": round(1000 * max(build_times), 2),
        },
        "roles": rows,
    }
    out = ROOT / "benchmarks" / "results" / f"interview_plans-{result['date']}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    lines = [
        f"# Interview plans ({result['date']})",
        "",
        f"Bank: {len(bank)} questions. Sessions of {CORE} core questions (plus warm-up and closing). "
        f"Plan build time: median {result['plan_build_ms']['median']} ms, "
        f"max {result['plan_build_ms']['max']} ms ({result['machine']['cores']} cores). "
        f"Warm-up ({len(bank.select(types=[QuestionType.WARM_UP]))}) and closing "
        f"({len(bank.select(types=[QuestionType.CLOSING]))}) questions rotate on their own.",
        "",
        "| role | fresh sessions before a repeat | distinct competencies per plan (of 5) | "
        "share of the role's own questions | questions reached by 200 seeds | core pool |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        share = "—" if r["mean_own_role_share"] is None else f"{r['mean_own_role_share']:.0%}"
        lines.append(
            f"| {r['role']} | {r['fresh_sessions']} | {r['mean_distinct_competencies']} | {share} | "
            f"{r['questions_reached_by_seeds']} | {r['core_pool']} |"
        )
    out.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
