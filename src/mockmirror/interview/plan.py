"""Interview plans: warm-up → core questions → closing, deterministic for a given seed.

The core questions are picked greedily with a cost per candidate (distance from the target
difficulty, role-specific before general, a repeated competency or an over-used question type
costs more, a competency in focus or a question that can be aimed at a skill from the job
description costs less) plus a small seeded jitter, so two seeds give two different interviews
and the same seed gives the same interview. Questions the user saw in recent sessions are left
out; only when the bank runs dry for a role are the oldest of them reused, and the plan says so.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from mockmirror.interview.bank import (
    CORE_TYPES,
    Competency,
    Question,
    QuestionBank,
    QuestionType,
    RoleFamily,
)
from mockmirror.interview.jd import JobProfile, Lexicon, Seniority, load_lexicon


class Stage(StrEnum):
    WARM_UP = "warm_up"
    CORE = "core"
    CLOSING = "closing"


@dataclass(frozen=True, slots=True)
class PlanRequest:
    role: RoleFamily = RoleFamily.ANY
    core_questions: int = 5
    difficulty: int = 2  # 1-3
    seed: int = 0
    # Question ids from recent sessions, oldest first; they are not asked again if avoidable.
    recent_ids: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()  # from a job description, most salient first
    extra_roles: tuple[RoleFamily, ...] = ()  # also draw from these families (e.g. graduate)
    focus: tuple[Competency, ...] = ()  # competencies to favour (e.g. leadership for a lead)
    skill_share: float = 0.5  # at most this share of core questions is aimed at a skill
    warm_up: bool = True
    closing: bool = True

    def __post_init__(self) -> None:
        if not 1 <= self.core_questions <= 30:
            raise ValueError("core_questions must be between 1 and 30")
        if self.difficulty not in (1, 2, 3):
            raise ValueError("difficulty must be 1, 2 or 3")
        if not 0.0 <= self.skill_share <= 1.0:
            raise ValueError("skill_share must be between 0 and 1")


@dataclass(frozen=True, slots=True)
class PlannedQuestion:
    question: Question
    text: str  # what the interviewer says (the bank text, or its skill variant)
    stage: Stage
    skill: str | None = None  # the job-description skill the question was aimed at

    @property
    def id(self) -> str:
        return self.question.id


@dataclass(frozen=True, slots=True)
class InterviewPlan:
    questions: tuple[PlannedQuestion, ...]
    request: PlanRequest
    notes: tuple[str, ...] = field(default=())

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(q.id for q in self.questions)

    @property
    def core(self) -> tuple[PlannedQuestion, ...]:
        return tuple(q for q in self.questions if q.stage is Stage.CORE)


# Cost weights (lower cost = picked first). Jitter < 1 keeps the order of the big preferences.
_W_DIFFICULTY = 3.0
_W_GENERAL = 1.5  # a question for any role when a role family was asked for
_W_EXTRA_ROLE = 1.0
_W_REPEAT_COMPETENCY = 4.0
_W_TYPE_OVER_QUOTA = 2.0
_W_ROLE_SHARE = 2.0  # role-specific questions beyond ~60 % of the core
_B_FOCUS = 1.0
_B_SKILL = 0.75
_JITTER = 0.9
_BEHAVIOURAL_SHARE = 0.6
_ROLE_SHARE = 0.6


def build_plan(bank: QuestionBank, request: PlanRequest, lexicon: Lexicon | None = None) -> InterviewPlan:
    """Pick warm-up, core and closing questions for ``request`` (same request → same plan)."""
    rng = random.Random(request.seed)
    lexicon = lexicon or load_lexicon()
    recent_order = {qid: i for i, qid in enumerate(request.recent_ids)}
    notes: list[str] = []
    roles = (request.role, *request.extra_roles)

    def pool(types: frozenset[QuestionType] | set[QuestionType]) -> list[Question]:
        seen: dict[str, Question] = {}
        for role in roles:
            for q in bank.select(role=role, types=types):
                seen.setdefault(q.id, q)
        return list(seen.values())

    planned: list[PlannedQuestion] = []
    if request.warm_up:
        warm = _pick_one(pool({QuestionType.WARM_UP}), recent_order, rng, notes, "warm-up")
        if warm is not None:
            planned.append(PlannedQuestion(warm, warm.text, Stage.WARM_UP))

    candidates = pool(CORE_TYPES)
    fresh = [q for q in candidates if q.id not in recent_order]
    core = _pick_core(fresh, request, rng, lexicon)
    if len(core) < request.core_questions:
        stale = sorted((q for q in candidates if q.id in recent_order), key=lambda q: recent_order[q.id])
        if stale:
            reused = _pick_core(
                stale, request, rng, lexicon, already=core, limit=request.core_questions - len(core)
            )
            if reused:
                notes.append(
                    f"{len(reused)} question(s) from recent sessions were reused: the bank has "
                    f"{len(fresh)} unseen core question(s) for this role."
                )
            core += reused
    if len(core) < request.core_questions:
        notes.append(f"only {len(core)} core question(s) are available for this role.")
    core = _order_core(core, rng)
    planned.extend(_aim_at_skills(core, request, lexicon))

    if request.closing:
        closing = _pick_one(pool({QuestionType.CLOSING}), recent_order, rng, notes, "closing")
        if closing is not None:
            planned.append(PlannedQuestion(closing, closing.text, Stage.CLOSING))
    return InterviewPlan(questions=tuple(planned), request=request, notes=tuple(notes))


def request_from_profile(
    profile: JobProfile,
    *,
    core_questions: int = 5,
    difficulty: int | None = None,
    seed: int = 0,
    recent_ids: Sequence[str] = (),
    role: RoleFamily | None = None,
    skill_share: float = 0.5,
) -> PlanRequest:
    """A plan request that fits a job description (explicit arguments win over the JD's guesses)."""
    extra: tuple[RoleFamily, ...] = ()
    if profile.seniority in (Seniority.INTERN, Seniority.JUNIOR) and (role or profile.role_family) not in (
        RoleFamily.GRADUATE,
        RoleFamily.ANY,
    ):
        extra = (RoleFamily.GRADUATE,)
    focus: tuple[Competency, ...] = ()
    if profile.seniority is Seniority.LEAD:
        focus = (Competency.LEADERSHIP, Competency.STAKEHOLDERS)
    elif profile.seniority is Seniority.SENIOR:
        focus = (Competency.LEADERSHIP, Competency.AMBIGUITY)
    return PlanRequest(
        role=role or profile.role_family,
        core_questions=core_questions,
        difficulty=difficulty if difficulty is not None else profile.difficulty,
        seed=seed,
        recent_ids=tuple(recent_ids),
        skills=profile.skill_names,
        extra_roles=extra,
        focus=focus,
        skill_share=skill_share,
    )


def _pick_one(
    questions: list[Question],
    recent_order: dict[str, int],
    rng: random.Random,
    notes: list[str],
    what: str,
) -> Question | None:
    if not questions:
        return None
    questions = sorted(questions, key=lambda q: q.id)
    fresh = [q for q in questions if q.id not in recent_order]
    if fresh:
        return rng.choice(fresh)
    notes.append(f"every {what} question was seen recently; reusing the one seen longest ago.")
    return min(questions, key=lambda q: recent_order[q.id])


def _skill_fits(question: Question, skill: str, lexicon: Lexicon) -> bool:
    if question.skill_variant is None:
        return False
    entry = lexicon.skill(skill)
    if entry is None or RoleFamily.ANY in question.roles:
        return True  # a skill the lexicon does not know is taken at the user's word
    return bool(set(entry.roles) & set(question.roles))


@dataclass(frozen=True, slots=True)
class _PickState:
    """What has been chosen so far, as the cost function needs it."""

    competencies: frozenset[Competency]
    n_chosen: int
    n_behavioural: int
    n_role: int
    n_skill: int


def _cost(q: Question, state: _PickState, request: PlanRequest, lexicon: Lexicon, jitter: float) -> float:
    total = request.core_questions
    behavioural_quota = math.ceil(total * _BEHAVIOURAL_SHARE)
    value = _W_DIFFICULTY * abs(q.difficulty - request.difficulty) + jitter
    specific = request.role in q.roles
    if request.role is not RoleFamily.ANY and not specific:
        value += _W_EXTRA_ROLE if any(r in q.roles for r in request.extra_roles) else _W_GENERAL
    if specific and request.role is not RoleFamily.ANY and state.n_role >= math.ceil(total * _ROLE_SHARE):
        value += _W_ROLE_SHARE
    if q.competency in state.competencies:
        value += _W_REPEAT_COMPETENCY
    behavioural = q.type is QuestionType.BEHAVIOURAL
    if (behavioural and state.n_behavioural >= behavioural_quota) or (
        not behavioural and state.n_chosen - state.n_behavioural >= total - behavioural_quota
    ):
        value += _W_TYPE_OVER_QUOTA
    if q.competency in request.focus:
        value -= _B_FOCUS
    skill_slots = math.floor(total * request.skill_share) if request.skills else 0
    if state.n_skill < skill_slots and any(_skill_fits(q, s, lexicon) for s in request.skills):
        value -= _B_SKILL
    return value


def _pick_core(
    candidates: list[Question],
    request: PlanRequest,
    rng: random.Random,
    lexicon: Lexicon,
    *,
    already: Sequence[Question] = (),
    limit: int | None = None,
) -> list[Question]:
    want = request.core_questions if limit is None else limit
    # One jitter per question per plan, drawn in a fixed (id) order: independent of pick order.
    remaining = sorted(candidates, key=lambda q: q.id)
    jitter = {q.id: rng.random() * _JITTER for q in remaining}
    chosen: list[Question] = list(already)
    picked: list[Question] = []
    while remaining and len(picked) < want:
        state = _PickState(
            competencies=frozenset(q.competency for q in chosen),
            n_chosen=len(chosen),
            n_behavioural=sum(q.type is QuestionType.BEHAVIOURAL for q in chosen),
            n_role=sum(request.role in q.roles for q in chosen),
            n_skill=sum(any(_skill_fits(q, s, lexicon) for s in request.skills) for q in chosen),
        )
        best = min(remaining, key=lambda q: (_cost(q, state, request, lexicon, jitter[q.id]), q.id))
        remaining.remove(best)
        chosen.append(best)
        picked.append(best)
    return picked


def _order_core(core: list[Question], rng: random.Random) -> list[Question]:
    """Easier questions first; within a difficulty, a seeded order (not the pick order)."""
    keys = {q.id: rng.random() for q in sorted(core, key=lambda q: q.id)}
    return sorted(core, key=lambda q: (q.difficulty, keys[q.id]))


def _aim_at_skills(core: list[Question], request: PlanRequest, lexicon: Lexicon) -> list[PlannedQuestion]:
    """Rewrite up to ``skill_share`` of the core around the job's skills, each skill used once first."""
    slots = math.floor(len(core) * request.skill_share) if request.skills else 0
    use_count = dict.fromkeys(request.skills, 0)
    planned: list[PlannedQuestion] = []
    for question in core:
        skill = None
        if slots > 0:
            fitting = [s for s in request.skills if _skill_fits(question, s, lexicon)]
            if fitting:
                # Least-used skill first; ties go to the more salient (earlier) skill.
                skill = min(fitting, key=lambda s: (use_count[s], request.skills.index(s)))
                use_count[skill] += 1
                slots -= 1
        text = question.with_skill(skill) if skill else question.text
        planned.append(PlannedQuestion(question, text, Stage.CORE, skill))
    return planned
