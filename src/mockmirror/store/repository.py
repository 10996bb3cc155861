"""The store's operations: short transactions that return detached records, plus the files."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.orm import Session, selectinload

from mockmirror import __version__
from mockmirror.store.db import Database
from mockmirror.store.files import RecordingFiles
from mockmirror.store.models import LOCAL_OWNER, AnalysisJob, AnswerRecord, SessionRecord, UserSetting

EXPORT_FORMAT = "mockmirror-export/1"


class AnswerStatus(StrEnum):
    RECORDING = "recording"  # the live answer is still streaming in
    QUEUED = "queued"
    ANALYSING = "analysing"
    DONE = "done"
    FAILED = "failed"


class JobState(StrEnum):
    """A durable analysis job's state (``AnalysisJob.state``)."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


def new_id() -> str:
    return uuid.uuid4().hex


class NotFound(LookupError):
    pass


def setting_key(key: str, owner_id: str) -> str:
    """Settings of the personal mode's one person keep their plain key; an account's carry its id."""
    return key if owner_id == LOCAL_OWNER else f"{owner_id}/{key}"


def _owned_setting(owner_id: str) -> Any:
    if owner_id == LOCAL_OWNER:
        return UserSetting.key.not_like("%/%")
    return UserSetting.key.startswith(f"{owner_id}/", autoescape=True)


def _columns(record: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for column in record.__table__.columns:
        value = getattr(record, column.key)
        out[column.key] = value.isoformat() if isinstance(value, datetime) else value
    return out


class Store:
    def __init__(self, database: Database, files: RecordingFiles) -> None:
        self.db = database
        self.files = files

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self.db.sessions.begin() as session:
            yield session

    # --- sessions ---------------------------------------------------------------------------
    def create_session(self, **fields: Any) -> SessionRecord:
        record = SessionRecord(id=new_id(), created_at=datetime.now(UTC), **fields)
        with self._tx() as s:
            s.add(record)
        return record

    def list_sessions(self, owner_id: str) -> list[SessionRecord]:
        """One person's sessions, newest first (there is no list of everyone's)."""
        with self._tx() as s:
            query = (
                select(SessionRecord)
                .where(SessionRecord.owner_id == owner_id)
                .options(selectinload(SessionRecord.answers))
                .order_by(SessionRecord.created_at.desc())
            )
            return list(s.scalars(query))

    def get_session(self, session_id: str, owner_id: str | None = None) -> SessionRecord:
        """A session; with ``owner_id`` only that person's (else NotFound, as for no session).
        Without it only for the server's own work (analysis jobs), never for a request."""
        with self._tx() as s:
            query = (
                select(SessionRecord)
                .where(SessionRecord.id == session_id)
                .options(selectinload(SessionRecord.answers))
            )
            if owner_id is not None:
                query = query.where(SessionRecord.owner_id == owner_id)
            record = s.scalars(query).first()
        if record is None:
            raise NotFound(f"no session {session_id}")
        return record

    def update_session(self, session_id: str, **fields: Any) -> SessionRecord:
        with self._tx() as s:
            record = s.get(SessionRecord, session_id)
            if record is None:
                raise NotFound(f"no session {session_id}")
            for key, value in fields.items():
                setattr(record, key, value)
        return self.get_session(session_id)

    def delete_session(self, session_id: str) -> None:
        with self._tx() as s:
            record = s.get(SessionRecord, session_id)
            if record is None:
                raise NotFound(f"no session {session_id}")
            s.delete(record)
        self.files.delete_session(session_id)
        self.db.checkpoint()

    # --- answers ----------------------------------------------------------------------------
    def add_answer(self, session_id: str, **fields: Any) -> AnswerRecord:
        with self._tx() as s:
            if s.get(SessionRecord, session_id) is None:
                raise NotFound(f"no session {session_id}")
            siblings = s.scalars(select(AnswerRecord.id).where(AnswerRecord.session_id == session_id))
            position = len(list(siblings))
            record = AnswerRecord(
                id=fields.pop("id", None) or new_id(),
                session_id=session_id,
                position=position,
                created_at=datetime.now(UTC),
                **fields,
            )
            s.add(record)
        return record

    def get_answer(self, answer_id: str, owner_id: str | None = None) -> AnswerRecord:
        """An answer; with ``owner_id`` only if its session is that person's (as get_session)."""
        with self._tx() as s:
            query = select(AnswerRecord).where(AnswerRecord.id == answer_id)
            if owner_id is not None:
                query = query.join(SessionRecord).where(SessionRecord.owner_id == owner_id)
            record = s.scalars(query).first()
        if record is None:
            raise NotFound(f"no answer {answer_id}")
        return record

    def update_answer(self, answer_id: str, **fields: Any) -> AnswerRecord:
        with self._tx() as s:
            record = s.get(AnswerRecord, answer_id)
            if record is None:
                raise NotFound(f"no answer {answer_id}")
            for key, value in fields.items():
                setattr(record, key, value)
        return record

    def delete_answer(self, answer_id: str) -> None:
        record = self.get_answer(answer_id)
        with self._tx() as s:
            s.delete(s.get(AnswerRecord, answer_id))
        self.files.delete_answer(record.session_id, record.id)
        self.db.checkpoint()

    def discard_recording(self, answer_id: str) -> None:
        """Delete an answer's media (the candidate did not opt in to keeping it)."""
        record = self.get_answer(answer_id)
        self.files.delete_answer(record.session_id, record.id)
        self.update_answer(answer_id, recording_path=None)

    # --- durable analysis jobs ----------------------------------------------------------------
    def create_job(self, answer_id: str) -> AnalysisJob:
        """A new queued job for the answer; the answer shows it as queued in the same transaction."""
        job = AnalysisJob(id=new_id(), answer_id=answer_id, state=JobState.QUEUED, attempts=0,
                          created_at=datetime.now(UTC))
        with self._tx() as s:
            answer = s.get(AnswerRecord, answer_id)
            if answer is None:
                raise NotFound(f"no answer {answer_id}")
            s.add(job)
            answer.job_id, answer.status, answer.error = job.id, AnswerStatus.QUEUED, None
            answer.stage, answer.progress = "waiting", 0.0
        return job

    def get_job(self, job_id: str) -> AnalysisJob:
        with self._tx() as s:
            job = s.get(AnalysisJob, job_id)
        if job is None:
            raise NotFound(f"no job {job_id}")
        return job

    def unfinished_jobs(self) -> list[AnalysisJob]:
        """Jobs queued or running, oldest first (what a restart must pick up again)."""
        with self._tx() as s:
            query = (select(AnalysisJob)
                     .where(AnalysisJob.state.in_([JobState.QUEUED, JobState.RUNNING]))
                     .order_by(AnalysisJob.created_at))
            return list(s.scalars(query))

    def answers_waiting_without_job(self) -> list[str]:
        """Answers shown as queued or analysing with no durable job behind them (queued by a
        version that kept jobs in memory only): they would otherwise wait forever."""
        with self._tx() as s:
            known = select(AnalysisJob.id)
            query = (select(AnswerRecord.id)
                     .where(AnswerRecord.status.in_([AnswerStatus.QUEUED, AnswerStatus.ANALYSING]),
                            or_(AnswerRecord.job_id.is_(None), AnswerRecord.job_id.not_in(known)))
                     .order_by(AnswerRecord.created_at))
            return list(s.scalars(query))

    def answers_recording(self) -> list[str]:
        """Live answers still marked as streaming in."""
        with self._tx() as s:
            query = select(AnswerRecord.id).where(AnswerRecord.status == AnswerStatus.RECORDING)
            return list(s.scalars(query))

    def answers_with_media_to_discard(self) -> list[str]:
        """Answers with an outcome (done or failed) whose folder is still on disk although the user
        did not choose to keep the recording (the process stopped between the two steps)."""
        with self._tx() as s:
            query = (select(AnswerRecord.id, AnswerRecord.session_id).join(SessionRecord)
                     .where(AnswerRecord.status.in_([AnswerStatus.DONE, AnswerStatus.FAILED]),
                            SessionRecord.keep_recording.is_(False)))
            found = list(s.execute(query))
        return [answer for answer, session in found
                if (self.files.session_dir(session) / answer).exists()]

    def claim_job(
        self, job_id: str, worker: str, stale_before: datetime, dead_worker: str | None = None
    ) -> bool:
        """Take the job to run it: only if it is queued, or running on a worker that stopped
        (silent since ``stale_before``, or ``dead_worker``). One conditional UPDATE, so of two
        deliveries of the same job only one wins; a finished job is never run again."""
        running_on_dead = and_(AnalysisJob.state == JobState.RUNNING,
                               or_(AnalysisJob.heartbeat_at.is_(None),
                                   AnalysisJob.heartbeat_at < stale_before,
                                   AnalysisJob.worker == (dead_worker or "")))
        now = datetime.now(UTC)
        with self._tx() as s:
            result = s.execute(
                update(AnalysisJob)
                .where(AnalysisJob.id == job_id, or_(AnalysisJob.state == JobState.QUEUED, running_on_dead))
                .values(state=JobState.RUNNING, attempts=AnalysisJob.attempts + 1, worker=worker,
                        heartbeat_at=now, not_before=None)
                .execution_options(synchronize_session=False)
            )
            claimed = bool(getattr(result, "rowcount", 0))
            if claimed:
                answer = s.get(AnswerRecord, s.get_one(AnalysisJob, job_id).answer_id)
                if answer is not None:
                    answer.status, answer.stage, answer.progress = AnswerStatus.ANALYSING, "starting", 0.0
        return claimed

    def job_heartbeat(self, job_id: str, worker: str) -> None:
        with self._tx() as s:
            s.execute(update(AnalysisJob)
                      .where(AnalysisJob.id == job_id, AnalysisJob.worker == worker,
                             AnalysisJob.state == JobState.RUNNING)
                      .values(heartbeat_at=datetime.now(UTC)))

    def finish_job(self, job_id: str, worker: str, **answer_fields: Any) -> bool:
        """Mark the job done and write the answer's results in one transaction (a reader sees the
        whole report or none of it); False when another worker took the job over meanwhile."""
        with self._tx() as s:
            result = s.execute(update(AnalysisJob)
                               .where(AnalysisJob.id == job_id, AnalysisJob.worker == worker,
                                      AnalysisJob.state == JobState.RUNNING)
                               .values(state=JobState.DONE, finished_at=datetime.now(UTC), last_error=None)
                               .execution_options(synchronize_session=False))
            if not getattr(result, "rowcount", 0):
                return False
            answer = s.get(AnswerRecord, s.get_one(AnalysisJob, job_id).answer_id)
            if answer is not None:
                for key, value in {"status": AnswerStatus.DONE, "stage": "done", "progress": 1.0,
                                   "error": None, **answer_fields}.items():
                    setattr(answer, key, value)
        return True

    def retry_job(self, job_id: str, reason: str, not_before: datetime) -> None:
        """Back to the queue after a passing failure; the answer says it will be tried again."""
        with self._tx() as s:
            job = s.get_one(AnalysisJob, job_id)
            job.state, job.last_error, job.not_before, job.worker = JobState.QUEUED, reason, not_before, None
            answer = s.get(AnswerRecord, job.answer_id)
            if answer is not None:
                answer.status, answer.progress = AnswerStatus.QUEUED, 0.0
                answer.stage = "waiting to try again"

    def fail_job(self, job_id: str, reason: str, discard: bool = False) -> None:
        """The job is over without a report: the answer shows the reason in one line (and, with
        ``discard``, no longer names its recording; the caller deletes the files)."""
        with self._tx() as s:
            job = s.get_one(AnalysisJob, job_id)
            job.state, job.last_error, job.finished_at = JobState.FAILED, reason, datetime.now(UTC)
            answer = s.get(AnswerRecord, job.answer_id)
            if answer is not None:
                answer.status, answer.stage, answer.error = AnswerStatus.FAILED, "failed", reason
                if discard:
                    answer.recording_path = None

    # --- settings ---------------------------------------------------------------------------
    def get_setting(self, key: str, owner_id: str = LOCAL_OWNER) -> dict[str, Any] | None:
        with self._tx() as s:
            record = s.get(UserSetting, setting_key(key, owner_id))
            return None if record is None else dict(record.value)

    def put_setting(self, key: str, value: dict[str, Any], owner_id: str = LOCAL_OWNER) -> None:
        key = setting_key(key, owner_id)
        with self._tx() as s:
            record = s.get(UserSetting, key)
            if record is None:
                s.add(UserSetting(key=key, value=value, updated_at=datetime.now(UTC)))
            else:
                record.value = value
                record.updated_at = datetime.now(UTC)

    # --- the user's data as a whole ------------------------------------------------------------
    def delete_all(self, owner_id: str) -> None:
        """Everything of one person: sessions, answers, recordings, settings."""
        ids = [r.id for r in self.list_sessions(owner_id)]
        with self._tx() as s:
            answers = select(AnswerRecord.id).where(AnswerRecord.session_id.in_(ids))
            s.execute(delete(AnalysisJob).where(AnalysisJob.answer_id.in_(answers)))
            s.execute(delete(AnswerRecord).where(AnswerRecord.session_id.in_(ids)))
            s.execute(delete(SessionRecord).where(SessionRecord.id.in_(ids)))
            s.execute(delete(UserSetting).where(_owned_setting(owner_id)))
        for session_id in ids:
            self.files.delete_session(session_id)
        with contextlib.suppress(OSError):  # the recordings folder too, once no one has any
            self.files.recordings.rmdir()
        self.db.checkpoint()

    def export(self, owner_id: str) -> dict[str, Any]:
        """Everything stored about one person as one JSON-ready dict (recordings by path)."""
        sessions = []
        for record in self.list_sessions(owner_id):
            item = _columns(record)
            item["answers"] = [_columns(a) for a in record.answers]
            sessions.append(item)
        with self._tx() as s:
            settings = {
                r.key.removeprefix(setting_key("", owner_id)): r.value
                for r in s.scalars(select(UserSetting).where(_owned_setting(owner_id)))
            }
        return {
            "format": EXPORT_FORMAT,
            "exported_at": datetime.now(UTC).isoformat(),
            "mockmirror_version": __version__,
            "sessions": sessions,
            "settings": settings,
        }

    def export_zip(self, target: Path, owner_id: str) -> Path:
        """data.json plus every kept recording under recordings/…, written to the zip file
        ``target`` (0600): recordings are copied from disk in chunks, never held in memory."""
        data = self.export(owner_id)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
            for session in data["sessions"]:
                for answer in session["answers"]:
                    path = self.files.absolute(answer.get("recording_path"))
                    if path is not None and path.is_file():
                        archive.write(path, answer["recording_path"])
        return target
