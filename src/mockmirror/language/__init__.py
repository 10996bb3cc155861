"""Content of an answer: relevance, STAR(+Learning) structure, length."""

from mockmirror.language.content import ContentAnalysis, Sentence, StarPart, analyze_content
from mockmirror.language.embedding import SentenceEncoder

__all__ = ["ContentAnalysis", "Sentence", "SentenceEncoder", "StarPart", "analyze_content"]
