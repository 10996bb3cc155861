"""Content sub-scores (0–100), each with a documented formula and the evidence behind it.

The formulas are in docs/content.md; every constant they use is defined here, near the top, with
what it means. Scores are deterministic: the same answer, settings and back-ends give the same
numbers. A sub-score that cannot be measured (no question, a typed answer has no spoken fillers,
fewer than ``min_words_for_style`` words…) is ``None`` with the reason in its summary, and the
overall score is the weighted mean of the others.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import TYPE_CHECKING, Any

from mockmirror.language import checks, lexicon
from mockmirror.language.checks import count_words
from mockmirror.language.content_score import combine
from mockmirror.language.question_types import is_open_question, rubric_for
from mockmirror.language.types import (
    STAR_PARTS,
    ContentAnalysis,
    ContentScores,
    Cue,
    RelevanceDetail,
    SubScore,
    TimedSentence,
)

if TYPE_CHECKING:
    from mockmirror.language.tools import LanguageTools
    from mockmirror.settings import ContentSettings
    from mockmirror.speech.track import Word

# STAR+L weights inside the structure score (sum 100): the action and the result carry most.
STAR_WEIGHTS = {"situation": 10, "task": 10, "action": 30, "result": 35, "learning": 15}
# Relevance: similarity at which the question part is full marks.
RELEVANCE_FULL = 0.30
# Specificity: distinct specific items count towards 100 with diminishing returns,
# 100 × (1 − e^(−items / SPECIFIC_SCALE)) (3 items → 63, 6 → 86), less VAGUE_POINTS per vague phrase
# per 100 words. A count, not a rate: a rate punished longer answers for the same concrete detail and
# carried no signal against interview ratings (docs/validity.md).
SPECIFIC_SCALE, VAGUE_POINTS = 3.0, 5.0
# Ownership: share of I among I+we subjects that earns full marks.
OWNERSHIP_FULL = 0.6
HEDGE_POINTS = 20.0  # per hedge per 100 words
GRAMMAR_POINTS = 200.0  # per unit of flagged-sentence rate (10 % flagged → 80)
SPELLING_POINTS = 25.0  # per misspelt word per 100 words
READABLE_GRADES = (4.0, 12.0)  # Flesch–Kincaid grade band for clear spoken English
READABILITY_POINTS = 12.0  # per grade outside the band
POSITIVITY_BASE, POSITIVITY_SLOPE = 80.0, 80.0  # 80 + 80 × mean VADER compound
FILLER_POINTS = 8.0  # per filler per 100 words (15 left most real spoken answers at 0)
REPEAT_POINTS, RESTART_POINTS = 300.0, 10.0  # × repeated-trigram share; per restart per 100 words

REGISTER_POINTS = 10.0  # per informal word per 100 words
# Informal, chatty words (lower case): "like" outside its verb use ("I like", "would like"), "stuff",
# "kinda", "gonna"… Chosen as a list of colloquial register, not word by word from the ratings.
INFORMAL_WORDS = frozenset(
    [
        "like",
        "stuff",
        "kinda",
        "gonna",
        "wanna",
        "yeah",
        "cool",
        "guys",
        "pretty",
        "whatever",
        "okay",
        "ok",
        "totally",
        "awesome",
    ]
)
# "like" after these is the verb (or "feel like", "looks like"), not chat.
_LIKE_VERB_BEFORE = frozenset(
    [
        "i",
        "you",
        "we",
        "they",
        "he",
        "she",
        "would",
        "'d",
        "i'd",
        "you'd",
        "we'd",
        "they'd",
        "to",
        "do",
        "does",
        "did",
        "don't",
        "didn't",
        "not",
        "also",
        "really",
        "feel",
        "feels",
        "felt",
        "look",
        "looks",
        "looked",
        "seem",
        "seems",
        "seemed",
        "sound",
        "sounds",
    ]
)
# "pretty" is an intensifier ("pretty good") only before an adjective/adverb; as an adjective
# ("a pretty garden") it is ordinary: it counts only when the next word is not a noun (by spaCy).

STYLE_SCORES = (
    "hedging",
    "grammar",
    "spelling",
    "readability",
    "positivity",
    "fillers",
    "repetition",
    "register",
)

_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "so",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "by",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "me",
        "us",
        "my",
        "our",
        "your",
        "his",
        "her",
        "their",
        "them",
        "not",
        "no",
        "do",
        "did",
        "does",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "should",
        "there",
        "here",
        "then",
        "than",
        "just",
        "also",
        "very",
        "really",
    ]
)
def _clip(value: float) -> float:
    return round(max(0.0, min(100.0, value)), 1)


def _per100(count: float, words: int) -> float:
    return 100.0 * count / max(words, 1)


def _cue(unit: TimedSentence, note: str, start_char: int | None = None, end_char: int | None = None) -> Cue:
    """Evidence in one sentence; with a character span, the words' own times when spoken."""
    if start_char is None or end_char is None:
        return Cue(unit.sentence.text, note, unit.sentence.start, unit.sentence.end)
    start, end = unit.times(start_char, end_char)
    return Cue(unit.sentence.text[start_char:end_char], note, start, end)


def score_answer(
    result: ContentAnalysis,
    units: list[TimedSentence],
    docs: list[Any] | None,
    tools: LanguageTools,
    settings: ContentSettings,
    *,
    spoken: bool,
    words: list[Word] | None,
    relevance_detail: RelevanceDetail | None,
) -> ContentScores:
    """The sub-scores and the overall content score of an analysed answer.

    Only an answered answer (``result.verdict``) is scored: anything else keeps its length for
    the record and no overall score, so it never enters an average.
    """
    backends = tools.backends() if units else {}
    weights = settings.score_weights
    notes: list[str] = []
    if result.verdict is not None and not result.verdict.answered:
        return ContentScores({"length": _length(result, units, spoken)}, None, backends)
    prose = [i for i, u in enumerate(units) if not checks.is_code_line(u.sentence.text)]
    if len(prose) < len(units) / 2:
        notes.append(
            "Most of this answer looks like program code: grammar, spelling, readability and tone are "
            "measured on its prose sentences only."
        )
    scores: dict[str, SubScore] = {
        "relevance": _relevance(result, units, relevance_detail, settings),
        "structure": _structure(result),
        "specificity": _specificity(result, units, docs),
        "ownership": _ownership(result, units, docs),
        "length": _length(result, units, spoken),
        "hedging": _hedging(result, units),
        "grammar": _grammar(units, docs, prose, tools),
        "spelling": _spelling(units, docs, prose, tools, spoken),
        "readability": _readability(units, prose, tools),
        "positivity": _positivity(units, prose, tools),
        "fillers": _fillers(result, units, spoken, words),
        "repetition": _repetition(units, words, spoken),
        "register": _register(result, units, docs),
    }
    if result.word_count < settings.min_words_for_style:
        for name in STYLE_SCORES:
            scores[name] = SubScore(
                name,
                None,
                0.0,
                f"Too short to judge ({result.word_count} words; needs {settings.min_words_for_style}).",
            )
    deductions = settings.style_deductions
    for name, sub in scores.items():
        if name in deductions:
            sub.max_deduction = float(deductions[name]) if sub.score is not None else 0.0
            sub.deduction = (
                round(sub.max_deduction * (100 - sub.score) / 100, 2) if sub.score is not None else 0.0
            )
        else:
            sub.weight = float(weights.get(name, 0.0)) if sub.score is not None else 0.0
    combined = combine(
        {name: sub.score for name, sub in scores.items()},
        weights,
        off_topic=result.off_topic,
        cap=settings.off_topic_cap,
    )
    # Style deductions are optional extras (none by default: fillers, grammar and register are
    # weighted inputs of the fitted score).
    deduction = sum(s.deduction for s in scores.values())
    if combined.score is None:
        return ContentScores(scores, None, backends, notes)
    contributions = dict(combined.contributions)
    if deduction:
        contributions["style deductions"] = -round(deduction, 2)
    overall = max(0.0, combined.score - deduction)
    if result.off_topic:
        overall = min(overall, settings.off_topic_cap)
    return ContentScores(scores, round(overall, 1), backends, notes, contributions)


# ---- the sub-scores ----------------------------------------------------------------------------


def _relevance(
    result: ContentAnalysis, units: list[TimedSentence], detail: RelevanceDetail | None, settings
) -> SubScore:
    if result.relevance is None or detail is None:
        why = "no question given" if not result.question.strip() else "no sentence encoder"
        return SubScore("relevance", None, 0.0, f"Not measured: {why}.")
    per_sentence, threshold, gate = detail
    if is_open_question(result.question) and not result.key_points:
        return SubScore(
            "relevance",
            None,
            0.0,
            "Not scored: an open question has no topic to compare with.",
            {"similarity": round(result.relevance, 4), "topic_similarity": round(gate, 4)},
        )
    topic = max(0.0, min(1.0, (gate - threshold) / (RELEVANCE_FULL - threshold)))
    on_topic = float((per_sentence >= threshold).mean())
    measures = {
        "similarity": round(result.relevance, 4),
        "topic_similarity": round(gate, 4),
        "on_topic_sentence_share": round(on_topic, 4),
    }
    evidence = []
    best = int(per_sentence.argmax())
    evidence.append(_cue(units[best], f"most on-topic sentence (similarity {per_sentence[best]:.2f})"))
    for index in [int(i) for i in per_sentence.argsort()[:3]]:
        if per_sentence[index] < threshold and index != best:
            evidence.append(_cue(units[index], f"off-topic sentence (similarity {per_sentence[index]:.2f})"))
    summary = (
        f"Topic similarity {gate:.2f} (answer {result.relevance:.2f}); {on_topic:.0%} of sentences on topic"
    )
    if result.key_points:
        covered = sum(k.covered for k in result.key_points) / len(result.key_points)
        measures["key_point_coverage"] = round(covered, 4)
        score = 100 * (0.5 * topic + 0.5 * covered)
        for point in result.key_points:
            sentence = point.best_sentence
            label = "covered" if point.covered else "not covered"
            evidence.append(
                Cue(
                    sentence.text if sentence else "",
                    f"key point '{point.text}' {label} (similarity {point.similarity:.2f})",
                    sentence.start if sentence else None,
                    sentence.end if sentence else None,
                )
            )
        summary += f"; {covered:.0%} of key points covered."
    else:
        score = 100 * topic
        summary += "."
    if result.off_topic:
        summary += " Off-topic: the overall score is capped."
    return SubScore("relevance", _clip(score), 0.0, summary, measures, evidence)


def _structure(result: ContentAnalysis) -> SubScore:
    present = [name for name in STAR_PARTS if result.star[name].present]
    evidence = []
    for name in STAR_PARTS:
        part = result.star[name]
        for sentence, reason in list(zip(part.evidence, part.reasons, strict=False))[:2]:
            evidence.append(Cue(sentence.text, f"{name}: {reason}", sentence.start, sentence.end))
    measures = {name: float(result.star[name].present) for name in STAR_PARTS}
    missing = [n for n in STAR_PARTS if n not in present]
    found = f"found: {', '.join(present) or 'none'}" + (f"; missing: {', '.join(missing)}" if missing else "")
    if result.question_type != "behavioural":
        return SubScore(
            "structure",
            None,
            0.0,
            f"STAR is scored for behavioural questions only (this one reads as {result.question_type}); "
            f"{found}.",
            measures,
            evidence,
        )
    score = sum(STAR_WEIGHTS[n] for n in present)
    summary = f"STAR+Learning {found}."
    action = result.star["action"]
    if action.present and all(r.startswith("team action") for r in action.reasons):
        # The action part is what *you* did: told only with "we", it earns half its weight.
        score -= STAR_WEIGHTS["action"] / 2
        summary += " The actions are told only with 'we' (half credit for the action part)."
    return SubScore("structure", _clip(score), 0.0, summary, measures, evidence)


def _specificity(result: ContentAnalysis, units: list[TimedSentence], docs: list[Any] | None) -> SubScore:
    specifics: list[Cue] = []
    vague: list[Cue] = []
    seen: set[str] = set()
    for index, unit in enumerate(units):
        text = unit.sentence.text
        if docs is not None:
            for ent in docs[index].ents:
                key = ent.text.lower()
                if key in seen or ent.label_ == "ORDINAL":
                    continue
                if ent.label_ in lexicon.NUMBER_ENTITIES:
                    kind = "number" if ent.label_ != "DATE" else "date"
                elif ent.label_ in lexicon.NAME_ENTITIES:
                    kind = "name"
                else:
                    continue
                seen.add(key)
                specifics.append(_cue(unit, f"{kind} ({ent.label_})", ent.start_char, ent.end_char))
        else:
            for match in re.finditer(r"\b\d[\d,.]*\s?(%|percent|per cent)?", text):
                if match.group(0).lower() not in seen:
                    seen.add(match.group(0).lower())
                    specifics.append(_cue(unit, "number", match.start(), match.end()))
        for match in lexicon.EXAMPLE_PATTERN.finditer(text):
            specifics.append(_cue(unit, "example marker", match.start(), match.end()))
        for match in lexicon.VAGUE_PATTERN.finditer(text):
            vague.append(_cue(unit, "vague generality", match.start(), match.end()))
    words = result.word_count
    s100, v100 = _per100(len(specifics), words), _per100(len(vague), words)
    score = 100.0 * (1.0 - math.exp(-len(specifics) / SPECIFIC_SCALE)) - VAGUE_POINTS * v100
    summary = (
        f"{len(specifics)} specific item(s) (numbers, names, examples) and {len(vague)} vague phrase(s) "
        f"in {words} words."
    )
    return SubScore(
        "specificity",
        _clip(score),
        0.0,
        summary,
        {
            "specific_items": float(len(specifics)),
            "specific_per_100_words": round(s100, 2),
            "vague_per_100_words": round(v100, 2),
        },
        (specifics[:8] + vague[:8]),
    )


def _ownership(result: ContentAnalysis, units: list[TimedSentence], docs: list[Any] | None) -> SubScore:
    if result.question_type == "technical":
        return SubScore("ownership", None, 0.0, "Not scored for a technical question.")
    i_count = we_count = 0
    we_cues: list[Cue] = []
    i_cues: list[Cue] = []
    for index, unit in enumerate(units):
        if docs is not None:
            from mockmirror.language.star import action_verbs

            subjects = [
                (subj.lower_, subj.idx, subj.idx + len(subj.text)) for subj, _ in action_verbs(docs[index][:])
            ]
        else:
            subjects = [
                (m.group(1).lower(), m.start(1), m.end(1))
                for m in re.finditer(r"\b(I|we|We) (\w+ )?\w+ed\b", unit.sentence.text)
            ]
        for word, _start, _end in subjects:
            if word == "i":
                i_count += 1
                if len(i_cues) < 2:
                    i_cues.append(_cue(unit, "an action told with 'I'"))
            elif word == "we":
                we_count += 1
                if len(we_cues) < 5:
                    we_cues.append(_cue(unit, "an action told with 'we': what was your own part?"))
    total = i_count + we_count
    measures = {"i_subjects": float(i_count), "we_subjects": float(we_count)}
    if total < 2:
        return SubScore(
            "ownership", None, 0.0, f"Too few actions told in the first person to judge ({total}).", measures
        )
    share = i_count / total
    measures["i_share"] = round(share, 4)
    return SubScore(
        "ownership",
        _clip(100 * share / OWNERSHIP_FULL),
        0.0,
        f"Actions told with 'I': {i_count}, with 'we': {we_count} ({share:.0%} 'I').",
        measures,
        we_cues + i_cues,
    )


def _length(result: ContentAnalysis, units: list[TimedSentence], spoken: bool) -> SubScore:
    low, high = rubric_for(result.question_type).length_words
    words = result.word_count
    if words < low:
        score = 100 * words / low
    elif words <= high:
        score = 100.0
    else:
        score = 100 - 100 * (words - high) / high
    span = ""
    start = end = None
    if spoken and units and units[0].sentence.start is not None:
        start, end = units[0].sentence.start, units[-1].sentence.end
        span = f" over {end - start:.0f} s"
    summary = f"{words} words{span}; {low}–{high} suits a {result.question_type} question."
    evidence = [Cue(f"{words} words", "whole answer", start, end)] if words else []
    return SubScore(
        "length",
        _clip(score),
        0.0,
        summary,
        {"words": float(words), "band_low": float(low), "band_high": float(high)},
        evidence,
    )


def _hedging(result: ContentAnalysis, units: list[TimedSentence]) -> SubScore:
    cues = [
        _cue(unit, "hedge", m.start(), m.end())
        for unit in units
        for m in lexicon.HEDGE_PATTERN.finditer(unit.sentence.text)
    ]
    h100 = _per100(len(cues), result.word_count)
    return SubScore(
        "hedging",
        _clip(100 - HEDGE_POINTS * h100),
        0.0,
        f"{len(cues)} hedge(s) ({h100:.1f} per 100 words)."
        + (
            " Common: "
            + ", ".join(f"'{w}' ×{n}" for w, n in Counter(c.text.lower() for c in cues).most_common(3))
            if cues
            else ""
        ),
        {"hedges": float(len(cues)), "hedges_per_100_words": round(h100, 2)},
        cues[:10],
    )


def _grammar(units: list[TimedSentence], docs: list[Any] | None, prose: list[int], tools) -> SubScore:
    from mockmirror.language.grammar import sentence_problems

    if docs is None:
        return SubScore("grammar", None, 0.0, "Not measured: spaCy is not available.")
    checker = tools.link_grammar
    checked = flagged = 0
    cues: list[Cue] = []
    for index in prose:
        unit = units[index]
        if count_words(unit.sentence.text) < 3:
            continue
        judged, reasons = sentence_problems(docs[index], checker)
        if not judged:
            continue
        checked += 1
        if reasons:
            flagged += 1
            if len(cues) < 10:
                cues.append(_cue(unit, "; ".join(reasons)))
    if checked == 0:
        return SubScore("grammar", None, 0.0, "No sentence long enough to check.")
    rate = flagged / checked
    return SubScore(
        "grammar",
        _clip(100 - GRAMMAR_POINTS * rate),
        0.0,
        f"{flagged} of {checked} sentence(s) flagged as ungrammatical ({rate:.0%}).",
        {
            "sentences_checked": float(checked),
            "sentences_flagged": float(flagged),
            "flagged_rate": round(rate, 4),
        },
        cues,
    )


def _spelling(units, docs, prose, tools, spoken: bool) -> SubScore:
    from mockmirror.language.grammar import misspellings

    if spoken:
        return SubScore(
            "spelling", None, 0.0, "Not applicable to a spoken answer (the transcript is spelt by ASR)."
        )
    spell = tools.spell
    if spell is None or docs is None:
        return SubScore("spelling", None, 0.0, "Not measured: pyspellchecker or spaCy is not available.")
    cues: list[Cue] = []
    count = 0
    words = 0
    for index in prose:
        words += count_words(units[index].sentence.text)
        for miss in misspellings(docs[index], spell):
            count += 1
            if len(cues) < 12:
                hint = (
                    f"did you mean '{miss.suggestion}'?"
                    if miss.suggestion and miss.suggestion != miss.word.lower()
                    else "unknown word"
                )
                cues.append(_cue(units[index], hint, miss.start_char, miss.end_char))
    m100 = _per100(count, words)
    return SubScore(
        "spelling",
        _clip(100 - SPELLING_POINTS * m100),
        0.0,
        f"{count} word(s) not in the English word list ({m100:.1f} per 100 words).",
        {"misspelt": float(count), "misspelt_per_100_words": round(m100, 2)},
        cues,
    )


def _readability(units: list[TimedSentence], prose: list[int], tools) -> SubScore:
    ts = tools.textstat
    if ts is None:
        return SubScore("readability", None, 0.0, "Not measured: textstat is not available.")
    texts = [units[i].sentence.text for i in prose]
    if not texts:
        return SubScore("readability", None, 0.0, "No prose sentences to measure.")
    # Sentences are joined with full stops so textstat counts the same sentences we do.
    joined = " ".join(t if t.rstrip()[-1:] in ".!?" else t + "." for t in texts)
    grade = float(ts.flesch_kincaid_grade(joined))
    ease = float(ts.flesch_reading_ease(joined))
    lengths = [count_words(t) for t in texts]
    mean_len = sum(lengths) / len(lengths)
    low, high = READABLE_GRADES
    distance = max(0.0, low - grade, grade - high)
    longest = max(range(len(texts)), key=lambda i: lengths[i])
    evidence = [_cue(units[prose[longest]], f"longest sentence ({lengths[longest]} words)")]
    return SubScore(
        "readability",
        _clip(100 - READABILITY_POINTS * distance),
        0.0,
        f"Flesch–Kincaid grade {grade:.1f} (clear: {low:.0f}–{high:.0f}), {mean_len:.0f} words per sentence.",
        {
            "fk_grade": round(grade, 2),
            "reading_ease": round(ease, 2),
            "words_per_sentence": round(mean_len, 2),
        },
        evidence,
    )


def _positivity(units: list[TimedSentence], prose: list[int], tools) -> SubScore:
    vader = tools.vader
    if vader is None:
        return SubScore("positivity", None, 0.0, "Not measured: VADER is not available.")
    scored = [(i, vader.polarity_scores(units[i].sentence.text)["compound"]) for i in prose]
    if not scored:
        return SubScore("positivity", None, 0.0, "No prose sentences to measure.")
    mean = sum(c for _, c in scored) / len(scored)
    negative = sorted([s for s in scored if s[1] <= -0.3], key=lambda s: s[1])[:3]
    positive = sorted([s for s in scored if s[1] >= 0.3], key=lambda s: -s[1])[:2]
    evidence = [_cue(units[i], f"negative tone (VADER {c:+.2f})") for i, c in negative]
    evidence += [_cue(units[i], f"positive tone (VADER {c:+.2f})") for i, c in positive]
    return SubScore(
        "positivity",
        _clip(POSITIVITY_BASE + POSITIVITY_SLOPE * mean),
        0.0,
        f"Mean sentence sentiment {mean:+.2f} (VADER compound, −1…+1); "
        f"{len(negative)} clearly negative sentence(s).",
        {"mean_compound": round(mean, 4), "negative_sentences": float(len(negative))},
        evidence,
    )


def _fillers(result: ContentAnalysis, units, spoken: bool, words: list[Word] | None) -> SubScore:
    cues: list[Cue] = []
    if spoken:
        last = units[-1].sentence.end if units else None
        for word in words or []:
            if word.is_filler and (last is None or word.start <= last):
                cues.append(Cue(word.text.strip(" ,.?!"), "filler", word.start, word.end))
        source = "from the transcript"
    else:
        from mockmirror.speech.fillers import filled_pause_label

        for unit in units:
            spans = set()
            for match in lexicon.TEXT_FILLERS.finditer(unit.sentence.text):
                start = match.start(1) if match.group(1) else match.start(2)
                end = match.end(1) if match.group(1) else match.end(2)
                spans.add((start, end))
            # Filled pauses by the spoken-filler rules too ("ah", "er", "mm" in a transcript).
            for match in _TOKEN.finditer(unit.sentence.text):
                if filled_pause_label(match.group(0)) and not any(a <= match.start() < b for a, b in spans):
                    spans.add((match.start(), match.end()))
            cues.extend(_cue(unit, "filler", start, end) for start, end in sorted(spans))
        source = "written"
    f100 = _per100(len(cues), result.word_count)
    common = Counter(c.text.lower() for c in cues).most_common(3)
    return SubScore(
        "fillers",
        _clip(100 - FILLER_POINTS * f100),
        0.0,
        f"{len(cues)} filler word(s) {source} ({f100:.1f} per 100 words)"
        + (": " + ", ".join(f"'{w}' ×{n}" for w, n in common) if common else "")
        + ".",
        {"fillers": float(len(cues)), "fillers_per_100_words": round(f100, 2)},
        cues[:12],
    )


_TOKEN = re.compile(r"[A-Za-z0-9'’]+")


def _register(result: ContentAnalysis, units: list[TimedSentence], docs: list[Any] | None) -> SubScore:
    """Informal, chatty words per 100 words (``INFORMAL_WORDS``): "like", "stuff", "kinda"…"""
    cues: list[Cue] = []
    for index, unit in enumerate(units):
        tokens = list(_TOKEN.finditer(unit.sentence.text))
        nouns = set()
        if docs is not None:
            nouns = {t.idx for t in docs[index] if t.pos_ in ("NOUN", "PROPN")}
        for k, match in enumerate(tokens):
            word = match.group(0).lower().replace("’", "'")
            if word not in INFORMAL_WORDS:
                continue
            before = tokens[k - 1].group(0).lower().replace("’", "'") if k else ""
            if word == "like" and before in _LIKE_VERB_BEFORE:
                continue
            if word == "pretty" and k + 1 < len(tokens) and tokens[k + 1].start() in nouns:
                continue
            cues.append(_cue(unit, "informal word", match.start(), match.end()))
    i100 = _per100(len(cues), result.word_count)
    common = Counter(c.text.lower() for c in cues).most_common(3)
    return SubScore(
        "register",
        _clip(100 - REGISTER_POINTS * i100),
        0.0,
        f"{len(cues)} informal word(s) ({i100:.1f} per 100 words)"
        + (": " + ", ".join(f"'{w}' ×{n}" for w, n in common) if common else "")
        + ".",
        {"informal_words": float(len(cues)), "informal_per_100_words": round(i100, 2)},
        cues[:12],
    )


def _repetition(units: list[TimedSentence], words: list[Word] | None, spoken: bool) -> SubScore:
    tokens: list[tuple[str, int, int, int]] = []  # word, unit index, start char, end char
    for index, unit in enumerate(units):
        for m in _TOKEN.finditer(unit.sentence.text):
            tokens.append((m.group(0).lower().replace("’", "'"), index, m.start(), m.end()))
    restarts: list[Cue] = []
    positions = [(word, index) for index, (word, _, _, _) in enumerate(tokens)]
    for first, second in checks.doubled_words(positions):
        (_, ia, sa, _), (_, ib, _, eb) = tokens[first], tokens[second]
        if ia == ib:
            restarts.append(_cue(units[ia], "repeated word", sa, eb))
    seen: dict[tuple[str, str, str], list[tuple[int, int, int]]] = {}
    repeated = total = 0
    for i in range(len(tokens) - 2):
        gram = (tokens[i][0], tokens[i + 1][0], tokens[i + 2][0])
        if all(w in _STOP for w in gram) or tokens[i][1] != tokens[i + 2][1]:
            continue
        total += 1
        if gram in seen:
            repeated += 1
        seen.setdefault(gram, []).append((tokens[i][1], tokens[i][2], tokens[i + 2][3]))
    share = repeated / total if total else 0.0
    n_words = len(tokens)
    r100 = _per100(len(restarts), n_words)
    top = sorted(((g, o) for g, o in seen.items() if len(o) >= 2), key=lambda kv: -len(kv[1]))[:4]
    evidence = []
    for gram, occurrences in top:
        unit_index, start, end = occurrences[1]
        evidence.append(_cue(units[unit_index], f"'{' '.join(gram)}' ×{len(occurrences)}", start, end))
    evidence += restarts[:4]
    return SubScore(
        "repetition",
        _clip(100 - REPEAT_POINTS * share - RESTART_POINTS * r100),
        0.0,
        f"{share:.0%} of three-word phrases repeat an earlier one; {len(restarts)} doubled word(s).",
        {"repeated_trigram_share": round(share, 4), "doubled_words": float(len(restarts))},
        evidence,
    )
