"""Pace: words per minute over the answer and in a rolling window, and syllables per second.

Syllables are counted from the spelling (vowel groups, with English silent-e and -le rules;
digits spelled out first), which is within about one syllable in ten on ordinary words — good
enough for a rate. Syllable rates do not reward short words the way WPM does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import numpy as np

from mockmirror.core.types import Event
from mockmirror.speech.track import Word
from mockmirror.speech.wer import normalize_words

SERIES_STEP_S = 1.0  # one rolling-pace value per second
MIN_WINDOW_SHARE = 0.5  # a window must cover at least half its length of the answer span
_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def count_syllables(word: str) -> int:
    """Syllables in one written word ("P2" → "p two" → 2; "database" → 3; "table" → 2)."""
    total = 0
    for token in normalize_words(word):
        groups = len(_VOWEL_GROUPS.findall(token))
        if token.endswith("e") and not token.endswith(("le", "ee", "ye")) and groups > 1:
            groups -= 1  # silent final e: "make", "since"
        if token.endswith(("ed",)) and not token.endswith(("ted", "ded")) and groups > 1:
            groups -= 1  # "worked", "played": -ed is not a syllable after most consonants
        total += max(1, groups) if re.search(r"[a-z]", token) else 0
    return total


def rolling_wpm(
    words: list[Word], start: float, end: float, window_s: float, step_s: float = SERIES_STEP_S
) -> list[tuple[float, float]]:
    """(t, WPM) every ``step_s``: words whose middle lies in [t − w/2, t + w/2), per minute of
    that window's overlap with the answer span [start, end]. Windows covering less than half
    their length of the answer are left out; an answer shorter than the window gives one value
    at its middle (the overall pace)."""
    if end - start <= 0 or not words:
        return []
    middles = np.array([(w.start + w.end) / 2 for w in words])
    if end - start <= window_s:
        centres = np.array([(start + end) / 2])
    else:
        centres = np.arange(start + window_s / 2, end - window_s / 2 + 1e-9, step_s)
    series = []
    for t in centres:
        lo, hi = max(start, t - window_s / 2), min(end, t + window_s / 2)
        covered = hi - lo
        if covered < MIN_WINDOW_SHARE * min(window_s, end - start):
            continue
        count = int(((middles >= lo) & (middles < hi)).sum())
        series.append((round(float(t), 2), round(count * 60.0 / covered, 1)))
    return series


def pace_events(
    series: list[tuple[float, float]],
    band: tuple[float, float],
    window_s: float,
    start: float,
    end: float,
) -> list[Event]:
    """``fast_pace`` / ``slow_pace`` where the rolling pace leaves the target band; each event
    spans the windows concerned, within the answer (value = the most extreme WPM in it).

    Answers shorter than one window get none: their single pace value is the summary's.
    """
    if end - start < window_s:
        return []
    low, high = band
    events: list[Event] = []
    rules: tuple[tuple[str, Callable[[float], bool], Callable[[Iterable[float]], float]], ...] = (
        ("fast_pace", lambda v: v > high, max),
        ("slow_pace", lambda v: v < low, min),
    )
    for kind, outside, pick in rules:
        run: list[tuple[float, float]] = []
        for point in [*series, None]:
            if point is not None and outside(point[1]):
                run.append(point)
                continue
            if run:
                extreme = pick(v for _, v in run)
                a, b = run[0][0] - window_s / 2, run[-1][0] + window_s / 2
                word = "fast" if kind == "fast_pace" else "slow"
                events.append(
                    Event(kind, round(max(start, a), 2), round(min(end, b), 2), extreme,
                          f"{word}: {extreme:.0f} WPM (target {low:.0f}-{high:.0f})")
                )
                run = []
    return events
