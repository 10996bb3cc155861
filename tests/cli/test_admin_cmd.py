"""`mockmirror admin`: create, import and reset accounts; the app then logs them in."""

from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from mockmirror.cli.main import app
from mockmirror.settings import Settings
from mockmirror.store.accounts import Accounts
from mockmirror.store.db import open_database


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("MOCKMIRROR_WEB__DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


def _accounts() -> Accounts:
    return Accounts(open_database(Settings()))


def test_create_user_with_a_password_from_stdin(data_dir):
    result = CliRunner().invoke(app, ["admin", "create-user", "Ann", "--role", "coach",
                                      "--password-stdin"], input="a long enough password\n")
    assert result.exit_code == 0, result.output
    account = _accounts().verify("ann", "a long enough password")
    assert account is not None and account.role == "coach" and not account.must_change_password


def test_create_user_refuses_an_unknown_role_in_plain_words(data_dir):
    result = CliRunner().invoke(app, ["admin", "create-user", "ann", "--role", "boss"])
    assert result.exit_code == 2 and "student, coach or admin" in result.output


def test_import_users_writes_private_temporary_passwords(data_dir, tmp_path):
    source = tmp_path / "people.csv"
    source.write_text("username,role,display_name\nann,student,Ann A\nbob,admin,Bob B\nann,student,again\n")
    target = tmp_path / "passwords.csv"
    result = CliRunner().invoke(app, ["admin", "import-users", str(source), "--out", str(target)])
    assert result.exit_code == 0, result.output
    assert "created 2 accounts, skipped 1" in result.output
    assert target.stat().st_mode & 0o777 == 0o600
    rows = list(csv.DictReader(target.open()))
    assert [r["username"] for r in rows] == ["ann", "bob"]
    accounts = _accounts()
    bob = accounts.verify("bob", rows[1]["password"])
    assert bob is not None and bob.role == "admin" and bob.must_change_password


def test_reset_password_prints_a_temporary_one(data_dir):
    accounts = _accounts()
    accounts.create("ann", "the first password")
    result = CliRunner().invoke(app, ["admin", "reset-password", "ann"])
    assert result.exit_code == 0
    temporary = result.output.split(": ", 1)[1].split()[0]
    assert accounts.verify("ann", "the first password") is None
    assert accounts.verify("ann", temporary).must_change_password


def test_purge_needs_a_period_and_deletes_older_sessions(data_dir):
    from datetime import UTC, datetime, timedelta

    from mockmirror.store import RecordingFiles, Store

    assert CliRunner().invoke(app, ["admin", "purge"]).exit_code == 2  # no period: says how to give one
    database = open_database(Settings())
    store = Store(database, RecordingFiles(data_dir))
    old, fresh = store.create_session(), store.create_session()
    store.update_session(old.id, created_at=datetime.now(UTC) - timedelta(days=40))
    result = CliRunner().invoke(app, ["admin", "purge", "--days", "30"])
    assert result.exit_code == 0 and "deleted 1 sessions" in result.output
    assert [s.id for s in store.list_sessions("local")] == [fresh.id]
