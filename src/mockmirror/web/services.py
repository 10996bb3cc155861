"""What the routes share: the store, the job runner, the interviews and the loaded models.

One ``Services`` per app (``app.state.services``), built from the one Settings object; the models
load on first use so the app starts in a second.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mockmirror.core.types import ProgressFn
from mockmirror.face.calibration import EyeContactCalibration
from mockmirror.jobs import JobRunner, ThreadJobRunner
from mockmirror.jobs.durable import AnswerJobs, JobQueue, ThreadJobQueue
from mockmirror.language.validity import AnswerVerdict
from mockmirror.models import ModelStore
from mockmirror.settings import Settings
from mockmirror.store import Database, RecordingFiles, Store, open_database
from mockmirror.store.db import data_dir, private_dir
from mockmirror.web.interviews import Interviews, prompt_json, to_jsonable

if TYPE_CHECKING:  # the pipeline (and its models) load on first use
    from mockmirror.analysis.pipeline import QuickAnalysis

log = logging.getLogger(__name__)

# Share of an answer's progress bar that the analysis itself fills; storing the report is the rest.
ANALYSIS_SHARE = 0.95


@dataclass
class Services:
    settings: Settings
    database: Database
    store: Store
    runner: JobRunner  # short in-process jobs (the calibration baseline)
    models: ModelStore
    interviews: Interviews = field(init=False)
    jobs: AnswerJobs = field(init=False)  # answers' analyses, durable (jobs/durable.py)
    _analyzer: Any = None
    _analysis_lock: threading.Lock = field(default_factory=threading.Lock)
    _load_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.interviews = Interviews(
            self.settings,
            self.store,
            lambda: self.analyzer.sentence_encoder(),
            lambda: self.analyzer.language_tools(),
        )
        self.jobs = AnswerJobs(self.store, self.settings.jobs, self.analyse_answer)

    def start_jobs(self, queue: JobQueue | None = None) -> int:
        """Start the analysis queue (threads here, or Celery by settings) and pick up what a
        previous run left unfinished; returns how many analyses were queued again."""
        if queue is None:
            if self.settings.jobs.backend == "celery":
                from mockmirror.jobs.celery_app import CeleryJobQueue

                queue = CeleryJobQueue(self.settings)
            else:
                queue = ThreadJobQueue(self.settings.web.analysis_workers, self.jobs.execute)
        self.jobs.queue = queue
        return self.recover_live_answers() + self.jobs.recover()

    def recover_live_answers(self) -> int:
        """Live answers still "recording" whose stream stopped with the app (no byte for
        ``jobs.stale_after_s``): analysed from what arrived, or removed when nothing did."""
        import time

        from mockmirror.web.recording import LiveRecording

        store, count = self.store, 0
        quiet_since = time.time() - self.settings.jobs.stale_after_s
        for answer_id in store.answers_recording():
            answer = store.get_answer(answer_id)
            folder = store.files.session_dir(answer.session_id) / answer.id
            parts = [folder / "frames.bin", folder / "audio.pcm"]
            if any(p.exists() and p.stat().st_mtime > quiet_since for p in parts):
                continue  # still streaming into another process of the app
            try:
                path = LiveRecording(folder, self.settings.media.audio_sample_rate).finish()
            except Exception as exc:
                log.exception("could not finish the interrupted live answer %s", answer_id)
                reason = f"What was recorded of this answer could not be saved ({exc})."
                self.jobs.fail_answer(answer_id, reason)
                continue
            if path is None:
                store.delete_answer(answer_id)
                continue
            store.update_answer(answer_id, recording_path=store.files.relative(path))
            self.jobs.submit(answer_id)
            count += 1
        return count

    @classmethod
    def open(cls, settings: Settings, runner: JobRunner | None = None) -> Services:
        database = open_database(settings)
        root = data_dir(settings)
        private_dir(root)
        return cls(
            settings=settings,
            database=database,
            store=Store(database, RecordingFiles(root)),
            runner=runner or ThreadJobRunner(settings.web.analysis_workers),
            models=ModelStore(settings.model_dir),
        )

    @property
    def analyzer(self):
        with self._load_lock:
            if self._analyzer is None:
                from mockmirror.analysis.pipeline import AnswerAnalyzer

                self._analyzer = AnswerAnalyzer(self.settings, self.models)
            return self._analyzer

    def close(self) -> None:
        if self.jobs.queue is not None:
            self.jobs.queue.shutdown()
        self.runner.shutdown()
        if self._analyzer is not None:
            self._analyzer.close()  # its face processes
        self.database.close()

    # --- the analysis job -------------------------------------------------------------------------
    def submit_analysis(self, answer_id: str) -> str:
        return self.jobs.submit(answer_id).id

    def analyse_answer(self, answer_id: str, progress: ProgressFn) -> dict[str, Any]:
        """The analysis job's work: returns the answer's results, which ``AnswerJobs`` stores with
        "done" in one transaction (and then deletes the recording unless it is kept)."""
        from mockmirror.report.document import build_report

        store = self.store
        answer = store.get_answer(answer_id)
        session = store.get_session(answer.session_id)
        path = store.files.absolute(answer.recording_path)
        last_write = [0.0]
        interview_turn = session.kind == "interview" and answer.prompt_kind in (
            "question", "follow_up", "closing")

        def report_progress(stage: str, fraction: float) -> None:
            # The analysis is most of the work, not all: the report is still to be stored.
            fraction = ANALYSIS_SHARE * fraction
            progress(stage, fraction)
            if fraction - last_write[0] >= 0.1:  # the DB sees coarse steps
                last_write[0] = fraction
                store.update_answer(answer_id, stage=stage, progress=round(fraction, 3))

        def quick(found: QuickAnalysis) -> None:
            """Transcript, pace, fillers and the interviewer's next turn as soon as speech and
            content are known; the face and the report follow (the report routes wait for "done")."""
            summary = found.speech.summary
            store.update_answer(
                answer_id, stage="quick feedback ready; reading the face",
                transcript=found.speech.transcript.text.strip(),
                measures={"words_per_minute": summary.words_per_minute,
                          "filler_count": summary.filler_count,
                          "longest_pause_s": summary.longest_pause_s,
                          "word_count": summary.word_count},
            )
            # A re-run after a crash must not ask the interviewer twice (the turn was recorded).
            if interview_turn and store.get_answer(answer_id).dialogue_feedback is None:
                self.continue_dialogue(session.id, answer_id, found.speech.transcript.text.strip(),
                                       found.content.verdict)

        if path is None or not path.is_file():
            raise FileNotFoundError("the recording of this answer is missing")
        baseline = self._baseline(answer_id)
        with self._analysis_lock:
            analyzer = self.analyzer
            result = analyzer.analyze(
                path,
                question=answer.question,
                question_end_s=answer.question_end_s,
                progress=report_progress,
                use_face=session.camera,
                baseline=baseline,
                emotion_inference=bool(session.emotion_inference),
                question_kind=self._bank_type(answer.question_id),
                # The calibration step's "look at the camera" gaze, as the live nudges use it.
                eye_contact=EyeContactCalibration.from_stored(
                    session.calibration, self.settings.face.eye_contact_max_deg
                ),
                on_quick=quick,
            )
            hashes = analyzer.model_hashes()
        report = build_report(result, hashes)
        transcript = result.speech.transcript.text.strip()
        if session.keep_recording and result.media.has_video:
            store.update_answer(answer_id, stage="preparing the replay")
            self._replay_copy(answer_id, path)
        # Stored with "done" in one go: whoever sees "done" also sees the next prompt and the replay
        # file, and a half-written report is never shown.
        return {
            "transcript": transcript,
            "duration_s": result.media.duration,
            "report": report.model_dump(mode="json"),
            "measures": report.summary.model_dump(mode="json"),
        }

    def _bank_type(self, question_id: str | None) -> str | None:
        """The bank's type of an asked question (its kind decides the rubric), None otherwise."""
        bank = self.interviews.bank
        return bank.get(question_id).type.value if question_id and question_id in bank else None

    def _baseline(self, answer_id: str, limit: int = 10):
        """The user's own normal: their latest analysed answers, else this session's calibration."""
        from mockmirror.fusion.baseline import Baseline, baseline_from_reports

        owner = self.store.get_session(self.store.get_answer(answer_id).session_id).owner_id
        earlier = [
            a.report
            for s in self.store.list_sessions(owner)  # newest first; only the owner's own answers
            for a in reversed(s.answers)
            if a.report is not None and a.id != answer_id
        ][:limit]
        if earlier:
            return baseline_from_reports(earlier)
        session = self.store.get_session(self.store.get_answer(answer_id).session_id)
        measured = (session.calibration or {}).get("baseline")
        return Baseline(**measured) if measured else None

    def submit_calibration(self, session_id: str, path: Path) -> str:
        job = self.runner.submit(
            "calibration_baseline", lambda p: self.calibration_baseline(session_id, path, p), session_id
        )
        return job.id

    def calibration_baseline(self, session_id: str, path: Path, progress: ProgressFn) -> None:
        """Analyse the ~10 s calibration recording into a Baseline, store it, delete the media."""
        import dataclasses
        import shutil

        from mockmirror.fusion.baseline import baseline_from_tracks

        session = self.store.get_session(session_id)
        try:
            with self._analysis_lock:
                result = self.analyzer.analyze(path, progress=progress, use_face=session.camera)
            baseline = baseline_from_tracks(result.face, result.speech, "calibration",
                                            f"calibration ({result.media.duration:.0f} s)")
        finally:
            shutil.rmtree(path.parent, ignore_errors=True)  # a calibration is never kept
        calibration = dict(self.store.get_session(session_id).calibration or {})
        calibration["baseline"] = dataclasses.asdict(baseline)
        self.store.update_session(session_id, calibration=calibration)

    def _replay_copy(self, answer_id: str, path: Path) -> None:
        from mockmirror.web.recording import browser_copy

        if path.suffix == ".webm":
            return
        try:
            target = browser_copy(path, path.with_name("replay.webm"))
        except Exception:  # replay is a convenience; the analysis is already stored
            log.exception("could not make a replay copy of %s", path)
            return
        self.store.update_answer(answer_id, recording_path=self.store.files.relative(target))
        if path.name == "answer.mkv":
            path.unlink(missing_ok=True)

    def continue_dialogue(
        self, session_id: str, answer_id: str, transcript: str, verdict: AnswerVerdict | None = None
    ) -> None:
        """The answer's transcript (and its verdict, so the follow-up agrees with the report) to the
        interviewer, which asks the follow-up or the next question."""
        record = self.store.get_session(session_id)
        if record.state not in ("listening", "follow_up", "wrap_up"):
            return
        event: dict[str, Any] = {"event": "answer", "text": transcript}
        if verdict is not None:
            event["verdict"] = to_jsonable(verdict)
        turn = self.interviews.handle(session_id, event)
        self.store.update_answer(
            answer_id,
            dialogue_feedback={
                "feedback": to_jsonable(turn.feedback) if turn.feedback else None,
                "next_prompt": prompt_json(turn),
                "state": turn.state.value,
            },
        )
