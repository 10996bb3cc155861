"""Content of an answer: relevance gate, STAR(+Learning) structure, scored sub-measures."""

from mockmirror.language.content import (
    ContentAnalysis,
    Cue,
    KeyPoint,
    Sentence,
    StarPart,
    SubScore,
    analyze_content,
)
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.language.tools import LanguageTools

__all__ = [
    "ContentAnalysis",
    "Cue",
    "KeyPoint",
    "LanguageTools",
    "Sentence",
    "SentenceEncoder",
    "StarPart",
    "SubScore",
    "analyze_content",
]
