"""Cheap, explainable checks on a typed or transcribed answer, used to choose follow-ups.

``mockmirror.language.content`` finds STAR parts and measures relevance; this module adds what
an interviewer listens for besides: is there an answer at all, is it English prose (not code,
not another language), is it a specific story or a general claim, and whose actions it tells
("I" or only "we"). Every flag keeps the words that triggered it, so feedback can quote them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Ownership = Literal["i", "we_only", "mixed", "none"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)?", re.UNICODE)
_LATIN_WORD = re.compile(r"^[A-Za-z'’]+$")

# Common English function words: a share of them below ~10 % means the text is not English prose.
_ENGLISH_TEXT = """
    a about after all also an and any are as at be because been before but by can could did do does
    for from had has have he her him his how i if in into is it its just like me more most my no not now
    of on one only or our out over she so some than that the their them then there these they this to
    too up us very was we were what when where which while who why will with would you your i'm i've
    i'd it's don't didn't we'd we're"""
_ENGLISH = frozenset(_ENGLISH_TEXT.split())

_CODE_LINE = re.compile(
    r"""(^\s*(def|class|return|import|from\s+\S+\s+import|for\s*\(|while\s*\(|if\s*\(|else\b|elif\b|
    function\b|const\b|let\b|var\b|public\b|private\b|static\b|void\b|int\b|\#include|package\b|
    SELECT\b|INSERT\b|UPDATE\b|DELETE\b|CREATE\b|FROM\b|WHERE\b|try\s*[:{]|catch\b|except\b)
    |[{};]\s*$|=>|==|!=|\+=|::|->|</?[a-zA-Z][\w-]*[^>]*>|\w+\([^)]*\)\s*[{:;]?\s*$
    |^\s*[#/]{1,2}\s*\w|console\.log|System\.out|printf?\()""",
    re.X | re.M,
)
_CODE_SYMBOLS = set("{}()[];=<>_/\\|&*#$")
_SQL_KEYWORDS = re.compile(
    r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE|EXPLAIN|"
    r"HAVING|LIMIT|VALUES)\b"
)

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
_IRREGULAR_PAST = (
    "was|were|had|did|made|built|led|wrote|ran|set|took|got|gave|told|spoke|met|found|brought|chose|"
    "drove|sent|spent|taught|thought|began|went|put|kept|held|won|knew|saw|paid|split|cut|sat|stood|"
    "caught|bought|dealt|felt|left|lost|meant|read|rewrote|came|became|heard|understood|sold|"
    "fought|forgot|grew|hid|rang|rose|sang|shook|shut|stuck|swore|threw|woke|wore|broke|fixed"
)
_PAST_CLAUSE = re.compile(
    rf"\b(i|we|my team|our team|the team)\s+(?:\w+ly\s+|then\s+|also\s+|first\s+|finally\s+|all\s+)?"
    rf"(\w+ed|{_IRREGULAR_PAST})\b",
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

# "I" as the one acting; hedges ("I think") and states ("I was") don't show ownership of an action.
_I_ACTOR = re.compile(
    r"\bi\s+(?!think\b|guess\b|believe\b|feel\b|mean\b|suppose\b|hope\b|know\b|remember\b|was\b|am\b|"
    r"would say\b|don't\b|didn't\b|wasn't\b|'m\b)(?:\w+ly\s+|then\s+|also\s+|first\s+|personally\s+)?\w+",
    re.I,
)
_I_ANY = re.compile(r"\b(i|me|my|myself|i'm|i've|i'd|i'll)\b", re.I)
_WE_ANY = re.compile(r"\b(we|us|our|ourselves|we've|we're|we'd|we'll)\b", re.I)
_COLLECTIVE_ACTOR = re.compile(
    r"\b(we|we've|we'd|(my|our|the) (team|group|department|ward|class|company))\s+(?:\w+ly\s+)?\w+", re.I
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


def read_signals(text: str, *, min_words: int = 8, max_words: int = 900) -> AnswerSignals:
    """Flags for one answer; ``min_words``/``max_words`` bound a usable answer's length."""
    text = text or ""
    words = _WORD.findall(text)
    word_count = len(words)
    code, code_evidence = _looks_like_code(text)
    english = _english_share(words)
    letters = [c for c in text if c.isalpha()]
    non_latin = sum(not ("a" <= c.lower() <= "z") for c in letters) / len(letters) if letters else 0.0
    not_english = not code and (
        (word_count >= 4 and english < 0.1) or (len(letters) >= 10 and non_latin > 0.3)
    )
    anchors = tuple(m.group(0) for m in _ANCHOR.finditer(text))
    past = len(_PAST_CLAUSE.findall(text))
    i_actions = len(_I_ACTOR.findall(text))
    we_actions = len(_COLLECTIVE_ACTOR.findall(text))
    if i_actions and we_actions:
        ownership: Ownership = "mixed"
    elif i_actions:
        ownership = "i"
    elif we_actions >= 2 or (we_actions and not _I_ANY.search(text)):
        ownership = "we_only"
    else:
        ownership = "none"
    return AnswerSignals(
        word_count=word_count,
        empty=word_count == 0,
        too_short=0 < word_count < min_words,
        too_long=word_count > max_words,
        looks_like_code=code,
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


def _english_share(words: list[str]) -> float:
    alpha = [w.lower().replace("’", "'") for w in words if not w[0].isdigit()]
    if not alpha:
        return 0.0
    return sum(w in _ENGLISH for w in alpha) / len(alpha)


def _looks_like_code(text: str) -> tuple[bool, tuple[str, ...]]:
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return False, ()
    code_lines = [line.strip() for line in lines if _CODE_LINE.search(line)]
    chars = [c for c in text if not c.isspace()]
    symbol_share = sum(c in _CODE_SYMBOLS for c in chars) / len(chars) if chars else 0.0
    if len(lines) >= 2:
        is_code = len(code_lines) / len(lines) >= 0.5 and symbol_share >= 0.04
    else:  # one line: SQL or a call chain, dense in symbols and keywords
        is_code = (bool(code_lines) and (symbol_share >= 0.08 or len(_CODE_LINE.findall(text)) >= 3)) or len(
            _SQL_KEYWORDS.findall(text)
        ) >= 3
        if is_code and not code_lines:
            code_lines = [lines[0].strip()]
    return is_code, tuple(code_lines[:3]) if is_code else ()
