"""Fusion on real analysed answers: indicators with evidence, confidence-weighted overall score,
missing and unreliable modalities, the per-user baseline, mismatches, the inference policy."""

from __future__ import annotations

import dataclasses
import re

import pytest

from mockmirror.face.track import FaceTrack
from mockmirror.fusion.baseline import POPULATION, baseline_from_reports, baseline_from_tracks
from mockmirror.fusion.big_five import CAVEAT, TRAITS
from mockmirror.fusion.cues import facial_activity, pace_variation, phrases
from mockmirror.fusion.fuse import OBSERVABLE_EXPRESSIONS, fuse
from mockmirror.fusion.indicators import GROUP_WEIGHTS
from mockmirror.language.content import analyze_content
from mockmirror.report.document import build_report
from mockmirror.settings import FusionSettings
from mockmirror.speech.track import Word

BAND = (130.0, 165.0)
QUESTION = "Tell me about a project you are proud of."  # the question the conftest answers are analysed with
# GRID commands are not an answer to an interview question (no content score, so no overall
# score): the overall-score tests put this answered story, analysed for real, over the real GRID
# voice and face tracks.
STORY = (
    "Last year I led the move of our booking system to a new database at a travel startup. My task "
    "was to switch over without losing a single booking. I wrote a migration plan, tested it on a "
    "copy of the data every night for two weeks and ran the switch myself on a Sunday morning. As a "
    "result we moved 2 million bookings with no downtime, and searches became 40 percent faster. I "
    "learned to rehearse risky changes until they are boring."
)


@pytest.fixture(scope="module")
def vader(analyzer):
    return analyzer.language_tools().vader


@pytest.fixture(scope="module")
def story(analyzer):
    content = analyze_content(
        QUESTION, analyzer.sentence_encoder(), text=STORY, tools=analyzer.language_tools()
    )
    assert content.verdict.answered and content.overall_score is not None
    return content


def _fuse(
    analysis,
    vader,
    settings: FusionSettings | None = None,
    face=None,
    speech=None,
    baseline=None,
    content=None,
):
    return fuse(
        speech or analysis.speech,
        face or analysis.face,
        content or analysis.content,
        settings or FusionSettings(),
        BAND,
        baseline,
        vader,
    )


def _cue(result, name):
    return next(c for i in result.indicators for c in i.cues if c.name == name)


def test_pipeline_fuses_every_indicator_with_evidence(assembled_analysis, assembled_answer):
    fusion = assembled_analysis.fusion
    assert [i.name for i in fusion.indicators] == ["engagement", "composure", "clarity", "content"]
    duration = assembled_analysis.media.duration
    # GRID commands are no answer to the question: no content score, said in plain words.
    assert not assembled_analysis.content.verdict.answered
    content = fusion.get("content")
    assert content.score is None and content.summary.startswith("Not scored: the answer")
    for ind in fusion.indicators[:3]:
        assert ind.score is not None and 0 <= ind.score <= 100, ind
        used = [c for c in ind.cues if c.used]
        assert used, ind.name
        for cue in used:
            assert cue.value is not None and cue.measure and cue.reference != "none", cue
            assert 0 < cue.reliability <= 1
            for e in cue.evidence:
                assert 0 <= e.start <= e.end <= duration + 0.5, (cue.name, e)
    # The indicator is the reliability-weighted mean of its used cues.
    for ind in fusion.indicators[:3]:
        used = [c for c in ind.cues if c.used]
        expected = sum(c.weight * c.reliability * c.score for c in used) / sum(
            c.weight * c.reliability for c in used
        )
        assert ind.score == pytest.approx(expected, abs=0.06)
    # The long pause after clip 6 is the pauses cue's evidence, at the place it was put.
    pause = _cue(fusion, "pauses")
    part = assembled_answer.parts[assembled_answer.pause_after]
    assert pause.value > 0
    # The pause spans the inserted 2.5 s gap (plus the clips' own lead-out and lead-in silence).
    gap_start, gap_end = part.end, part.end + assembled_answer.pause_s
    assert any(e.start <= gap_start + 0.3 and e.end >= gap_end - 0.3 for e in pause.evidence), pause.evidence
    # Content uses language/scoring.py's overall score (none for a non-answer: no overall score).
    assert _cue(fusion, "content_score").value == assembled_analysis.content.overall_score is None
    assert fusion.overall.score is None and fusion.overall.message.startswith("No overall score: the answer")


def test_overall_score_follows_the_documented_formula(assembled_analysis, vader, story):
    result = _fuse(assembled_analysis, vader, content=story)
    assert _cue(result, "content_score").value == story.overall_score
    overall = result.overall
    shares = {g.name: g.effective_share for g in overall.groups}
    assert set(shares) == set(GROUP_WEIGHTS)
    assert sum(shares.values()) == pytest.approx(1.0, abs=0.005)
    assert shares["face"] <= 0.15 + 1e-9
    expected = sum(g.effective_share * g.score for g in overall.groups if g.available)
    assert overall.score == pytest.approx(expected, abs=0.1)
    # The face group's reliability below 1 lowers its share and the report says so.
    face = next(g for g in overall.groups if g.name == "face")
    if face.reliability < 1:
        assert face.effective_share < 0.15
        assert any(n.startswith("Face counts") for n in overall.notes)
    # The plain sentence names the same shares.
    assert re.match(r"Your overall score is (\d+)/100\.", overall.message)
    assert abs(int(re.match(r"Your overall score is (\d+)", overall.message).group(1)) - overall.score) <= 0.5
    assert f"your face at {face.effective_share:.0%}" in overall.message


def test_nonverbal_cap_holds_when_settings_ask_for_more(assembled_analysis, vader, story):
    settings = FusionSettings(
        overall_weights={"content": 0.2, "voice": 0.2, "face": 0.6}, max_nonverbal_share=0.15
    )
    result = _fuse(assembled_analysis, vader, settings, content=story)
    face = next(g for g in result.overall.groups if g.name == "face")
    assert face.effective_share == pytest.approx(0.15, abs=0.001)
    looser = _fuse(
        assembled_analysis,
        vader,
        FusionSettings(max_nonverbal_share=0.5, overall_weights={"content": 0.2, "voice": 0.2, "face": 0.6}),
        content=story,
    )
    assert next(g for g in looser.overall.groups if g.name == "face").effective_share > 0.3


def test_audio_only_answer_drops_the_face_and_says_why(assembled_analysis, vader, story):
    face = FaceTrack.unavailable("audio-only recording: face analysis skipped")
    result = _fuse(assembled_analysis, vader, face=face, content=story)
    groups = {g.name: g for g in result.overall.groups}
    assert not groups["face"].available and groups["face"].effective_share == 0
    assert groups["content"].effective_share + groups["voice"].effective_share == pytest.approx(
        1.0, abs=0.005
    )
    assert result.overall.score is not None
    assert any("Face not in the overall score" in n and "audio-only" in n for n in result.overall.notes)
    engagement = result.get("engagement")
    assert {"eye_contact", "facial_activity", "smile"} <= set(engagement.left_out)
    # The one voice cue left (30 % of its weight) does not make engagement: not measured, not 100.
    assert _cue(result, "vocal_variety").used and _cue(result, "vocal_variety").score is not None
    assert engagement.score is None and engagement.summary == (
        "Not measured without the camera: it needs your face in view."
    )
    assert all("audio-only" in c.summary for c in engagement.cues if c.modality == "face")
    # Composure keeps its voice cues (65 % of its weight): still measured.
    assert result.get("composure").score is not None


def test_real_audio_file_goes_through_fusion_into_a_report(analyzer, fixtures_dir):
    analysis = analyzer.analyze(
        fixtures_dir / "grid_av" / "audio_16k" / "lbax4n.wav", question="Describe a project."
    )
    assert not analysis.face.available
    report = build_report(analysis)
    assert report.fusion is not None and report.fusion.get("composure") is not None
    assert next(g for g in report.fusion.overall.groups if g.name == "face").effective_share == 0


def test_unreliable_voice_is_left_out_and_named(grid_analysis, vader, story):
    # A 3 s GRID clip with 1.2 s of speech: "little speech" caps the voice's reliability at 0.4
    # (lower still when Whisper is unsure of the words, which varies by CPU). A threshold just
    # above that cap makes the policy under test independent of the word confidences.
    assert grid_analysis.speech.reliability.score <= 0.4
    assert any("little speech" in r for r in grid_analysis.speech.reliability.reasons)
    # An answered story over the clip's voice: its words are as unsure as the voice.
    fusion = _fuse(grid_analysis, vader, FusionSettings(min_reliability=0.45), content=story)
    for name in ("pace", "fillers", "volume"):
        cue = _cue(fusion, name)
        assert not cue.used and "left out: reliability" in cue.summary, cue
    assert fusion.get("clarity").score is None
    assert fusion.overall.score is None  # face alone never makes an overall score
    assert any("no overall score" in n and "reliability" in n for n in fusion.overall.notes)
    # The face, reliable here, still gives engagement.
    assert fusion.get("engagement").score is not None


def test_cue_measures_on_real_tracks(assembled_analysis, assembled_answer, fixtures_dir):
    runs = phrases(assembled_analysis.speech.transcript.words)
    assert len(runs) == len(assembled_answer.parts)  # one phrase per GRID clip
    assert all(p.words >= 4 for p in runs)
    assert pace_variation(runs) < 0.2  # one speaker reading the same grammar
    # GRID speakers read neutral commands: little expressive movement.
    activity = facial_activity(assembled_analysis.face)
    assert activity.active_ratio < 0.4


def test_baseline_is_used_and_named(assembled_analysis, grid_analysis, vader):
    default = _fuse(assembled_analysis, vader)
    assert default.reference == "population defaults"
    assert _cue(default, "fidgeting").reference == "population default"
    assert _cue(default, "fidgeting").reference_value == POPULATION.head_movement_deg_per_s
    calibration = baseline_from_tracks(grid_analysis.face, grid_analysis.speech, "calibration", "bbaf2n.mpg")
    assert calibration.head_movement_deg_per_s is not None
    own = _fuse(assembled_analysis, vader, baseline=calibration)
    fidget = _cue(own, "fidgeting")
    assert fidget.reference.startswith("own baseline (calibration: bbaf2n.mpg)")
    assert fidget.reference_value == pytest.approx(calibration.head_movement_deg_per_s)
    # A measure the calibration lacks (3 s is too short for a blink rate) falls back, and says so.
    assert calibration.blink_rate_per_min is None
    assert _cue(own, "blink_rate").reference == "population default"
    assert "own baseline" in own.reference and "population defaults where" in own.reference
    # The smile ratio has no population norm: scored only against the user's own.
    assert _cue(default, "smile").score is None
    assert _cue(own, "smile").reference.startswith("own baseline")


def test_baseline_from_earlier_reports(assembled_analysis, grid_analysis):
    reports = [build_report(assembled_analysis), build_report(grid_analysis)]
    baseline = baseline_from_reports([r.model_dump(mode="json") for r in reports])
    assert baseline.source == "earlier sessions" and baseline.detail == "2 earlier answer(s)"
    heads = sorted(a.face.summary.head_movement_deg_per_s for a in (assembled_analysis, grid_analysis))
    assert baseline.head_movement_deg_per_s == pytest.approx(sum(heads) / 2, abs=1e-3)
    # Only the assembled answer is long enough for a blink rate.
    assert baseline.blink_rate_per_min == pytest.approx(
        assembled_analysis.face.summary.blink_rate_per_min, abs=1e-3
    )
    # Voice variety: pitch where the speech track measures it, else loudness variation.
    pitches = [a.speech.summary.pitch_variation_st for a in (assembled_analysis, grid_analysis)]
    pitches = [p for p in pitches if p is not None]
    if pitches:
        assert baseline.pitch_variation_st == pytest.approx(
            sorted(pitches)[len(pitches) // 2] if len(pitches) % 2 else sum(pitches) / 2, abs=1e-3
        )


def _with_sentence(speech, text: str, start: float, end: float):
    """The speech track with its words replaced by ``text`` spread over [start, end]."""
    tokens = text.split()
    step = (end - start) / len(tokens)
    words = [Word(t, start + i * step, start + (i + 1) * step - 0.02, 0.95) for i, t in enumerate(tokens)]
    transcript = dataclasses.replace(speech.transcript, words=words, text=text)
    return dataclasses.replace(speech, transcript=transcript)


def test_positive_words_with_a_still_face_are_an_observation(assembled_analysis, vader):
    # The GRID speaker's real face (neutral, no smile) under an upbeat sentence of our own.
    speech = _with_sentence(
        assembled_analysis.speech,
        "I really loved this project and I am proud of the great result.",
        12.0,
        16.8,
    )
    result = _fuse(assembled_analysis, vader, speech=speech)
    found = [o for o in result.mismatches if o.kind.startswith("positive_words_")]
    assert len(found) == 1
    obs = found[0]
    assert obs.start == pytest.approx(12.0) and obs.evidence[0].start == pytest.approx(12.0)
    assert obs.measures["polarity"] >= 0.4 and obs.measures["smile_ratio"] <= 0.05
    # The voice is described either way: flat (then both are flat) or lively.
    assert ("an even voice" in obs.message) == (obs.kind == "positive_words_flat_delivery")
    assert "0:12" in obs.message
    assert "not a judgement" in result.mismatch_caveat
    # The real GRID words are neutral: no observation.
    assert _fuse(assembled_analysis, vader).mismatches == []


def test_excited_while_looking_away(fixtures_dir, analyzer, vader, assembled_analysis):
    # The Wolfgang clip looks away from the camera most of the time (eye contact ~11 %).
    wolf = analyzer.analyze(fixtures_dir / "face_videos" / "WolfgangLanger_Pexels.mp4")
    assert wolf.face.summary.eye_contact_ratio < 0.5
    away = [f.t for f in wolf.face.frames if f.face_found and f.eye_contact is False]
    start = away[5]
    speech = _with_sentence(assembled_analysis.speech, "I am so excited about this role.", start, start + 2.0)
    result = fuse(speech, wolf.face, wolf.content, FusionSettings(), BAND, None, vader)
    kinds = [o.kind for o in result.mismatches]
    assert "enthusiasm_gaze_away" in kinds
    obs = next(o for o in result.mismatches if o.kind == "enthusiasm_gaze_away")
    assert "excited" in obs.message and obs.measures["eye_contact_ratio"] <= 0.5


def test_emotion_off_by_default_reports_only_observable_behaviour(assembled_analysis):
    report = build_report(assembled_analysis)
    policy = report.fusion.policy
    assert policy.mode == "personal" and not policy.emotion_inference and not policy.big_five
    assert report.fusion.stress is None and report.fusion.big_five is None
    names = set(report.face.summary.expression_distribution)
    assert names and names <= set(OBSERVABLE_EXPRESSIONS.values())
    frame_keys = {k for f in report.face.frames if f.expression for k in f.expression}
    assert frame_keys <= set(OBSERVABLE_EXPRESSIONS.values())
    assert report.summary.dominant_expression in OBSERVABLE_EXPRESSIONS.values()


def test_institutional_mode_forces_inference_off(assembled_analysis, vader):
    asked = FusionSettings(mode="institutional", emotion_inference=True, big_five=True)
    result = _fuse(assembled_analysis, vader, asked)
    assert not result.policy.emotion_inference and not result.policy.big_five
    assert result.stress is None and result.big_five is None
    assert any("Art. 5(1)(f)" in n for n in result.notes)
    personal = _fuse(assembled_analysis, vader, FusionSettings(emotion_inference=True))
    assert personal.policy.emotion_inference and personal.stress is not None
    assert personal.stress.level == pytest.approx(100 - personal.get("composure").score, abs=0.1)


def test_big_five_is_opt_in_with_band_and_caveat(assembled_analysis, vader):
    result = _fuse(assembled_analysis, vader, FusionSettings(big_five=True))
    b5 = result.big_five
    assert [t.trait for t in b5.traits] == list(TRAITS)
    for t in b5.traits:
        assert 0 <= t.low <= t.estimate <= t.high <= 100
        assert t.high - t.low >= 30  # one short answer: a wide band
        assert t.features  # which features moved it
    assert b5.caveat == CAVEAT and "not a validated psychometric measure" in CAVEAT
    assert "decisions" in CAVEAT
    assert b5.action_units and b5.action_units != "no face measured"
    assert b5.features["words_per_minute"] == pytest.approx(
        assembled_analysis.speech.summary.words_per_minute, abs=0.1
    )
