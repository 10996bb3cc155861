"""Keep the local app local: another web page open in the user's browser can reach 127.0.0.1."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from mockmirror.settings import Settings

LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def same_origin(origin: str | None, host: str | None) -> bool:
    """True when a request's Origin (if any) is this server: another site open in the browser
    must not change or delete the user's data through the local app."""
    if not origin or origin == "null":
        return origin is None
    return origin.split("://", 1)[-1].rstrip("/") == (host or "")


def guard_local(app: FastAPI, settings: Settings) -> None:
    # A web page elsewhere can reach 127.0.0.1 from the user's browser: refuse other Host names
    # (DNS rebinding) and writes from other origins (cross-site requests, WebSocket included).
    if settings.web.host in LOOPBACK:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=[*LOOPBACK, "testserver"])

    @app.middleware("http")
    async def refuse_cross_site_writes(request: Request, call_next):
        if request.method not in SAFE_METHODS and not same_origin(
            request.headers.get("origin"), request.headers.get("host")
        ):
            return JSONResponse({"detail": "cross-site request refused"}, status_code=403)
        return await call_next(request)
