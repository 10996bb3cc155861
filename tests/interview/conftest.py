"""Shared fixtures for the interview tests: the real bank, sentence encoder and answer checks."""

from __future__ import annotations

import pytest

from mockmirror.interview.bank import QuestionBank, load_bank
from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
from mockmirror.models import ModelStore


@pytest.fixture(scope="session")
def bank() -> QuestionBank:
    return load_bank()


@pytest.fixture(scope="session")
def encoder(settings) -> SentenceEncoder:
    store = ModelStore(settings.model_dir)
    if not store.is_ready(SHIPPED_MODEL):
        pytest.skip("the MiniLM sentence encoder is not installed (run `mockmirror models install`)")
    return SentenceEncoder(SHIPPED_MODEL, store)


@pytest.fixture(scope="session")
def assessor(encoder):
    """Real checks with the off-topic gate on; one instance so the NLP back-ends load once."""
    from mockmirror.interview.followups import AnswerAssessor

    return AnswerAssessor(encoder)
