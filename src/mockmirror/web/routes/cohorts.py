"""Cohorts and assignments (institution mode): admins form cohorts, coaches of a cohort assign
practice, its students see what they were asked to practise. No one's answers are shown here."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from mockmirror.interview.bank import RoleFamily
from mockmirror.store.accounts import AccountError
from mockmirror.store.cohorts import Cohorts
from mockmirror.store.models import Assignment
from mockmirror.store.repository import NotFound
from mockmirror.web.auth import audit
from mockmirror.web.deps import AccountsDep, AdminDep, PrincipalDep
from mockmirror.web.routes.review import CoachDep
from mockmirror.web.schemas import Message

router = APIRouter(prefix="/api", tags=["cohorts"])


class CohortIn(BaseModel):
    name: str = Field(max_length=200)


class CohortOut(BaseModel):
    id: str
    name: str


class AssignmentIn(BaseModel):
    title: str = Field(min_length=1, max_length=200, description="What to practise, in plain words.")
    role: RoleFamily = RoleFamily.ANY
    core_questions: int = Field(5, ge=1, le=30)
    difficulty: int = Field(2, ge=1, le=3)


class AssignmentOut(BaseModel):
    id: str
    cohort: str
    title: str
    role: str
    core_questions: int
    difficulty: int
    created_by: str
    created_at: datetime


def _out(a: Assignment, cohort: str) -> AssignmentOut:
    return AssignmentOut(id=a.id, cohort=cohort, title=a.title, role=a.role, core_questions=a.core_questions,
                         difficulty=a.difficulty, created_by=a.created_by, created_at=a.created_at)


def _cohorts(request: Request) -> Cohorts:
    return request.app.state.cohorts


@router.get("/admin/cohorts", response_model=list[CohortOut], summary="All cohorts (admin)")
def list_cohorts(_admin: AdminDep, request: Request) -> list[CohortOut]:
    return [CohortOut(id=c.id, name=c.name) for c in _cohorts(request).all()]


@router.post("/admin/cohorts", response_model=CohortOut, status_code=201, summary="Create a cohort (admin)")
def create_cohort(body: CohortIn, _admin: AdminDep, request: Request) -> CohortOut:
    try:
        cohort = _cohorts(request).create(body.name)
    except AccountError as exc:
        raise HTTPException(422, str(exc)) from None
    audit(request, "cohort created", cohort.name)
    return CohortOut(id=cohort.id, name=cohort.name)


@router.put("/admin/cohorts/{cohort_id}/members/{username}", response_model=Message,
            summary="Add a student or coach to a cohort (admin)")
def add_member(cohort_id: str, username: str, _admin: AdminDep, accounts: AccountsDep,
               request: Request) -> Message:
    account = accounts.find(username)
    if account is None:
        raise HTTPException(404, f"There is no account called {username}.")
    try:
        _cohorts(request).add_member(cohort_id, account.id)
    except NotFound:
        raise HTTPException(404, "There is no such cohort.") from None
    audit(request, "cohort member added", f"{account.username} to {cohort_id}")
    return Message(detail=f"{account.username} is now in the cohort.")


@router.post("/cohorts/{cohort_id}/assignments", response_model=AssignmentOut, status_code=201,
             summary="Assign practice to a cohort I coach (coach)")
def assign(cohort_id: str, body: AssignmentIn, coach: CoachDep, request: Request) -> AssignmentOut:
    cohorts = _cohorts(request)
    assert coach.account_id is not None
    if not cohorts.is_member(cohort_id, coach.account_id):
        raise HTTPException(404, "You do not coach a cohort with this id.")
    a = cohorts.assign(cohort_id, coach.username, title=body.title, role=body.role.value,
                       core_questions=body.core_questions, difficulty=body.difficulty)
    audit(request, "assignment created", a.id)
    name = next(c.name for c in cohorts.of_member(coach.account_id) if c.id == cohort_id)
    return _out(a, name)


@router.get("/assignments", response_model=list[AssignmentOut],
            summary="What my cohorts were asked to practise")
def my_assignments(principal: PrincipalDep, request: Request) -> list[AssignmentOut]:
    if principal.account_id is None:
        return []  # personal mode: no cohorts
    return [_out(a, c.name) for a, c in _cohorts(request).assignments_for(principal.account_id)]
