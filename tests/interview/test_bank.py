"""The question bank: every shipped file validates, coverage holds, and the schema rejects bad data."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml

from mockmirror.core.types import MockmirrorError
from mockmirror.interview.bank import (
    Competency,
    Question,
    QuestionBank,
    QuestionType,
    RoleFamily,
    bank_files,
    load_bank,
    load_bank_file,
)

ROOT = Path(__file__).resolve().parents[2]
ROLE_FAMILIES = [r for r in RoleFamily if r is not RoleFamily.ANY]


def test_every_bank_file_loads_through_the_schema():
    files = bank_files()
    assert len(files) >= 10
    total = 0
    for path in files:
        questions = load_bank_file(path)
        assert questions, path.name
        total += len(questions)
        # The loader went through pydantic: every entry is a Question, nothing extra slipped in.
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]
        assert len(raw) == len(questions)
        assert all(isinstance(q, Question) for q in questions)
    assert total == len(load_bank())


def test_bank_size_and_unique_ids(bank):
    ids = [q.id for q in bank]
    assert len(bank) >= 200
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("role", ROLE_FAMILIES, ids=lambda r: r.value)
def test_every_role_family_has_its_own_questions_including_behavioural(bank, role):
    own = [q for q in bank if role in q.roles]
    assert len(own) >= 10, f"{role.value}: {len(own)} questions"
    assert sum(q.type is QuestionType.BEHAVIOURAL for q in own) >= 5
    # With the general questions added, a full interview never runs out.
    assert len(bank.select(role=role, types=[QuestionType.BEHAVIOURAL])) >= 40


def test_every_competency_and_type_is_covered(bank):
    coverage = bank.coverage()
    for competency in Competency:
        assert coverage.by_competency[competency.value] >= 5, competency
    for qtype in QuestionType:
        assert coverage.by_type[qtype.value] >= 5, qtype
    assert all(coverage.by_difficulty[d] >= 30 for d in (1, 2, 3))
    assert coverage.with_skill_variant >= 30


def test_what_a_strong_answer_contains_is_filled_in(bank):
    for q in bank:
        assert 2 <= len(q.strong_answer.key_points) <= 5, q.id
        if q.type is QuestionType.BEHAVIOURAL:
            assert {"action", "result"} <= {p.value for p in q.strong_answer.star}, q.id


def test_no_near_duplicate_wording(bank):
    assert bank.near_duplicates() == []


def test_near_duplicate_check_catches_a_reworded_copy(bank):
    original = bank.get("gen-fail-01")
    copy = original.model_copy(
        update={
            "id": "copy-01",
            "text": "Tell me about a time something you were responsible for went wrong.",
        }
    )
    pairs = QuestionBank([*bank, copy]).near_duplicates()
    assert [(a, b) for a, b, _ in pairs] == [("gen-fail-01", "copy-01")]


def test_skill_variants_fill_the_placeholder(bank):
    question = bank.get("sw-01")
    assert question.with_skill("Rust").startswith("Tell me about a bug in a Rust codebase")
    with pytest.raises(ValueError):
        bank.get("gen-team-02").with_skill("Rust")


GOOD = {
    "id": "x-01",
    "text": "Tell me about a time you fixed something that was broken?",
    "competency": "problem_solving",
    "type": "behavioural",
    "roles": ["software"],
    "difficulty": 2,
    "strong_answer": {
        "star": ["action", "result"],
        "key_points": ["names the fault", "says how it was fixed"],
    },
}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"competency": "charisma"}, "competency"),
        ({"roles": ["any", "software"]}, "'any' cannot be combined"),
        ({"roles": ["astronaut"]}, "roles"),
        ({"difficulty": 4}, "difficulty"),
        ({"strong_answer": {"star": ["situation"], "key_points": ["a", "b"]}}, "key_points"),
        (
            {
                "strong_answer": {
                    "star": ["situation", "task"],
                    "key_points": ["names the fault", "fixes it well"],
                }
            },
            "expects at least action and result",
        ),
        ({"skill_variant": "Tell me about fixing things."}, "exactly one {skill}"),
        ({"text": "Tell me about {team} problems."}, "only the {skill} placeholder"),
        ({"follow_ups": ["Tell me more."]}, "must be a question"),
        ({"id": "Bad Id"}, "id"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_schema_rejects_bad_questions(tmp_path, change, message):
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump({"questions": [{**GOOD, **change}]}), encoding="utf-8")
    with pytest.raises(MockmirrorError) as info:
        load_bank_file(path)
    assert "bad.yaml" in str(info.value)
    assert message in str(info.value)


def test_duplicate_ids_across_files_are_refused(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump({"questions": [GOOD]}), encoding="utf-8")
    with pytest.raises(MockmirrorError, match="appears twice"):
        load_bank(sorted(tmp_path.glob("*.yaml")))


def test_bank_and_lexicon_ship_as_package_data():
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = data["tool"]["setuptools"]["package-data"]["mockmirror"]
    assert "interview/bank/*.yaml" in globs
    assert "interview/data/*.yaml" in globs
