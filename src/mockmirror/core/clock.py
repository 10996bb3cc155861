"""How a time in an answer is written for people: one formatter for messages, charts and the CLI."""

from __future__ import annotations


def clock(seconds: float, tenths: bool = False) -> str:
    """``0:42`` (whole seconds, rounded down, so a moment never reads later than it starts), or
    ``0:42.5`` with ``tenths`` (chart axes that step by fractions of a second, the CLI's evidence)."""
    if tenths:
        tens = round(max(0.0, seconds) * 10)  # rounded first, so 59.96 s reads 1:00.0, not 0:60.0
        return f"{tens // 600}:{tens % 600 / 10:04.1f}"
    whole = int(max(0.0, seconds))
    return f"{whole // 60}:{whole % 60:02d}"
