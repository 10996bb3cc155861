"""The overall content score (language/content_score.py): its arithmetic, its fitted weights, and
how it ranks our labelled answers.

The arithmetic tests need no model. The rank-order test scores benchmarks/data/content_answers.jsonl
with the real models; the refit test re-runs benchmarks/fit_content_score.py's fit on the MIT
interview ratings in ../shared/fixtures (skipped when they are absent) and checks that the shipped
weights are what it produces.
"""

from __future__ import annotations

import itertools
import json
import sys
from pathlib import Path

import pytest

from mockmirror.language.content_score import DEFAULT_WEIGHTS, DELIVERY_INPUTS, combine
from mockmirror.settings import ContentSettings

ROOT = Path(__file__).resolve().parents[2]
INPUTS = tuple(DEFAULT_WEIGHTS)
GRID = (0.0, 17.0, 50.0, 83.0, 100.0)


def _inputs(values) -> dict[str, float]:
    return dict(zip(INPUTS, values, strict=True))


def test_settings_use_the_fitted_weights():
    assert ContentSettings().score_weights == DEFAULT_WEIGHTS
    assert all(w > 0 for w in DEFAULT_WEIGHTS.values())
    assert len(DEFAULT_WEIGHTS) <= 6


def test_bounded_and_contributions_add_up():
    for values in itertools.product((0.0, 40.0, 100.0), repeat=len(INPUTS)):
        result = combine(_inputs(values))
        assert 0.0 <= result.score <= 100.0
        assert sum(result.contributions.values()) == pytest.approx(result.score, abs=0.06)
        assert sum(result.weights.values()) == pytest.approx(100.0, abs=0.06)
    assert combine(_inputs([100.0] * len(INPUTS))).score == 100.0
    assert combine(_inputs([0.0] * len(INPUTS))).score == 0.0
    # Out-of-range inputs are clipped, so the bounds hold whatever a sub-score returns.
    assert combine(_inputs([150.0] * len(INPUTS))).score == 100.0
    assert combine(_inputs([-20.0] * len(INPUTS))).score == 0.0


def test_deterministic():
    values = _inputs([63.0, 12.5, 80.0, 91.0, 44.0, 70.0])
    assert combine(values) == combine(dict(values))


@pytest.mark.parametrize("name", INPUTS)
def test_monotone_in_each_input(name):
    for base in itertools.product((20.0, 70.0), repeat=len(INPUTS) - 1):
        others = dict(zip([n for n in INPUTS if n != name], base, strict=True))
        scores = [combine({**others, name: v}).score for v in GRID]
        assert scores == sorted(scores), (name, base)
        assert scores[-1] > scores[0]  # every input has a positive weight: it moves the score


def test_not_applicable_inputs_neither_help_nor_hurt():
    values = _inputs([60.0] * len(INPUTS))
    values["structure"] = None
    result = combine(values)
    lowest = combine({**values, "structure": 0.0}).score
    highest = combine({**values, "structure": 100.0}).score
    assert lowest < result.score < highest
    assert "structure" not in result.contributions and "structure" not in result.weights
    assert sum(result.weights.values()) == pytest.approx(100.0, abs=0.06)
    assert combine(dict.fromkeys(INPUTS)).score is None
    assert combine({}).score is None


def test_off_topic_cap_scales_the_contributions():
    result = combine(_inputs([90.0] * len(INPUTS)), off_topic=True, cap=20.0)
    assert result.score == 20.0 and result.capped
    assert sum(result.contributions.values()) == pytest.approx(20.0, abs=0.06)
    low = combine(_inputs([10.0] * len(INPUTS)), off_topic=True, cap=20.0)
    assert low.score == combine(_inputs([10.0] * len(INPUTS))).score and not low.capped


def test_delivery_cannot_buy_substance():
    """Perfect grammar, no fillers, no informal words, and nothing said: delivery earns half its
    points; the same delivery on a full answer earns all of them."""
    empty_story = {**dict.fromkeys(INPUTS, 100.0), "length": 0.0, "specificity": 0.0, "structure": 0.0}
    result = combine(empty_story)
    delivery = sum(w for n, w in DEFAULT_WEIGHTS.items() if n in DELIVERY_INPUTS) / sum(
        DEFAULT_WEIGHTS.values()
    )
    assert result.substance_level == 0.5
    assert result.score == pytest.approx(50 * delivery, abs=0.1)
    assert combine(dict.fromkeys(INPUTS, 100.0)).score == 100.0


def test_custom_weights_and_unknown_inputs():
    result = combine({"length": 100.0, "specificity": 0.0, "other": 5.0}, {"length": 1.0, "specificity": 3.0})
    assert result.score == 25.0
    assert result.contributions == {"length": 25.0, "specificity": 0.0}


# ---- with the real models ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def agreement_scores(settings):
    from mockmirror.language import LanguageTools, SentenceEncoder, analyze_content
    from mockmirror.models import ModelStore

    tools = LanguageTools(settings.content)
    encoder = SentenceEncoder(settings.content.embedding_model, ModelStore(settings.model_dir))
    path = ROOT / "benchmarks" / "data" / "content_answers.jsonl"
    out: dict[str, list[float]] = {}
    for line in path.read_text().splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        result = analyze_content(
            item["question"],
            encoder,
            text=item["answer"],
            key_points=item.get("key_points") or None,
            tools=tools,
            settings=settings.content,
        )
        if item["category"] == "strong":
            assert result.verdict.answered, (item["answer"][:60], result.verdict.reasons)
        # A non-answer (here: off-topic) gets no content score: for ranking it earned nothing.
        out.setdefault(item["category"], []).append(result.overall_score or 0.0)
    return out


@pytest.mark.slow
def test_strong_answers_rank_above_weak_ones(agreement_scores):
    """Our labelled answers: a score that only rewarded length would fail this (the rambling and
    off-topic answers are long)."""
    strong = agreement_scores["strong"]
    mean = {k: sum(v) / len(v) for k, v in agreement_scores.items()}
    for weak in ("vague", "off_topic", "rambling", "no_result", "we_only"):
        assert mean["strong"] > mean[weak] + 10, (weak, mean)
    weak = agreement_scores["vague"] + agreement_scores["off_topic"]
    pairs = [(s, w) for s in strong for w in weak]
    auc = sum(1.0 if s > w else 0.5 if s == w else 0.0 for s, w in pairs) / len(pairs)
    assert auc >= 0.95, auc
    assert max(agreement_scores["vague"]) < min(strong)


@pytest.mark.slow
def test_shipped_weights_are_what_the_fitting_script_produces(fixtures_dir, monkeypatch):
    data = fixtures_dir / "interview_ratings"
    if not (data / "ratings.csv").exists():
        pytest.skip(f"interview ratings not found at {data}")
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    import numpy as np

    import content_validity as cv
    import fit_content_score as fit

    interviews = cv.load_interviews(data)
    # The script fits on the quick path (no answer encoded, off-topic gate not applied), as here.
    records = cv.measure_answers(interviews, fixtures=data, relevance=False)
    ids = [i["id"] for i in interviews if any(r["interview"] == i["id"] for r in records)]
    ratings = {i["id"]: i["ratings"] for i in interviews}
    a = fit.answer_matrix(records)
    words = np.array([max(r["words"], 1) for r in records], float)
    groups = [np.array([k for k, r in enumerate(records) if r["interview"] == i]) for i in ids]
    y = np.array([ratings[i][fit.TARGET] for i in ids])
    weights = fit.fit_weights(a, groups, words, y, fit.LAMBDA)
    assert tuple(fit.INPUTS) == INPUTS
    for name, value in zip(fit.INPUTS, weights, strict=True):
        assert DEFAULT_WEIGHTS[name] == pytest.approx(round(float(value), 1), abs=0.051), name
    sys.modules.pop("content_validity", None)
    sys.modules.pop("fit_content_score", None)
