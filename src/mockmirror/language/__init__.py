"""Content of an answer: is there an answer (validity), relevance, STAR(+Learning) structure,
scored sub-measures."""

from mockmirror.language.content import analyze_content
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.language.tools import LanguageTools
from mockmirror.language.types import ContentAnalysis, Cue, KeyPoint, Sentence, StarPart, SubScore
from mockmirror.language.validity import AnswerStatus, AnswerVerdict

__all__ = [
    "AnswerStatus",
    "AnswerVerdict",
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
