"""docs/face.md's AU table stays in step with the code's mapping."""

from __future__ import annotations

import re
from pathlib import Path

from mockmirror.face.action_units import ACTION_UNITS

DOC = Path(__file__).resolve().parents[2] / "docs" / "face.md"


def test_au_table_matches_the_mapping() -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("### Action units"): text.index("### Reliability")]
    rows = re.findall(r"^\| (AU\d+) \| ([^|]+) \| ([^|]+) \|", section, flags=re.MULTILINE)
    assert [(code, name.strip().split(" (")[0]) for code, name, _ in rows] == [
        (au.code, au.name.split(" (")[0]) for au in ACTION_UNITS]
    for (code, _, source), au in zip(rows, ACTION_UNITS, strict=True):
        for blendshape in au.blendshapes:
            stem = re.sub(r"(Left|Right|Lower|Upper)$", "", blendshape)  # "X Left/Right" shorthand
            assert stem in source, (code, blendshape)
