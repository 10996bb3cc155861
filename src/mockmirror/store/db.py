"""Open the database: build the URL from settings, connect, and apply the shipped migrations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.orm import Session, sessionmaker

from mockmirror.settings import Settings

MIGRATIONS = Path(__file__).with_name("migrations")


def data_dir(settings: Settings) -> Path:
    return settings.web.data_dir or settings.data_dir


def database_url(settings: Settings) -> str:
    if settings.web.database_url:
        return settings.web.database_url
    return f"sqlite:///{data_dir(settings) / 'mockmirror.sqlite3'}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # SQLite ignores ON DELETE CASCADE without it
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (the UI polling) do not wait for the worker
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
    cursor.close()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (a no-op when it is current)."""
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@dataclass
class Database:
    engine: Engine
    sessions: sessionmaker[Session]

    def close(self) -> None:
        self.engine.dispose()

    def checkpoint(self) -> None:
        """After a deletion: copy the WAL into the database and truncate it, so deleted text does
        not linger in the -wal file (secure_delete then overwrites it in the database)."""
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as connection:
                connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) readable by this user only (0700)."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
    path.chmod(0o700)
    return path


def private_file(path: Path) -> None:
    """Make an existing or new file readable by this user only (0600)."""
    path.touch(mode=0o600, exist_ok=True)
    path.chmod(0o600)


def open_database(settings: Settings, migrate: bool = True) -> Database:
    url = database_url(settings)
    if url.startswith("sqlite"):
        private_dir(data_dir(settings))
        file = make_url(url).database
        if file and file != ":memory:":
            for suffix in ("", "-wal", "-shm"):  # SQLite gives its side files the database's mode
                path = Path(file + suffix)
                if suffix == "" or path.exists():
                    private_file(path)
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    if migrate:
        upgrade(engine)
    return Database(engine, sessionmaker(engine, expire_on_commit=False))
