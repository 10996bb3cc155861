"""Job descriptions → role family, seniority and skills (real spaCy pipeline, our lexicon)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockmirror.core.types import MockmirrorError
from mockmirror.interview.bank import RoleFamily
from mockmirror.interview.jd import JobDescriptionReader, Seniority, load_lexicon, load_spacy
from mockmirror.interview.plan import build_plan, request_from_profile

JDS = Path(__file__).with_name("jds")


@pytest.fixture(scope="module")
def reader() -> JobDescriptionReader:
    return JobDescriptionReader(load_spacy())


def read(reader, name: str):
    return reader.read((JDS / name).read_text(encoding="utf-8"))


def test_the_shipped_spacy_package_loads_by_its_registered_name():
    nlp = load_spacy()
    assert "en_core_web_sm" in nlp.meta["name"] or nlp.meta["name"].startswith("core_web_sm")
    assert "parser" in nlp.pipe_names and "ner" not in nlp.pipe_names


@pytest.mark.parametrize(
    ("name", "family", "seniority", "skills"),
    [
        (
            "software_senior.txt",
            RoleFamily.SOFTWARE,
            Seniority.SENIOR,
            {"Python", "Go", "PostgreSQL", "Redis", "Kafka", "Docker", "Kubernetes", "AWS", "CI/CD"},
        ),
        (
            "nursing_band5.txt",
            RoleFamily.NURSING,
            Seniority.JUNIOR,
            {"patient assessment", "medication administration", "wound care", "early warning scores"},
        ),
        ("sales_bdr.txt", RoleFamily.SALES, Seniority.JUNIOR, {"cold calling", "Salesforce", "negotiation"}),
        ("data_analyst.txt", RoleFamily.DATA, Seniority.MID, {"SQL", "Python", "pandas", "Tableau", "dbt"}),
        ("teaching_ect.txt", RoleFamily.TEACHING, Seniority.JUNIOR, {"safeguarding", "formative assessment"}),
    ],
)
def test_job_descriptions_are_read(reader, name, family, seniority, skills):
    profile = read(reader, name)
    assert profile.role_family is family, profile.role_scores
    assert profile.seniority is seniority, profile.seniority_evidence
    assert skills <= set(profile.skill_names), profile.skill_names
    assert profile.role_evidence  # the guess says what it was based on


def test_details_of_the_software_advert(reader):
    profile = read(reader, "software_senior.txt")
    assert profile.title == "Senior Backend Engineer"
    assert profile.years_experience == 5
    assert "title" in profile.seniority_evidence
    # Things the lexicon does not know are still reported, not used for questions.
    assert "event sourcing" in profile.other_terms
    python = next(s for s in profile.skills if s.name == "Python")
    assert python.count == 2 and python.required


def test_an_advert_without_a_role_falls_back_to_general(reader):
    profile = read(reader, "vague.txt")
    assert profile.role_family is RoleFamily.ANY
    assert profile.seniority is Seniority.MID
    assert profile.skills == ()


def test_case_sensitive_skills_do_not_fire_on_ordinary_words(reader):
    text = (
        "Customer Service Advisor\nYou will go above and beyond, react calmly and send updates on the rest."
    )
    names = set(reader.read(text).skill_names)
    assert not names & {"Go", "React", "special educational needs", "REST APIs"}
    names = set(reader.read("Developer\nWe use Go, React and REST APIs, plus SEND support.").skill_names)
    assert {"Go", "React", "REST APIs", "special educational needs"} <= names


def test_seniority_from_years_and_leadership(reader):
    lead = reader.read("Finance\nYou have 8+ years of experience in audit and will line manage two analysts.")
    assert lead.seniority is Seniority.LEAD and lead.years_experience == 8
    intern = reader.read("Summer role\nA ten-week summer placement in our data team, working with SQL.")
    assert intern.seniority is Seniority.INTERN
    graduate = reader.read("Graduate Software Engineer\nJoin our graduate programme and write Python.")
    assert graduate.role_family is RoleFamily.SOFTWARE and graduate.seniority is Seniority.JUNIOR


def test_empty_job_description_is_refused(reader):
    with pytest.raises(MockmirrorError, match="too few words"):
        reader.read("  \n ")


def test_plan_from_a_job_description_targets_its_skills(reader, bank):
    profile = read(reader, "software_senior.txt")
    plan = build_plan(bank, request_from_profile(profile, core_questions=6, seed=3))
    assert plan.request.role is RoleFamily.SOFTWARE and plan.request.difficulty == 3
    aimed = [q for q in plan.core if q.skill]
    assert 1 <= len(aimed) <= 3  # at most half of the core
    for q in aimed:
        assert q.skill in profile.skill_names
        assert q.skill in q.text and "{skill}" not in q.text
    assert any(RoleFamily.SOFTWARE in q.question.roles for q in plan.core)


def test_junior_plans_may_draw_on_graduate_questions(reader, bank):
    profile = read(reader, "sales_bdr.txt")
    request = request_from_profile(profile, core_questions=5, seed=1)
    assert request.extra_roles == (RoleFamily.GRADUATE,)
    assert request.difficulty == 1


def test_lexicon_is_consistent():
    lexicon = load_lexicon()
    assert len(lexicon.skills) >= 120
    assert set(lexicon.families) == {r for r in RoleFamily if r is not RoleFamily.ANY}
    for family in lexicon.families:
        assert any(family in s.roles for s in lexicon.skills), family
