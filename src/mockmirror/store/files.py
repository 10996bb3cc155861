"""Recordings on disk: one folder per session under the data dir, referenced by relative path."""

from __future__ import annotations

import contextlib
import shutil
from dataclasses import dataclass
from pathlib import Path

from mockmirror.store.db import private_dir


@dataclass(frozen=True)
class RecordingFiles:
    root: Path  # the data dir; the database stores paths relative to it

    @property
    def recordings(self) -> Path:
        return self.root / "recordings"

    def session_dir(self, session_id: str) -> Path:
        if not session_id.isalnum():  # ids are uuid hex; never let one walk out of the folder
            raise ValueError(f"bad session id {session_id!r}")
        return self.recordings / session_id

    def answer_dir(self, session_id: str, answer_id: str) -> Path:
        if not answer_id.isalnum():
            raise ValueError(f"bad answer id {answer_id!r}")
        return private_dir(self.session_dir(session_id) / answer_id)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    def absolute(self, relative: str | None) -> Path | None:
        if not relative:
            return None
        path = (self.root / relative).resolve()
        if not path.is_relative_to(self.root.resolve()):
            return None
        return path

    def delete_session(self, session_id: str) -> None:
        shutil.rmtree(self.session_dir(session_id), ignore_errors=True)

    def delete_answer(self, session_id: str, answer_id: str) -> None:
        session = self.session_dir(session_id)
        shutil.rmtree(session / answer_id, ignore_errors=True)
        with contextlib.suppress(OSError):  # the session's folder too, once it holds nothing
            session.rmdir()

    def delete_all(self) -> None:
        shutil.rmtree(self.recordings, ignore_errors=True)
