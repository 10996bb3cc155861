"""Log in and out (institution mode), and the administrator's account management."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, HTTPException, Request, Response
from pydantic import BaseModel, Field

from mockmirror.store.accounts import AccountError, Role
from mockmirror.store.repository import NotFound
from mockmirror.web.auth import COOKIE, LOCAL_PERSON, LoginThrottle, Principal, audit, session_lifetime
from mockmirror.web.deps import AccountsDep, AdminDep, PrincipalDep, SettingsDep
from mockmirror.web.schemas import Message

router = APIRouter(prefix="/api", tags=["accounts"])


class Credentials(BaseModel):
    username: str = Field(max_length=80)
    password: str = Field(max_length=200)


class Me(BaseModel):
    username: str
    role: str
    mode: str = Field(description="personal | institution")
    csrf_token: str | None = Field(description="Repeat in X-CSRF-Token on every write (institution).")
    must_change_password: bool


class NewPassword(BaseModel):
    old_password: str = Field(max_length=200)
    new_password: str = Field(max_length=200)


class AccountIn(BaseModel):
    username: str = Field(max_length=80)
    password: str = Field(max_length=200)
    role: Role = Role.STUDENT
    display_name: str = Field("", max_length=200)


class AccountOut(BaseModel):
    id: str
    username: str
    display_name: str
    role: str
    disabled: bool
    must_change_password: bool
    created_at: datetime


class PasswordReset(BaseModel):
    password: str = Field(max_length=200, description="A temporary password; it must be changed at login.")


def _me(principal, settings) -> Me:
    return Me(username=principal.username, role=principal.role.value,
              mode="institution" if settings.institution else "personal",
              csrf_token=principal.csrf_token, must_change_password=principal.must_change_password)


@router.post("/auth/login", response_model=Me, summary="Log in (institution mode)")
def login(body: Credentials, request: Request, response: Response, accounts: AccountsDep,
          settings: SettingsDep) -> Me:
    if not settings.institution:
        raise HTTPException(404, "There is no login in personal mode.")
    throttle: LoginThrottle = request.app.state.login_throttle
    name_key = "user:" + body.username.strip().lower()
    address_key = "ip:" + (request.client.host if request.client else "?")
    wait = throttle.wait_s(name_key, address_key)
    if wait > 0:
        raise HTTPException(429, f"Too many failed logins. Try again in {int(wait / 60) + 1} minutes.",
                            headers={"Retry-After": str(int(wait) + 1)})
    account = accounts.verify(body.username, body.password)
    if account is None:
        throttle.failed(name_key, address_key)
        audit(request, "login failed", body.username.strip().lower()[:80])
        raise HTTPException(401, "The user name or password is not right.")
    throttle.succeeded(name_key)  # the address's count stays: one valid account does not reset it
    lifetime = session_lifetime(settings)
    token, started = accounts.start_login(account.id, lifetime)
    audit(request, "login", actor=account.username)
    response.set_cookie(COOKIE, token, max_age=int(lifetime.total_seconds()), httponly=True,
                        samesite="strict", path="/",
                        secure=settings.auth.secure_cookies or request.url.scheme == "https")
    return _me(Principal.of(started), settings)


@router.post("/auth/logout", response_model=Message, summary="Log out")
def logout(request: Request, response: Response, accounts: AccountsDep, principal: PrincipalDep) -> Message:
    token = request.cookies.get(COOKIE)
    if token:
        accounts.end_login(token)
    audit(request, "logout")
    response.delete_cookie(COOKIE, path="/")
    return Message(detail="You are logged out.")


@router.get("/auth/me", response_model=Me, summary="Who is logged in, and the token writes repeat")
def me(principal: PrincipalDep, settings: SettingsDep) -> Me:
    return _me(principal, settings)


@router.post("/auth/password", response_model=Message, summary="Change my password")
def change_password(body: NewPassword, principal: PrincipalDep, accounts: AccountsDep,
                    response: Response, request: Request) -> Message:
    if principal.account_id is None or principal is LOCAL_PERSON:
        raise HTTPException(404, "There are no passwords in personal mode.")
    if accounts.verify(principal.username, body.old_password) is None:
        raise HTTPException(403, "The current password is not right.")
    try:
        accounts.set_password(principal.account_id, body.new_password)
    except AccountError as exc:
        raise HTTPException(422, str(exc)) from None
    audit(request, "password changed")
    response.delete_cookie(COOKIE, path="/")  # every login ended: log in again with the new one
    return Message(detail="Your password was changed. Log in again with the new one.")


def _out(a) -> AccountOut:
    return AccountOut(id=a.id, username=a.username, display_name=a.display_name, role=a.role,
                      disabled=a.disabled, must_change_password=a.must_change_password,
                      created_at=a.created_at)


@router.get("/admin/users", response_model=list[AccountOut], summary="All accounts (admin)")
def list_users(_admin: AdminDep, accounts: AccountsDep) -> list[AccountOut]:
    return [_out(a) for a in accounts.all()]


@router.post("/admin/users", response_model=AccountOut, status_code=201, summary="Create an account (admin)")
def create_user(body: AccountIn, _admin: AdminDep, accounts: AccountsDep, request: Request) -> AccountOut:
    try:
        account = accounts.create(body.username, body.password, body.role, body.display_name,
                                  must_change_password=True)
    except AccountError as exc:
        raise HTTPException(422, str(exc)) from None
    audit(request, "account created", f"{account.username} ({account.role})")
    return _out(account)


@router.post("/admin/users/{account_id}/password", response_model=Message,
             summary="Reset an account's password (admin); it must be changed at the next login")
def reset_password(account_id: str, body: PasswordReset, _admin: AdminDep, accounts: AccountsDep,
                   request: Request) -> Message:
    try:
        accounts.set_password(account_id, body.password, must_change=True)
    except NotFound:
        raise HTTPException(404, "There is no such account.") from None
    except AccountError as exc:
        raise HTTPException(422, str(exc)) from None
    audit(request, "password reset", account_id)
    return Message(detail="The password was reset; it must be changed at the next login.")


@router.post("/admin/users/{account_id}/disable", response_model=Message,
             summary="Disable an account (admin)")
def disable_user(account_id: str, admin: AdminDep, accounts: AccountsDep, request: Request) -> Message:
    if account_id == admin.account_id:
        raise HTTPException(409, "You cannot disable your own account.")
    try:
        accounts.set_disabled(account_id, True)
    except NotFound:
        raise HTTPException(404, "There is no such account.") from None
    audit(request, "account disabled", account_id)
    return Message(detail="The account was disabled and logged out.")


class AuditOut(BaseModel):
    at: datetime
    actor: str
    action: str
    subject: str
    address: str


@router.get("/admin/audit", response_model=list[AuditOut], summary="The newest audit log entries (admin)")
def audit_log(_admin: AdminDep, request: Request) -> list[AuditOut]:
    return [AuditOut(**vars(e)) for e in request.app.state.audit.recent()]
