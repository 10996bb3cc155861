"""Tag filler words in a transcript: filled pauses (um, uh…) and discourse fillers (you know,
basically, sort of, sentence-initial "so"…).

Filled pauses are unambiguous once written down. "Like", "you know" and "I mean" are also
ordinary words ("I like Python", "you know the answer", "I mean it"), so they count as fillers
only when the context says so. The rules lean towards missing a filler rather than flagging a
real word: telling a candidate off for a verb they used correctly costs more trust than one
uncounted "like".

A word is *set off* when it has punctuation on that side (Whisper writes "like," and ", you
know,") or a silence of at least ``SET_OFF_GAP_S`` separates it from its neighbour, or it starts
or ends the transcript. Parenthetical fillers are set off; the grammatical uses are not.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mockmirror.speech.track import Word

# A gap this long between two words acts like a comma (a speaker's audible break).
SET_OFF_GAP_S = 0.25

# Filled pauses: spelling variants Whisper produces, mapped to one label for counting.
_FILLED_PAUSES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"u+h*m+"), "um"),  # um, umm, uhm, uhmm
    (re.compile(r"u+h+"), "uh"),  # uh, uhh
    (re.compile(r"e+r+m*|e+h+m+"), "er"),  # er, err, erm, ehm
    (re.compile(r"a+h+"), "ah"),  # ah, ahh, aah
    (re.compile(r"h+m+|m+h*m+"), "hmm"),  # hmm, hm, mm, mmm, mhm
)


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_PUNCTUATION = ".,!?;:…\"'“”‘’()[]-–—"

# "like" after these is a verb, preposition or quotative, not a filler:
# "I like", "would like", "looks like", "something like", "kind of like", "was like".
_LIKE_GOVERNORS = _word_set(
    """i you we they he she i'd you'd we'd they'd he'd she'd would 'd to do does did don't
    doesn't didn't really also still not never might will can could should may must
    look looks looked looking sound sounds sounded sounding feel feels felt feeling
    seem seems seemed taste tastes smell smells act acts acted just
    something anything nothing much more less exactly of
    was is were am are be been being i'm he's she's it's they're we're you're"""
)
# "like" followed by these, with no break, is a preposition: "like this", "like a pro".
_LIKE_OBJECTS = _word_set(
    "this that these those him her them me us it a an the my your his our their"
)

# "you know" / "I mean" after these is a clause: "do you know", "if you know", "what I mean".
_CLAUSE_OPENERS = _word_set(
    """do does did don't doesn't didn't if as what which that who when how whether unless
    would will could should might can let"""
)
# ... and followed by these, with no break, "know"/"mean" has an object: "you know the answer".
_KNOW_OBJECTS = _word_set(
    """what that how why where who when whether if about him her them it me us this these
    those the a an my your his our their something anything everything nothing someone
    somebody anyone everyone more much exactly"""
)
_MEAN_OBJECTS = _word_set("to it that by what this the anything something exactly")

# "sort of" / "kind of" after these names a kind ("a sort of cache", "what kind of team"); after
# anything else it hedges a verb or adjective ("I sort of fixed it", "it was kind of slow").
_KIND_DETERMINERS = _word_set(
    """a an the this that these those what which some any one no every each another other
    same different right wrong my your his her our their its whatever"""
)
# Sentence-initial "so" followed by these is a connective with meaning: "So far", "So that…".
_SO_COMPLEMENTS = _word_set("far that much many long few little what")
# "basically" set off or opening a sentence is a filler; inside a clause ("it is basically a
# cache") it means "essentially" and is left alone.


@dataclass(frozen=True, slots=True)
class FillerMatch:
    first: int  # index of the first word of the filler
    last: int  # index of the last word (same as first for one-word fillers)
    label: str  # canonical form used for counting: "um", "like", "you know"…


def normalize(text: str) -> str:
    """Lower case without surrounding punctuation: "Umm," -> "umm"."""
    return text.strip().strip(_PUNCTUATION).lower().replace("’", "'")


def filled_pause_label(text: str) -> str | None:
    """Canonical label if ``text`` is a filled pause (um, uh, er, ah, hmm), else None."""
    token = normalize(text)
    for pattern, label in _FILLED_PAUSES:
        if pattern.fullmatch(token):
            return label
    return None


def find_fillers(words: Sequence[Word]) -> list[FillerMatch]:
    """Filler words and phrases, left to right, never overlapping."""
    tokens = [normalize(w.text) for w in words]
    matches: list[FillerMatch] = []
    i = 0
    while i < len(words):
        match = _match_at(words, tokens, i)
        if match is None:
            i += 1
            continue
        matches.append(match)
        i = match.last + 1
    return matches


def tag_fillers(words: Sequence[Word]) -> list[Word]:
    """Copies of ``words`` with ``is_filler`` set from :func:`find_fillers`."""
    flagged = {i for m in find_fillers(words) for i in range(m.first, m.last + 1)}
    return [dataclasses.replace(w, is_filler=i in flagged) for i, w in enumerate(words)]


def _match_at(words: Sequence[Word], tokens: list[str], i: int) -> FillerMatch | None:
    label = filled_pause_label(words[i].text)
    if label is not None:
        return FillerMatch(i, i, label)
    token = tokens[i]
    following = tokens[i + 1] if i + 1 < len(tokens) else ""
    if token == "like" and _like_is_filler(words, tokens, i):
        return FillerMatch(i, i, "like")
    if (
        token == "you"
        and following == "know"
        and _phrase_is_filler(words, tokens, i, _KNOW_OBJECTS)
    ):
        return FillerMatch(i, i + 1, "you know")
    if token == "i" and following == "mean" and _phrase_is_filler(words, tokens, i, _MEAN_OBJECTS):
        return FillerMatch(i, i + 1, "i mean")
    if token == "basically" and (
        _sentence_start(words, i) or _set_off_before(words, i) or _set_off_after(words, i)
    ):
        return FillerMatch(i, i, "basically")
    if token in ("sort", "kind") and following == "of" and _hedge_is_filler(tokens, i):
        return FillerMatch(i, i + 1, f"{token} of")
    if token == "so" and _sentence_start(words, i) and following not in _SO_COMPLEMENTS:
        return FillerMatch(i, i, "so")
    return None


def _sentence_start(words: Sequence[Word], i: int) -> bool:
    """First word of the transcript or after a full stop, question or exclamation mark (not an
    ellipsis: Whisper writes a trailing-off "um..." mid-sentence)."""
    if i == 0:
        return True
    text = words[i - 1].text.strip().rstrip("\"'”’)")
    return bool(text) and text[-1] in ".!?" and not text.endswith(("..", "…"))


def _hedge_is_filler(tokens: list[str], i: int) -> bool:
    return not (i > 0 and tokens[i - 1] in _KIND_DETERMINERS)  # not "a sort of", "what kind of"


def _like_is_filler(words: Sequence[Word], tokens: list[str], i: int) -> bool:
    before, after = _set_off_before(words, i), _set_off_after(words, i)
    if not before and i > 0 and tokens[i - 1] in _LIKE_GOVERNORS:
        return False  # "I like", "looks like", "something like"
    if not after and i + 1 < len(tokens) and tokens[i + 1] in _LIKE_OBJECTS:
        return False  # "like this", "like a pro"
    if i + 1 < len(words) and filled_pause_label(words[i + 1].text):
        return True  # "like um": hesitation run
    return before or after


def _phrase_is_filler(
    words: Sequence[Word], tokens: list[str], i: int, objects: frozenset[str]
) -> bool:
    """For "you know" / "I mean" starting at ``i``: a parenthetical, not a clause."""
    before, after = _set_off_before(words, i), _set_off_after(words, i + 1)
    if not before and i > 0 and tokens[i - 1] in _CLAUSE_OPENERS:
        return False  # "do you know", "what I mean"
    if after:
        return True  # "you know," / "I mean," / phrase at the very end
    has_object = i + 2 < len(tokens) and tokens[i + 2] in objects
    return before and not has_object  # "So, I mean we could…" but not ", I mean it"


def _set_off_before(words: Sequence[Word], i: int) -> bool:
    if i == 0:
        return True
    previous = words[i - 1]
    return _ends_with_break(previous.text) or words[i].start - previous.end >= SET_OFF_GAP_S


def _set_off_after(words: Sequence[Word], i: int) -> bool:
    if i == len(words) - 1:
        return True
    return _ends_with_break(words[i].text) or words[i + 1].start - words[i].end >= SET_OFF_GAP_S


def _ends_with_break(text: str) -> bool:
    text = text.strip().rstrip("\"'”’)")
    return bool(text) and text[-1] in ",.!?;:…-–—"
