"""Store tests run on SQLite in a temp dir, and also on PostgreSQL when
MOCKMIRROR_TEST_POSTGRES_URL is set (.ci/run starts a Debian PostgreSQL and sets it)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from mockmirror.settings import Settings
from mockmirror.store import RecordingFiles, Store, open_database

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
