"""Accounts and server-side logins of institution mode (the people, not their interviews).

Passwords are hashed with argon2 (pwdlib); a login's cookie holds a random token of which only
the SHA-256 is stored, so a copy of the database does not log anyone in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pwdlib import PasswordHash
from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from mockmirror.store.db import Database
from mockmirror.store.models import Account, LoginSession, SessionRecord, SessionShare
from mockmirror.store.repository import NotFound, new_id


class Role(StrEnum):
    STUDENT = "student"
    COACH = "coach"
    ADMIN = "admin"


class AccountError(ValueError):
    """Something about an account the person asking can fix (plain words)."""


@dataclass(frozen=True)
class Login:
    """A valid login: who, and the token a write must repeat (CSRF)."""

    account: Account
    csrf_token: str
    expires_at: datetime


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the zone


class Accounts:
    def __init__(self, database: Database, min_password_length: int = 10) -> None:
        self.db = database
        self.min_password_length = min_password_length
        self.hasher = PasswordHash.recommended()
        # Verifying against this when the name is unknown takes as long as a real check.
        self._dummy_hash = self.hasher.hash(secrets.token_hex(16))

    # --- accounts --------------------------------------------------------------------------------
    def _check_password(self, password: str) -> None:
        if len(password) < self.min_password_length:
            raise AccountError(f"The password must have at least {self.min_password_length} characters.")

    def create(self, username: str, password: str, role: Role | str = Role.STUDENT,
               display_name: str = "", must_change_password: bool = False) -> Account:
        username = username.strip().lower()
        if not username or len(username) > 80 or any(c.isspace() for c in username):
            raise AccountError("A user name needs 1 to 80 characters and no spaces.")
        role = Role(role)
        self._check_password(password)
        if self.find(username) is not None:
            raise AccountError(f"There is already an account called {username}.")
        account = Account(
            id=new_id(), username=username, display_name=display_name.strip()[:200], role=role.value,
            password_hash=self.hasher.hash(password), must_change_password=must_change_password,
            disabled=False, created_at=datetime.now(UTC),
        )
        with self.db.sessions.begin() as s:
            s.add(account)
        return account

    def find(self, username: str) -> Account | None:
        with self.db.sessions.begin() as s:
            return s.scalars(select(Account).where(Account.username == username.strip().lower())).first()

    def get(self, account_id: str) -> Account:
        with self.db.sessions.begin() as s:
            account = s.get(Account, account_id)
        if account is None:
            raise NotFound(f"no account {account_id}")
        return account

    def all(self) -> list[Account]:
        with self.db.sessions.begin() as s:
            return list(s.scalars(select(Account).order_by(Account.username)))

    def set_password(self, account_id: str, password: str, must_change: bool = False) -> None:
        """A new password; every login of the account ends (a reset locks out whoever had it)."""
        self._check_password(password)
        with self.db.sessions.begin() as s:
            account = s.get(Account, account_id)
            if account is None:
                raise NotFound(f"no account {account_id}")
            account.password_hash = self.hasher.hash(password)
            account.must_change_password = must_change
        self.end_logins(account_id)

    def set_disabled(self, account_id: str, disabled: bool) -> None:
        with self.db.sessions.begin() as s:
            account = s.get(Account, account_id)
            if account is None:
                raise NotFound(f"no account {account_id}")
            account.disabled = disabled
        if disabled:
            self.end_logins(account_id)

    def verify(self, username: str, password: str) -> Account | None:
        """The account if the name and password match and it is not disabled, else None."""
        account = self.find(username)
        if account is None:
            self.hasher.verify(password, self._dummy_hash)
            return None
        valid, new_hash = self.hasher.verify_and_update(password, account.password_hash)
        if not valid or account.disabled:
            return None
        if new_hash is not None:  # the hashing parameters were raised since: store the stronger hash
            with self.db.sessions.begin() as s:
                stored = s.get(Account, account.id)
                if stored is not None:
                    stored.password_hash = new_hash
        return account

    # --- logins --------------------------------------------------------------------------------
    def start_login(self, account_id: str, lifetime: timedelta) -> tuple[str, Login]:
        """A new login: (the cookie's token, the login)."""
        token = secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        record = LoginSession(token_hash=token_hash(token), account_id=account_id,
                              csrf_token=secrets.token_urlsafe(32), created_at=now, expires_at=now + lifetime)
        with self.db.sessions.begin() as s:
            s.execute(delete(LoginSession).where(LoginSession.expires_at < now))  # tidy up old ones
            s.add(record)
        return token, Login(self.get(account_id), record.csrf_token, record.expires_at)

    def login(self, token: str, lifetime: timedelta) -> Login | None:
        """The login of a cookie's token, if it is still valid (its life is extended on use)."""
        now = datetime.now(UTC)
        with self.db.sessions.begin() as s:
            record = s.get(LoginSession, token_hash(token))
            if record is None:
                return None
            if _aware(record.expires_at) < now:
                s.delete(record)
                return None
            account = s.get(Account, record.account_id)
            if account is None or account.disabled:
                return None
            if _aware(record.expires_at) - now < lifetime / 2:  # write only now and then
                record.expires_at = now + lifetime
            return Login(account, record.csrf_token, _aware(record.expires_at))

    def end_login(self, token: str) -> None:
        with self.db.sessions.begin() as s:
            s.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))

    def end_logins(self, account_id: str) -> None:
        with self.db.sessions.begin() as s:
            s.execute(delete(LoginSession).where(LoginSession.account_id == account_id))

    # --- sharing with coaches --------------------------------------------------------------------
    def share(self, session_id: str, coach_id: str) -> None:
        with self.db.sessions.begin() as s:
            if s.get(SessionShare, (session_id, coach_id)) is None:
                s.add(SessionShare(session_id=session_id, coach_id=coach_id, created_at=datetime.now(UTC)))

    def unshare(self, session_id: str, coach_id: str) -> None:
        with self.db.sessions.begin() as s:
            s.execute(delete(SessionShare).where(SessionShare.session_id == session_id,
                                                 SessionShare.coach_id == coach_id))

    def coaches_of(self, session_id: str) -> list[Account]:
        with self.db.sessions.begin() as s:
            query = (select(Account).join(SessionShare, SessionShare.coach_id == Account.id)
                     .where(SessionShare.session_id == session_id).order_by(Account.username))
            return list(s.scalars(query))

    def shared_with(self, coach_id: str) -> list[tuple[SessionRecord, Account]]:
        """The sessions shared with a coach (newest first), each with its owner's account."""
        with self.db.sessions.begin() as s:
            query = (
                select(SessionRecord, Account)
                .join(SessionShare, SessionShare.session_id == SessionRecord.id)
                .join(Account, Account.id == SessionRecord.owner_id)
                .where(SessionShare.coach_id == coach_id)
                .options(selectinload(SessionRecord.answers))
                .order_by(SessionRecord.created_at.desc())
            )
            return [(record, owner) for record, owner in s.execute(query).all()]

    def is_shared(self, session_id: str, coach_id: str) -> bool:
        with self.db.sessions.begin() as s:
            return s.get(SessionShare, (session_id, coach_id)) is not None
