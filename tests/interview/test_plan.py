"""Interview plans: structure, determinism, no repeats of recent questions, difficulty and role."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from mockmirror.interview.bank import CORE_TYPES, QuestionBank, QuestionType, RoleFamily
from mockmirror.interview.plan import PlanRequest, Stage, build_plan


def test_warm_up_core_closing(bank):
    plan = build_plan(bank, PlanRequest(role=RoleFamily.SOFTWARE, core_questions=6, seed=1))
    stages = [q.stage for q in plan.questions]
    assert stages == [Stage.WARM_UP] + [Stage.CORE] * 6 + [Stage.CLOSING]
    assert plan.questions[0].question.type is QuestionType.WARM_UP
    assert plan.questions[-1].question.type is QuestionType.CLOSING
    assert all(q.question.type in CORE_TYPES for q in plan.core)
    assert len(set(plan.ids)) == len(plan.ids)
    assert plan.notes == ()


def test_same_seed_same_plan_other_seed_other_plan(bank):
    request = PlanRequest(role=RoleFamily.DATA, core_questions=5, seed=42)
    assert build_plan(bank, request).ids == build_plan(bank, request).ids
    plans = {
        build_plan(bank, PlanRequest(role=RoleFamily.DATA, core_questions=5, seed=s)).ids for s in range(8)
    }
    assert len(plans) >= 6


@pytest.mark.parametrize("role", [r for r in RoleFamily], ids=lambda r: r.value)
def test_every_role_gets_a_full_varied_plan(bank, role):
    plan = build_plan(bank, PlanRequest(role=role, core_questions=6, seed=5))
    core = plan.core
    assert len(core) == 6
    assert all(q.question.for_role(role) for q in core)
    # Varied: six different competencies, and mostly (not only) behavioural questions.
    assert len({q.question.competency for q in core}) == 6
    behavioural = sum(q.question.type is QuestionType.BEHAVIOURAL for q in core)
    assert 3 <= behavioural <= 5
    if role is not RoleFamily.ANY:
        specific = sum(role in q.question.roles for q in core)
        assert 2 <= specific <= 5  # the role's own questions, mixed with general ones


@pytest.mark.parametrize("difficulty", [1, 2, 3])
def test_difficulty_is_respected(bank, difficulty):
    plan = build_plan(bank, PlanRequest(role=RoleFamily.ANY, core_questions=5, difficulty=difficulty, seed=9))
    assert all(q.question.difficulty == difficulty for q in plan.core)
    # Easier questions come first when a plan mixes levels.
    mixed = build_plan(bank, PlanRequest(role=RoleFamily.TEACHING, core_questions=12, difficulty=2, seed=2))
    levels = [q.question.difficulty for q in mixed.core]
    assert levels == sorted(levels)


def test_recently_seen_questions_are_not_repeated(bank):
    request = PlanRequest(role=RoleFamily.NURSING, core_questions=5, seed=11)
    seen: list[str] = []
    for session in range(3):
        plan = build_plan(bank, replace(request, recent_ids=tuple(seen), seed=session))
        assert not set(plan.ids) & set(seen), session
        assert plan.notes == ()
        seen.extend(plan.ids)


def test_when_the_bank_runs_dry_the_oldest_seen_are_reused_and_said_so(bank):
    role_pool = bank.select(role=RoleFamily.FINANCE, types=CORE_TYPES)
    recent = tuple(q.id for q in role_pool)  # every core question seen, oldest first
    plan = build_plan(bank, PlanRequest(role=RoleFamily.FINANCE, core_questions=4, seed=1, recent_ids=recent))
    assert len(plan.core) == 4
    assert any("reused" in note for note in plan.notes)


def test_tiny_bank_gives_a_shorter_plan_with_a_note(bank):
    small = QuestionBank(
        [bank.get("warm-01"), bank.get("gen-team-01"), bank.get("gen-conf-01"), bank.get("close-01")]
    )
    plan = build_plan(small, PlanRequest(core_questions=5))
    assert {q.id for q in plan.core} == {"gen-team-01", "gen-conf-01"}
    assert any("only 2 core" in note for note in plan.notes)


def test_focus_and_skills(bank):
    lead = build_plan(
        bank,
        PlanRequest(role=RoleFamily.SOFTWARE, core_questions=5, difficulty=3, seed=4, focus=("leadership",)),
    )
    assert any(q.question.competency == "leadership" for q in lead.core)
    aimed = build_plan(
        bank,
        PlanRequest(role=RoleFamily.SOFTWARE, core_questions=6, seed=4, skills=("Kubernetes", "Python")),
    )
    skills = Counter(q.skill for q in aimed.core if q.skill)
    assert 2 <= sum(skills.values()) <= 3  # at most half of six
    assert set(skills) == {"Kubernetes", "Python"}  # each skill used before any is used twice


def test_bad_requests_are_refused():
    with pytest.raises(ValueError):
        PlanRequest(core_questions=0)
    with pytest.raises(ValueError):
        PlanRequest(difficulty=4)
