"""STAR + Learning cues from a spaCy parse: which sentences show which part, and why.

Each rule looks at one sentence and, when it fires, says what it saw ("first-person past-tense
action: 'I set up'"). The rules read the parse, not just words: the subject and tense of each verb
(an action is something *I* or *we* did, in the past, that is not a state like "was" or "felt"),
the dependency that makes "my task was to …" a goal statement, entities that anchor a time or
place, and a number or outcome verb that makes a result measurable. Spoken answers are parsed from
the transcript, so the rules also accept the present-tense narration people slip into ("so I call
the client").

Cues are evidence to show the candidate, not proof; ``content.STAR_CUES`` (regex) is the fallback
when spaCy is not installed.
"""

from __future__ import annotations

import re
from typing import Any

# Explicit phrases: the part is named outright. Shared by both detectors' spirit, written for
# one sentence at a time.
_PHRASES: dict[str, re.Pattern[str]] = {
    "situation": re.compile(
        r"\b(back (then|in)|at the time|a few (years|months) ago|(years|months|weeks) ago|"
        r"when i (was|worked|joined|started)|while i (was|worked)|there (was|were) (a|an|this|one)|"
        r"at my (previous|last|current|old|first) (job|company|role|employer|school|internship|team)|"
        r"in my (previous|last|current|old|first) (job|company|role|position|internship)|"
        r"during my (internship|time|placement|degree|first)|the situation was)\b",
        re.I,
    ),
    "task": re.compile(
        r"\b((my|our|the) (main )?(goal|task|job|role|responsibility|objective|challenge|aim|mission|"
        r"brief|assignment|priority|deadline) (was|were|is)|i was (responsible|asked|tasked|in charge|"
        r"assigned|expected|supposed|given|put in charge|the one)|it was (my|our) (job|task|"
        r"responsibility)|(i|we) (needed|had|wanted|were asked|was asked) to|"
        r"(needed|had) to be (done|finished|delivered|ready|fixed)|"
        r"the (problem|issue|challenge) was)\b",
        re.I,
    ),
    "result": re.compile(
        r"\b(as a result|the result (was|is)|resulted in|the outcome|in the end|ended up|"
        r"which (led|meant)|led to|by the end|thanks to (this|that)|because of (this|that)|"
        r"on time|ahead of schedule|under budget|went live|paid off|"
        r"(the )?(client|customer|team|manager|stakeholders?|users?|boss|lead|director)s? "
        r"(was|were) (happy|pleased|satisfied|impressed|delighted|thrilled))\b",
        re.I,
    ),
    "learning": re.compile(
        r"\b(i (learned|learnt|realized|realised|discovered|understood)|taught me|lessons?|"
        r"takeaway|next time|in hindsight|looking back|since then|from then on|ever since|"
        r"if i (did|had) (it|this|that) (again|over)|i would (now )?(do|have|handle|approach)|"
        r"i'd (do|handle|approach)|going forward|now i (always|make|try|check|ask|start|plan)|"
        r"i now|showed me|made me (realise|realize|understand)|what i took away|i('ve| have) "
        r"(since|learned|learnt|started|kept))\b",
        re.I,
    ),
}

# Verbs that describe a state, a thought or a feeling, not an action taken.
_NON_ACTION = frozenset(
    [
        "be",
        "have",
        "feel",
        "think",
        "know",
        "want",
        "need",
        "like",
        "love",
        "hate",
        "seem",
        "believe",
        "hope",
        "wish",
        "remember",
        "realize",
        "realise",
        "learn",
        "understand",
        "notice",
        "see",
        "mean",
        "guess",
        "suppose",
        "find_out",
        "get_used",
    ]
)
# Verbs whose past tense with a number (or alone) states an outcome.
_OUTCOME = frozenset(
    [
        "increase",
        "reduce",
        "improve",
        "decrease",
        "cut",
        "save",
        "grow",
        "raise",
        "boost",
        "lower",
        "drop",
        "double",
        "halve",
        "triple",
        "ship",
        "launch",
        "deliver",
        "release",
        "win",
        "achieve",
        "finish",
        "complete",
        "resolve",
        "meet",
        "hit",
        "exceed",
        "beat",
        "pass",
        "close",
        "secure",
        "sign",
        "land",
        "recover",
        "retain",
        "gain",
        "earn",
        "generate",
        "attract",
        "convert",
        "adopt",
        "renew",
        "promote",
        "outperform",
        "surpass",
        "shorten",
        "speed",
        "eliminate",
        "prevent",
        "avoid",
    ]
)
_OUTCOME_ALONE = frozenset(
    [
        "ship",
        "launch",
        "deliver",
        "win",
        "achieve",
        "complete",
        "resolve",
        "exceed",
        "meet",
        "hit",
        "renew",
        "promote",
        "adopt",
        "secure",
        "land",
        "surpass",
        "outperform",
    ]
)
_SETTING_NOUNS = frozenset(
    [
        "job",
        "company",
        "role",
        "team",
        "internship",
        "university",
        "school",
        "college",
        "startup",
        "firm",
        "agency",
        "hospital",
        "store",
        "shop",
        "restaurant",
        "bank",
        "office",
        "department",
        "project",
        "client",
        "organisation",
        "organization",
        "employer",
        "placement",
        "course",
        "class",
        "lab",
    ]
)
_TASK_NOUNS = frozenset(
    [
        "goal",
        "task",
        "job",
        "role",
        "responsibility",
        "objective",
        "challenge",
        "aim",
        "mission",
        "brief",
        "assignment",
        "priority",
        "deadline",
        "target",
    ]
)
_TIME_WORDS = frozenset(
    [
        "last",
        "ago",
        "year",
        "years",
        "month",
        "months",
        "summer",
        "winter",
        "spring",
        "autumn",
        "fall",
        "semester",
        "quarter",
        "time",
        "back",
    ]
)
_FIRST_SINGULAR = frozenset({"i"})
_FIRST_PLURAL = frozenset({"we"})


def _subject(verb: Any) -> Any | None:
    """The verb's subject, following conjunctions ("I met them and asked …") to the shared one."""
    seen = 0
    while verb is not None and seen < 6:
        for child in verb.children:
            if child.dep_ in {"nsubj", "nsubjpass"}:
                return child
        if verb.dep_ in {"conj", "xcomp"} and verb.head is not verb:
            verb = verb.head
            seen += 1
            continue
        return None
    return None


def _is_past(verb: Any) -> bool:
    if verb.tag_ == "VBD":
        return True
    # Conjoined verbs are sometimes tagged VBN ("I met them and asked…"): accept when the head is past.
    return verb.tag_ == "VBN" and verb.dep_ == "conj" and verb.head.tag_ == "VBD"


def _hypothetical(verb: Any) -> bool:
    return any(
        c.dep_ == "aux" and c.lower_ in {"would", "could", "should", "might", "will", "'d", "can", "may"}
        for c in verb.children
    )


def action_verbs(sent: Any) -> list[tuple[Any, Any]]:
    """(subject, verb) for each action narrated in the past or perfect: "I set up", "we shipped".

    States, thoughts and feelings ("was", "felt", "thought") and hypotheticals ("I would …") are
    not actions.
    """
    found = []
    for token in sent:
        if token.pos_ != "VERB" or token.lemma_.lower() in _NON_ACTION or _hypothetical(token):
            continue
        subject = _subject(token)
        if subject is None or subject.dep_ != "nsubj":
            continue
        # Past tense, or a perfect ("I have rewritten", "I'd already called").
        perfect = token.tag_ == "VBN" and any(
            c.lower_ in {"had", "have", "'ve", "'d"} for c in token.children
        )
        if _is_past(token) or perfect:
            found.append((subject, token))
    return found


def star_cues(sent: Any, position: float) -> dict[str, str]:
    """STAR+L parts that one parsed sentence shows, each with the reason.

    ``position`` is where the sentence sits in the answer (0 = first, 1 = last): context that
    arrives in the first part of an answer reads as the situation.
    """
    text = sent.text
    found: dict[str, str] = {}

    for name, pattern in _PHRASES.items():
        match = pattern.search(text)
        if match:
            found[name] = f"'{match.group(0)}'"

    numbers = [e for e in sent.ents if e.label_ in {"CARDINAL", "PERCENT", "MONEY", "QUANTITY", "TIME"}]
    numbers += [e for e in sent.ents if e.label_ == "DATE" and not set(e.text.lower().split()) & _TIME_WORDS]
    dates = [e for e in sent.ents if e.label_ == "DATE"]

    i_actions, we_actions, outcome = [], [], None
    for subject, verb in action_verbs(sent):
        label = verb.text + "".join(" " + c.text for c in verb.children if c.dep_ == "prt")
        if subject.lower_ in _FIRST_SINGULAR:
            i_actions.append(label)
        elif subject.lower_ in _FIRST_PLURAL:
            we_actions.append(label)
    for token in sent:
        if token.pos_ not in {"VERB", "AUX"}:
            continue
        subject = _subject(token)
        lemma = token.lemma_.lower()
        past = _is_past(token)
        if past and lemma in _OUTCOME and outcome is None:
            if numbers:
                outcome = f"outcome '{token.text}' with a number ({numbers[0].text})"
            elif lemma in _OUTCOME_ALONE:
                outcome = f"outcome verb '{token.text}'"
        if lemma == "learn" and subject is not None and subject.lower_ in _FIRST_SINGULAR | _FIRST_PLURAL:
            found.setdefault("learning", f"'{subject.text} {token.text}'")
    if i_actions:
        found["action"] = f"first-person action: 'I {i_actions[0]}'"
    elif we_actions:
        found["action"] = f"team action: 'we {we_actions[0]}' (who did what?)"
    if outcome:
        found.setdefault("result", outcome)
    elif any(e.label_ in {"PERCENT", "MONEY"} for e in sent.ents) and position > 0.3:
        found.setdefault(
            "result",
            f"a measured figure ({next(e.text for e in sent.ents if e.label_ in {'PERCENT', 'MONEY'})})",
        )

    if "task" not in found:
        for token in sent:
            if token.dep_ == "nsubj" and token.lemma_.lower() in _TASK_NOUNS and token.head.lemma_ == "be":
                found["task"] = f"goal statement: '{token.text} {token.head.text}'"
                break
    if "situation" not in found and position < 0.5:
        anchor = next(
            (
                d
                for d in dates
                if set(d.text.lower().split()) & _TIME_WORDS or re.search(r"\b(19|20)\d\d\b", d.text)
            ),
            None,
        )
        if anchor is not None:
            found["situation"] = f"time anchor '{anchor.text}'"
        else:
            for token in sent:
                if (
                    token.dep_ == "pobj"
                    and token.lemma_.lower() in _SETTING_NOUNS
                    and token.head.lower_ in {"at", "in", "on", "during", "for"}
                ):
                    found["situation"] = f"setting '{token.head.text} … {token.text}'"
                    break
                if (
                    token.dep_ == "pobj"
                    and token.ent_type_ in {"ORG", "GPE", "FAC"}
                    and token.head.lower_ in {"at", "in", "for"}
                ):
                    found["situation"] = f"place '{token.head.text} {token.text}'"
                    break
    if "situation" not in found and position < 0.4:
        # Third-person past context early on: "two engineers on our team disagreed".
        root = next((t for t in sent if t.dep_ == "ROOT"), None)
        if root is not None and _is_past(root) and not _hypothetical(root):
            subject = _subject(root)
            if (
                subject is not None
                and subject.lemma_.lower() not in _TASK_NOUNS
                and (
                    subject.lower_ not in _FIRST_SINGULAR | _FIRST_PLURAL | {"it"}
                    or (root.lemma_ in {"be", "have"} and "action" not in found)
                )
            ):
                found["situation"] = f"context: '{subject.text} {root.text}'"
    return found
