"""Checks every LLM output must pass before a candidate sees it; on failure the template is used.

The LLM may only reword what the rules decided. So its text must be short, be exactly one
question when a question is wanted (none otherwise), carry no number that is not already in the
facts it was given (the question, the answer, the template), and never grade the candidate.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_NUMBER_WORDS = {
    "zero": "0",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "eleven": "11",
    "twelve": "12",
    "thirteen": "13",
    "fourteen": "14",
    "fifteen": "15",
    "sixteen": "16",
    "seventeen": "17",
    "eighteen": "18",
    "nineteen": "19",
    "twenty": "20",
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
    "half": "0.5",
    "dozen": "12",
}
# "one" is left out: "one specific time" is wording, not a claim.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*|\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
_SCORING = re.compile(
    r"\b(score[sd]?|scoring|rating|rated|grade[sd]?|marks? (out )?of|out of \d+)\b|"
    r"\d+\s*/\s*\d+|\b\d+\s*stars?\b",
    re.I,
)
_PREFIX = re.compile(r"^\s*(interviewer|follow[- ]?up|question|rephrased|answer|feedback)\s*:\s*", re.I)
_PREAMBLE = re.compile(r"^(sure|certainly|of course|here('s| is)|okay|ok)\b.*:\s*$", re.I)


@dataclass(frozen=True, slots=True)
class GuardResult:
    ok: bool
    text: str  # the cleaned text (meaningful when ok)
    reason: str = ""


def numbers_in(text: str) -> set[str]:
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        token = match.group(0).lower()
        token = _NUMBER_WORDS.get(token, token).replace(",", "")
        found.add(token.rstrip("0").rstrip(".") if "." in token else token)
    return found


def clean_llm_text(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) > 1 and _PREAMBLE.match(lines[0]):
        lines = lines[1:]
    cleaned = " ".join(lines)
    cleaned = _PREFIX.sub("", cleaned).strip()
    if len(cleaned) >= 2 and cleaned[0] in "\"'“‘" and cleaned[-1] in "\"'”’":
        cleaned = cleaned[1:-1].strip()
    return re.sub(r"\s+", " ", cleaned)


def check_llm_text(
    text: str,
    *,
    facts: Iterable[str],
    expect_question: bool | None,
    max_chars: int = 240,
    min_chars: int = 8,
) -> GuardResult:
    """Clean the model's text and check it; ``expect_question``: True = exactly one question,
    ending the text; False = no question; None = at most one."""
    cleaned = clean_llm_text(text or "")
    if len(cleaned) < min_chars:
        return GuardResult(False, cleaned, "empty or too short")
    if len(cleaned) > max_chars:
        return GuardResult(False, cleaned, f"longer than {max_chars} characters")
    questions = cleaned.count("?")
    if expect_question and (questions != 1 or not cleaned.rstrip("\"'”’)").endswith("?")):
        return GuardResult(False, cleaned, f"not exactly one question ({questions} question marks)")
    if expect_question is False and questions:
        return GuardResult(False, cleaned, "asks a question where a statement was wanted")
    if expect_question is None and questions > 1:
        return GuardResult(False, cleaned, f"more than one question ({questions} question marks)")
    if "{" in cleaned or "}" in cleaned:
        return GuardResult(False, cleaned, "contains template braces")
    if _SCORING.search(cleaned):
        return GuardResult(False, cleaned, "grades or scores the candidate")
    allowed: set[str] = set()
    for fact in facts:
        allowed |= numbers_in(fact)
    invented = sorted(numbers_in(cleaned) - allowed)
    if invented:
        return GuardResult(False, cleaned, f"numbers not in the facts: {', '.join(invented)}")
    return GuardResult(True, cleaned)
