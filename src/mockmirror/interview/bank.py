"""The question bank: a pydantic schema, the loader for the shipped YAML files, and coverage checks.

Every question carries what a recruiter would listen for (the STAR parts a strong answer shows and
2-5 key points) so the interview package can ask targeted follow-ups. The bank is our own text;
see docs/interview.md for the schema and the coverage table.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from mockmirror.core.types import MockmirrorError


class Competency(StrEnum):
    TEAMWORK = "teamwork"
    CONFLICT = "conflict"
    FAILURE = "failure"
    LEADERSHIP = "leadership"
    AMBIGUITY = "ambiguity"
    PRIORITISATION = "prioritisation"
    STAKEHOLDERS = "stakeholders"
    LEARNING = "learning"
    MOTIVATION = "motivation"
    TECHNICAL_DEPTH = "technical_depth"
    COMMUNICATION = "communication"
    CUSTOMER_FOCUS = "customer_focus"
    ETHICS = "ethics"
    PROBLEM_SOLVING = "problem_solving"
    ADAPTABILITY = "adaptability"
    INITIATIVE = "initiative"
    RESILIENCE = "resilience"


class QuestionType(StrEnum):
    BEHAVIOURAL = "behavioural"
    SITUATIONAL = "situational"
    TECHNICAL = "technical"
    MOTIVATIONAL = "motivational"
    WARM_UP = "warm_up"
    CLOSING = "closing"


class RoleFamily(StrEnum):
    SOFTWARE = "software"
    DATA = "data"
    PRODUCT = "product"
    DESIGN = "design"
    SALES = "sales"
    CUSTOMER_SUPPORT = "customer_support"
    NURSING = "nursing"
    TEACHING = "teaching"
    FINANCE = "finance"
    GRADUATE = "graduate"
    ANY = "any"


class StarName(StrEnum):
    SITUATION = "situation"
    TASK = "task"
    ACTION = "action"
    RESULT = "result"
    LEARNING = "learning"


# Core interview questions (what the plan's middle part is made of).
CORE_TYPES = frozenset(
    {QuestionType.BEHAVIOURAL, QuestionType.SITUATIONAL, QuestionType.TECHNICAL, QuestionType.MOTIVATIONAL}
)
SKILL_PLACEHOLDER = "{skill}"


class StrongAnswer(BaseModel):
    """What a strong answer contains: the STAR parts it shows and 2-5 key points."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    star: tuple[StarName, ...] = ()
    key_points: tuple[str, ...] = Field(min_length=2, max_length=5)

    @field_validator("star")
    @classmethod
    def _unique_star(cls, value: tuple[StarName, ...]) -> tuple[StarName, ...]:
        if len(set(value)) != len(value):
            raise ValueError("STAR parts repeat")
        return value

    @field_validator("key_points")
    @classmethod
    def _points_are_phrases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for point in value:
            if not 8 <= len(point.strip()) <= 160:
                raise ValueError(f"key point must be 8-160 characters: {point!r}")
        return tuple(p.strip() for p in value)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=40)
    text: str = Field(min_length=15, max_length=300)
    competency: Competency
    type: QuestionType
    roles: tuple[RoleFamily, ...] = Field(min_length=1)
    difficulty: int = Field(ge=1, le=3)
    strong_answer: StrongAnswer
    follow_ups: tuple[str, ...] = Field(default=(), max_length=3)
    # The question rewritten around one skill from a job description, e.g. "... with {skill} ...".
    skill_variant: str | None = None

    @field_validator("text", "skill_variant")
    @classmethod
    def _is_a_prompt(cls, value: str | None) -> str | None:
        if value is None:
            return value
        value = " ".join(value.split())
        if not value.endswith(("?", ".")):
            raise ValueError(f"must end with '?' or '.': {value!r}")
        if "{" in value.replace(SKILL_PLACEHOLDER, ""):
            raise ValueError(f"only the {SKILL_PLACEHOLDER} placeholder is allowed: {value!r}")
        return value

    @field_validator("follow_ups")
    @classmethod
    def _follow_ups_are_questions(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for item in value:
            if not item.strip().endswith("?"):
                raise ValueError(f"a follow-up must be a question: {item!r}")
        return tuple(" ".join(v.split()) for v in value)

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        if len(set(self.roles)) != len(self.roles):
            raise ValueError(f"{self.id}: roles repeat")
        if RoleFamily.ANY in self.roles and len(self.roles) > 1:
            raise ValueError(f"{self.id}: 'any' cannot be combined with other role families")
        if SKILL_PLACEHOLDER in self.text:
            raise ValueError(f"{self.id}: the placeholder belongs in skill_variant, not text")
        if self.skill_variant is not None and self.skill_variant.count(SKILL_PLACEHOLDER) != 1:
            raise ValueError(f"{self.id}: skill_variant needs exactly one {SKILL_PLACEHOLDER}")
        star = set(self.strong_answer.star)
        if self.type is QuestionType.BEHAVIOURAL and not {StarName.ACTION, StarName.RESULT} <= star:
            raise ValueError(f"{self.id}: a behavioural question expects at least action and result")
        if self.type in (QuestionType.WARM_UP, QuestionType.CLOSING) and self.difficulty != 1:
            raise ValueError(f"{self.id}: warm-up and closing questions have difficulty 1")
        return self

    def for_role(self, role: RoleFamily) -> bool:
        return RoleFamily.ANY in self.roles or role in self.roles

    def with_skill(self, skill: str) -> str:
        if self.skill_variant is None:
            raise ValueError(f"{self.id} has no skill variant")
        return self.skill_variant.replace(SKILL_PLACEHOLDER, skill)


class BankFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[Question] = Field(min_length=1)


@dataclass(frozen=True, slots=True)
class Coverage:
    total: int
    by_role: dict[str, int]  # questions tagged with the family itself ('any' counted on its own)
    by_role_behavioural: dict[str, int]
    by_competency: dict[str, int]
    by_type: dict[str, int]
    by_difficulty: dict[int, int]
    with_skill_variant: int


class QuestionBank:
    """An immutable collection of validated questions, looked up by id."""

    def __init__(self, questions: Iterable[Question]) -> None:
        self._questions: tuple[Question, ...] = tuple(questions)
        self._by_id: dict[str, Question] = {}
        for question in self._questions:
            if question.id in self._by_id:
                raise MockmirrorError(f"question bank: id {question.id!r} appears twice")
            self._by_id[question.id] = question

    def __len__(self) -> int:
        return len(self._questions)

    def __iter__(self) -> Iterator[Question]:
        return iter(self._questions)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._by_id

    def get(self, question_id: str) -> Question:
        try:
            return self._by_id[question_id]
        except KeyError:
            raise MockmirrorError(f"question bank has no question {question_id!r}") from None

    def select(
        self,
        *,
        role: RoleFamily | None = None,
        types: Iterable[QuestionType] | None = None,
        competencies: Iterable[Competency] | None = None,
        difficulty: Iterable[int] | None = None,
        exclude: Iterable[str] = (),
    ) -> list[Question]:
        wanted_types = set(types) if types is not None else None
        wanted_comp = set(competencies) if competencies is not None else None
        wanted_diff = set(difficulty) if difficulty is not None else None
        skip = set(exclude)
        return [
            q
            for q in self._questions
            if (role is None or q.for_role(role))
            and (wanted_types is None or q.type in wanted_types)
            and (wanted_comp is None or q.competency in wanted_comp)
            and (wanted_diff is None or q.difficulty in wanted_diff)
            and q.id not in skip
        ]

    def coverage(self) -> Coverage:
        by_role: Counter[str] = Counter()
        by_role_behavioural: Counter[str] = Counter()
        for q in self._questions:
            for role in q.roles:
                by_role[role.value] += 1
                if q.type is QuestionType.BEHAVIOURAL:
                    by_role_behavioural[role.value] += 1
        return Coverage(
            total=len(self._questions),
            by_role={r.value: by_role[r.value] for r in RoleFamily},
            by_role_behavioural={r.value: by_role_behavioural[r.value] for r in RoleFamily},
            by_competency={c.value: sum(q.competency is c for q in self._questions) for c in Competency},
            by_type={t.value: sum(q.type is t for q in self._questions) for t in QuestionType},
            by_difficulty={d: sum(q.difficulty == d for q in self._questions) for d in (1, 2, 3)},
            with_skill_variant=sum(q.skill_variant is not None for q in self._questions),
        )

    def near_duplicates(self, *, jaccard: float = 0.6, ratio: float = 0.85) -> list[tuple[str, str, float]]:
        """Pairs of questions whose wording is nearly the same (content-word Jaccard or edit ratio)."""
        items = [(q.id, _normalise(q.text), _content_words(q.text)) for q in self._questions]
        found: list[tuple[str, str, float]] = []
        for i, (id_a, norm_a, words_a) in enumerate(items):
            for id_b, norm_b, words_b in items[i + 1 :]:
                union = words_a | words_b
                overlap = len(words_a & words_b) / len(union) if union else 1.0
                if overlap >= jaccard:
                    found.append((id_a, id_b, round(overlap, 3)))
                    continue
                matcher = SequenceMatcher(None, norm_a, norm_b, autojunk=False)
                if matcher.real_quick_ratio() >= ratio and matcher.quick_ratio() >= ratio:
                    similarity = matcher.ratio()
                    if similarity >= ratio:
                        found.append((id_a, id_b, round(similarity, 3)))
        return found


# Words that every interview question shares; they say nothing about what is asked.
_FRAME_WORDS_TEXT = """
    a about after an and any are as at be been before being but by can could describe did do does
    doing done example for from give had has have how i if in into is it its just me more most my of on
    one or our out over own so some someone something tell than that the their them then there these
    they thing things this time to us was way we were what when where which while who why will with
    would you your yourself"""
_FRAME_WORDS = frozenset(_FRAME_WORDS_TEXT.split())


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9']+", text.lower()))


def _content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9']+", text.lower()) if w not in _FRAME_WORDS)


def bank_files() -> list[Path]:
    """The shipped bank files, in name order."""
    folder = resources.files("mockmirror.interview") / "bank"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml")))


def load_bank_file(path: Path) -> list[Question]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise MockmirrorError(f"question bank {path.name}: cannot read ({exc})") from exc
    try:
        return BankFile.model_validate(raw).questions
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise MockmirrorError(f"question bank {path.name}: {where}: {first['msg']}") from exc


def load_bank(paths: Iterable[Path] | None = None) -> QuestionBank:
    """Load and validate the shipped bank (or the given YAML files)."""
    questions: list[Question] = []
    for path in paths if paths is not None else bank_files():
        questions.extend(load_bank_file(Path(path)))
    return QuestionBank(questions)
