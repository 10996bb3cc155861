"""docs/report.schema.json must be the schema the code produces (regenerate: mockmirror schema)."""

from __future__ import annotations

import json
from pathlib import Path

from mockmirror.report.document import SCHEMA_VERSION, report_json_schema

DOC = Path(__file__).resolve().parents[2] / "docs" / "report.schema.json"


def test_committed_schema_matches_the_code():
    committed = json.loads(DOC.read_text())
    assert committed == report_json_schema(), (
        "the report model changed: run `mockmirror schema > docs/report.schema.json`, "
        "bump SCHEMA_VERSION if needed and describe the change in docs/report-schema.md"
    )


def test_schema_version_is_documented():
    text = (DOC.parent / "report-schema.md").read_text()
    assert f"schema_version` = \"{SCHEMA_VERSION}\"" in text
