"""Web tests: one app per module on a temp SQLite data dir (models load once per module)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mockmirror.web import create_app

from .helpers import web_settings


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    settings = web_settings(tmp_path_factory.mktemp("web"), max_upload_mb=1.0)
    with TestClient(create_app(settings)) as test_client:
        yield test_client
