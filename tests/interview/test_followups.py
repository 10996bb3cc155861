"""Follow-up rules on real answer analysis: each gap gets its own follow-up, strong answers none."""

from __future__ import annotations

import pytest

from mockmirror.interview.followups import (
    TEMPLATES,
    FollowUpKind,
    decide_follow_up,
    follow_up_text,
    question_topic,
)
from mockmirror.interview.plan import PlannedQuestion, Stage

STRONG_CONFLICT = (
    "Last year at my previous job, two engineers on our team disagreed about the database design. "
    "My task was to get the project back on track before the release deadline. "
    "I set up a meeting with both of them and asked each to write down their concerns. "
    "As a result we shipped two weeks early and cut query time by 40 percent. "
    "I learned that listening first saves time."
)


def planned(bank, qid: str) -> PlannedQuestion:
    q = bank.get(qid)
    return PlannedQuestion(q, q.text, Stage.CORE)


def decide(assessor, pq, text, asked=(), fresh=True, combined=None):
    assessment = assessor.assess(pq, text, combined if combined is not None else text, check_relevance=fresh)
    return decide_follow_up(pq, assessment, list(asked), fresh_answer=fresh, rules=assessor.rules), assessment


def test_strong_behavioural_answer_needs_no_follow_up(bank, assessor):
    kind, assessment = decide(assessor, planned(bank, "gen-conf-01"), STRONG_CONFLICT)
    assert kind is None
    assert assessment.star_missing == ()
    assert not assessment.off_topic


@pytest.mark.parametrize(
    ("qid", "answer", "expected"),
    [
        (
            "gen-conf-01",
            "I am a people person. I think communication is really important and I always stay calm.",
            FollowUpKind.SPECIFIC_EXAMPLE,
        ),
        (
            "gen-team-01",
            "Last year our team had a big migration and morale was low. We planned it together and we "
            "split the work between us. We finished on time and the client was happy.",
            FollowUpKind.OWNERSHIP,
        ),
        (
            "gen-team-01",
            "Last year at my previous job our support team kept arguing about who owned which tickets. "
            "My task was to sort it out. I set up a shared board and I organised a weekly review meeting.",
            FollowUpKind.RESULT,
        ),
        (
            "gen-fail-01",
            "Last year at my previous job I was responsible for the monthly newsletter. I sent it to the "
            "wrong mailing list. I apologised to everyone and I fixed the list within the hour, and as a "
            "result only a few people noticed.",
            FollowUpKind.LEARNING,
        ),
        ("gen-team-01", "Teamwork.", FollowUpKind.TOO_SHORT),
        ("gen-team-01", "", FollowUpKind.NO_ANSWER),
        (
            "gen-team-01",
            "My favourite food is pasta with tomato sauce. Rome is a lovely city to visit in the spring "
            "and the museums there are wonderful.",
            FollowUpKind.OFF_TOPIC,
        ),
        (
            "gen-team-01",
            "J'ai aidé mon équipe à mieux travailler ensemble l'année dernière et nous avons réussi.",
            FollowUpKind.LANGUAGE,
        ),
        ("sw-01", "def find_bug(x):\n    return x[0]\n\nprint(find_bug([1]))", FollowUpKind.CODE),
        (
            "sw-10",
            "Concurrency is doing several things at once and parallelism is also that.",
            FollowUpKind.DEPTH,
        ),
        (
            "gen-prio-03",
            "I would handle it professionally and make sure everyone is happy with the outcome.",
            FollowUpKind.STEPS,
        ),
        (
            "gen-motiv-01",
            "I am passionate about this industry and I think it would be a great opportunity for me to grow.",
            FollowUpKind.SPECIFIC_REASON,
        ),
    ],
)
def test_each_gap_gets_its_follow_up(bank, assessor, qid, answer, expected):
    kind, _ = decide(assessor, planned(bank, qid), answer)
    assert kind is expected


def test_a_full_story_to_a_generic_question_is_not_called_off_topic(bank, assessor):
    # "Something you improved" has little topic for the encoder: similarity is near zero for any story.
    story = (
        "At my previous job the weekly stock count took the team a whole afternoon. I noticed most of the "
        "time went on copying numbers between two spreadsheets, so I built a single shared sheet with a "
        "barcode column. As a result the count dropped from four hours to ninety minutes."
    )
    kind, assessment = decide(assessor, planned(bank, "gen-init-01"), story)
    # The similarity gate alone would have sent it back; the verdict sees a full story.
    assert assessment.content.topic_similarity < assessor.content_settings.off_topic_threshold
    assert not assessment.off_topic and assessment.verdict.answered
    assert kind is None


def test_a_blocking_problem_is_raised_once_then_dropped(bank, assessor):
    pq = planned(bank, "gen-conf-01")
    vague = (
        "I think disagreements with colleagues are normal, and I always try to listen to both sides of "
        "the argument and stay calm."
    )
    assert decide(assessor, pq, vague)[0] is FollowUpKind.SPECIFIC_EXAMPLE
    # Still vague after being asked for an example: move on rather than nag.
    assert decide(assessor, pq, vague, asked=[FollowUpKind.SPECIFIC_EXAMPLE])[0] is None


def test_probing_answers_are_judged_with_the_story_they_complete(bank, assessor):
    pq = planned(bank, "gen-team-01")
    story = (
        "Last year at my previous job our support team kept arguing about who owned which tickets. "
        "My task was to sort it out. I set up a shared board and I organised a weekly review meeting."
    )
    addition = "As a result, tickets waiting over a day fell by 30 percent."
    kind, assessment = decide(
        assessor, pq, addition, asked=[FollowUpKind.RESULT], fresh=False, combined=story + "\n" + addition
    )
    assert "result" in assessment.star_found
    # Short, but it answers a probe: not "too short", and not gated for relevance on its own.
    assert kind is None
    assert not assessment.off_topic


def test_an_empty_reply_to_a_probe_moves_on(bank, assessor):
    pq = planned(bank, "gen-team-01")
    kind, _ = decide(
        assessor, pq, "", asked=[FollowUpKind.RESULT], fresh=False, combined="Last year I did it."
    )
    assert kind is None


def test_warm_up_and_closing_get_no_content_probes(bank, assessor):
    warm = PlannedQuestion(bank.get("warm-01"), bank.get("warm-01").text, Stage.WARM_UP)
    assert (
        decide(assessor, warm, "I studied history, then worked in retail for three years before now.")[0]
        is None
    )
    assert decide(assessor, warm, "Hi.")[0] is FollowUpKind.TOO_SHORT
    closing = PlannedQuestion(bank.get("close-01"), bank.get("close-01").text, Stage.CLOSING)
    assert decide(assessor, closing, "")[0] is None


def test_templates_are_single_questions_without_numbers(bank):
    pq = planned(bank, "gen-team-01")
    for kind in FollowUpKind:
        text = follow_up_text(kind, pq)
        assert text.count("?") == 1, kind
        assert not any(ch.isdigit() for ch in text), kind
    assert TEMPLATES[FollowUpKind.RESULT] == "What was the outcome, and how did you measure it?"
    assert TEMPLATES[FollowUpKind.OWNERSHIP].endswith("What was your own part in it?")


def test_depth_uses_the_banks_own_hint(bank):
    assert follow_up_text(FollowUpKind.DEPTH, planned(bank, "sw-06")) == bank.get("sw-06").follow_ups[0]


def test_off_topic_prompt_restates_the_question(bank):
    text = follow_up_text(FollowUpKind.OFF_TOPIC, planned(bank, "gen-team-01"))
    assert "a time you helped a group that was struggling to work together" in text
    assert question_topic("Describe a time you had to say no. Why?") == "a time you had to say no"
