"""docs/interview.md's coverage tables match the shipped bank."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mockmirror.interview.bank import Competency, QuestionType, RoleFamily

DOC = Path(__file__).resolve().parents[2] / "docs" / "interview.md"


def test_coverage_tables_match_the_bank(bank):
    doc = DOC.read_text(encoding="utf-8")
    types = [t.value for t in QuestionType]
    for role in RoleFamily:
        questions = [q for q in bank if role in q.roles]
        counts = Counter(q.type.value for q in questions)
        cells = " | ".join(str(counts.get(t, 0)) for t in types)
        row = f"| {role.value} | {len(questions)} | {cells} |"
        assert row in doc, row
    coverage = bank.coverage()
    cells = " | ".join(f"**{coverage.by_type[t]}**" for t in types)
    total = f"| **total** | **{len(bank)}** | {cells} |"
    assert total in doc
    for competency in Competency:
        questions = [q for q in bank if q.competency is competency]
        general = sum(RoleFamily.ANY in q.roles for q in questions)
        assert f"| {competency.value} | {len(questions)} | {general} |" in doc, competency
    assert f"{len(bank)} questions; {coverage.with_skill_variant} have a skill variant" in doc
