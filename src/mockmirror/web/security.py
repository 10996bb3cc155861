"""Hardening shared by every route: body limits, security headers, errors that reveal nothing,
and the live sockets' caps. ``harden(app, settings)`` installs it all (docs/deploy.md)."""

from __future__ import annotations

import base64
import hashlib
import re
import time
from collections import deque
from dataclasses import dataclass, field

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mockmirror.settings import Settings, WebSettings

# The UI is ES modules from /static: no inline script may run. Inline style *attributes* are
# allowed (lit-html positions report marks with them); <style> elements are not.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; "
    "img-src 'self' data:; media-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), microphone=(self), geolocation=(), payment=()",
}
BODY_METHODS = ("POST", "PUT", "PATCH", "DELETE")
MULTIPART_OVERHEAD = 64_000  # bytes of boundaries and small fields around an uploaded file

# Absolute paths (POSIX or Windows) in a message: only the last part reaches a client.
_PATH = re.compile(r"(?:[A-Za-z]:\\|/)(?:[^\s'\"/\\:]+[/\\])+([^\s'\"/\\:]*)")


def scrub_paths(text: str) -> str:
    """A message for the client: every absolute server path reduced to its file name."""
    return _PATH.sub(lambda m: m.group(1) or "(a folder)", text)


def body_cap(web: WebSettings, content_type: str) -> float:
    """Bytes a request body may have: a recording upload has its own, larger cap."""
    if is_upload(content_type):
        return web.max_upload_mb * 1e6 + MULTIPART_OVERHEAD
    return web.max_body_kb * 1024


def is_upload(content_type: str) -> bool:
    return content_type.startswith("multipart/form-data")


def mb(n: float) -> str:
    return f"{n / 1e9:.1f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"


def recording_too_large(size: float | None, cap_bytes: float) -> str:
    seen = f"The recording is {mb(size)}; " if size else "The recording is too large; "
    return seen + f"the limit is {mb(cap_bytes)}. Trim it, or raise MOCKMIRROR_WEB__MAX_UPLOAD_MB."


def too_large_detail(limit: float, upload: bool = False, size: float | None = None) -> str:
    if upload:
        return recording_too_large(size, limit - MULTIPART_OVERHEAD)
    if limit < 1e6:
        return f"The request is too large (the limit is {limit / 1024:.0f} KB)."
    return f"The request is too large (the limit is {mb(limit)})."


def too_large(limit: float, upload: bool = False, size: float | None = None) -> JSONResponse:
    """413, and the connection closed: the rest of the body is never read."""
    return JSONResponse({"detail": too_large_detail(limit, upload, size)}, status_code=413,
                        headers={"Connection": "close"})


class BodyLimit:
    """Refuses a body over its cap before reading it (Content-Length), or as soon as the streamed
    bytes pass it (chunked or lying): nothing over the cap is ever held in memory."""

    def __init__(self, app: ASGIApp, web: WebSettings) -> None:
        self.app, self.web = app, web

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS:
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        upload = is_upload(headers.get("content-type", ""))
        limit = body_cap(self.web, headers.get("content-type", ""))
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await too_large(limit, upload, int(declared))(scope, receive, send)
            return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, too_large_detail(limit, upload), {"Connection": "close"})
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except HTTPException as exc:  # raised while a body was read outside a route
            if exc.status_code != 413 or started:
                raise
            await too_large(limit, upload)(scope, receive, send)


class SecurityHeaders:
    """CSP, nosniff, no framing, no referrer on every response; no caching of personal data."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_api = scope["path"].startswith("/api/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = dict(HEADERS)
                extra.setdefault("Content-Security-Policy", CSP)
                if is_api:
                    extra["Cache-Control"] = "no-store"
                message["headers"] = list(message.get("headers", [])) + [
                    (k.lower().encode(), v.encode())
                    for k, v in extra.items()
                    if k.lower().encode() not in present
                ]
            await send(message)

        await self.app(scope, receive, with_headers)


_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)


def report_page(html: str) -> HTMLResponse:
    """A self-contained report page (inline styles, inline scripts rendered by us): only its own
    scripts may run, named by hash; it may load nothing but this server's media."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in _SCRIPT.findall(html)
    )
    csp = (
        f"default-src 'none'; script-src {hashes or chr(39) + 'none' + chr(39)}; "
        "style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return HTMLResponse(html, headers={"Content-Security-Policy": csp})


def _safe_errors(exc: RequestValidationError) -> list[dict]:
    """Where and why, never the input: a 422 must not echo a (possibly huge or private) body."""
    return [{"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()]


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": _safe_errors(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = scrub_paths(exc.detail) if isinstance(exc.detail, str) else exc.detail
        return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, _exc: Exception) -> JSONResponse:
        # The traceback goes to the server log (Starlette logs it); the client learns nothing of it.
        return JSONResponse({"detail": "Something went wrong on the server."}, status_code=500)


# --- live sockets ------------------------------------------------------------------------------


@dataclass
class LiveGate:
    """How many live sockets are open; more than ``limit`` at once are refused. Used only from
    the event loop (no await between the test and the count), so it needs no lock."""

    limit: int
    open: int = 0

    def enter(self) -> bool:
        if self.open >= self.limit:
            return False
        self.open += 1
        return True

    def leave(self) -> None:
        self.open = max(0, self.open - 1)


@dataclass
class SocketLimits:
    """One live socket's caps: message size, message rate over a 2 s window, total duration."""

    max_bytes: int
    max_per_window: int
    max_duration_s: float
    window_s: float = 2.0
    started: float = field(default_factory=time.monotonic)
    _recent: deque[float] = field(default_factory=deque)

    @classmethod
    def of(cls, web: WebSettings) -> SocketLimits:
        return cls(int(web.ws_max_message_kb * 1024), max(1, int(web.ws_max_messages_per_s * 2)),
                   web.ws_max_duration_s)

    def remaining_s(self) -> float:
        return self.max_duration_s - (time.monotonic() - self.started)

    def refuse(self, size: int) -> tuple[int, str] | None:
        """(close code, plain reason) when this message breaks a cap, else None."""
        if size > self.max_bytes:
            return 1009, "a message was larger than the server accepts"
        now = time.monotonic()
        self._recent.append(now)
        while self._recent and self._recent[0] < now - self.window_s:
            self._recent.popleft()
        if len(self._recent) > self.max_per_window:
            return 1008, "messages arrived faster than the server accepts"
        return None


def harden(app: FastAPI, settings: Settings) -> None:
    """Body limits, security headers, scrubbed errors and the live-socket gate."""
    install_error_handlers(app)
    app.add_middleware(BodyLimit, web=settings.web)
    app.add_middleware(SecurityHeaders)
    app.state.live_gate = LiveGate(settings.web.ws_max_connections)
