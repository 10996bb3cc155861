"""Shared test fixtures: the real recordings in ../shared/fixtures, one settings object, analysed answers."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mockmirror.analysis.pipeline import AnswerAnalysis, AnswerAnalyzer
from mockmirror.media.compose import ComposedPart, compose_answer
from mockmirror.settings import Settings
from mockmirror.store import RecordingFiles, Store, open_database

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    if not FIXTURES.is_dir():
        pytest.skip(f"shared fixtures not found at {FIXTURES} (clone the project beside ../shared)")
    return FIXTURES


@pytest.fixture(scope="session")
def settings() -> Settings:
    # Default model_dir: the same cache the setup script filled, so tests never download.
    return Settings()


# ---- analysed answers shared by tests/analysis, tests/fusion and tests/report (slow to build once) ----

QUESTION = "Tell me about a project you are proud of."


@dataclass(frozen=True)
class AssembledAnswer:
    path: Path
    parts: list[ComposedPart]
    lead_s: float  # silence before the first clip
    pause_after: int  # index of the clip followed by the long pause
    pause_s: float


@pytest.fixture(scope="session")
def analyzer(settings) -> Iterator[AnswerAnalyzer]:
    with AnswerAnalyzer(settings) as analyzer:  # ends its face processes
        yield analyzer


@pytest.fixture(scope="session")
def grid_analysis(analyzer, fixtures_dir) -> AnswerAnalysis:
    return analyzer.analyze(fixtures_dir / "grid_av" / "bbaf2n.mpg", question=QUESTION)


@pytest.fixture(scope="session")
def assembled_answer(fixtures_dir, tmp_path_factory) -> AssembledAnswer:
    """~40 s answer from all 11 GRID clips: 1.5 s before the first, one 2.5 s pause in the middle."""
    clips = sorted((fixtures_dir / "grid_av").glob("*.mpg"))
    gaps = [0.4] * (len(clips) - 1)
    gaps[5] = 2.5
    out = tmp_path_factory.mktemp("answer") / "assembled_answer.mp4"
    parts = compose_answer(clips, gaps, out, lead_s=1.5)
    return AssembledAnswer(out, parts, lead_s=1.5, pause_after=5, pause_s=2.5)


@pytest.fixture(scope="session")
def assembled_analysis(analyzer, assembled_answer) -> AnswerAnalysis:
    return analyzer.analyze(assembled_answer.path, question=QUESTION)


# ---- the store, on SQLite in a temp dir and also on PostgreSQL when MOCKMIRROR_TEST_POSTGRES_URL is
# set (.ci/run starts a Debian PostgreSQL and sets it): tests/store and tests/jobs ----------------

POSTGRES_URL = os.environ.get("MOCKMIRROR_TEST_POSTGRES_URL")
BACKENDS = ["sqlite", *(["postgresql"] if POSTGRES_URL else [])]


def _empty_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_settings(request, tmp_path) -> Settings:
    settings = Settings()
    settings.web.data_dir = tmp_path / "data"
    if request.param == "postgresql":
        _empty_postgres(POSTGRES_URL)
        settings.web.database_url = POSTGRES_URL
    return settings


@pytest.fixture
def store(store_settings):
    database = open_database(store_settings)
    yield Store(database, RecordingFiles(store_settings.web.data_dir))
    database.close()
