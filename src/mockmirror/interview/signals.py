"""Cheap, explainable signals on a typed or transcribed answer, used to choose follow-ups.

Built on ``mockmirror.language.checks`` (words, English share, code, past clauses, "I"/"we"
actors: one home, shared with the content score and the answer-validity verdict); this module adds
what the follow-up rules listen for besides: is it a specific story or a general claim, and does
it give steps. Every flag keeps the words that triggered it, so feedback can quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from mockmirror.language import checks

Ownership = Literal["i", "we_only", "mixed", "none"]

# A specific episode: an anchor in time or place, or several first-person past-tense clauses.
_ANCHOR = re.compile(
    r"\b((last|this|that|one) (year|month|week|summer|winter|spring|autumn|fall|term|semester|"
    r"quarter|day|night|shift|morning|evening|weekend|project|placement|internship)\b(?! is)|"
    r"in (19|20)\d\d|(once|one time|at the time|back then|back in|when i was|while i was|during my|"
    r"at my (previous|last|current|old|first|second) (job|role|company|employer|school|placement|ward)|"
    r"in my (first|second|third|last|previous|final|current) (job|role|year|week|month|placement)|"
    r"\d+ (days|weeks|months|years) (ago|later|before|earlier)))\b",
    re.I,
)
_GENERIC = re.compile(
    r"\b(always|usually|normally|generally|in general|typically|tend to|whenever|i'?m (a|an|very|really|"
    r"quite|always) [\w-]+|i am (a|an|very|really|quite|always) [\w-]+|people person|team player|"
    r"hard[- ]?working|passionate|perfectionist|i believe|i think|i feel|i would|i'd|i will|i'll|"
    r"whatever it takes|(communication|teamwork|honesty|listening) is)\b",
    re.I,
)
_HYPOTHETICAL = re.compile(r"\b(i would|i'd|i will|i'll|i could|i might|i'd probably|my first step)\b", re.I)
_STEPS = re.compile(
    r"\b(first(ly)?|to start|to begin|then|next|after that|afterwards|second(ly)?|finally|"
    r"before (i|anything)|once (i|that)|step)\b",
    re.I,
)

_NUMBER = re.compile(r"\b\d+(?:[.,]\d+)?\s*(%|percent|per cent)?")


@dataclass(frozen=True, slots=True)
class AnswerSignals:
    word_count: int
    empty: bool
    too_short: bool
    too_long: bool
    looks_like_code: bool
    code_evidence: tuple[str, ...]
    english_share: float  # share of words that are common English function words
    not_english: bool
    concrete: bool  # tells one specific episode (time/place anchor or past-tense clauses)
    anchors: tuple[str, ...]
    past_clauses: int
    generic_phrases: tuple[str, ...]
    hypothetical: bool
    has_steps: bool
    i_actions: int
    we_actions: int
    ownership: Ownership
    numbers: tuple[str, ...]

    @property
    def vague(self) -> bool:
        """No specific example: neither anchored in a time or place nor told as past events."""
        return not self.empty and not self.concrete


def read_signals(
    text: str, *, min_words: int = 8, max_words: int = 900, min_english_share: float = 0.10
) -> AnswerSignals:
    """Flags for one answer; ``min_words``/``max_words`` bound a usable answer's length (the
    cut-offs are ``ContentSettings``'s, so the follow-ups and the verdict agree)."""
    text = text or ""
    word_count = len(checks.words(text))
    code_evidence = checks.code_lines(text)
    english = checks.english_share(text)
    not_english = not code_evidence and checks.reads_as_not_english(text, min_english_share)
    anchors = tuple(m.group(0) for m in _ANCHOR.finditer(text))
    past = checks.past_clauses(text)
    i_actions = checks.i_actions(text)
    we_actions = checks.we_actions(text)
    if i_actions and we_actions:
        ownership: Ownership = "mixed"
    elif i_actions:
        ownership = "i"
    elif we_actions >= 2 or (we_actions and not checks.mentions_self(text)):
        ownership = "we_only"
    else:
        ownership = "none"
    return AnswerSignals(
        word_count=word_count,
        empty=word_count == 0,
        too_short=0 < word_count < min_words,
        too_long=word_count > max_words,
        looks_like_code=bool(code_evidence),
        code_evidence=code_evidence,
        english_share=round(english, 3),
        not_english=not_english,
        concrete=bool(anchors) or past >= 2,
        anchors=anchors[:5],
        past_clauses=past,
        generic_phrases=tuple(dict.fromkeys(m.group(0).lower() for m in _GENERIC.finditer(text)))[:6],
        hypothetical=bool(_HYPOTHETICAL.search(text)),
        has_steps=len(_STEPS.findall(text)) >= 2,
        i_actions=i_actions,
        we_actions=we_actions,
        ownership=ownership,
        numbers=tuple(m.group(0).strip() for m in _NUMBER.finditer(text))[:20],
    )
