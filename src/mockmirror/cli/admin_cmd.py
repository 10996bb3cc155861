"""`mockmirror admin …`: accounts of institution mode, from the server's own command line."""

from __future__ import annotations

import csv
import os
import secrets
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from mockmirror.settings import Settings

admin_app = typer.Typer(help="Accounts for institution mode (students, coaches, admins).",
                        no_args_is_help=True)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _accounts(settings: Settings):
    from mockmirror.store.accounts import Accounts
    from mockmirror.store.db import open_database

    return Accounts(open_database(settings), settings.auth.min_password_length)


def temporary_password() -> str:
    return secrets.token_urlsafe(12)  # 16 characters; must be changed at the first login


def _fail(message: str) -> None:
    err.print(f"[red]error:[/] {message}")
    raise typer.Exit(2)


@admin_app.command("create-user")
def create_user(
    username: Annotated[str, typer.Argument(help="Login name (no spaces).")],
    role: Annotated[str, typer.Option(help="student, coach or admin.")] = "student",
    display_name: Annotated[str, typer.Option(help="Name shown in the app.")] = "",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Create an account. Without --password-stdin a temporary password is printed, to be changed
    at the first login."""
    from mockmirror.store.accounts import AccountError, Role

    if role not in {r.value for r in Role}:
        _fail(f"the role must be student, coach or admin, not {role!r}")
    given = sys.stdin.readline().rstrip("\n") if password_stdin else None
    password = given or temporary_password()
    try:
        _accounts(Settings()).create(username, password, role, display_name,
                                     must_change_password=given is None)
    except AccountError as exc:
        _fail(str(exc))
    out.print(f"created {role} [bold]{username.strip().lower()}[/]")
    if given is None:
        out.print(f"temporary password: {password}  (to be changed at the first login)")


@admin_app.command("import-users")
def import_users(
    csv_file: Annotated[Path, typer.Argument(exists=True, dir_okay=False,
                                             help="CSV with a header: username,role,display_name.")],
    passwords_out: Annotated[Path, typer.Option("--out", help="Where to write username,password (0600).")],
) -> None:
    """Create an account for each row; their temporary passwords go to --out (readable by you only)."""
    from mockmirror.store.accounts import AccountError

    accounts = _accounts(Settings())
    with csv_file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    if not rows or "username" not in rows[0]:
        _fail(f"{csv_file.name} needs a header row with at least 'username' (and 'role', 'display_name')")
    fd = os.open(passwords_out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    created = skipped = 0
    with os.fdopen(fd, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "password"])
        for number, row in enumerate(rows, start=2):
            password = temporary_password()
            try:
                account = accounts.create(row["username"], password, (row.get("role") or "student").strip(),
                                          row.get("display_name") or "", must_change_password=True)
            except (AccountError, ValueError) as exc:
                err.print(f"line {number}: skipped ({exc})")
                skipped += 1
                continue
            writer.writerow([account.username, password])
            created += 1
    out.print(f"created {created} accounts, skipped {skipped}; temporary passwords in {passwords_out}")


@admin_app.command("reset-password")
def reset_password(username: Annotated[str, typer.Argument(help="Login name.")]) -> None:
    """Give an account a temporary password (printed) that must be changed at the next login."""
    accounts = _accounts(Settings())
    account = accounts.find(username)
    if account is None:
        _fail(f"there is no account called {username}")
        return
    password = temporary_password()
    accounts.set_password(account.id, password, must_change=True)
    out.print(f"temporary password for {account.username}: {password}  (every login of it was ended)")


@admin_app.command("purge")
def purge(
    days: Annotated[
        float | None, typer.Option(help="Older than this many days (default: auth.retention_days).")
    ] = None,
) -> None:
    """Delete every session (answers, recordings) and audit entry older than the retention period."""
    from mockmirror.store import RecordingFiles, Store
    from mockmirror.store.audit import AuditLog, purge_older_than
    from mockmirror.store.db import data_dir, open_database

    settings = Settings()
    days = days if days is not None else settings.auth.retention_days
    if days is None or days <= 0:
        _fail("say how old: --days N, or set MOCKMIRROR_AUTH__RETENTION_DAYS")
        return
    database = open_database(settings)
    store = Store(database, RecordingFiles(data_dir(settings)))
    removed = purge_older_than(store, AuditLog(database), days, actor="admin purge")
    out.print(f"deleted {removed} sessions older than {days:g} days")
