"""What kind of interview question this is, and what a strong answer to that kind contains.

The one home for question types. A question's kind is decided, in this order:

1. **bank metadata** — a question from the shipped bank carries its ``type``; ``kind_from_bank``
   maps it (``warm_up`` → self_description, ``motivational`` → motivation, …);
2. **wording rules** — free text and job-description questions go through ``RULES``: ordered,
   named regular expressions, first match wins, each with a fixed confidence; the matched words
   are kept as the cue that decided it;
3. **encoder vote** (optional) — when no rule fires and a ``SentenceEncoder`` is given, the
   bank's own labelled questions vote: the question goes to the kind whose bank questions' mean
   MiniLM vector (centroid) is most similar.

Without a rule or an encoder the question falls back to ``DEFAULT_KIND`` with a low confidence.
Everything is deterministic. Each kind has a ``Rubric`` (``rubric_for``): the points a strong
answer covers, whether STAR(+L) is expected (behavioural only) and a spoken length band.
Accuracy on our labelled set: ``benchmarks/question_types.py``, numbers in docs/content.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

import numpy as np

if TYPE_CHECKING:
    from mockmirror.language.embedding import SentenceEncoder


class QuestionKind(StrEnum):
    BEHAVIOURAL = "behavioural"  # a past example: "Tell me about a time…", "Describe a disagreement…"
    SITUATIONAL = "situational"  # a hypothetical: "What would you do if…", "How would you handle…"
    MOTIVATION = "motivation"  # motivation and fit: why this job, company or field, what draws you
    TECHNICAL = "technical"  # knowledge and method: explain, define, design, how does X work
    SELF_DESCRIPTION = "self_description"  # about yourself, strengths, weaknesses, goals, style
    CLOSING = "closing"  # "Do you have any questions for us?", "Anything to add?"


Source = Literal["bank", "wording"]
Method = Literal["bank", "rule", "encoder_vote", "default"]

# The bank's QuestionType values (mockmirror.interview.bank) → kinds.
BANK_TYPE_KINDS: dict[str, QuestionKind] = {
    "behavioural": QuestionKind.BEHAVIOURAL,
    "situational": QuestionKind.SITUATIONAL,
    "technical": QuestionKind.TECHNICAL,
    "motivational": QuestionKind.MOTIVATION,
    "warm_up": QuestionKind.SELF_DESCRIPTION,
    "closing": QuestionKind.CLOSING,
}

# When nothing decides: a question with no cue is most often about the candidate, and that rubric
# (a through-line, evidence, a link to the role) fits most answers without demanding a STAR story.
DEFAULT_KIND = QuestionKind.SELF_DESCRIPTION
DEFAULT_CONFIDENCE = 0.3
# The encoder vote never claims more confidence than this.
VOTE_MAX_CONFIDENCE = 0.7
WORDS_PER_MINUTE = 140  # spoken answers, for the length bands


@dataclass(frozen=True, slots=True)
class QuestionClassification:
    """A question's kind with how it was decided (for a "how this was measured" trace)."""

    kind: QuestionKind
    confidence: float  # 0-1: 1 for bank metadata, the rule's own for a wording rule
    source: Source  # "bank": the question bank's metadata; "wording": the question's words
    method: Method  # bank | rule | encoder_vote | default
    rule: str | None = None  # the wording rule that fired
    cues: tuple[str, ...] = ()  # what decided it: the matched words, the bank type, the neighbours

    def explain(self) -> str:
        """One line for a report: the kind and why."""
        if self.method == "bank":
            why = f"question bank type {self.cues[0]!r}" if self.cues else "question bank type"
        elif self.method == "rule":
            why = f"wording rule {self.rule!r} matched " + ", ".join(f'"{c}"' for c in self.cues)
        elif self.method == "encoder_vote":
            why = "no wording rule matched; " + "; ".join(self.cues)
        else:
            why = f"no wording rule matched; default {self.kind.value}"
        return f"{self.kind.value} (confidence {self.confidence:.2f}): {why}"


@dataclass(frozen=True, slots=True)
class Rule:
    name: str
    kind: QuestionKind
    pattern: re.Pattern[str]
    confidence: float
    what: str  # what the rule looks for, in words


def _rule(name: str, kind: QuestionKind, confidence: float, what: str, *alternatives: str) -> Rule:
    return Rule(name, kind, re.compile("|".join(f"(?:{a})" for a in alternatives)), confidence, what)


_B, _S, _M, _T, _D, _C = (
    QuestionKind.BEHAVIOURAL,
    QuestionKind.SITUATIONAL,
    QuestionKind.MOTIVATION,
    QuestionKind.TECHNICAL,
    QuestionKind.SELF_DESCRIPTION,
    QuestionKind.CLOSING,
)
_ASK = (
    r"(?:tell (?:me|us)(?: more)? about|talk (?:me |us )?about|describe|share|recall|remember|"
    r"think (?:back )?(?:to|of|about))"
)
_THROUGH = r"(?:walk|talk|take) (?:me|us) through"
_ART = r"(?:a|an|one|the|your|the last|a recent|a specific)"
_EPISODE = (
    r"(?:time|times|occasion|moment|situation|instance|incident|case|example|"
    r"(?:period|day|week|shift|point) (?:when|where|that|in which|you))"
)
_EVENT = (
    r"(?:disagreement|argument|conflict|dispute|mistake|error|failure|setback|challenge|achievement|"
    r"accomplishment|success|project|decision|deal|sale|complaint|problem|crisis|risk|lesson|initiative|"
    r"goal|target|deadline|change|piece of feedback|feedback|criticism|presentation|negotiation|"
    r"escalation|emergency|patient|customer|client|pupil|student|colleague|stakeholder|team|conversation|"
    r"idea|improvement|bug|issue|outage|audit|shift)"
)
# Past tenses that say the question is about something that happened ("a mistake you made").
_PAST = (
    r"(?:\w+ed|made|led|lost|won|took|gave|did|had|faced|found|saw|got|went|ran|built|wrote|taught|sold|"
    r"told|chose|broke|met|spent|brought|caught|left|held|fought|drove|began|overcame|put|set|thought|"
    r"heard|knew|kept|dealt|felt|became|came|stood|understood|made|sent|let|fell|grew|forgot|struck)"
)
# "Why …" at the start of a sentence, after "so", "and", "but"…
_WHY = r"(?:^|[.!?:;,] |\band )(?:(?:so|but|then|ok|okay|now|well),? )?why "
# A scene set for a hypothetical: "You have twenty tickets waiting…", "A customer posts…".
_SCENE = (
    r"(?:you (?:are|have|notice|discover|find|join|receive|get|arrive|realise|realize|start|inherit|see|"
    r"hear|learn|only have|take over|come back|return)|"
    r"your (?:\w+ ){1,3}(?:is|are|has|have|asks|tells|gives|wants|insists|says|goes|becomes|leaves|"
    r"calls|sends|drops|fails|stops|refuses|announces|threatens|disagrees)|"
    r"(?:a|an|one of your|two|three|several) (?:[\w'-]+ ){1,6}(?:asks|tells|posts|wants|insists|refuses|"
    r"keeps|becomes|seems|says|emails|calls|complains|threatens|drops|fails|goes|starts|is|has|would|arrives|needs|"
    r"shows|stops|reports|disagrees|accuses|offers|cancels|misses|falls|rises|breaks|crashes|changes|"
    r"fall|drop|rise|disagree|ask|want|refuse|complain)|"
    r"it is (?:the end|friday|monday|late|\d))\b"
)
_PEOPLE = (
    r"(?:colleagues?|co-?workers?|manager|managers|boss|friends?|family|team|teammates?|peers?|students?|"
    r"pupils?|patients?|clients?|customers?|employer|line manager|others|people|reports|staff|referees?)"
)

# Ordered: the first rule that matches decides. Closing and self-description wordings are the most
# specific; a past example ("tell me about a time…") beats the hypotheticals, which beat motivation;
# then the weaker past-tense cues, then knowledge and method.
RULES: tuple[Rule, ...] = (
    _rule(
        "closing",
        _C,
        0.95,
        "questions for the panel, anything to add or ask at the end",
        r"\b(?:do|have) you (?:have|got) (?:any |some )?(?:\w+ )?questions\b",
        r"\bany (?:\w+ )?questions\b(?! about (?:yourself|your))",
        r"\bwhat (?:\w+ )?questions (?:do|would|have) you\b",
        r"\bquestions (?:i|we) can answer\b",
        r"\bwhat (?:would|do) you (?:like|want|wish) to "
        r"(?:ask|know about (?:us|the role|the team|working))\b",
        r"\banything (?:else )?(?:that )?you(?: would| had)? (?:like|want|wanted|wish|need)(?: us| me)? to "
        r"(?:ask|add|know|say|tell|clarify|raise|share|mention)\b",
        r"\b(?:something|anything) you (?:wanted|want|would like) to (?:tell|ask|add|say)\b",
        r"\banything (?:else )?(?:that )?(?:we|i) (?:have not|did not|have|did) "
        r"(?:not )?(?:covered|cover|asked)\b",
        r"\bwhat else should (?:we|i) know\b",
        r"\bany (?:concerns|reservations|doubts)\b",
        r"\baccept(?:ing)? (?:an|the|our) offer\b",
        r"\bin closing\b",
        r"\bwhat is on your mind\b|\byour questions\b",
        r"\banything (?:that )?you (?:have not|did not|have never) "
        r"(?:told|tell|said|mentioned|shared|shown)\b",
        r"\banything else\b|\b(?:want|like) to ask\b|\bask (?:us |me )?anything\b",
        r"\b(?:have not|had not|did not) (?:had |have |get |got )?(?:a |the )?chance to\b",
        r"\b(?:last|final|closing|parting) (?:thoughts|words|comments|remarks|points?)\b",
        r"\b(?:find out|learn|hear) from (?:us|me)\b|\bto ask (?:us|me)\b|\bwhat would you ask (?:us|me)\b",
    ),
    _rule(
        "about yourself",
        _D,
        0.95,
        "tell me about yourself, your CV, background or career so far",
        r"\babout yourself\b",
        r"\b(?:describe|introduce|summari[sz]e|sum up) yourself\b|\bsum yourself up\b",
        rf"\b{_THROUGH} your (?:cv|resume|résumé|background|career|experience|profile)\b",
        r"\b(?:overview|summary) of (?:your|you)\b",
        r"\bsummari[sz]e your (?:experience|background|career)\b",
        r"\btypical (?:day|week|shift)\b",
        r"\b(?:tell (?:me|us) about|describe|summari[sz]e|sum up|outline) your (?:career|background)"
        r"(?: so far| to date)?[.?]?$",
        r"\b(?:tell (?:me|us)|talk (?:me|us)) (?:a (?:little|bit) )?about your "
        r"(?:current|last|previous|present|most recent) (?:role|job|position|post)\b",
    ),
    _rule(
        "strengths and weaknesses",
        _D,
        0.9,
        "your strengths, weaknesses, qualities or what you want to improve",
        r"\byour (?:\w+ ){0,2}(?:strengths?|weakness(?:es)?|qualit(?:y|ies)|traits?|flaws?)\b",
        r"\b(?:development|improvement) (?:areas?|needs?|points?)\b",
        r"\bareas? (?:for|of) (?:development|improvement)\b",
        r"\barea (?:that )?you (?:are|need|would like|want) (?:working |trying )?to "
        r"(?:improve|develop|work on)\b",
        r"\b(?:which|what) (?:of your )?skills? (?:are you|do you)\b",
        r"\byour (?:strongest|best|greatest|main|key|top|most useful) (?:\w+ )?(?:skills?|assets?)\b",
        r"\bwhat are you (?:most |really )?(?:good|best|great) at\b",
        r"\byou are not (?:so |very |as |that |particularly )?(?:good|strong|great|confident) "
        r"(?:at|in|with)\b",
    ),
    _rule(
        "how others see you",
        _D,
        0.9,
        "how colleagues or a manager would describe you, what kind of person you are",
        rf"\b{_PEOPLE}(?: [\w']+){{0,5}} (?:describe|say about|see) (?:you|the way you|how you)\b",
        rf"\bwould (?:your |a |the )?(?:\w+ ){{0,2}}{_PEOPLE} say\b",
        r"\bwhat (?:kind|sort|type) of (?:\w+ ){0,2}(?:are you|would you be)\b",
        r"\bwhat are you like\b",
        r"\bdescribe your (?:\w+ )?(?:style|approach to work|personality)\b",
        r"\bwhat is your (?:\w+ )?style\b",
        r"\bhow do you like to (?:be managed|work)\b",
        r"\bhow do you (?:manage|organi[sz]e|plan|prioriti[sz]e) your (?:own )?"
        r"(?:time|workload|work|day|week)\b",
        r"\bhow do you (?:stay|keep(?: yourself)?|remain) (?:\w+ ){0,2}(?:organi[sz]ed|motivated|calm|"
        r"focused|productive|up to date|current|on top|well)\b",
    ),
    _rule(
        "goals",
        _D,
        0.9,
        "career goals, where you see yourself",
        r"\bsee yourself\b",
        r"\b(?:career|long-term|short-term|professional) (?:goals?|ambitions?|plans?|aspirations?)\b",
        r"\bin (?:five|5|ten|10|three|3|two|2|a few|several) years(?:'s)?(?: time)?\b",
        r"\bwhere would you like (?:your career |yourself )?to be\b",
    ),
    _rule(
        "stress and criticism",
        _D,
        0.8,
        "how you cope with stress, pressure, criticism or change (a trait, not a story)",
        r"\bhow do you (?:handle|deal with|cope with|manage|respond to|react to|take) "
        r"(?:stress|pressure|criticism|feedback|failure|setbacks|change|rejection|conflict)\b",
    ),
    _rule(
        "method",
        _T,
        0.8,
        "your approach, process or method for a kind of work",
        rf"\b(?:{_ASK}|{_THROUGH}|what is|explain) (?:your|the) (?:\w+ )?(?:approach|process|method|"
        r"methodology|steps|routine|framework|strategy|workflow)"
        r"(?: to| for| of| you (?:use|follow|take|apply))\b",
    ),
    _rule(
        "past example",
        _B,
        0.9,
        "tell me about a time, give an example, describe an occasion",
        rf"\b{_ASK} {_ART} (?:\w+ ){{0,2}}{_EPISODE}\b",
        rf"\b{_THROUGH} {_ART} (?:\w+ ){{0,2}}(?:{_EPISODE}|{_EVENT})\b",
        r"\b(?:give|share|provide|offer) (?:me |us )?(?:an|one|a|some|two|a few|another)"
        r"(?: specific| concrete| recent| real| good)? examples?\b",
        r"\b(?:what is|what's|what was) (?:an|one|a good|the best) example\b",
        r"\bexamples? (?:of|from) (?:a time|when|how you|where you)\b",
        r"\bhave you ever\b",
        r"\b(?:share|tell (?:me|us)|give (?:me|us)) a story\b|\ba story (?:about|of|from)\b",
        r"\b(?:the last time|the first time|a time) (?:that )?you\b",
        r"\bwhen (?:was the last time|did you last)\b",
        rf"\b{_ASK} {_ART} (?:\w+[ -]){{0,3}}?{_EVENT}s?\b",
        r"\b(?:describe|tell (?:me|us) about) your experience (?:of|in) (?!using\b)\w+ing\b",
    ),
    _rule(
        "superlative experience",
        _B,
        0.85,
        "the biggest / most difficult thing you have done",
        r"\b(?:what|which) (?:is|was|has been|were) (?:the|your) (?:single )?(?:most \w+|\w+est|biggest|best|"
        r"worst|hardest|toughest|proudest)\b(?: [\w-]+){0,3} (?:that )?you(?: have| had| 've)?(?: ever)? "
        + _PAST
        + r"\b",
        r"\b(?:are|were|feel) (?:\w+ )?proud of\b",
        r"\b(?:your|the) (?:greatest|biggest|proudest|most significant) "
        r"(?:achievement|accomplishment|success)\b",
    ),
    _rule(
        "hypothetical",
        _S,
        0.85,
        "what would you do if, how would you handle, imagine, suppose",
        r"\bwhat (?:would|will|should) you do\b",
        r"\bhow would you (?:handle|respond|react|deal|approach|manage|proceed|prioriti[sz]e|go about|tackle|"
        r"cope|resolve|address|support|reply|break the news|raise|escalate|follow up|work through)\b",
        r"\bwhat (?:would|will) (?:you|your) (?:say|first|next|do first|priorit\w*)\b",
        r"\bwhat would (?:be )?your (?:first|next|immediate|approach|plan|response|reaction|priorit)",
        r"\bwould you (?:take|say|tell|do|choose)\b.*\bif\b|\bif\b.*\b(?:would|should) you\b",
        r"(?:^|[.!?:;] )(?:imagine|suppose|supposing|picture (?:this|the scene)|hypothetically|"
        r"let us say|say (?:that )?(?:a|an|the|you|your|one))\b",
        r"\bwhat do you do\b",
        r"\bhow (?:do|would) you (?:handle|respond to|deal with|react to|approach|manage) "
        r"(?:it|this|that|them|him|her|the situation|the call|the conversation)\b",
        r"\bhow do you (?:respond|reply|react|proceed)\b",
        r"\bwhere would you start\b|\byour (?:next|first) (?:move|step|steps|action)\b",
        r"\bin your first (?:\w+ ){0,2}(?:days|weeks|months)\b",
        r"\bhow you would (?:handle|respond|react|deal with|approach|manage|proceed|tackle|resolve|care for|"
        r"support|speak to|talk to|reply)\b",
        r"(?:^|[.!?:;] )(?:sell|pitch) (?:me|us)\b|\brole-?play\b|\bpretend (?:that )?(?:i|you)\b",
    ),
    _rule(
        "scenario",
        _S,
        0.8,
        "a scene set in the present tense, then a question about what you would do in it",
        rf"(?:^|[.!?] ){_SCENE}[^.?!]*[.?!,:;-]+ .*\byou\b",
        rf"(?:^|[.!?] ){_SCENE}[^?]*[.!?:;-] (?:what|and) (?:now|next|then)\b",
        r"^you (?:realise|realize|notice|discover|find|arrive|receive|get|join|inherit|hear|learn|see|start|"
        r"take over|come back|return)\b[^?]*$",
    ),
    _rule(
        "motivation and fit",
        _M,
        0.85,
        "why this job, company or field; what draws, interests or motivates you",
        rf"{_WHY}(?:do|did|would|are|were|have|had) you\b",
        rf"{_WHY}(?!(?:is|are|does|do|did|would|should|can|could|might|was|were|has|have|will|not|it|they|we)\b)",
        r"\bwhy (?:should|would) (?:we|i) (?:hire|choose|pick|employ|offer)\b",
        r"\b(?:is|are) (?:\w+ )?(?:drawing|attracting|pulling|bringing|motivating) you\b",
        r"\b(?:tell (?:me|us)|explain) why you\b",
        r"\bwhy you (?:want|would like|wish|are (?:applying|interested))\b",
        r"\b(?:what|which) (?:[\w-]+ ){0,5}(?:attracts|attracted|draws|drew|interests|interested|excites|"
        r"excited|appeals|appealed|motivates|motivated|inspires|inspired) you\b",
        r"\bwhat (?:\w+ )?(?:attracts|draws|interests|excites|motivates|inspires) you\b",
        r"\bwhat (?:first )?(?:led|brought) you to (?:apply|choose|become|join|this|our|us|the|a career|work|"
        r"teach|nursing|teaching|finance|sales|data|design|product|software|engineering)\b",
        r"\b(?:gives?|give) you (?:the most |more |most )?energy\b|\benergi[sz]es you\b|\bdrains you\b|"
        r"\bwhat keeps you (?:going|motivated|here|interested)\b|\bget(?:s)? you out of bed\b",
        r"\bappeals? to you\b",
        r"\bmade you (?:want|choose|decide|apply|go|become|move|switch|interested)\b",
        r"\bwhat is it about\b|\bwhat is it (?:that )?you (?:like|love|enjoy|find)\b",
        r"\byou (?:like|love|enjoy) (?:most |least )?about\b",
        r"\bwhat do you (?:know|like|love|enjoy|find \w+) about (?:us|our|this|the (?:company|organisation|"
        r"organization|firm|school|trust|hospital|team|role|job|bank|charity|business)|working|being)\b",
        r"\bwhat do you (?:enjoy|love|like) (?:most )?about\b",
        r"\bwhat do you find (?:most )?(?:rewarding|interesting|exciting|appealing|fulfilling|satisfying|"
        r"attractive|meaningful|enjoyable) about\b",
        r"\b(?:leaving|leave|left) your (?:current|last|previous|present) "
        r"(?:job|role|position|employer|company)\b",
        r"\b(?:hope|want|expect|like) to (?:gain|get|learn|achieve) (?:from|in|by|at) (?:this|the|our)\b",
        r"\b(?:good|right|strong|the best) fit\b",
        r"\bwhat (?:would|could|can|will) you bring\b|\byou (?:could|would|can|will) bring to\b",
        r"\b(?:interested|interest) in (?:this|the|our|joining|working)\b",
    ),
    _rule(
        "past tense",
        _B,
        0.7,
        "a question about what you did: how did you, what did you do, a mistake you made",
        r"\b(?:how|what|when|where|why) did you\b",
        r"\bhave you (?:had|been|dealt|handled|managed|led|worked|faced|made)\b",
        rf"\b(?:a|an|one|the) (?:\w+ ){{0,2}}(?:that |which )?you(?: have| had| 've)? "
        rf"(?:ever |once |recently )?{_PAST}\b",
        rf"\bhow you {_PAST}\b",
    ),
    _rule(
        "knowledge and method",
        _T,
        0.8,
        "explain, define, the difference between, how does X work, how would you design",
        r"\bexplain\b",
        r"\bdefine\b|\bdefinition of\b",
        r"\bdifferences? between\b|\bcompare\b|\bversus\b|\bvs\.?\b",
        r"\bhow (?:does|do|did|is|are|can|could) (?!you\b|we\b|i\b|this (?:job|role|position)\b|it\b)"
        r"[\w-]+(?: [\w-]+){0,5} (?:work|works|"
        r"happen|differ|fit|affect|ensure|handle|protect|prevent|scale|compare)\b",
        r"\bhow would you (?:design|build|implement|architect|scale|model|value|test|debug|optimi[sz]e|"
        r"structure|set up|measure|calculate|estimate|forecast|explain|teach|write|create|develop|migrate|"
        r"secure|monitor|price|analy[sz]e|evaluate|assess|plan|choose|decide|find out|detect|validate|"
        r"normali[sz]e|refactor|automate|configure|deploy|index|query|clean|visuali[sz]e|audit|reconcile|diagnose)\b",
        r"\bwhat (?:is|are|does|do) (?:the )?(?:term |acronym |word )?[\w-]+(?: [\w-]+){0,3} "
        r"(?:mean|stand for)\b",
        r"\b(?:advantages|disadvantages|benefits|drawbacks|pros|cons|trade-?offs|limitations|risks) of\b",
        r"\bwhen (?:would|should|do) you use\b",
        rf"\b{_THROUGH} (?:how|the (?:steps|process|stages|way))\b",
        r"\b(?:describe|tell (?:me|us)|show (?:me|us)) how\b",
        r"\bwhat you know about\b|\bhow familiar are you\b|\bknowledge of\b",
        r"\bexperience (?:with|using|in using|of using)\b",
        r"\bteach (?:me|us)\b",
        r"\b(?:which|what) (?:[\w-]+ ){1,3}(?:would|do|should) you "
        r"(?:use|choose|pick|recommend|track|apply)\b",
        r"\b(?:which|what) (?:\w+ ){0,2}(?:methods?|tools?|techniques?|metrics?|kpis?|steps|frameworks?|"
        r"approach(?:es)?|strategies|languages?|libraries|tests?|indicators?|checks?) "
        r"(?:do|would|should|could) you\b",
    ),
    _rule(
        "knowledge: why and what",
        _T,
        0.75,
        "why does X happen, what do you know about X",
        r"(?:^|[.!?:;,] )why (?:is|are|does|do|would|should|can|might|was|were) (?!you\b|we\b)",
        r"\bwhat do you know about\b",
    ),
    _rule(
        "definition",
        _T,
        0.7,
        "what is X, how do you do a professional task",
        r"(?:^|[.!?:;] )what (?:is|are) (?!your\b|you\b|it\b|this\b|that\b|there\b)(?![^.?!]*\byou\b)",
        r"\bhow do you (?!feel\b|think\b|see\b|like\b|know\b)\w+",
        r"\bhow should\b",
    ),
    _rule(
        "tell me about something",
        _B,
        0.6,
        "tell me about / describe a thing, with no other cue: most often a past example",
        r"\b(?:tell (?:me|us)|talk (?:me |us )?) about (?:a|an|one|the|something|someone|somewhere)\b",
        r"\bdescribe (?:a|an|one|something|someone) (?:[\w-]+ ){0,3}(?:that|which|when|where|who)\b",
    ),
    _rule(
        "would you",
        _S,
        0.55,
        "any other 'would you': a hypothetical",
        r"\bwould you\b|\bwould (?:it|that|this) be\b",
    ),
    _rule(
        "practicalities",
        _M,
        0.6,
        "salary, notice, availability, working patterns: fit with the job",
        r"\bsalary\b|\bnotice period\b|\brelocat\w*|\bavailab(?:le|ility)\b|\bcommut\w*|"
        r"\bworking (?:weekends|nights|shifts|hours|remotely|from home)\b|\bhow do you feel about\b",
    ),
)

_CONTRACTIONS = (
    (r"\bwhat's\b", "what is"),
    (r"\bthat's\b", "that is"),
    (r"\bit's\b", "it is"),
    (r"\bthere's\b", "there is"),
    (r"\blet's\b", "let us"),
    (r"\bwon't\b", "will not"),
    (r"\bcan't\b", "cannot"),
    (r"\b(\w+)n't\b", r"\1 not"),
    (r"\byou'd\b", "you would"),
    (r"\bi'd\b", "i would"),
    (r"\bwe'd\b", "we would"),
    (r"\b(you|we|they|i)'ve\b", r"\1 have"),
    (r"\b(you|we|they)'re\b", r"\1 are"),
    (r"\bi'm\b", "i am"),
    (r"\b(you|we|i|they)'ll\b", r"\1 will"),
)
_CONTRACTION_PATTERNS = tuple((re.compile(p), r) for p, r in _CONTRACTIONS)


def normalise_question(text: str) -> str:
    """Lower case, straight quotes, contractions spelt out, one space between words."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = " ".join(text.lower().split())
    for pattern, replacement in _CONTRACTION_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def kind_from_bank(question_type: str) -> QuestionKind:
    """The kind of a bank question from its ``type`` (a ``QuestionType`` value or its string)."""
    try:
        return BANK_TYPE_KINDS[str(question_type)]
    except KeyError:
        raise ValueError(
            f"unknown question bank type {question_type!r}; expected one of {sorted(BANK_TYPE_KINDS)}"
        ) from None


def classification_from_bank(question_type: str) -> QuestionClassification:
    """The bank's metadata as a classification (confidence 1, source "bank")."""
    return QuestionClassification(
        kind=kind_from_bank(question_type),
        confidence=1.0,
        source="bank",
        method="bank",
        cues=(str(question_type),),
    )


def match_rules(text: str) -> tuple[Rule, str] | None:
    """The first wording rule that matches the question, with the words it matched."""
    norm = normalise_question(text)
    for rule in RULES:
        found = rule.pattern.search(norm)
        if found:
            return rule, found.group(0).strip(" .,;:!?")
    return None


class BankVote:
    """Nearest-centroid vote over labelled reference questions (by default the shipped bank).

    Each kind's references are averaged into one unit vector (its centroid); a question goes to the
    kind whose centroid is most similar, ties in ``QuestionKind`` order. Averaging keeps the kinds
    with many bank questions (behavioural) from out-voting the rest. Build it once and reuse it:
    it encodes every reference question (or takes their ``vectors``, in the same order).
    """

    def __init__(
        self,
        encoder: SentenceEncoder,
        references: Sequence[tuple[str, QuestionKind]] | None = None,
        *,
        vectors: np.ndarray | None = None,
    ) -> None:
        if references is None:
            references = bank_references()
        if not references:
            raise ValueError("the vote needs at least one reference question")
        self.encoder = encoder
        self.texts = [text for text, _ in references]
        self.kinds = [QuestionKind(kind) for _, kind in references]
        self.vectors = (
            encoder.encode(self.texts) if vectors is None else np.asarray(vectors, dtype=np.float32)
        )
        if self.vectors.shape[0] != len(self.texts):
            raise ValueError("one vector per reference question is needed")
        self.centroid_kinds = [k for k in QuestionKind if k in self.kinds]
        centroids = np.stack(
            [
                self.vectors[[i for i, k in enumerate(self.kinds) if k is kind]].mean(axis=0)
                for kind in self.centroid_kinds
            ]
        )
        self.centroids = centroids / np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)

    def scores(self, text: str) -> dict[QuestionKind, float]:
        """Cosine similarity of the question to each kind's centroid (kinds without references absent)."""
        row = self.encoder.encode([text])[0] @ self.centroids.T
        return {kind: float(value) for kind, value in zip(self.centroid_kinds, row, strict=True)}

    def classify(self, text: str) -> QuestionClassification:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[QuestionClassification]:
        """The vote for each question (one encoder call for all of them)."""
        return self.classify_vectors(self.encoder.encode(list(texts)))

    def classify_vectors(self, vectors: np.ndarray) -> list[QuestionClassification]:
        """The vote for questions already encoded with this encoder (unit vectors, one per row)."""
        order = list(QuestionKind)
        out = []
        for vector, row in zip(vectors, vectors @ self.centroids.T, strict=True):
            ranked = sorted(
                zip(self.centroid_kinds, row.tolist(), strict=True),
                key=lambda item: (-item[1], order.index(item[0])),
            )
            best_kind, best = ranked[0]
            runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
            # A margin of 0.07 in cosine similarity earns the vote's full confidence.
            confidence = round(min(VOTE_MAX_CONFIDENCE, 0.35 + 5.0 * (best - runner_up)), 3)
            sims = self.vectors @ vector
            nearest = [i for i in np.argsort(-sims, kind="stable") if self.kinds[i] is best_kind][:2]
            examples = tuple(f"{self.texts[i]!r} ({sims[i]:.2f})" for i in nearest)
            out.append(
                QuestionClassification(
                    kind=best_kind,
                    confidence=confidence,
                    source="wording",
                    method="encoder_vote",
                    rule=None,
                    cues=(
                        f"closest to the bank's {best_kind.value} questions: {best:.2f} "
                        f"vs next {runner_up:.2f}",
                        *examples,
                    ),
                )
            )
        return out


def bank_references() -> list[tuple[str, QuestionKind]]:
    """The shipped bank's questions with their kinds (imported here: interview imports language)."""
    from mockmirror.interview.bank import load_bank

    return [(q.text, kind_from_bank(q.type.value)) for q in load_bank()]


def classify_question(
    text: str,
    encoder: SentenceEncoder | None = None,
    *,
    vote: BankVote | None = None,
) -> QuestionClassification:
    """A free-text question's kind from its wording: the rules, then (optionally) the bank's vote.

    ``vote`` is a prebuilt ``BankVote`` (build one to classify many questions); an ``encoder`` alone
    builds one for this call, which encodes the whole bank.
    """
    found = match_rules(text)
    if found is not None:
        rule, words = found
        return QuestionClassification(
            kind=rule.kind,
            confidence=rule.confidence,
            source="wording",
            method="rule",
            rule=rule.name,
            cues=(words,),
        )
    if vote is None and encoder is not None and text.strip():
        vote = BankVote(encoder)
    if vote is not None and text.strip():
        return vote.classify(text)
    return QuestionClassification(
        kind=DEFAULT_KIND, confidence=DEFAULT_CONFIDENCE, source="wording", method="default"
    )


_OPEN_QUESTION = re.compile(
    r"\b(about yourself|introduce yourself|your background|walk (me|us) through your (cv|resume|career)|"
    r"anything (else )?(you('d)? like|to add)|questions? for (me|us)|describe yourself)\b",
    re.I,
)


# "Why should we hire you?": the answer is a pitch of the candidate's own qualities, which share
# few words with the question (a real answer listing leadership and initiative scored 0.13).
_SELF_PITCH = re.compile(
    r"\b(((should|would|could) (we|i)|(we|i) (should|would|could)) (hire|choose|pick|select) you|"
    r"why (are|would) you (be )?(a |the )?"
    r"(good|great|right|best|strong|ideal) (fit|candidate|choice|person)|what (can|would|will) you bring|"
    r"what makes you (a |the )?(good|great|right|best|strong|ideal|qualified|stand out|different|unique))\b",
    re.I,
)


def is_self_pitch(question: str) -> bool:
    """A question whose answer is the candidate's case for themselves ("Why should we hire you?")."""
    return bool(_SELF_PITCH.search(question))


def is_open_question(question: str) -> bool:
    """A question with no topic of its own ("Tell me about yourself", "Why should we hire you?"):
    nothing to gate against."""
    return bool(_OPEN_QUESTION.search(question)) or is_self_pitch(question)


def classify(
    text: str,
    *,
    bank_type: str | None = None,
    encoder: SentenceEncoder | None = None,
    vote: BankVote | None = None,
) -> QuestionClassification:
    """Bank metadata first (when the question comes from the bank), then the wording."""
    if bank_type is not None:
        return classification_from_bank(bank_type)
    return classify_question(text, encoder, vote=vote)


def classify_questions(
    texts: Iterable[str], encoder: SentenceEncoder | None = None
) -> list[QuestionClassification]:
    """Many questions, encoding the bank once when an encoder is given."""
    texts = list(texts)
    vote = BankVote(encoder) if encoder is not None and any(match_rules(t) is None for t in texts) else None
    return [classify_question(t, vote=vote) for t in texts]


# ---- rubrics --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rubric:
    """What a strong answer to one kind of question includes, and how long it runs when spoken."""

    kind: QuestionKind
    summary: str  # what the question is for, in one line
    key_points: tuple[str, ...]  # 3-5 generic points, phrased for the candidate
    star_expected: bool  # STAR(+L) structure expected (behavioural only)
    star_parts: tuple[str, ...]  # the parts expected when it is
    length_words: tuple[int, int]  # a sensible spoken length, in words (low, high)
    # One thing to try when there was no answer yet ("Give the interviewer a few sentences: …").
    try_first: str = "say what happened, what you did and how it turned out"

    @property
    def length_minutes(self) -> tuple[float, float]:
        """The length band in minutes of speech at ``WORDS_PER_MINUTE``."""
        low, high = self.length_words
        return round(low / WORDS_PER_MINUTE, 2), round(high / WORDS_PER_MINUTE, 2)


RUBRICS: dict[QuestionKind, Rubric] = {
    QuestionKind.BEHAVIOURAL: Rubric(
        kind=QuestionKind.BEHAVIOURAL,
        summary="one real example from your past, told so the listener can judge what you did",
        key_points=(
            "Set the situation briefly: where, when, and what was at stake",
            "Say what your task or responsibility was",
            "Describe your own actions step by step, with 'I' rather than 'we'",
            "Give the result, with a number or a concrete outcome where you can",
            "Say what you learned or would do differently next time",
        ),
        star_expected=True,
        star_parts=("situation", "task", "action", "result", "learning"),
        length_words=(140, 350),  # about 1 to 2.5 minutes
    ),
    QuestionKind.SITUATIONAL: Rubric(
        kind=QuestionKind.SITUATIONAL,
        try_first="say what you would do first, what next, and why",
        summary="a hypothetical: how you would think and act in a situation the job brings",
        key_points=(
            "Lay out a plan with ordered steps: what you would do first and what next",
            "Say who you would involve or inform, and when you would escalate",
            "Name the trade-offs or risks and how you would weigh them",
            "Say how you would check that it worked, and back it with a time you did something similar",
        ),
        star_expected=False,
        star_parts=(),
        length_words=(100, 280),  # about 45 seconds to 2 minutes
    ),
    QuestionKind.MOTIVATION: Rubric(
        kind=QuestionKind.MOTIVATION,
        try_first="give one or two specific reasons why you want this role with this employer",
        summary="why this job, this employer or this field, and why you",
        key_points=(
            "Give specific reasons tied to this employer and this role, not ones that fit any job",
            "Link them to your own experience: what you have done that led you here",
            "Say what you would bring to the role",
            "Keep it genuine and forward-looking rather than about leaving something behind",
        ),
        star_expected=False,
        star_parts=(),
        length_words=(70, 210),  # about 30 seconds to 1.5 minutes
    ),
    QuestionKind.TECHNICAL: Rubric(
        kind=QuestionKind.TECHNICAL,
        try_first="explain the main idea in plain words, then give an example",
        summary="knowledge or method: explain, define, design or show how something works",
        key_points=(
            "Give a correct core explanation first, in plain words",
            "Make it concrete with an example, ideally from your own work",
            "Cover trade-offs, limits or when you would choose something else",
            "Structure it: the main idea, then the detail, then a short summary",
        ),
        star_expected=False,
        star_parts=(),
        length_words=(100, 420),  # about 45 seconds to 3 minutes: explanations can run longer
    ),
    QuestionKind.SELF_DESCRIPTION: Rubric(
        kind=QuestionKind.SELF_DESCRIPTION,
        try_first="say who you are at work and back it with one example",
        summary="who you are at work: your background, strengths, weaknesses, style and goals",
        key_points=(
            "Keep a short, relevant through-line rather than your whole life story",
            "Back each claim with evidence: a result, a role or a brief example",
            "For a weakness, name a real one and what you are doing about it",
            "Link it to this role: why your background fits what they need",
        ),
        star_expected=False,
        star_parts=(),
        length_words=(80, 250),  # about 35 seconds to 1.75 minutes
    ),
    QuestionKind.CLOSING: Rubric(
        kind=QuestionKind.CLOSING,
        try_first="ask the interviewer one question about the role or the team",
        summary="your turn: questions for the interviewers, or a last point to add",
        key_points=(
            "Ask two or three thoughtful questions the advert does not answer (the team, how success is "
            "measured, the first months)",
            "Add any strength or fact the interview has not covered, briefly",
            "Close with a short, sincere statement of interest in the role",
        ),
        star_expected=False,
        star_parts=(),
        length_words=(20, 120),  # about 10 seconds to 1 minute
    ),
}


def rubric_for(kind: QuestionKind | str) -> Rubric:
    """The rubric of a kind (a ``QuestionKind`` or its value)."""
    return RUBRICS[QuestionKind(kind)]
