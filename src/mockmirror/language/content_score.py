"""The overall content score of one answer from its sub-scores, with each input's share of it.

Two kinds of input. **Substance** (length, specificity, structure): what the answer says; each
earns ``share × sub-score``. **Delivery** (grammar, fillers, register): how it is said; each earns
``share × sub-score × substance level``, the substance level being ``0.5 + 0.5 × m`` with ``m``
the weighted mean of the substance inputs (0–1). Fluent words with nothing in them therefore earn
half their points at most: a polite, clean, two-sentence non-answer cannot score like a story with
a result.

The score is bounded (0–100), deterministic and monotone: raising any input never lowers it.
Each input's contribution is the points it earned, so the contributions add up to the score and
feedback can say which sub-score gave or cost how many points. An input that does not apply to an
answer (``None``: structure for a non-behavioural question, a style score of a very short answer)
is left out and the others' shares scale up, so it neither helps nor hurts.

The default weights (``DEFAULT_WEIGHTS``, also ``ContentSettings.score_weights``) were fitted by
``benchmarks/fit_content_score.py`` to crowd ratings of real mock interviews (docs/validity.md):
non-negative ridge regression on the interview-level means, cross-validated by interview. They
name sub-scores, not anything about that data set, and can be replaced in the settings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mockmirror.settings import FITTED_CONTENT_WEIGHTS

# Fitted on the MIT Interview Dataset's development half (71 interviews) by
# benchmarks/fit_content_score.py; they live with the settings (their default), bootstrap SDs and the
# cross-validated r are in docs/validity.md.
DEFAULT_WEIGHTS: dict[str, float] = dict(FITTED_CONTENT_WEIGHTS)


# Inputs whose points are scaled by the substance level; any other input counts as substance.
DELIVERY_INPUTS = frozenset({"grammar", "fillers", "register"})
# Delivery points are multiplied by FLOOR + (1 − FLOOR) × the substance mean (0–1): half of them
# need no substance, the other half grow with it.
DELIVERY_FLOOR = 0.5


@dataclass(frozen=True, slots=True)
class ContentScore:
    score: float | None  # 0–100; None when no input could be measured
    contributions: dict[str, float] = field(default_factory=dict)  # points per input; they sum to score
    weights: dict[str, float] = field(default_factory=dict)  # shares of the inputs used (sum 100)
    substance_level: float = 1.0  # 0.5–1: what the delivery inputs' points are multiplied by
    capped: bool = False  # the off-topic cap lowered the score


def substance_level(inputs: Mapping[str, float | None], weights: Mapping[str, float]) -> float:
    """What delivery points are multiplied by: ``DELIVERY_FLOOR + (1 − DELIVERY_FLOOR) × m``, with
    ``m`` the weighted mean (0–1) of the substance inputs present; 1 when none is."""
    used = {
        n: float(w)
        for n, w in weights.items()
        if n not in DELIVERY_INPUTS and w > 0 and inputs.get(n) is not None
    }
    total = sum(used.values())
    if total <= 0:
        return 1.0
    mean = sum(w * _clip(inputs[n]) for n, w in used.items()) / total / 100.0
    return DELIVERY_FLOOR + (1.0 - DELIVERY_FLOOR) * mean


def combine(
    inputs: Mapping[str, float | None],
    weights: Mapping[str, float] | None = None,
    *,
    off_topic: bool = False,
    cap: float = 100.0,
) -> ContentScore:
    """The content score of one answer from ``inputs`` (sub-score name → 0–100 or None).

    Names in ``weights`` that ``inputs`` lacks or gives as None are left out; inputs with no
    weight are ignored. Values are clipped to 0–100 first. When ``off_topic`` the score is at most
    ``cap`` and every contribution is scaled down by the same factor, so they still add up.
    """
    weights = DEFAULT_WEIGHTS if weights is None else weights
    used = {name: float(w) for name, w in weights.items() if w > 0 and inputs.get(name) is not None}
    total = sum(used.values())
    if total <= 0:
        return ContentScore(None)
    level = substance_level(inputs, weights)
    share = {name: 100.0 * w / total for name, w in used.items()}
    contributions = {
        name: share[name] * _clip(inputs[name]) / 100.0 * (level if name in DELIVERY_INPUTS else 1.0)
        for name in used
    }
    score = sum(contributions.values())
    capped = False
    if off_topic and score > cap:
        factor = cap / score
        contributions = {name: value * factor for name, value in contributions.items()}
        score, capped = cap, True
    contributions = {name: round(value, 2) for name, value in contributions.items()}
    return ContentScore(
        round(sum(contributions.values()), 1),
        contributions,
        {name: round(value, 2) for name, value in share.items()},
        round(level, 4),
        capped,
    )


def _clip(value: float | None) -> float:
    return max(0.0, min(100.0, float(value or 0.0)))
