"""docs/fusion.md's weight tables are the code's (so the documented formula is the one used)."""

from __future__ import annotations

import re
from pathlib import Path

from mockmirror.fusion.indicators import GROUP_WEIGHTS, INDICATOR_WEIGHTS
from mockmirror.settings import FusionSettings

DOC = (Path(__file__).resolve().parents[2] / "docs" / "fusion.md").read_text()


def _row(name: str, weights: dict[str, float]) -> str:
    return f"| {name} | " + ", ".join(f"{k} {v:g}" for k, v in weights.items()) + " |"


def test_indicator_and_group_weights_are_documented():
    for name, weights in INDICATOR_WEIGHTS.items():
        assert _row(name, weights) in DOC, name
    for name, weights in GROUP_WEIGHTS.items():
        assert _row(name, weights) in DOC, name


def test_default_overall_weights_and_cap_are_documented():
    settings = FusionSettings()
    w = settings.overall_weights
    assert f"content {w['content']:.2f}, voice {w['voice']:.2f}, face {w['face']:.2f}" in DOC
    assert settings.max_nonverbal_share == 0.15 and w["face"] <= settings.max_nonverbal_share
    assert re.search(r"max_nonverbal_share \(0\.15\)", DOC)
