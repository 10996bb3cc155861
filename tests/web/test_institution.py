"""Institution mode: login for everything, owners, roles, CSRF, login throttling; personal mode's
one local person. The authorisation matrix is built from the app's own route table, so a new route
fails here until it is given a place in DESIGN. No models load: nothing is analysed."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute, APIWebSocketRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route
from starlette.websockets import WebSocketDisconnect

from mockmirror.cli.serve_cmd import remote_refusal
from mockmirror.web import create_app

from .helpers import web_settings

PASSWORD = "correct horse battery"
USERS = {"ann": "student", "bob": "student", "ada": "admin", "cat": "coach"}
MARKER = "Ann's private job ad"
UPLOAD_SESSION = {"kind": "upload", "consent": {"camera": False, "microphone": True}}

# What each route is, by design:
#   public - anyone; login - any logged-in person; mine - a logged-in person's own collection
#   (another's data never in it); own - one resource, only its owner (others: "not found");
#   coach - coaches only, and only what was shared with them; admin - administrators only.
DESIGN = {
    "GET /": "public",
    "GET /static": "public",
    "GET /api/health": "public",
    "POST /api/auth/login": "public",
    "POST /api/auth/logout": "login",
    "GET /api/auth/me": "login",
    "POST /api/auth/password": "login",
    "GET /api/openapi.json": "login",
    "GET /api/config": "login",
    "GET /api/sessions": "mine",
    "POST /api/sessions": "mine",
    "GET /api/dashboard": "mine",
    "GET /api/data/export": "mine",
    "GET /api/data/export.json": "mine",
    "DELETE /api/data": "mine",
    "GET /api/sessions/{session_id}": "own",
    "DELETE /api/sessions/{session_id}": "own",
    "GET /api/sessions/{session_id}/prompt": "own",
    "POST /api/sessions/{session_id}/skip": "own",
    "POST /api/sessions/{session_id}/stop": "own",
    "POST /api/sessions/{session_id}/answers/text": "own",
    "PUT /api/sessions/{session_id}/calibration": "own",
    "POST /api/sessions/{session_id}/answers": "own",
    "GET /api/sessions/{session_id}/report": "own",
    "GET /api/sessions/{session_id}/report.html": "own",
    "WS /api/sessions/{session_id}/live": "own",
    "GET /api/answers/{answer_id}": "own",
    "GET /api/answers/{answer_id}/report": "own",
    "GET /api/answers/{answer_id}/report.html": "own",
    "GET /api/answers/{answer_id}/recording": "own",
    "GET /api/jobs/{job_id}": "own",
    "GET /api/sessions/{session_id}/shares": "own",
    "PUT /api/sessions/{session_id}/shares/{coach}": "own",
    "DELETE /api/sessions/{session_id}/shares/{coach}": "own",
    "GET /api/review/sessions": "coach",
    "GET /api/review/sessions/{session_id}/report": "coach",
    "GET /api/admin/cohorts": "admin",
    "POST /api/admin/cohorts": "admin",
    "PUT /api/admin/cohorts/{cohort_id}/members/{username}": "admin",
    "POST /api/cohorts/{cohort_id}/assignments": "coach",
    "GET /api/assignments": "mine",
    "GET /api/admin/users": "admin",
    "GET /api/admin/audit": "admin",
    "POST /api/admin/users": "admin",
    "POST /api/admin/users/{account_id}/password": "admin",
    "POST /api/admin/users/{account_id}/disable": "admin",
}
DENIED = (401, 403, 404)


def _routes(routes) -> list:
    """Every route, included routers opened (this FastAPI keeps them as lazy branches; the app
    includes them without a prefix, so a route's path is its full path)."""
    flat = []
    for route in routes:
        included = getattr(route, "original_router", None)
        flat += _routes(included.routes) if included is not None else [route]
    return flat


def _route_table(app) -> list[str]:
    keys = []
    for route in _routes(app.routes):
        if isinstance(route, APIWebSocketRoute):
            keys.append(f"WS {route.path}")
        elif isinstance(route, APIRoute | Route):
            keys += [f"{m} {route.path}" for m in sorted(route.methods or ()) if m != "HEAD"]
        elif isinstance(route, Mount):
            keys.append(f"GET {route.path}")
    return keys


def login(client: TestClient, username: str, password: str = PASSWORD) -> dict:
    client.cookies.clear()
    response = client.post("/api/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    me = response.json()
    client.headers["X-CSRF-Token"] = me["csrf_token"]
    return me


@pytest.fixture(scope="module")
def inst(tmp_path_factory):
    settings = web_settings(tmp_path_factory.mktemp("inst"))
    settings.fusion.mode = "institutional"
    app = create_app(settings)
    with TestClient(app) as anon:
        accounts = app.state.accounts
        ids = {name: accounts.create(name, PASSWORD, role).id for name, role in USERS.items()}
        clients = {"anon": anon}
        for name in USERS:
            clients[name] = TestClient(app)
            login(clients[name], name)
        yield app, clients, ids


def _owned(app, client: TestClient) -> dict[str, str]:
    """A fresh upload session of the client's person, an answer with a kept recording, a job."""
    session = client.post("/api/sessions", json={**UPLOAD_SESSION, "job_description": MARKER}).json()
    services = app.state.services
    answer = services.store.add_answer(session["id"], status="done")
    folder = services.store.files.answer_dir(session["id"], answer.id)
    (folder / "answer.wav").write_bytes(b"RIFF....WAVE")
    kept = services.store.files.relative(folder / "answer.wav")
    services.store.update_answer(answer.id, recording_path=kept)
    job = services.runner.submit("test", lambda progress: None, answer.id)
    return {"session_id": session["id"], "answer_id": answer.id, "job_id": job.id}


def _call(client: TestClient, method: str, path: str):
    body = {"username": f"new{len(path)}{method}", "password": PASSWORD + "!"} if "admin" in path else {}
    if path.endswith("/password") and "admin" in path:
        body = {"password": PASSWORD + "?"}
    if path.endswith("/cohorts"):
        body = {"name": f"class {len(path)} {method} {id(client)}"}
    if path.endswith("/assignments"):
        body = {"title": "Practise two behavioural questions"}
    return client.request(method, path, json=body if method in ("POST", "PUT") else None)


def _socket(client: TestClient, path: str) -> int | str:
    """'ready' if the live socket opened for the session, else its close code."""
    try:
        with client.websocket_connect(path) as ws:
            first = ws.receive_json()
            if first["type"] == "ready":
                ws.send_text('{"type": "end"}')
                ws.receive_json()
                return "ready"
            ws.receive_json()
    except WebSocketDisconnect as closed:
        return closed.code
    return "open"


def test_every_route_has_a_place_in_the_design(inst):
    app, _, _ = inst
    table = _route_table(app)
    assert sorted(set(table) - set(DESIGN)) == [], "new routes: add them to DESIGN"
    assert sorted(set(DESIGN) - set(table)) == [], "DESIGN names routes that are gone"


def test_the_authorisation_matrix(inst):
    app, clients, ids = inst
    ann, bob, ada, anon = clients["ann"], clients["bob"], clients["ada"], clients["anon"]
    spare = app.state.accounts.create("spare", PASSWORD).id
    cohort = app.state.cohorts.create("Matrix class")
    for who in ("cat", "ann"):  # the coach coaches it; ann is a student in it
        app.state.cohorts.add_member(cohort.id, ids[who])
    for key in _route_table(app):
        method, template = key.split(" ", 1)
        kind = DESIGN[key]
        owned = _owned(app, ann)
        path = template.replace("{account_id}", spare).replace("/static", "/static/js/main.js")
        path = path.replace("{coach}", "cat").replace("{cohort_id}", cohort.id).replace("{username}", "spare")
        if kind == "coach":  # what a coach may read is what a student shared with them
            app.state.accounts.share(owned["session_id"], ids["cat"])
        for name, value in owned.items():
            path = path.replace("{" + name + "}", value)
        if method == "WS":
            assert _socket(anon, path) == 4401, key
            assert _socket(bob, path) == 4404, key
            assert _socket(ada, path) == 4404, key
            assert _socket(ann, path) == "ready", key
            continue
        status = {who: _call(clients[who], method, path) for who in ("anon", "bob", "ada", "cat")}
        if kind == "public":
            assert status["anon"].status_code not in DENIED, key
        else:
            assert status["anon"].status_code == 401, key
        if kind == "own":
            # another student, an admin, a coach (nothing shared here): not found
            for who in ("bob", "ada", "cat"):
                assert status[who].status_code == 404, (key, who)
                assert MARKER not in status[who].text
        if kind == "mine" and method == "GET":
            for who in ("bob", "ada", "cat"):
                assert status[who].status_code == 200, (key, who)
                assert owned["session_id"] not in status[who].text, (key, who)
                assert MARKER not in status[who].text, (key, who)
        if kind == "coach":
            assert status["bob"].status_code == 403 and status["ada"].status_code == 403, key
            assert status["cat"].status_code in (200, 201), key
            assert _call(ann, method, path).status_code == 403, key
            continue
        if kind == "admin":
            assert status["bob"].status_code == 403 and status["cat"].status_code == 403, key
            assert status["ada"].status_code not in DENIED, key
            assert _call(ann, method, path).status_code == 403, key
            continue
        response = _call(ann, method, path)  # the owner, last (the call may delete what it is about)
        assert response.status_code not in DENIED, (key, response.status_code, response.text)
        if template == "/api/auth/logout":
            login(ann, "ann")
        if template == "/api/auth/logout" or kind == "login":
            for who in ("bob", "ada", "cat"):
                login(clients[who], who)


def test_the_live_socket_needs_a_login(inst):
    app, clients, _ = inst
    owned = _owned(app, clients["ann"])
    assert _socket(clients["anon"], f"/api/sessions/{owned['session_id']}/live") == 4401


def test_writes_need_the_logins_csrf_token(inst):
    _, clients, _ = inst
    bob = clients["bob"]
    token = bob.headers.pop("X-CSRF-Token")
    try:
        refused = bob.post("/api/sessions", json=UPLOAD_SESSION)
        assert refused.status_code == 403 and "reload" in refused.json()["detail"]
        bob.headers["X-CSRF-Token"] = "forged"
        assert bob.post("/api/sessions", json=UPLOAD_SESSION).status_code == 403
    finally:
        bob.headers["X-CSRF-Token"] = token
    assert bob.post("/api/sessions", json=UPLOAD_SESSION).status_code == 201


def test_the_login_cookie_is_http_only_strict_and_logout_ends_it(inst):
    app, _, _ = inst
    client = TestClient(app)
    response = client.post("/api/auth/login", json={"username": "cat", "password": PASSWORD})
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie.replace("samesite", "")  # plain http here: a Secure cookie would be lost
    over_tls = TestClient(app, base_url="https://testserver").post(
        "/api/auth/login", json={"username": "cat", "password": PASSWORD})
    assert "; secure" in over_tls.headers["set-cookie"].lower()
    token = client.cookies.get("mockmirror_session")
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    assert client.post("/api/auth/logout").status_code == 200
    client.cookies.set("mockmirror_session", token)  # the old cookie, replayed
    assert client.get("/api/sessions").status_code == 401


def test_failed_logins_pause_further_tries(tmp_path):
    settings = web_settings(tmp_path)
    settings.fusion.mode = "institutional"
    settings.auth.max_failed_logins = 3
    app = create_app(settings)
    app.state.accounts.create("dora", PASSWORD)
    client = TestClient(app)
    for _ in range(3):
        wrong = client.post("/api/auth/login", json={"username": "dora", "password": "not it at all"})
        assert wrong.status_code == 401 and "not right" in wrong.json()["detail"]
    paused = client.post("/api/auth/login", json={"username": "dora", "password": PASSWORD})
    assert paused.status_code == 429 and int(paused.headers["retry-after"]) > 0
    assert "Try again" in paused.json()["detail"]


def test_an_admin_reset_forces_a_new_password(inst):
    app, clients, _ = inst
    eve = app.state.accounts.create("eve", PASSWORD)
    ada = clients["ada"]
    reset = ada.post(f"/api/admin/users/{eve.id}/password", json={"password": "temporary-password-1"})
    assert reset.status_code == 200
    client = TestClient(app)
    assert client.post("/api/auth/login", json={"username": "eve", "password": PASSWORD}).status_code == 401
    me = login(client, "eve", "temporary-password-1")
    assert me["must_change_password"] is True
    assert client.get("/api/sessions").status_code == 403  # nothing else until it is changed
    changed = client.post("/api/auth/password",
                          json={"old_password": "temporary-password-1", "new_password": "eves-own-password"})
    assert changed.status_code == 200
    login(client, "eve", "eves-own-password")
    assert client.get("/api/sessions").status_code == 200


def test_short_passwords_are_refused(inst):
    _, clients, _ = inst
    response = clients["ada"].post("/api/admin/users", json={"username": "tiny", "password": "short"})
    assert response.status_code == 422 and "at least" in response.json()["detail"]


def test_institution_mode_never_names_emotions(inst):
    _, clients, _ = inst
    body = {**UPLOAD_SESSION, "consent": {"camera": True, "emotion_inference": True}}
    session = clients["ann"].post("/api/sessions", json=body).json()
    store = inst[0].state.services.store
    assert store.get_session(session["id"]).emotion_inference is False


def test_the_baseline_uses_only_the_owners_answers(inst, monkeypatch):
    app, clients, _ = inst
    services = app.state.services
    mine = clients["ann"].post("/api/sessions", json=UPLOAD_SESSION).json()["id"]
    theirs = clients["bob"].post("/api/sessions", json=UPLOAD_SESSION).json()["id"]
    services.store.add_answer(mine, report={"who": "ann"})
    services.store.add_answer(theirs, report={"who": "bob"})
    current = services.store.add_answer(mine)
    seen = []
    monkeypatch.setattr("mockmirror.fusion.baseline.baseline_from_reports", seen.extend)
    services._baseline(current.id)
    assert seen and {r["who"] for r in seen} == {"ann"}


# --- personal mode -------------------------------------------------------------------------------


def test_personal_mode_needs_no_login_and_has_no_accounts(tmp_path):
    with TestClient(create_app(web_settings(tmp_path))) as client:
        assert client.post("/api/sessions", json=UPLOAD_SESSION).status_code == 201
        assert client.get("/api/auth/me").json()["mode"] == "personal"
        assert client.get("/api/admin/users").status_code == 404
        assert client.post("/api/auth/login", json={"username": "x", "password": "y"}).status_code == 404


def test_personal_mode_refuses_a_public_bind_in_plain_words(tmp_path):
    settings = web_settings(tmp_path)
    settings.web.host = "0.0.0.0"
    refusal = remote_refusal(settings)
    assert refusal and "no login" in refusal and "--allow-remote" in refusal
    settings.web.allow_remote = True
    assert remote_refusal(settings) is None
    settings.web.allow_remote = False
    settings.fusion.mode = "institutional"
    assert remote_refusal(settings) is None
    settings.web.host = "127.0.0.1"
    settings.fusion.mode = "personal"
    assert remote_refusal(settings) is None
    assert re.search(r"anyone", refusal)


def test_a_coach_reads_only_what_was_shared_and_only_until_it_is_taken_back(inst):
    _, clients, _ = inst
    ann, cat = clients["ann"], clients["cat"]

    def new(ad: str) -> str:
        return ann.post("/api/sessions", json={**UPLOAD_SESSION, "job_description": ad}).json()["id"]

    shared, private = new("shared ad"), new("never shared")
    assert ann.put(f"/api/sessions/{shared}/shares/bob").status_code == 404  # bob is no coach
    assert ann.put(f"/api/sessions/{shared}/shares/cat").status_code == 200
    assert ann.get(f"/api/sessions/{shared}/shares").json() == ["cat"]
    listed = {s["session"]["id"]: s["student"] for s in cat.get("/api/review/sessions").json()}
    assert listed[shared] == "ann" and private not in listed
    assert cat.get(f"/api/review/sessions/{shared}/report").status_code == 200
    assert cat.get(f"/api/review/sessions/{private}/report").status_code == 404
    assert cat.get(f"/api/sessions/{shared}").status_code == 404  # review, not the student's rights
    assert "never shared" not in cat.get("/api/review/sessions").text
    assert ann.delete(f"/api/sessions/{shared}/shares/cat").status_code == 200
    assert cat.get(f"/api/review/sessions/{shared}/report").status_code == 404
    assert shared not in cat.get("/api/review/sessions").text


def test_the_audit_log_names_who_did_what_but_no_content(inst):
    app, clients, _ = inst
    client = TestClient(app)
    client.post("/api/auth/login", json={"username": "bob", "password": "wrong password!"})
    bob = clients["bob"]
    session = bob.post("/api/sessions", json={**UPLOAD_SESSION, "job_description": "AUDIT-SECRET"}).json()
    bob.get("/api/data/export.json")
    bob.delete(f"/api/sessions/{session['id']}")
    entries = clients["ada"].get("/api/admin/audit").json()
    seen = {(e["actor"], e["action"], e["subject"]) for e in entries}
    assert ("anonymous", "login failed", "bob") in seen
    assert ("bob", "export", "json") in seen
    assert ("bob", "deleted a session", session["id"]) in seen
    assert "AUDIT-SECRET" not in str(entries)
    assert clients["bob"].get("/api/admin/audit").status_code == 403


def test_retention_deletes_old_sessions_of_everyone(inst):
    from datetime import UTC, datetime, timedelta

    from mockmirror.store.audit import purge_older_than

    app, clients, _ = inst
    store = app.state.services.store
    old = clients["ann"].post("/api/sessions", json=UPLOAD_SESSION).json()["id"]
    fresh = clients["bob"].post("/api/sessions", json=UPLOAD_SESSION).json()["id"]
    store.update_session(old, created_at=datetime.now(UTC) - timedelta(days=400))
    assert purge_older_than(store, app.state.audit, 365) >= 1
    assert clients["ann"].get(f"/api/sessions/{old}").status_code == 404
    assert clients["bob"].get(f"/api/sessions/{fresh}").status_code == 200
    assert any(e.action == "retention purge" for e in app.state.audit.recent())


def test_coaches_assign_practice_to_their_cohort_only(inst):
    _, clients, _ = inst
    ada, cat, ann, bob = clients["ada"], clients["cat"], clients["ann"], clients["bob"]
    cohort = ada.post("/api/admin/cohorts", json={"name": "Class of 2027"}).json()
    other = ada.post("/api/admin/cohorts", json={"name": "Another class"}).json()
    for who in ("cat", "ann"):
        assert ada.put(f"/api/admin/cohorts/{cohort['id']}/members/{who}").status_code == 200
    assert ada.post("/api/admin/cohorts", json={"name": "Class of 2027"}).status_code == 422
    given = cat.post(f"/api/cohorts/{cohort['id']}/assignments",
                     json={"title": "Sales pitch practice", "role": "sales", "difficulty": 3})
    assert given.status_code == 201 and given.json()["cohort"] == "Class of 2027"
    assert cat.post(f"/api/cohorts/{other['id']}/assignments", json={"title": "x"}).status_code == 404
    assert "Sales pitch practice" in {a["title"] for a in ann.get("/api/assignments").json()}
    assert "Sales pitch practice" not in {a["title"] for a in bob.get("/api/assignments").json()}
