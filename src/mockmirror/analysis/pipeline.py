"""Analyse one recorded answer end to end: media → speech + face → content → feedback."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Callable
from concurrent.futures import Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from mockmirror.core.types import ProgressFn, no_progress
from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.face.track import FaceTrack
from mockmirror.fusion.baseline import Baseline
from mockmirror.fusion.coaching import fusion_feedback
from mockmirror.fusion.feedback import Feedback, build_feedback
from mockmirror.fusion.fuse import FusionResult, fuse
from mockmirror.language.content import ContentAnalysis, analyze_content
from mockmirror.language.embedding import SentenceEncoder
from mockmirror.media import MediaError, MediaInfo, load_audio, probe
from mockmirror.models import ModelStore
from mockmirror.settings import Settings
from mockmirror.speech.track import SpeechTrack

if TYPE_CHECKING:
    from mockmirror.analysis.workers import FaceJob, FaceWorkers

# How often the caller hears how the face children are getting on while it waits for them.
PROGRESS_POLL_S = 0.25
# Shares of the work, for one honest progress figure while speech and face run side by side.
SPEECH_SHARE, FACE_SHARE = 0.35, 0.65


@dataclass(slots=True)
class AnswerAnalysis:
    media: MediaInfo
    question: str
    question_end_s: float
    speech: SpeechTrack
    face: FaceTrack
    content: ContentAnalysis
    feedback: Feedback
    timings_s: dict[str, float] = field(default_factory=dict)  # wall time per stage
    fusion: FusionResult | None = None  # indicators, overall score, mismatches (docs/fusion.md)


@dataclass(slots=True)
class QuickAnalysis:
    """What is known once speech and content are: enough for the transcript, pace, fillers,
    the content verdict and the first key points while the face is still being read."""

    media: MediaInfo
    speech: SpeechTrack
    content: ContentAnalysis
    feedback: Feedback  # from speech and content only (the face is not in it yet)
    seconds: float  # since the analysis started


QuickFn = Callable[[QuickAnalysis], None]


class AnswerAnalyzer:
    """Holds the loaded models (and the face children) so several answers can be analysed
    without reloading; ``close`` (or ``with``) ends the children."""

    def __init__(self, settings: Settings, store: ModelStore | None = None) -> None:
        self.settings = settings
        self.store = store or ModelStore(settings.model_dir)
        self._speech = None
        self._face = None
        self._encoder: SentenceEncoder | None = None
        self._tools = None
        self._workers: FaceWorkers | None = None

    def face_workers(self) -> FaceWorkers:
        if self._workers is None:
            from mockmirror.analysis.workers import FaceWorkers

            self._workers = FaceWorkers(self.settings)
        return self._workers

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None

    def __enter__(self) -> AnswerAnalyzer:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()

    def _speech_analyzer(self):
        if self._speech is None:
            from mockmirror.speech.analyzer import SpeechAnalyzer

            self._speech = SpeechAnalyzer(self.settings, self.store)
        return self._speech

    def _face_analyzer(self):
        if self._face is None:
            from mockmirror.face.analyzer import FaceAnalyzer

            self._face = FaceAnalyzer(self.settings, self.store)
        return self._face

    def model_hashes(self) -> dict[str, str]:
        """Each model's sha256, as a report names what produced it."""
        return {name: spec.sha256 for name, spec in self.store.specs.items()}

    def sentence_encoder(self) -> SentenceEncoder:
        if self._encoder is None:
            self._encoder = SentenceEncoder(self.settings.content.embedding_model, self.store)
        return self._encoder

    def language_tools(self):
        if self._tools is None:
            from mockmirror.language.tools import LanguageTools

            self._tools = LanguageTools(self.settings.content)
        return self._tools

    def _content(self, speech: SpeechTrack, question: str, question_kind: str | None,
                 timings: dict[str, float]) -> ContentAnalysis:
        started = time.perf_counter()
        content = analyze_content(
            question,
            self.sentence_encoder() if question.strip() and speech.transcript.words else None,
            words=speech.transcript.words,
            off_topic_threshold=self.settings.content.off_topic_threshold,
            tools=self.language_tools(),
            settings=self.settings.content,
            question_kind=question_kind,
        )
        timings["content"] = time.perf_counter() - started
        return content

    @staticmethod
    def _wait_for_face(job: FaceJob, eye_contact: EyeContactCalibration | None,
                       progress: ProgressFn) -> FaceTrack:
        """Wait for the face children, telling the caller how far they are (from this thread:
        the caller's progress function need not be thread-safe)."""
        pending: list[Future[Any]] = [job.record, job.body]
        while wait(pending, timeout=PROGRESS_POLL_S).not_done:
            progress(f"face {job.progress:.0%}",
                     0.02 + 0.88 * (SPEECH_SHARE + FACE_SHARE * job.progress))
        return job.result(eye_contact)

    def _reword(self, feedback: Feedback) -> Feedback:
        """Optional LLM wording of the feedback (llm.rephrase_feedback); numbers must survive."""
        llm = self.settings.llm
        if llm.backend == "none" or not llm.rephrase_feedback:
            return feedback
        from mockmirror.fusion.coaching import reword_feedback
        from mockmirror.interview.llm import LLMError, make_phraser

        try:
            return reword_feedback(feedback, make_phraser(llm))
        except LLMError as exc:  # backend cannot start: keep the templates, say why
            feedback.notes.append(f"Feedback wording stays as templates: {exc}")
            return feedback

    def analyze(
        self,
        path: Path | str,
        question: str = "",
        question_end_s: float = 0.0,
        progress: ProgressFn = no_progress,
        use_face: bool = True,
        baseline: Baseline | None = None,
        eye_contact: EyeContactCalibration | None = None,
        emotion_inference: bool | None = None,
        question_kind: str | None = None,
        on_quick: QuickFn | None = None,
    ) -> AnswerAnalysis:
        """``baseline``: the user's own normal (calibration or earlier reports) for the indicators;
        ``eye_contact``: where this person's gaze reads when looking at the camera (a calibration
        step), else the default cone around straight ahead; ``emotion_inference``: this answer's
        opt-in (None: the settings'); institutional mode switches it off whatever is asked;
        ``question_kind``: the bank's type of the question when it came from the bank;
        ``on_quick``: called with the speech-and-content results as soon as they are ready
        (with ``analysis.face_in_processes`` the face is then still being read)."""
        path = Path(path)
        timings: dict[str, float] = {}
        progress("reading media", 0.0)
        info = probe(path)
        if info.duration > self.settings.media.max_duration_s:
            raise MediaError(
                f"{path}: {info.duration / 60:.0f} min is longer than the "
                f"{self.settings.media.max_duration_s / 60:.0f} min limit"
            )
        if not info.has_audio and not info.has_video:
            raise MediaError(f"{path}: has neither an audio nor a video stream")
        if info.has_video and info.width > 0 and info.duration == 0.0:
            raise MediaError(f"{path}: the video has zero length")

        begun = time.perf_counter()
        face_wanted = info.has_video and use_face
        # A daemon process (a Celery pool child, a batch worker) may not start processes of its own:
        # there the face is read in-process, as it is when the setting is off.
        in_processes = (self.settings.analysis.face_in_processes
                        and not multiprocessing.current_process().daemon)
        job = self.face_workers().submit(path, info.duration) if face_wanted and in_processes else None
        if job is not None:
            # Speech and face side by side: one figure for both, the stage names both.
            def speech_progress(stage: str, f: float) -> None:
                progress(f"voice: {stage}; face {job.progress:.0%}",
                         0.02 + 0.88 * (SPEECH_SHARE * f + FACE_SHARE * job.progress))
        else:
            def speech_progress(stage: str, f: float) -> None:
                progress(f"voice: {stage}", 0.05 + 0.45 * f)

        started = time.perf_counter()
        if info.has_audio:
            audio = load_audio(path, self.settings.media.audio_sample_rate)
            timings["decode_audio"] = time.perf_counter() - started
            speech = self._speech_analyzer().analyze(
                audio, question_end_s=question_end_s, progress=speech_progress)
        else:
            speech = SpeechTrack.unavailable("the recording has no audio track", info.duration)
        timings["speech"] = time.perf_counter() - started

        content = self._content(speech, question, question_kind, timings)
        if on_quick is not None:
            quick_face = FaceTrack.unavailable("the face is still being analysed")
            on_quick(QuickAnalysis(
                media=info, speech=speech, content=content,
                feedback=build_feedback(speech, quick_face, content,
                                        self.settings.speech.pace_band_wpm,
                                        duration_s=info.duration,
                                        min_reliability=self.settings.fusion.min_reliability),
                seconds=time.perf_counter() - begun))

        started = time.perf_counter()
        if not info.has_video:
            face = FaceTrack.unavailable("audio-only recording: face analysis skipped")
        elif not use_face:
            face = FaceTrack.unavailable("face analysis switched off")
        elif job is not None:
            face = self._wait_for_face(job, eye_contact, progress)
        else:
            face = self._face_analyzer().analyze(
                path,
                progress=lambda stage, f: progress(f"face: {stage}", 0.5 + 0.4 * f),
                duration_s=info.duration,
                calibration=eye_contact,
            )
        timings["face"] = time.perf_counter() - started
        if job is not None:  # the face ran beside speech: "face" is its own wall time there
            timings["face_wait"] = timings.pop("face")
            timings.update(job.timings_s)

        started = time.perf_counter()
        pace_band = self.settings.speech.pace_band_wpm
        fusion_settings = self.settings.fusion
        if emotion_inference is not None:  # per call: the shared settings are never changed
            fusion_settings = fusion_settings.model_copy(update={"emotion_inference": emotion_inference})
        fusion = fuse(
            speech, face, content, fusion_settings, pace_band, baseline, self.language_tools().vader
        )
        feedback = build_feedback(
            speech,
            face,
            content,
            pace_band,
            duration_s=info.duration,
            extra=fusion_feedback(fusion, content),
            min_reliability=self.settings.fusion.min_reliability,
        )
        feedback = self._reword(feedback)
        timings["fusion"] = time.perf_counter() - started
        progress("analysed", 1.0)
        return AnswerAnalysis(
            media=info,
            question=question,
            question_end_s=question_end_s,
            speech=speech,
            face=face,
            content=content,
            feedback=feedback,
            timings_s=timings,
            fusion=fusion,
        )
