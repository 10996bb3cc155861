"""Write a benchmark's dated results: ``<out>/<name>-<date>.json`` and ``.md`` beside it."""

from __future__ import annotations

import json
from pathlib import Path


def write_dated(out_dir: Path, name: str, report: dict, markdown: str) -> Path:
    """The report as JSON and its Markdown table; returns the common stem (no suffix)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = out_dir / f"{name}-{report['date']}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    return stem
