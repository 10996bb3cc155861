"""Cheap text checks on an answer, in one place: words, English share, code, past-tense clauses,
"I" and "we" actors, doubled words.

The follow-up rules (interview.signals), the answer-validity verdict (validity.py) and the content
sub-scores (scoring.py, grammar.py) all call these, so they cannot disagree about the same answer.
Each constant says what it means; the cut-offs that decide a verdict live in ``ContentSettings``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# A word: letters with an inner apostrophe, or a number.
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?|\d+(?:[.,]\d+)?", re.UNICODE)

# Very common English function words: in English prose they make up ≈ 30–50 % of the words; far
# below that (≈ 10 %) the text is not English prose.
_ENGLISH_TEXT = """
    a about after all also an and any are as at be because been before but by can could did do does
    for from had has have he her him his how i if in into is it its just like me more most my no not now
    of on one only or our out over she so some than that the their them then there these they this to
    too up us very was we were what when where which while who why will with would you your i'm i've
    i'd it's don't didn't we'd we're"""
ENGLISH_FUNCTION_WORDS = frozenset(_ENGLISH_TEXT.split())

_CODE_LINE = re.compile(
    r"""(^\s*(def|class|return|import|from\s+\S+\s+import|for\s*\(|while\s*\(|if\s*\(|else\b|elif\b|
    function\b|const\b|let\b|var\b|public\b|private\b|static\b|void\b|int\b|\#include|package\b|
    SELECT\b|INSERT\b|UPDATE\b|DELETE\b|CREATE\b|FROM\b|WHERE\b|try\s*[:{]|catch\b|except\b)
    |[{};]\s*$|=>|==|!=|\+=|::|->|</?[a-zA-Z][\w-]*[^>]*>|\w+\([^)]*\)\s*[{:;]?\s*$
    |^\s*[#/]{1,2}\s*\w|console\.log|System\.out|printf?\()""",
    re.X | re.M,
)
_CODE_SYMBOLS = set("{}()[];=<>_/\\|&*#$`")
_SQL_KEYWORDS = re.compile(
    r"\b(SELECT|FROM|WHERE|JOIN|GROUP BY|ORDER BY|INSERT INTO|UPDATE|DELETE FROM|CREATE TABLE|EXPLAIN|"
    r"HAVING|LIMIT|VALUES)\b"
)

# Irregular past forms that tell an action ("I led", "we built"); states (was, had) are not actions.
IRREGULAR_PAST_ACTIONS = (
    "did|made|built|rebuilt|led|wrote|rewrote|ran|set|took|undertook|got|gave|told|spoke|met|found|"
    "brought|chose|drove|sent|spent|taught|thought|sought|began|went|put|kept|held|won|knew|saw|paid|"
    "split|cut|sat|stood|caught|bought|dealt|felt|left|lost|meant|read|came|became|heard|understood|"
    "sold|fought|forgot|grew|hid|rang|rose|sang|shook|shut|stuck|swore|threw|woke|wore|broke"
)
_PAST_CLAUSE = re.compile(
    rf"\b(i|we|my team|our team|the team)\s+(?:\w+ly\s+|then\s+|also\s+|first\s+|finally\s+|all\s+)?"
    rf"(\w+ed|was|were|had|{IRREGULAR_PAST_ACTIONS})\b",
    re.I,
)
# "I" as the one acting; hedges ("I think") and states ("I was") don't show ownership of an action.
_I_ACTOR = re.compile(
    r"\bi\s+(?!think\b|guess\b|believe\b|feel\b|mean\b|suppose\b|hope\b|know\b|remember\b|was\b|am\b|"
    r"would say\b|don't\b|didn't\b|wasn't\b|'m\b)(?:\w+ly\s+|then\s+|also\s+|first\s+|personally\s+)?\w+",
    re.I,
)
_I_ANY = re.compile(r"\b(i|me|my|myself|i'm|i've|i'd|i'll)\b", re.I)
_COLLECTIVE_ACTOR = re.compile(
    r"\b(we|we've|we'd|(my|our|the) (team|group|department|ward|class|company))\s+(?:\w+ly\s+)?\w+", re.I
)
# Words that are often doubled on purpose ("that that", "had had", "very very").
_DOUBLING_OK = frozenset({"that", "had", "is", "very", "really", "no", "bye", "so"})


_COUNTED = re.compile(r"[A-Za-z0-9'’-]+")
_FILLER_ONLY = re.compile(r"^\W*(um+|uh+|er+|ah+|hmm+|erm)\W*$", re.I)


def words(text: str) -> list[str]:
    return WORD.findall(text or "")


def count_words(text: str) -> int:
    """The answer's length in words, without um/uh/er/ah/hmm (every length measure uses this)."""
    return sum(1 for token in _COUNTED.findall(text or "") if not _FILLER_ONLY.match(token))


def english_share(text_or_words: str | list[str]) -> float:
    """Share of the (non-number) words that are very common English function words."""
    tokens = words(text_or_words) if isinstance(text_or_words, str) else text_or_words
    alpha = [w.lower().replace("’", "'") for w in tokens if not w[0].isdigit()]
    if not alpha:
        return 0.0
    return sum(w in ENGLISH_FUNCTION_WORDS for w in alpha) / len(alpha)


def non_latin_share(text: str) -> float:
    """Share of letters outside a–z (Cyrillic, CJK, Arabic…); accented Latin letters count too."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(not ("a" <= c.lower() <= "z") for c in letters) / len(letters)


def is_code_line(line: str) -> bool:
    """One sentence or line that is program code rather than prose."""
    chars = [c for c in line if not c.isspace()]
    if not chars:
        return False
    density = sum(c in _CODE_SYMBOLS for c in chars) / len(chars)
    return density > 0.08 or bool(_CODE_LINE.search(line))


def code_lines(text: str) -> tuple[str, ...]:
    """The lines that make ``text`` program code, or () when it is prose (with a code word or two)."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if not lines:
        return ()
    found = [line.strip() for line in lines if _CODE_LINE.search(line)]
    chars = [c for c in text if not c.isspace()]
    symbol_share = sum(c in _CODE_SYMBOLS for c in chars) / len(chars) if chars else 0.0
    if len(lines) >= 2:
        is_code = len(found) / len(lines) >= 0.5 and symbol_share >= 0.04
    else:  # one line: SQL or a call chain, dense in symbols and keywords
        is_code = (bool(found) and (symbol_share >= 0.08 or len(_CODE_LINE.findall(text)) >= 3)) or len(
            _SQL_KEYWORDS.findall(text)
        ) >= 3
        if is_code and not found:
            found = [lines[0].strip()]
    return tuple(found[:3]) if is_code else ()


def past_clauses(text: str) -> int:
    """First-person (or team) past-tense clauses: "I rewrote", "we shipped", "my team decided"."""
    return len(_PAST_CLAUSE.findall(text))


def i_actions(text: str) -> int:
    return len(_I_ACTOR.findall(text))


def we_actions(text: str) -> int:
    return len(_COLLECTIVE_ACTOR.findall(text))


def mentions_self(text: str) -> bool:
    return bool(_I_ANY.search(text))


def doubled_words(tokens: list[tuple[str, int]]) -> Iterator[tuple[int, int]]:
    """Indexes (i, i+1) of a word said twice in a row; ``tokens`` = (lower-case word, position)."""
    for index in range(len(tokens) - 1):
        (first, a), (second, b) = tokens[index], tokens[index + 1]
        if first == second and b == a + 1 and first not in _DOUBLING_OK:
            yield index, index + 1


def reads_as_not_english(text: str, min_english_share: float) -> bool:
    """Too few common English words (4+ words), or mostly letters outside a–z (10+ letters:
    Japanese or Chinese text is few "words" to the word pattern)."""
    tokens = words(text)
    letters = sum(c.isalpha() for c in text)
    return (len(tokens) >= 4 and english_share(tokens) < min_english_share) or (
        letters >= 10 and non_latin_share(text) > 0.3
    )
# ---- does it read as language? (the answer-validity verdict) ----------------------------------

# The most common function words of languages candidates often answer in by mistake, our own short
# lists; words that are also English (a, in, is, to, no, on, so…) are left out, so an English answer
# never counts towards another language.
OTHER_LANGUAGE_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    name: frozenset(words.split()) - ENGLISH_FUNCTION_WORDS
    for name, words in {
        "German": "und der die das ist ich nicht ein eine zu den mit sich des auf für dem von auch es "
        "wir sie war habe hat wenn aber oder noch nach bei mir mich weil dass sehr dann",
        "French": "le la les et est je il elle un une des du de pas que qui pour dans ce cette avec sur "
        "au aux mais nous vous ils mon ma mes très ensuite",
        "Spanish": "el la los las y es que de en un una por para con del al lo se su pero como más "
        "muy yo mi fue después cuando porque también",
        "Italian": "il lo la gli le e è che di per con non una un del della nel mi sono ho ma anche "
        "molto perché quando dopo",
        "Portuguese": "o os as e é que de do da em um uma para com não se por mais mas eu foi muito "
        "quando também depois",
        "Dutch": "de het een en van ik te dat die niet zijn op met voor er maar om ook als bij nog "
        "wat dan ze wij hij naar",
        "Polish": "i w z na nie się że do jest to jak ale po od za tak już czy jego jej o mnie "
        "bardzo potem żeby",
    }.items()
}

# Words that cannot follow an article or a possessive ("the for", "my the"), and the words a
# sentence cannot end on ("… so it and."): word order English does not allow.
_DETERMINER_TEXT = "a an the my your our their"
_NOT_AFTER_DETERMINER_TEXT = (
    "a an the my your our their and or but of at from is are was were am been i he she we they me him "
    "them than not"
)
_CONJUNCTION_TEXT = "and or but"
_DETERMINERS = frozenset(_DETERMINER_TEXT.split())
_NOT_AFTER_DETERMINER = frozenset(_NOT_AFTER_DETERMINER_TEXT.split())
_NOT_LAST = _DETERMINERS | frozenset(_CONJUNCTION_TEXT.split())
_ORDER_TOKEN = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+|[.!?]+")
_SUBJECTS = frozenset({"nsubj", "nsubjpass", "expl", "csubj"})


def other_language(tokens: list[str]) -> tuple[str, float]:
    """The other language whose common words make up the largest share of ``tokens``, and that share."""
    alpha = [w.lower() for w in tokens if not w[0].isdigit()]
    if not alpha:
        return "", 0.0
    best = max(OTHER_LANGUAGE_FUNCTION_WORDS.items(), key=lambda item: sum(w in item[1] for w in alpha))
    return best[0], sum(w in best[1] for w in alpha) / len(alpha)


def word_order_breaks(text: str) -> list[str]:
    """Places where the word order is not English: an article or "my" followed by a word that
    cannot follow one ("the for", "my was"), or a sentence ending on "the", "my" or "and".
    All-capital words (IT, US, AND) are names or terms and are skipped."""
    tokens = _ORDER_TOKEN.findall(text or "")
    found: list[str] = []
    for index, token in enumerate(tokens):
        word = token.lower()
        after = tokens[index + 1] if index + 1 < len(tokens) else "."
        if len(token) > 1 and token.isupper():
            continue
        if word in _DETERMINERS and after.lower() in _NOT_AFTER_DETERMINER and not after.isupper():
            found.append(f"{token} {after}")
        elif word in _NOT_LAST and after[0] in ".!?":
            found.append(f"{token}{after[0]}")
    return found


def sentence_share(docs: list) -> tuple[int, int]:
    """(sentences of four words or more, how many of them are sentences): a verb with its subject
    ("we moved the deliveries"), or a command ("Start with the requirements")."""
    long = full = 0
    for doc in docs:
        for sent in doc.sents:
            if sum(not t.is_punct for t in sent) < 4:
                continue
            long += 1
            has_subject = any(t.dep_ in _SUBJECTS and t.head.pos_ in {"VERB", "AUX"} for t in sent)
            command = sent.root.pos_ == "VERB" and sent.root.tag_ == "VB" and sent.root.i == sent.start
            full += has_subject or command
    return long, full
