"""The two-process path (face beside speech) gives the report the one-process path gives."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from mockmirror.analysis.pipeline import AnswerAnalysis, AnswerAnalyzer, QuickAnalysis
from mockmirror.analysis.workers import FaceWorkers
from mockmirror.face.analyzer import FaceAnalyzer
from mockmirror.media import probe
from mockmirror.report.document import build_report
from mockmirror.settings import Settings

QUESTION = "Tell me about a project you are proud of."
# Wall times and the creation stamp differ from run to run by nature.
VOLATILE = {"timings_s", "created_at"}


def _one_process(settings: Settings) -> Settings:
    return settings.model_copy(update={"analysis": settings.analysis.model_copy(
        update={"face_in_processes": False})})


def _comparable(value):
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    return value


def _report(result: AnswerAnalysis) -> dict:
    return _comparable(build_report(result, {}).model_dump(mode="json"))


@pytest.fixture(scope="module")
def one_process_analysis(settings, assembled_answer) -> AnswerAnalysis:
    with AnswerAnalyzer(_one_process(settings)) as analyzer:
        return analyzer.analyze(assembled_answer.path, question=QUESTION)


def test_the_default_runs_the_face_in_child_processes(settings):
    assert settings.analysis.face_in_processes


def test_parallel_and_one_process_reports_are_the_same(assembled_analysis, one_process_analysis):
    """The 40 s assembled answer: same transcript, same events, same scores, same everything
    but the wall times."""
    assert "face_wait" in assembled_analysis.timings_s  # it did run in the children
    assert "face_wait" not in one_process_analysis.timings_s
    parallel, single = _report(assembled_analysis), _report(one_process_analysis)
    assert assembled_analysis.speech.transcript.text == one_process_analysis.speech.transcript.text
    assert [(e.kind, e.start, e.end) for e in assembled_analysis.face.events] == [
        (e.kind, e.start, e.end) for e in one_process_analysis.face.events]
    assert parallel == single


def test_hand_and_body_readings_join_as_in_one_process(settings, fixtures_dir):
    """Hands over the face and body movement (the Wolfgang clip has both) come out the same when
    the hand and pose models run in their own process."""
    video = fixtures_dir / "face_videos" / "WolfgangLanger_Pexels.mp4"
    single = FaceAnalyzer(settings).analyze(video, duration_s=probe(video).duration)
    workers = FaceWorkers(settings)
    try:
        parallel = workers.submit(video, probe(video).duration).result()
    finally:
        workers.close()
    assert any(e.kind == "hand_over_face" for e in single.events)
    assert [(e.kind, e.start, e.end, e.value) for e in parallel.events] == [
        (e.kind, e.start, e.end, e.value) for e in single.events]
    assert dataclasses.asdict(parallel.summary) == dataclasses.asdict(single.summary)
    assert [f.hand_over_face for f in parallel.frames] == [f.hand_over_face for f in single.frames]
    assert np.allclose([f.quality or 0.0 for f in parallel.frames],
                       [f.quality or 0.0 for f in single.frames])


def test_quick_results_arrive_once_and_match_the_final_ones(analyzer, fixtures_dir):
    seen: list[QuickAnalysis] = []
    result = analyzer.analyze(fixtures_dir / "grid_av" / "bbaf2n.mpg", question=QUESTION,
                              on_quick=seen.append)
    assert len(seen) == 1
    quick = seen[0]
    assert quick.speech.transcript.text == result.speech.transcript.text
    assert quick.content.verdict == result.content.verdict
    assert quick.feedback.strengths or quick.feedback.improvements
    assert quick.seconds > 0
