"""The FastAPI app factory: ``create_app(settings)`` wires the store, jobs, routes and the UI."""

from __future__ import annotations

from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from mockmirror import __version__
from mockmirror.settings import Settings
from mockmirror.store.accounts import Accounts
from mockmirror.store.audit import AuditLog, purge_older_than
from mockmirror.store.cohorts import Cohorts
from mockmirror.web.auth import LoginThrottle, RequireLogin
from mockmirror.web.guard import guard_local
from mockmirror.web.routes import (
    answers,
    auth,
    cohorts,
    config,
    data,
    jobs,
    live,
    reports,
    review,
    sessions,
)
from mockmirror.web.security import harden
from mockmirror.web.services import Services

STATIC = Path(__file__).with_name("static")


def create_app(settings: Settings | None = None, services: Services | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        app.state.services.close()

    app = FastAPI(
        title="mockmirror",
        version=__version__,
        summary="Local, offline mock-interview coach: sessions, questions, answers, reports.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # Swagger UI would load scripts from a CDN into the app's origin
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.services = services or Services.open(settings)
    app.state.accounts = Accounts(app.state.services.database, settings.auth.min_password_length)
    app.state.login_throttle = LoginThrottle(settings.auth.max_failed_logins, settings.auth.lockout_s)
    app.state.audit = AuditLog(app.state.services.database)
    app.state.cohorts = Cohorts(app.state.services.database)
    if settings.auth.retention_days is not None:
        purge_older_than(app.state.services.store, app.state.audit, settings.auth.retention_days)
    if app.state.services.jobs.queue is None:
        app.state.services.start_jobs()  # and re-queue what a previous run left unfinished
    # Innermost first: the login check sees only requests the host, origin and size checks let by.
    app.add_middleware(RequireLogin, settings=settings, accounts=app.state.accounts)
    guard_local(app, settings)
    harden(app, settings)  # added last: its headers and body limits wrap everything above
    for module in (auth, config, sessions, answers, jobs, reports, data, live, review, cohorts):
        app.include_router(module.router)

    @app.get("/api/health", tags=["meta"], summary="Liveness and version")
    def health() -> dict:
        return {"status": "ok", "version": __version__}

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    return app
