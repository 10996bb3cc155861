"""Content sub-scores and the overall score on real models (spaCy, MiniLM, VADER, textstat…).

Pairs of answers to the same question that differ in one respect: the better one must score
higher on the sub-score about that respect, with the evidence that explains it. Then bad input
(empty, one word, 10,000 words, another language, code) must give a clear result, not a crash.
The models load once per module.
"""

from __future__ import annotations

import time

import pytest

from mockmirror.language.content import analyze_content
from mockmirror.language.embedding import SHIPPED_MODEL, SentenceEncoder
from mockmirror.language.question_types import classify_question
from mockmirror.language.tools import LanguageTools
from mockmirror.language.validity import AnswerStatus
from mockmirror.models import ModelStore
from mockmirror.speech.track import Word

Q = "Tell me about a time you had a conflict with a colleague. How did you handle it?"
STRONG = (
    "In 2022 I was a staff nurse on a surgical ward at St Mary's Hospital, and another nurse and I kept "
    "clashing over handovers. My responsibility as shift lead was to make handovers safe and keep them under "
    "fifteen minutes. I asked her for a coffee after a night shift and listened to what frustrated her, "
    "then I showed her two incidents where a missing pain score had delayed medication. I drafted a one-page "
    "handover template with her, and I trialled it with the whole team for two weeks. Handover time dropped "
    "from 25 minutes to 12, and we had no missed pain scores that month. The ward manager adopted the "
    "template for all three wards. I learned that most conflicts are about the process, not the person, so "
    "now I ask what the other person needs before I defend my own way of working."
)
VAGUE = (
    "I get along with pretty much everyone, so conflict is not really something I have. I think "
    "communication is really important in any team. If there is ever a problem, I always try to talk things "
    "through and find a solution that works for everyone. I am a people person and I value honesty."
)
WE_ONLY = (
    "In 2022 our ward at St Mary's Hospital had constant clashes over handovers between two groups of "
    "nurses. We needed handovers to be safe and to take under fifteen minutes. We met after a night shift "
    "and listened to each other, then we looked at two incidents where a missing pain score had delayed "
    "medication. We drafted a one-page handover template, and we trialled it with the whole team for two "
    "weeks. Handover time dropped from 25 minutes to 12, and we had no missed pain scores that month. We "
    "learned that most conflicts are about the process, not the person."
)
HEDGY = (
    STRONG.replace("I asked her", "I think I maybe asked her")
    .replace("I drafted", "I kind of drafted")
    .replace("Handover time dropped", "I guess handover time probably dropped")
    .replace("I learned", "I suppose I sort of learned")
)
MISSPELT = (
    STRONG.replace("listened", "lisened")
    .replace("incidents", "incidnets")
    .replace("template", "templete")
    .replace("medication", "medicaton")
)
UNGRAMMATICAL = (
    "Last year a colleague and me was disagreeing about handovers. She don't like my notes. I has talked to "
    "her after a shift and we was agree on a template. The results was good and handovers is faster now. "
    "I learned that talking early help a lot."
)
GRAMMATICAL = (
    "Last year a colleague and I disagreed about handovers. She did not like my notes. I talked to her "
    "after a shift and we agreed on a template. The results were good and handovers are faster now. "
    "I learned that talking early helps a lot."
)
NEGATIVE = (
    "Last year my useless colleague kept ruining our handovers, which was awful and infuriating. My task was "
    "to stop her terrible habits. I complained to the manager and I refused to work with her. She was an "
    "incompetent, lazy nightmare and I hated every shift. In the end she left, and I learned to avoid people "
    "like that."
)
RUN_ON = (
    "Last year at the hospital where I was working on the surgical ward with a colleague who had been there "
    "for many years and who had very particular views about how the handover between the day shift and the "
    "night shift ought to be organised, documented, communicated and subsequently audited by the management "
    "team, I found that our respective approaches to documentation, prioritisation and communication were "
    "fundamentally incompatible in several important respects that required considerable negotiation."
)


@pytest.fixture(scope="module")
def tools(settings) -> LanguageTools:
    return LanguageTools(settings.content)


@pytest.fixture(scope="module")
def encoder(settings) -> SentenceEncoder:
    return SentenceEncoder(SHIPPED_MODEL, ModelStore(settings.model_dir))


@pytest.fixture(scope="module")
def score(tools, encoder, settings):
    cache: dict[tuple, object] = {}

    def run(text: str, question: str = Q, key_points: tuple[str, ...] = ()):
        key = (text, question, key_points)
        if key not in cache:
            cache[key] = analyze_content(
                question,
                encoder,
                text=text,
                key_points=list(key_points) or None,
                tools=tools,
                settings=settings.content,
            )
        return cache[key]

    return run


def test_strong_answer_scores_high_with_every_star_part(score):
    result = score(STRONG)
    assert result.overall_score >= 80
    assert all(part.present for part in result.star.values())
    assert result.scores["structure"].score == 100
    assert result.backends["star"] == "spaCy parse cues"
    # Each STAR part says why it was found.
    action = result.star["action"]
    assert any("first-person action" in reason for reason in action.reasons)
    assert len(action.reasons) == len(action.evidence)


@pytest.mark.parametrize(
    ("weak", "subscores"),
    [
        (VAGUE, ["structure", "specificity", "length"]),
        (WE_ONLY, ["ownership", "structure"]),
        (HEDGY, ["hedging"]),
        (MISSPELT, ["spelling"]),
        (NEGATIVE, ["positivity"]),
    ],
    ids=["vague", "we-only", "hedging", "misspelt", "negative"],
)
def test_strong_answer_outscores_weak_ones_on_the_relevant_subscores(score, settings, weak, subscores):
    strong, other = score(STRONG), score(weak)
    for name in subscores:
        assert strong.scores[name].score > other.scores[name].score, name
        assert other.scores[name].evidence or name == "length", f"{name} cites no evidence"
    if any(name in settings.content.score_weights for name in subscores):
        assert strong.overall_score > other.overall_score
    else:
        # Hedging, spelling and positivity are feedback only: they carried no signal against
        # interview ratings (docs/validity.md), so they do not move the overall score. The weak copy
        # is never meaningfully better (the hedged one is a few words longer: +0.8 for length).
        assert other.overall_score < strong.overall_score + 2


def test_vague_answer_is_low_and_says_why(score):
    result = score(VAGUE)
    assert result.overall_score < 40
    assert result.scores["specificity"].score == 0
    vague_words = {cue.text.lower() for cue in result.scores["specificity"].evidence}
    assert {"people person", "really important"} <= vague_words


def test_we_only_answer_points_at_the_we_sentences(score):
    result = score(WE_ONLY)
    ownership = result.scores["ownership"]
    assert ownership.measures["we_subjects"] > ownership.measures["i_subjects"]
    assert any("We drafted" in cue.text for cue in ownership.evidence)
    assert "only with 'we'" in result.scores["structure"].summary


def test_hedges_are_quoted(score):
    hedges = {cue.text.lower() for cue in score(HEDGY).scores["hedging"].evidence}
    assert {"i think", "maybe", "kind of", "i guess", "probably", "sort of"} <= hedges


def test_spelling_suggests_corrections_and_skips_names(score):
    spelling = score(MISSPELT).scores["spelling"]
    notes = {cue.text: cue.note for cue in spelling.evidence}
    assert set(notes) == {"lisened", "incidnets", "templete", "medicaton"}
    assert "listened" in notes["lisened"]
    assert score(STRONG).scores["spelling"].score == 100  # "St Mary's" and numbers are not flagged


def test_grammar_flags_agreement_errors_and_not_the_corrected_text(score):
    bad, good = score(UNGRAMMATICAL).scores["grammar"], score(GRAMMATICAL).scores["grammar"]
    assert good.score == 100 and good.measures["sentences_flagged"] == 0
    assert bad.measures["sentences_flagged"] >= 4
    assert bad.score < 40
    assert any("plural" in cue.note or "use" in cue.note for cue in bad.evidence)


def test_run_on_sentence_hurts_readability(score):
    assert score(RUN_ON).scores["readability"].score < score(GRAMMATICAL).scores["readability"].score
    assert score(RUN_ON).scores["readability"].measures["fk_grade"] > 12


def test_off_topic_answer_gets_no_content_score(score):
    result = score(
        "My cat is called Biscuit. She sleeps on the radiator all day and wakes up at six for dinner."
    )
    assert result.off_topic and result.verdict.status is AnswerStatus.OFF_TOPIC
    assert result.overall_score is None and list(result.scores) == ["length"]
    assert score(STRONG).scores["relevance"].score > 50


def test_key_points_are_reported_as_covered_or_not(score):
    question = "What is the difference between a process and a thread?"
    answer = (
        "A process is a running program with its own memory space and resources. Threads run inside a "
        "process and share its memory, so they are cheaper to create than processes."
    )
    points = ("a process has its own memory space", "threads share memory", "deadlock detection algorithms")
    result = score(answer, question, points)
    covered = {k.text: k.covered for k in result.key_points}
    assert covered == {points[0]: True, points[1]: True, points[2]: False}
    assert result.scores["relevance"].measures["key_point_coverage"] == pytest.approx(2 / 3, abs=1e-3)
    assert result.question_type == "technical"
    assert result.scores["structure"].score is None  # STAR is not expected of a technical answer


def test_question_types():
    assert classify_question(Q).kind == "behavioural"
    assert classify_question("How would you design a URL shortener?").kind == "technical"
    assert classify_question("Why do you want to work here?").kind == "motivation"


def test_overall_is_the_documented_aggregate(score, settings):
    from mockmirror.language.content_score import combine

    for text in (STRONG, VAGUE, WE_ONLY):
        result = score(text)
        weighted = {n: s for n, s in result.scores.items() if s.weight}
        expected = combine({n: s.score for n, s in result.scores.items()}, settings.content.score_weights)
        assert result.overall_score == pytest.approx(expected.score, abs=0.06)
        assert sum(result.contributions.values()) == pytest.approx(result.overall_score, abs=0.06)
        assert set(result.contributions) == set(weighted)
    assert set(weighted) == set(settings.content.score_weights)  # all six apply to a behavioural story


# ---- bad input --------------------------------------------------------------------------------


def test_empty_answer(score):
    result = score("   \n ")
    assert result.overall_score is None and result.word_count == 0
    assert result.verdict.status is AnswerStatus.SKIPPED
    assert "No answer text to analyse." in result.notes
    assert result.scores["length"].score == 0


def test_one_word_answer(score):
    result = score("Yes.")
    assert result.verdict.status is AnswerStatus.TOO_SHORT and "“Yes.”" in result.verdict.message
    assert result.overall_score is None and list(result.scores) == ["length"]
    assert result.scores["length"].score < 1


def test_ten_thousand_words_are_capped_not_slow(score, settings):
    text = " ".join([STRONG] * 80)  # ≈ 10,000 words
    started = time.perf_counter()
    result = score(text)
    assert time.perf_counter() - started < 90
    assert result.word_count > 9000
    assert any("Only the first" in note for note in result.notes)
    assert result.scores["length"].score == 0
    assert result.scores["repetition"].score < 20  # the same story 80 times
    assert result.overall_score is not None


def test_another_language_is_not_scored(score):
    german = (
        "Letztes Jahr hatte ich einen Konflikt mit einer Kollegin über die Übergaben auf der Station. Ich "
        "habe mit ihr gesprochen und wir haben gemeinsam eine neue Vorlage entwickelt, die alle nutzen."
    )
    result = score(german)
    assert result.verdict.status is AnswerStatus.NOT_ENGLISH
    assert result.overall_score is None
    assert list(result.scores) == ["length"]


def test_code_pasted_as_an_answer(score):
    code = (
        "def handle_conflict(a, b):\n    if a.opinion != b.opinion:\n        return merge(a, b)\n"
        "    return None\n\nfor x in range(10): print(x)"
    )
    result = score(code)
    assert result.verdict.status is AnswerStatus.CODE
    assert "talk it through" in result.verdict.message
    assert result.overall_score is None


# ---- spoken answers -----------------------------------------------------------------------------


def test_spoken_fillers_come_from_word_is_filler_with_times(tools, settings):
    # Word timing plumbing: which words are fillers is decided upstream (speech.fillers).
    text = (
        "Um, last year I, uh, led a team of four at a bank. Um, my goal was to cut the report time. I "
        "automated the data pulls, uh, and it dropped from ten days to two."
    )
    words, t = [], 0.0
    for token in text.split():
        bare = token.strip(",.").lower()
        words.append(Word(token, t, t + 0.3, 0.95, is_filler=bare in {"um", "uh"}))
        t += 0.4
    result = analyze_content("", None, words=words, tools=tools, settings=settings.content)
    fillers = result.scores["fillers"]
    assert fillers.measures["fillers"] == 4
    assert [cue.start for cue in fillers.evidence] == [w.start for w in words if w.is_filler]
    assert result.scores["spelling"].score is None  # ASR spells the transcript
    assert result.star["action"].evidence[0].start is not None
    hedges_or_numbers = result.scores["specificity"].evidence
    assert all(cue.start is not None for cue in hedges_or_numbers)


@pytest.mark.slow
def test_real_transcript_gives_timed_evidence(fixtures_dir, tools, settings):
    from mockmirror.media import load_audio
    from mockmirror.speech.asr import Transcriber
    from mockmirror.speech.fillers import tag_fillers

    audio = load_audio(fixtures_dir / "speech_more" / "jfk.flac", settings.media.audio_sample_rate)
    transcript = Transcriber(settings).transcribe(audio)
    words = tag_fillers(transcript.words)
    result = analyze_content(
        "What do you ask of your fellow citizens?", None, words=words, tools=tools, settings=settings.content
    )
    assert result.word_count >= 15
    cues = [cue for sub in result.scores.values() for cue in sub.evidence]
    assert cues and all(cue.start is not None and 0 <= cue.start <= cue.end <= 12 for cue in cues)


def test_register_counts_informal_words_not_the_verb_like(score):
    casual = (
        "So last year our team was like, totally behind on the app and stuff. I kinda took over the "
        "planning, which was pretty hard, and yeah, we shipped it two weeks late. I would like to say "
        "I like planning now, and it looks like my manager noticed."
    )
    result = score(casual)
    register = result.scores["register"]
    flagged = [cue.text.lower() for cue in register.evidence]
    assert sorted(flagged) == ["kinda", "like", "pretty", "stuff", "totally", "yeah"]
    assert register.measures["informal_words"] == 6
    assert register.score < score(STRONG).scores["register"].score == 100
    assert "register" in result.contributions
