"""The audit log and the retention policy: what happened to whose data, and old data removed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select

from mockmirror.store.db import Database
from mockmirror.store.models import AuditEvent, SessionRecord
from mockmirror.store.repository import Store


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    subject: str
    address: str


class AuditLog:
    def __init__(self, database: Database) -> None:
        self.db = database

    def record(self, actor: str, action: str, subject: str = "", address: str = "") -> None:
        with self.db.sessions.begin() as s:
            s.add(AuditEvent(at=datetime.now(UTC), actor=actor[:80], action=action[:40],
                             subject=subject[:120], address=address[:64]))

    def recent(self, limit: int = 200) -> list[AuditEntry]:
        with self.db.sessions.begin() as s:
            rows = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
            return [AuditEntry(r.at, r.actor, r.action, r.subject, r.address) for r in rows]

    def forget_before(self, moment: datetime) -> None:
        with self.db.sessions.begin() as s:
            s.execute(delete(AuditEvent).where(AuditEvent.at < moment))


def purge_older_than(store: Store, audit: AuditLog, days: float, actor: str = "retention") -> int:
    """Delete every session (answers, recordings) older than ``days``, whoever owns it, and audit
    entries older than the same; returns how many sessions went."""
    before = datetime.now(UTC) - timedelta(days=days)
    with store.db.sessions.begin() as s:
        ids = list(s.scalars(select(SessionRecord.id).where(SessionRecord.created_at < before)))
    for session_id in ids:
        store.delete_session(session_id)
    audit.forget_before(before)
    if ids:
        audit.record(actor, "retention purge", f"{len(ids)} sessions older than {days:g} days")
    return len(ids)
