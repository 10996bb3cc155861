"""FastAPI dependencies: everything a route needs comes from the app's Services, and every
person's data through their Principal (``web/auth.py``): a record of another owner is "not found"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from starlette.requests import HTTPConnection

from mockmirror.settings import Settings
from mockmirror.store import AnswerRecord, SessionRecord, Store
from mockmirror.store.accounts import Accounts, Role
from mockmirror.store.repository import NotFound
from mockmirror.web.auth import Principal
from mockmirror.web.services import Services


def get_services(request: Request) -> Services:
    return request.app.state.services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_store(services: ServicesDep) -> Store:
    return services.store


def get_settings(services: ServicesDep) -> Settings:
    return services.settings


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


def get_principal(connection: HTTPConnection) -> Principal:
    principal = getattr(connection.state, "principal", None)
    if principal is None:  # RequireLogin lets only public routes through without one
        raise HTTPException(401, "Please log in.")
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def get_accounts(request: Request) -> Accounts:
    return request.app.state.accounts


AccountsDep = Annotated[Accounts, Depends(get_accounts)]


def require_role(role: Role, personal_mode: str, forbidden: str) -> Callable[..., Principal]:
    """A dependency that lets only ``role`` through, in institution mode: 404 with
    ``personal_mode`` there (no accounts exist), 403 with ``forbidden`` for any other role."""

    def check(principal: PrincipalDep, settings: SettingsDep) -> Principal:
        if not settings.institution:
            raise HTTPException(404, personal_mode)
        if principal.role != role:
            raise HTTPException(403, forbidden)
        return principal

    return check


AdminDep = Annotated[
    Principal,
    Depends(
        require_role(
            Role.ADMIN, "There are no accounts in personal mode.", "Only an administrator may do this."
        )
    ),
]


def get_session_record(session_id: str, store: StoreDep, principal: PrincipalDep) -> SessionRecord:
    try:
        return store.get_session(session_id, owner_id=principal.owner_id)
    except NotFound:
        raise HTTPException(404, f"no interview session {session_id}") from None


def get_answer_record(answer_id: str, store: StoreDep, principal: PrincipalDep) -> AnswerRecord:
    try:
        return store.get_answer(answer_id, owner_id=principal.owner_id)
    except NotFound:
        raise HTTPException(404, f"no answer {answer_id}") from None


SessionDep = Annotated[SessionRecord, Depends(get_session_record)]
AnswerDep = Annotated[AnswerRecord, Depends(get_answer_record)]
