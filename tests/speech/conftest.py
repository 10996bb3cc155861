"""One Whisper model per test session, shared by the transcriber and the analyser tests."""

from __future__ import annotations

import pytest

from mockmirror.speech.analyzer import SpeechAnalyzer
from mockmirror.speech.asr import Transcriber
from mockmirror.speech.corpus import Reference, speech_sets


@pytest.fixture(scope="session")
def transcriber(settings) -> Transcriber:
    return Transcriber(settings)


@pytest.fixture(scope="session")
def speech_analyzer(settings, transcriber) -> SpeechAnalyzer:
    return SpeechAnalyzer(settings, transcriber=transcriber)


@pytest.fixture(scope="session")
def references(fixtures_dir) -> dict[str, list[Reference]]:
    return speech_sets(fixtures_dir)
