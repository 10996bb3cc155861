"""Grammar and spelling checks: which sentences look ungrammatical, which words look misspelt.

Two grammar checkers, both deterministic and both reporting *why* a sentence was flagged:

* **link-grammar** (CMU/AbiWord, LGPL, Debian ``python3-link-grammar`` +
  ``link-grammar-dictionaries-en``): a sentence with no complete linkage is flagged, and the words
  it had to leave unlinked are shown. It is a system package, so it is used only when its Python
  binding loads in this interpreter (same CPython minor version as the system's ``python3``);
  otherwise the rules below carry the check alone.
* **agreement rules on the spaCy parse**: subject–verb number agreement ("the results was",
  "he go", "I has"), "a" before a plural noun, a doubled word ("the the").

Spelling (typed answers only) uses pyspellchecker's English frequency list; names, acronyms,
words with digits, named entities and a technical whitelist (``lexicon.TECH_TERMS``) are skipped.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockmirror.language import checks
from mockmirror.language.lexicon import TECH_TERMS

# Where Debian/Ubuntu put the binding; tried only when `import linkgrammar` fails.
_SYSTEM_SITE_DIRS = ("/usr/lib/python3/dist-packages", "/usr/local/lib/python3/dist-packages")
# link-grammar fails many correct long sentences, so its verdict counts only on sentences up to
# this length and only when a word it could not link is a verb, auxiliary, pronoun or "to"
# (benchmarks/content_agreement.py measures both choices).
LINK_GRAMMAR_MAX_WORDS = 25
_KEY_UNLINKED_POS = frozenset({"PRON", "VERB", "AUX", "PART"})
LINK_GRAMMAR_TIME_S = 2


def import_link_grammar() -> Any | None:
    """The ``linkgrammar`` module, or None when no binding for this Python is installed.

    Only the ``linkgrammar`` package is loaded from the system folder: the rest of the system's
    packages stay off ``sys.path``, so they cannot shadow the virtual environment's.
    """
    try:
        import linkgrammar  # type: ignore[import-not-found]

        return linkgrammar
    except ImportError:
        pass
    for site in _SYSTEM_SITE_DIRS:
        init = Path(site) / "linkgrammar" / "__init__.py"
        if not init.is_file():
            continue
        spec = importlib.util.spec_from_file_location(
            "linkgrammar", init, submodule_search_locations=[str(init.parent)]
        )
        if spec is None or spec.loader is None:
            continue
        module = importlib.util.module_from_spec(spec)
        sys.modules["linkgrammar"] = module
        try:
            spec.loader.exec_module(module)
        except Exception:  # wrong CPython ABI, missing liblink-grammar: no binding here
            sys.modules.pop("linkgrammar", None)
            for name in [m for m in sys.modules if m.startswith("linkgrammar.")]:
                sys.modules.pop(name, None)
            continue
        return module
    return None


class LinkGrammarChecker:
    """Full-linkage test per sentence with the English link-grammar dictionary."""

    def __init__(self, module: Any) -> None:
        self._lg = module
        self.messages: list[str] = []
        # Keep the library's diagnostics (e.g. "locale unknown") off the terminal.
        module.LG_Error.set_handler(lambda errinfo, data: self.messages.append(str(errinfo)))
        self._dict = module.Dictionary("en")
        self._strict = module.ParseOptions(min_null_count=0, max_null_count=0, verbosity=0)
        self._strict.max_parse_time = LINK_GRAMMAR_TIME_S
        self._loose = module.ParseOptions(min_null_count=1, max_null_count=4, verbosity=0)
        self._loose.max_parse_time = LINK_GRAMMAR_TIME_S
        self.version = getattr(module, "__version__", "")

    def check(self, text: str) -> tuple[bool | None, list[str]]:
        """(True = full linkage found, False = none, None = not judged), and unlinked words."""
        lg = self._lg
        try:
            linkages = lg.Sentence(text, self._dict, self._strict).parse()
            if len(linkages) > 0:
                return True, []
        except lg.LG_TimerExhausted:
            return None, []
        except Exception:
            return None, []
        unlinked: list[str] = []
        try:
            for linkage in lg.Sentence(text, self._dict, self._loose).parse():
                unlinked = [w[1:-1] for w in linkage.words() if w.startswith("[") and w.endswith("]")]
                break
        except Exception:
            pass
        return False, unlinked


# ---- agreement rules on a spaCy parse ---------------------------------------------------------

_SINGULAR_PRONOUNS = frozenset({"he", "she", "it", "this", "that", "everyone", "everybody", "nobody"})
_AGREEMENT_SKIP = frozenset(
    [
        "that",
        "which",
        "who",
        "lot",
        "lots",
        "number",
        "kind",
        "sort",
        "type",
        "majority",
        "rest",
        "half",
        "none",
        "some",
        "all",
        "each",
        "any",
        "most",
        "data",
        "media",
        "staff",
        "team",
    ]
)
_PLURAL_PRONOUNS = frozenset({"we", "they", "you", "these", "those"})


def agreement_problems(sent: Any) -> list[str]:
    """Explanations for number-agreement errors in one spaCy sentence span (empty = none seen)."""
    problems: list[str] = []
    for token in sent:
        if token.dep_ != "nsubj" or token.head.pos_ not in {"VERB", "AUX"}:
            continue
        verb = token.head
        # With an auxiliary, the finite verb is the first auxiliary: "he has gone".
        finite = next((c for c in verb.children if c.dep_ == "aux" and c.i < verb.i), verb)
        if finite.i < token.i:  # questions and inversions: leave alone
            continue
        if any(c.dep_ == "cc" for c in token.children) or any(c.dep_ == "conj" for c in token.children):
            continue  # "Me and him go": coordination is beyond these rules
        word, tag, verb_word = token.lower_, finite.tag_, finite.lower_
        if word in _AGREEMENT_SKIP or token.tag_ in {"WDT", "WP"}:
            continue  # "that"/"which" take the number of what they refer to; "a lot of …" varies
        subject_plural = token.tag_ in {"NNS", "NNPS"} or word in _PLURAL_PRONOUNS
        subject_singular = token.tag_ in {"NN", "NNP"} or word in _SINGULAR_PRONOUNS
        if word == "i":
            if verb_word in {"is", "has", "does"} or tag == "VBZ":
                problems.append(f"'I … {finite.text}': with 'I' use '{_i_form(finite)}'")
            elif verb_word == "were":
                problems.append("'I were' in a statement: use 'I was'")
            continue
        if subject_plural and (tag == "VBZ" or verb_word == "was"):
            problems.append(f"'{token.text} … {finite.text}': plural subject, singular verb")
        elif subject_singular and (verb_word == "were" or (tag == "VBP" and verb_word not in {"am"})):
            if token.tag_ in {"NN", "NNP"} and _is_mass_or_collective(token):
                continue
            problems.append(f"'{token.text} … {finite.text}': singular subject, plural verb")
    for token in sent:
        if (
            token.lower_ in {"a", "an"}
            and token.dep_ == "det"
            and token.head.tag_ == "NNS"
            and not any(c.lower_ in {"few", "lot", "couple", "number"} for c in token.head.lefts)
        ):
            problems.append(f"'{token.text} {token.head.text}': '{token.text}' before a plural noun")
    for token in sent:
        children = list(token.children)
        auxes = [c for c in children if c.dep_ in {"aux", "auxpass"} and c.i < token.i]
        # "can to speak", "must to finish": a modal takes the bare infinitive.
        if token.tag_ == "VB" and any(c.lower_ == "to" for c in auxes) and any(c.tag_ == "MD" for c in auxes):
            problems.append(f"'{token.text}': no 'to' after a modal verb")
        # "didn't knew", "does goes": after do/does/did the verb is in its base form.
        if token.tag_ in {"VBD", "VBZ"} and token.pos_ == "VERB" and any(c.lemma_ == "do" for c in auxes):
            do = next(c.text for c in auxes if c.lemma_ == "do")
            problems.append(f"'{token.text}' after '{do}': use '{token.lemma_}'")
        # "have finish": a perfect needs the past participle.
        if (
            token.tag_ == "VB"
            and token.pos_ == "VERB"
            and any(c.lemma_ == "have" for c in auxes)
            and not any(c.lower_ == "to" or c.tag_ == "MD" for c in auxes)
            and token.lemma_ == token.lower_
            and token.lower_
            not in {"put", "set", "cut", "let", "hit", "read", "run", "come", "become", "spread"}
        ):
            problems.append(f"'have … {token.text}': use the past participle")
        # "there is many problems"
        if token.lemma_ == "be" and token.tag_ in {"VBZ", "VBD"} and any(c.dep_ == "expl" for c in children):
            plural = [c for c in children if c.dep_ in {"attr", "nsubj"} and c.tag_ == "NNS"]
            if plural and token.lower_ in {"is", "was", "'s"}:
                problems.append(
                    f"'there {token.text} … {plural[0].text}': use 'there are/were' before a plural"
                )
    words = [t for t in sent if t.is_alpha]
    for first, second in checks.doubled_words([(t.lower_, t.i) for t in words]):
        problems.append(f"'{words[first].text} {words[second].text}': doubled word")
    return problems


def _i_form(verb: Any) -> str:
    return {"is": "am", "has": "have", "does": "do"}.get(verb.lower_, verb.lemma_)


def _is_mass_or_collective(token: Any) -> bool:
    # "The team were" is British usage; "data are" is fine too.
    return token.lower_ in {"team", "staff", "data", "management", "police", "family", "government"}


# ---- spelling ----------------------------------------------------------------------------------

_WORD = re.compile(r"[A-Za-z][a-z]+(?:['’][a-z]+)?")


@dataclass(frozen=True, slots=True)
class Misspelling:
    word: str
    suggestion: str | None
    start_char: int
    end_char: int


_BRITISH = (
    (re.compile(r"(\w)ll(ed|ing|er|ers)$"), r"\1l\2"),  # trialled, travelling, modeller
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),  # prioritised, organisation
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),  # analysed
    (re.compile(r"our(s|ed|ing|ite|ites|able)?$"), r"or\1"),  # behaviour, favourite
    (re.compile(r"tre(s)?$"), r"ter\1"),  # centre
    (re.compile(r"ogue(s)?$"), r"og\1"),  # catalogue
)


def _british_variant_known(word: str, spell: Any) -> bool:
    """British spellings the (American-leaning) frequency list lacks: trialled, prioritised…"""
    for pattern, replacement in _BRITISH:
        variant = pattern.sub(replacement, word)
        if variant != word and not spell.unknown([variant]):
            return True
    return False


def misspellings(doc: Any, spell: Any, limit: int = 40) -> list[Misspelling]:
    """Words of a typed answer that the spelling list does not know (at most ``limit``)."""
    candidates = []
    for token in doc:
        text = token.text
        if not _WORD.fullmatch(text) or len(text) < 3:
            continue
        lower = text.lower().replace("’", "'")
        if token.ent_type_ or lower in TECH_TERMS:
            continue
        # Capitalised mid-sentence words are names or products; acronyms are ALL CAPS (not matched).
        if text[0].isupper() and not token.is_sent_start:
            continue
        if "'" in lower:
            lower = lower.split("'")[0]
        candidates.append((token, lower))
    unknown = spell.unknown([w for _, w in candidates])
    unknown = {w for w in unknown if not _british_variant_known(w, spell)}
    found: list[Misspelling] = []
    for token, lower in candidates:
        if lower in unknown and lower not in TECH_TERMS:
            found.append(Misspelling(token.text, None, token.idx, token.idx + len(token.text)))
            if len(found) >= limit:
                break
    # Suggestions cost an edit-distance search each: only for what is reported.
    return [Misspelling(m.word, spell.correction(m.word.lower()), m.start_char, m.end_char) for m in found]


def sentence_problems(doc: Any, checker: LinkGrammarChecker | None) -> tuple[bool, list[str]]:
    """(judged, problems) for one parsed sentence: spaCy rules, then link-grammar if loaded."""
    problems = [p for sent in doc.sents for p in agreement_problems(sent)]
    words = [t for t in doc if t.is_alpha]
    if checker is None or len(words) > LINK_GRAMMAR_MAX_WORDS:
        return True, problems
    ok, unlinked = checker.check(doc.text)
    if ok is False:
        by_text = {t.text: t for t in doc}
        key = [w for w in unlinked if w in by_text and by_text[w].pos_ in _KEY_UNLINKED_POS]
        if key:
            problems.append(
                "no complete parse (link-grammar); no place for " + ", ".join(repr(w) for w in key[:3])
            )
    return True, problems
