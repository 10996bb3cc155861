"""FastAPI dependencies: everything a route needs comes from the app's Services."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request

from mockmirror.settings import Settings
from mockmirror.store import AnswerRecord, SessionRecord, Store
from mockmirror.store.repository import NotFound
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


def get_session_record(session_id: str, store: StoreDep) -> SessionRecord:
    try:
        return store.get_session(session_id)
    except NotFound:
        raise HTTPException(404, f"no interview session {session_id}") from None


def get_answer_record(answer_id: str, store: StoreDep) -> AnswerRecord:
    try:
        return store.get_answer(answer_id)
    except NotFound:
        raise HTTPException(404, f"no answer {answer_id}") from None


SessionDep = Annotated[SessionRecord, Depends(get_session_record)]
AnswerDep = Annotated[AnswerRecord, Depends(get_answer_record)]
