"""The dialogue manager: transitions, a simulated candidate (strong vs weak), and bad input."""

from __future__ import annotations

import pytest

from mockmirror.interview.dialogue import (
    TRANSITIONS,
    Answer,
    InterviewSession,
    InvalidTransition,
    Skip,
    Start,
    State,
    Stop,
)
from mockmirror.interview.followups import FollowUpKind
from mockmirror.interview.plan import InterviewPlan, PlannedQuestion, PlanRequest, Stage, build_plan

STAGE_OF = {"warm_up": Stage.WARM_UP, "closing": Stage.CLOSING}


def plan_of(bank, *ids: str) -> InterviewPlan:
    questions = []
    for qid in ids:
        q = bank.get(qid)
        questions.append(PlannedQuestion(q, q.text, STAGE_OF.get(q.type.value, Stage.CORE)))
    return InterviewPlan(tuple(questions), PlanRequest())


STRONG = {
    "gen-team-01": (
        "Last year at my previous job our support team kept arguing about who owned which tickets. "
        "My task was to get us working as one group again before the busy season. "
        "I set up a shared board, I met each person one to one and I organised a weekly review. "
        "As a result, tickets waiting over a day fell by 30 percent within two months."
    ),
    "gen-fail-01": (
        "Last year at my previous job I was responsible for the monthly customer newsletter. "
        "My task was to send it to ten thousand subscribers on time. I sent it to the wrong mailing list, "
        "so I apologised to everyone affected and I fixed the list within the hour. "
        "As a result only a few people noticed. I learned to test every send with a small list first."
    ),
    "gen-conf-01": (
        "Last year at my previous job, two engineers on our team disagreed about the database design. "
        "My task was to get the project back on track before the release deadline. "
        "I set up a meeting with both of them and asked each to write down their concerns. "
        "As a result we shipped two weeks early and cut query time by 40 percent. "
        "I learned that listening first saves time."
    ),
}
WEAK = {
    # No example at all → ask for one.
    "gen-conf-01": (
        "I think disagreements at work are normal. I am a people person, so I always listen to both sides "
        "and stay calm."
    ),
    # A real story told only as "we" → ask for the candidate's own part.
    "gen-team-01": (
        "Last year our team had a big migration and morale was low. We planned it together and we split "
        "the work between us. We finished on time and the client was happy."
    ),
    # Actions but no outcome → ask for the result.
    "gen-fail-01": (
        "Last year at my previous job I was responsible for the monthly newsletter. "
        "My task was to send it before the spring sale started. I sent it to the wrong mailing list, so "
        "I apologised to everyone and I rebuilt the list from the sign-up records."
    ),
}
EXPECTED_WEAK = {
    "gen-conf-01": FollowUpKind.SPECIFIC_EXAMPLE,
    "gen-team-01": FollowUpKind.OWNERSHIP,
    "gen-fail-01": FollowUpKind.RESULT,
}
CORE = ("gen-team-01", "gen-fail-01", "gen-conf-01")


def test_transition_table_is_complete_and_closed():
    assert set(State) == {s for s, _ in TRANSITIONS} | {State.DONE}
    for targets in TRANSITIONS.values():
        assert targets <= set(State)
    assert not any(source is State.DONE for source, _ in TRANSITIONS)


def test_simulated_strong_candidate_gets_no_follow_ups(bank, assessor):
    session = InterviewSession(plan_of(bank, "warm-01", *CORE, "close-01"), assessor=assessor)
    turn = session.start()
    assert (turn.state, turn.prompt.kind, turn.prompt.question_id) == (State.LISTENING, "question", "warm-01")
    turn = session.answer(
        "I studied chemistry, then spent three years in customer support at a software company, where I "
        "found I liked fixing the problems behind the tickets. That is why I am applying for this role."
    )
    for qid in CORE:
        assert turn.prompt.question_id == qid and turn.prompt.kind == "question"
        turn = session.answer(STRONG[qid])
        assert turn.feedback.question_id == qid
        assert turn.feedback.follow_ups == ()
        assert turn.feedback.star_missing == ()
    assert turn.state is State.WRAP_UP and turn.prompt.kind == "closing"
    turn = session.answer("What would success look like in the first six months?")
    assert turn.state is State.DONE and turn.prompt.kind == "goodbye"
    summary = turn.summary
    assert summary.follow_ups_asked == 0 and summary.answered == 5 and not summary.ended_early
    assert summary.star_counts["result"] == (3, 3)
    assert summary.question_ids == ("warm-01", *CORE, "close-01")
    assert any("keep the same structure" in tip for tip in summary.tips)


def test_simulated_weak_candidate_gets_the_matching_follow_ups(bank, assessor):
    session = InterviewSession(plan_of(bank, *CORE, "close-01"), assessor=assessor, max_follow_ups=1)
    turn = session.start()
    asked = {}
    for qid in CORE:
        assert turn.prompt.question_id == qid
        turn = session.answer(WEAK[qid])
        assert turn.state is State.FOLLOW_UP, qid
        asked[qid] = turn.prompt.follow_up.kind
        assert turn.prompt.text == turn.prompt.follow_up.template  # no LLM: the template itself
        turn = session.answer("")  # nothing to add: the manager moves on
        assert turn.feedback.question_id == qid
    assert asked == EXPECTED_WEAK
    turn = session.answer("No, I think you covered everything.")
    summary = turn.summary
    assert summary.follow_up_counts == {"ownership": 1, "result": 1, "specific_example": 1}
    tips = " ".join(summary.tips)
    assert "one real occasion" in tips and "'I'" in tips and "outcome" in tips
    assert "Prepare one or two questions" in tips


def test_follow_up_answers_complete_the_story(bank, assessor):
    session = InterviewSession(plan_of(bank, "gen-fail-01"), assessor=assessor, max_follow_ups=2)
    session.start()
    turn = session.answer(WEAK["gen-fail-01"])
    assert turn.prompt.follow_up.kind is FollowUpKind.RESULT
    turn = session.answer("As a result only two people complained, and the next issue went out on time.")
    assert turn.prompt.follow_up.kind is FollowUpKind.LEARNING  # the next gap, not the same one again
    turn = session.answer("I learned to send every issue to a small test list first.")
    assert turn.state is State.DONE
    feedback = turn.feedback
    assert {"result", "learning"} <= set(feedback.star_found)
    assert [f.kind for f in feedback.follow_ups] == [FollowUpKind.RESULT, FollowUpKind.LEARNING]


def test_follow_ups_are_capped_per_question(bank, assessor):
    session = InterviewSession(plan_of(bank, "gen-team-01"), assessor=assessor, max_follow_ups=2)
    session.start()
    turns = [session.answer(text) for text in ("Yes.", "", "Teamwork.")]
    assert [t.state for t in turns] == [State.FOLLOW_UP, State.FOLLOW_UP, State.DONE]
    assert [f.kind for f in turns[-1].feedback.follow_ups] == [FollowUpKind.TOO_SHORT, FollowUpKind.NO_ANSWER]


def test_the_same_problem_twice_moves_on(bank, assessor):
    session = InterviewSession(plan_of(bank, "gen-team-01"), assessor=assessor, max_follow_ups=3)
    session.start()
    assert session.answer("").prompt.follow_up.kind is FollowUpKind.NO_ANSWER
    turn = session.answer("")
    assert turn.state is State.DONE and turn.feedback.answered is False
    assert "No answer" in turn.feedback.text


def test_skip_stop_and_invalid_events(bank, assessor):
    session = InterviewSession(
        plan_of(bank, "warm-02", "gen-team-01", "gen-conf-01", "close-02"), assessor=assessor
    )
    with pytest.raises(InvalidTransition):
        session.answer("too early")
    assert session.accepts(Start()) and not session.accepts(Answer("x"))
    session.start()
    turn = session.skip()
    assert turn.feedback.skipped and turn.prompt.question_id == "gen-team-01"
    turn = session.handle(Stop())
    assert turn.state is State.DONE and turn.summary.ended_early
    assert turn.summary.question_ids == ("warm-02", "gen-team-01")
    with pytest.raises(InvalidTransition, match="while done"):
        session.handle(Skip())
    moves = [(t.source, t.trigger, t.target) for t in session.history]
    assert moves[0] == (State.ASKING, "start", State.LISTENING)
    assert (State.LISTENING, "skip", State.NEXT) in moves and moves[-1][1:] == ("stop", State.DONE)
    for source, trigger, target in moves:
        assert target in TRANSITIONS[(source, trigger)]


def test_skipping_the_closing_question_ends_the_interview(bank, assessor):
    session = InterviewSession(plan_of(bank, "gen-team-01", "close-03"), assessor=assessor)
    session.start()
    assert session.answer(STRONG["gen-team-01"]).state is State.WRAP_UP
    turn = session.skip()
    assert turn.state is State.DONE and turn.summary.skipped == 1 and not turn.summary.ended_early


SENTENCE = "I worked on the billing system and we changed many things over many months with many people."
LONG = " ".join([SENTENCE] * 600)  # 10,200 words


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("", FollowUpKind.NO_ANSWER),
        ("   \n\t ", FollowUpKind.NO_ANSWER),
        ("Yes.", FollowUpKind.TOO_SHORT),
        (LONG, FollowUpKind.TOO_LONG),
        (
            "Je travaille en équipe depuis cinq ans et j'aime beaucoup résoudre les conflits.",
            FollowUpKind.LANGUAGE,
        ),
        (
            "class Team:\n    def __init__(self):\n        self.members = []\n\n    def add(self, m):\n"
            "        self.members.append(m)",
            FollowUpKind.CODE,
        ),
    ],
    ids=["empty", "whitespace", "one-word", "10k-words", "french", "code"],
)
def test_bad_input_gets_a_sensible_prompt(bank, assessor, answer, kind):
    session = InterviewSession(plan_of(bank, "gen-team-01", "gen-conf-01"), assessor=assessor)
    session.start()
    turn = session.answer(answer)
    assert turn.state is State.FOLLOW_UP
    assert turn.prompt.follow_up.kind is kind
    assert turn.prompt.text.endswith("?")
    # A second bad answer of the same kind moves on instead of looping.
    turn = session.answer(answer)
    assert turn.state is State.LISTENING and turn.prompt.question_id == "gen-conf-01"
    assert turn.feedback.question_id == "gen-team-01"
    if kind is FollowUpKind.TOO_LONG:
        assert any("words" in note for note in turn.feedback.notes)


def test_a_generated_plan_runs_to_the_end(bank, assessor):
    plan = build_plan(bank, PlanRequest(core_questions=3, seed=123))
    session = InterviewSession(plan, assessor=assessor, max_follow_ups=0)
    turn = session.start()
    prompts = [turn.prompt.text]
    while not session.done:
        turn = session.answer(STRONG["gen-team-01"])
        prompts.append(turn.prompt.text)
    assert len(prompts) == len(plan.questions) + 1
    assert prompts[1:-1] == [q.text for q in plan.questions[1:]]
    assert turn.summary.follow_ups_asked == 0
