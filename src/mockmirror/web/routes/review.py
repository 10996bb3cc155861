"""Coach review (institution mode): a student shares a session with a coach, who may then read
its report, and nothing else of the student's. Sharing is the student's choice, one session at a
time, and can be taken back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from mockmirror.store.accounts import Role
from mockmirror.store.repository import NotFound
from mockmirror.web.auth import Principal, audit
from mockmirror.web.deps import AccountsDep, ServicesDep, SessionDep, SettingsDep, require_role
from mockmirror.web.routes.reports import session_report
from mockmirror.web.schemas import Message, SessionOut

router = APIRouter(prefix="/api", tags=["coach review"])


class SharedSession(BaseModel):
    student: str
    session: SessionOut


CoachDep = Annotated[
    Principal,
    Depends(require_role(Role.COACH, "There are no coaches in personal mode.", "Only a coach may do this.")),
]


def _coach_id(accounts: AccountsDep, username: str) -> str:
    coach = accounts.find(username)
    if coach is None or coach.role != Role.COACH or coach.disabled:
        raise HTTPException(404, f"There is no coach called {username}.")
    return coach.id


@router.get("/sessions/{session_id}/shares", response_model=list[str],
            summary="The coaches this session is shared with")
def list_shares(session: SessionDep, accounts: AccountsDep) -> list[str]:
    return [a.username for a in accounts.coaches_of(session.id)]


@router.put("/sessions/{session_id}/shares/{coach}", response_model=Message,
            summary="Share this session's report with a coach")
def share(session: SessionDep, coach: str, accounts: AccountsDep, settings: SettingsDep,
          request: Request) -> Message:
    if not settings.institution:
        raise HTTPException(404, "There are no coaches in personal mode.")
    accounts.share(session.id, _coach_id(accounts, coach))
    audit(request, "shared a session", f"{session.id} with {coach}")
    return Message(detail=f"{coach} can now read the report of this session.")


@router.delete("/sessions/{session_id}/shares/{coach}", response_model=Message,
               summary="Stop sharing this session with a coach")
def unshare(session: SessionDep, coach: str, accounts: AccountsDep, request: Request) -> Message:
    found = accounts.find(coach)
    if found is not None:
        accounts.unshare(session.id, found.id)
        audit(request, "stopped sharing a session", f"{session.id} with {found.username}")
    return Message(detail=f"{coach} can no longer read this session.")


@router.get("/review/sessions", response_model=list[SharedSession],
            summary="Sessions students shared with me (coach)")
def shared_with_me(coach: CoachDep, accounts: AccountsDep) -> list[SharedSession]:
    assert coach.account_id is not None
    return [SharedSession(student=owner.display_name or owner.username, session=SessionOut.of(record))
            for record, owner in accounts.shared_with(coach.account_id)]


@router.get("/review/sessions/{session_id}/report", summary="The report of a session shared with me (coach)")
def shared_report(session_id: str, coach: CoachDep, accounts: AccountsDep, services: ServicesDep,
                  request: Request) -> dict:
    assert coach.account_id is not None
    if not accounts.is_shared(session_id, coach.account_id):
        raise HTTPException(404, f"no interview session {session_id} shared with you")
    try:
        session = services.store.get_session(session_id)  # shared: the coach may read it
    except NotFound:
        raise HTTPException(404, f"no interview session {session_id} shared with you") from None
    audit(request, "read a shared report", session_id)
    return session_report(session)
