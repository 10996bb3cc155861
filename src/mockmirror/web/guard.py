"""Keep the app to the names and origins it serves: another web page open in the user's browser
can reach 127.0.0.1 (and a server's address), so Host and Origin are checked on every request."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from mockmirror.settings import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
WILDCARD = ("0.0.0.0", "::", "")


def is_loopback(host: str) -> bool:
    return host in LOOPBACK


def same_origin(origin: str | None, host: str | None, allowed: tuple[str, ...] = ()) -> bool:
    """True when a request's Origin (if any) is this server or one of ``allowed``: another site
    open in the browser must not change or delete the user's data through the app."""
    if not origin or origin == "null":
        return origin is None
    if origin.rstrip("/") in allowed:
        return True
    return origin.split("://", 1)[-1].rstrip("/") == (host or "")


def allowed_origins(settings: Settings) -> tuple[str, ...]:
    return tuple(o.rstrip("/") for o in settings.web.allowed_origins)


def guard_local(app: FastAPI, settings: Settings) -> None:
    # Whatever address the server binds, only the names it is meant to be reached by are
    # answered (DNS rebinding): this computer's, plus web.allowed_hosts (a proxy's public name).
    hosts = [*LOOPBACK, *settings.web.allowed_hosts]
    if settings.web.host not in WILDCARD:  # a specific address: it is its own name
        hosts.append(settings.web.host)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)
    app.add_middleware(SameOriginWrites, origins=allowed_origins(settings))


class SameOriginWrites:
    """Refuses writes whose Origin is another site (plain ASGI: a body-limit error raised while
    the route reads the body must reach the route as it was raised)."""

    def __init__(self, app: ASGIApp, origins: tuple[str, ...]) -> None:
        self.app, self.origins = app, origins

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in SAFE_METHODS:
            headers = Headers(scope=scope)
            if not same_origin(headers.get("origin"), headers.get("host"), self.origins):
                response = JSONResponse({"detail": "cross-site request refused"}, status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
