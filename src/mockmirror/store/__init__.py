"""Storage: interview sessions, answers, measures and reports in SQL; recordings as files.

SQLite in the user's data dir by default, PostgreSQL (or any SQLAlchemy URL) from
``settings.web.database_url``. The schema is created and upgraded by the Alembic migrations
shipped in ``store/migrations`` when the store opens (docs/web.md).
"""

from mockmirror.store.db import Database, database_url, open_database
from mockmirror.store.files import RecordingFiles
from mockmirror.store.models import (
    LOCAL_OWNER,
    Account,
    AnalysisJob,
    AnswerRecord,
    Base,
    SessionRecord,
    UserSetting,
)
from mockmirror.store.repository import AnswerStatus, JobState, Store

__all__ = [
    "LOCAL_OWNER",
    "Account",
    "AnalysisJob",
    "AnswerRecord",
    "AnswerStatus",
    "Base",
    "Database",
    "JobState",
    "RecordingFiles",
    "SessionRecord",
    "Store",
    "UserSetting",
    "database_url",
    "open_database",
]
