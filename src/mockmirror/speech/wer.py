"""Word error rate with a text normaliser fit for comparing Whisper output with references.

Whisper writes "K7", "10 meters" and "1813"; references write "k seven", "ten meters" and
"eighteen thirteen". Both sides are normalised the same way before words are aligned, so WER
counts recognition errors, not spelling conventions. Homophones ("sea" for the letter "c",
"to" for "two") still count as errors: the coach shows the words, so they matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_to_words(n: int) -> list[str]:
    """Spoken English for 0..999,999; four-digit years 1100-1999 read as pairs ("1813")."""
    if n < 20:
        return [_ONES[n]]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [_TENS[tens]] + ([_ONES[ones]] if ones else [])
    if 1100 <= n <= 1999 and n % 100:
        # "eighteen thirteen": how such numbers are read aloud in running text.
        return number_to_words(n // 100) + _pair(n % 100)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [_ONES[hundreds], "hundred"] + (number_to_words(rest) if rest else [])
    if n < 1_000_000:
        thousands, rest = divmod(n, 1000)
        return number_to_words(thousands) + ["thousand"] + (number_to_words(rest) if rest else [])
    return list(str(n))


def _pair(n: int) -> list[str]:
    return ["oh", _ONES[n]] if n < 10 else number_to_words(n)


_LETTER_DIGITS = re.compile(r"^([a-z])(\d+)$")  # GRID "P2" -> "p two"


def normalize_words(text: str) -> list[str]:
    """Lower-case words without punctuation; digits spelled out; "P2" split into "p two"."""
    text = text.lower().replace("-", " ")
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)  # "2,000" -> "2000"
    text = re.sub(r"[^\w\s']", " ", text)  # keep apostrophes inside words (I'm, don't)
    words: list[str] = []
    for token in text.split():
        token = token.strip("'")
        if not token:
            continue
        match = _LETTER_DIGITS.match(token)
        if match:
            words.append(match.group(1))
            token = match.group(2)
        if token.isdigit():
            words.extend(number_to_words(int(token)))
        else:
            words.append(token)
    return words


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Levenshtein distance over words (substitutions + deletions + insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref_word in enumerate(reference, start=1):
        current = [i] + [0] * len(hypothesis)
        for j, hyp_word in enumerate(hypothesis, start=1):
            current[j] = min(
                previous[j] + 1,  # deletion
                current[j - 1] + 1,  # insertion
                previous[j - 1] + (ref_word != hyp_word),  # match / substitution
            )
        previous = current
    return previous[-1]


@dataclass(frozen=True, slots=True)
class WerResult:
    errors: int
    reference_words: int

    @property
    def wer(self) -> float:
        return self.errors / self.reference_words if self.reference_words else 0.0


def word_errors(reference: str, hypothesis: str) -> WerResult:
    ref = normalize_words(reference)
    return WerResult(edit_distance(ref, normalize_words(hypothesis)), len(ref))


def corpus_wer(pairs: list[tuple[str, str]]) -> float:
    """WER over a set: total errors / total reference words (long clips weigh more)."""
    results = [word_errors(ref, hyp) for ref, hyp in pairs]
    total = sum(r.reference_words for r in results)
    return sum(r.errors for r in results) / total if total else 0.0
