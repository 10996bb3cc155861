"""Cohorts (a class or course: students and their coaches) and the practice coaches assign them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from mockmirror.store.accounts import AccountError
from mockmirror.store.db import Database
from mockmirror.store.models import Assignment, Cohort, CohortMember
from mockmirror.store.repository import NotFound, new_id


class Cohorts:
    def __init__(self, database: Database) -> None:
        self.db = database

    def create(self, name: str) -> Cohort:
        name = name.strip()[:200]
        if not name:
            raise AccountError("A cohort needs a name.")
        with self.db.sessions.begin() as s:
            if s.scalars(select(Cohort).where(Cohort.name == name)).first() is not None:
                raise AccountError(f"There is already a cohort called {name}.")
            cohort = Cohort(id=new_id(), name=name, created_at=datetime.now(UTC))
            s.add(cohort)
        return cohort

    def all(self) -> list[Cohort]:
        with self.db.sessions.begin() as s:
            return list(s.scalars(select(Cohort).order_by(Cohort.name)))

    def add_member(self, cohort_id: str, account_id: str) -> None:
        with self.db.sessions.begin() as s:
            if s.get(Cohort, cohort_id) is None:
                raise NotFound(f"no cohort {cohort_id}")
            if s.get(CohortMember, (cohort_id, account_id)) is None:
                s.add(CohortMember(cohort_id=cohort_id, account_id=account_id))

    def of_member(self, account_id: str) -> list[Cohort]:
        with self.db.sessions.begin() as s:
            query = (select(Cohort).join(CohortMember, CohortMember.cohort_id == Cohort.id)
                     .where(CohortMember.account_id == account_id).order_by(Cohort.name))
            return list(s.scalars(query))

    def is_member(self, cohort_id: str, account_id: str) -> bool:
        with self.db.sessions.begin() as s:
            return s.get(CohortMember, (cohort_id, account_id)) is not None

    def assign(self, cohort_id: str, created_by: str, **fields) -> Assignment:
        assignment = Assignment(id=new_id(), cohort_id=cohort_id, created_by=created_by,
                                created_at=datetime.now(UTC), **fields)
        with self.db.sessions.begin() as s:
            s.add(assignment)
        return assignment

    def assignments_for(self, account_id: str) -> list[tuple[Assignment, Cohort]]:
        """What the cohorts this person belongs to were asked to practise, newest first."""
        with self.db.sessions.begin() as s:
            query = (
                select(Assignment, Cohort)
                .join(Cohort, Cohort.id == Assignment.cohort_id)
                .join(CohortMember, CohortMember.cohort_id == Cohort.id)
                .where(CohortMember.account_id == account_id)
                .order_by(Assignment.created_at.desc())
            )
            return [(a, c) for a, c in s.execute(query).all()]
