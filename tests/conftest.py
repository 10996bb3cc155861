"""Shared test fixtures: the real recordings in ../shared/fixtures and one settings object."""

from __future__ import annotations

from pathlib import Path

import pytest

from mockmirror.settings import Settings

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
