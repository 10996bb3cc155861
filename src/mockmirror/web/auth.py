"""Who is asking: the one local person (personal mode) or a logged-in account (institution mode).

``RequireLogin`` runs before every route and the live socket. In institution mode everything but
the page itself, its static files, the health check and the login needs a valid login cookie, and
every write repeats the login's CSRF token in ``X-CSRF-Token``. Routes read the ``Principal`` it
leaves in the request state (``deps.PrincipalDep``) and filter every query by its owner id.
"""

from __future__ import annotations

import secrets
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta

import anyio
from starlette.datastructures import Headers
from starlette.requests import HTTPConnection, cookie_parser
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from mockmirror.settings import Settings
from mockmirror.store import LOCAL_OWNER
from mockmirror.store.accounts import Accounts, Login, Role

COOKIE = "mockmirror_session"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Reachable without a login: the page and its files (they hold no one's data), liveness, login.
PUBLIC_PATHS = frozenset({"/", "/api/health", "/api/auth/login"})
PUBLIC_PREFIXES = ("/static/",)
# Reachable with a login that must first choose a new password.
PASSWORD_PATHS = frozenset({"/api/auth/me", "/api/auth/logout", "/api/auth/password"})


@dataclass(frozen=True)
class Principal:
    """Whose data a request may touch (``owner_id``) and what else it may do (``role``)."""

    owner_id: str
    role: Role
    username: str
    account_id: str | None = None  # None: personal mode's local person
    csrf_token: str | None = None
    must_change_password: bool = False

    @classmethod
    def of(cls, login: Login) -> Principal:
        a = login.account
        return cls(owner_id=a.id, role=Role(a.role), username=a.username, account_id=a.id,
                   csrf_token=login.csrf_token, must_change_password=a.must_change_password)


LOCAL_PERSON = Principal(owner_id=LOCAL_OWNER, role=Role.STUDENT, username="you")


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


def session_lifetime(settings: Settings) -> timedelta:
    return timedelta(hours=settings.auth.session_hours)


async def _deny(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    if scope["type"] == "websocket":  # closed before it is accepted: the browser sees a failed socket
        await send({"type": "websocket.close", "code": 4000 + status, "reason": detail[:120]})
        return
    await JSONResponse({"detail": detail}, status_code=status)(scope, receive, send)


class RequireLogin:
    """Puts the request's Principal in ``scope["state"]``; refuses what it may not reach."""

    def __init__(self, app: ASGIApp, settings: Settings, accounts: Accounts) -> None:
        self.app, self.settings, self.accounts = app, settings, accounts
        self.lifetime = session_lifetime(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        if not self.settings.institution:
            state["principal"] = LOCAL_PERSON
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        headers = Headers(scope=scope)
        token = cookie_parser(headers.get("cookie", "")).get(COOKIE)
        login = await anyio.to_thread.run_sync(self.accounts.login, token, self.lifetime) if token else None
        if login is None:
            if is_public(path):
                await self.app(scope, receive, send)
                return
            await _deny(scope, receive, send, 401, "Please log in.")
            return
        principal = Principal.of(login)
        state["principal"] = principal
        method = scope.get("method", "GET")
        if scope["type"] == "http" and method not in SAFE_METHODS and path != "/api/auth/login":
            sent = headers.get(CSRF_HEADER, "")
            if not secrets.compare_digest(sent.encode(), login.csrf_token.encode()):
                await _deny(scope, receive, send, 403, "The page is out of date; reload it and try again.")
                return
        if principal.must_change_password and not (is_public(path) or path in PASSWORD_PATHS):
            await _deny(scope, receive, send, 403, "Choose a new password first.")
            return
        await self.app(scope, receive, send)


def audit(connection: HTTPConnection, action: str, subject: str = "", actor: str | None = None) -> None:
    """One line in the audit log: who (the request's principal), what, about which id."""
    principal = getattr(connection.state, "principal", None)
    who = actor or (principal.username if principal is not None else "anonymous")
    address = connection.client.host if connection.client else ""
    connection.app.state.audit.record(who, action, subject, address)


@dataclass
class LoginThrottle:
    """Failed logins per user name and per address; past ``limit`` in ``window_s`` logins pause."""

    limit: int
    window_s: float
    _failures: dict[str, deque[float]] = field(default_factory=dict)

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] < now - self.window_s:
            times.popleft()
        return times

    def wait_s(self, *keys: str) -> float:
        """Seconds until a login may be tried again for these keys (0: now)."""
        now = time.monotonic()
        waits = [times[0] + self.window_s - now for key in keys
                 if len(times := self._recent(key, now)) >= self.limit]
        return max(waits, default=0.0)

    def failed(self, *keys: str) -> None:
        now = time.monotonic()
        for key in keys:
            self._recent(key, now).append(now)
        if len(self._failures) > 10_000:  # bounded memory: forget keys with no recent failure
            for key in [k for k, v in self._failures.items() if not v or v[-1] < now - self.window_s]:
                del self._failures[key]

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._failures.pop(key, None)
