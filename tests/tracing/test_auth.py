"""Users, argon2id passwords, RFC 6238 TOTP, signed sessions ended by logout and password change."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from tests.tracing.clihelp import cli
from tests.tracing.test_web import PASSWORD, REF, _world, login, make_user, signed_in
from tracing import auth, web
from tracing.models import AuditEvent, User
from tracing.web import create_app


def test_rfc6238_vectors() -> None:
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", 8 digits.
    key = b"12345678901234567890"
    for at, want in ((59, "94287082"), (1111111109, "07081804"), (1234567890, "89005924"), (2000000000, "69279037")):
        assert auth.hotp(key, at // 30, digits=8) == want
    secret = auth.new_totp_secret()
    now = time.time()
    assert auth.verify_totp(secret, auth.totp(secret, now), now)
    assert auth.verify_totp(secret, auth.totp(secret, now - 30), now)  # one step of drift
    assert not auth.verify_totp(secret, auth.totp(secret, now - 120), now)
    assert not auth.verify_totp(secret, "12345", now) and not auth.verify_totp(None, "123456", now)


def test_totp_code_is_accepted_once() -> None:
    secret, now = auth.new_totp_secret(), time.time()
    code = auth.totp(secret, now)
    assert auth.verify_totp_once("scope-x", 1, secret, code, now)
    assert not auth.verify_totp_once("scope-x", 1, secret, code, now)


def test_passwords_are_argon2id_and_verified(session) -> None:  # noqa: ANN001
    make_user(session, "bob", "coordinator", "north")
    user = auth.get_user(session, "bob")
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash
    assert auth.verify_password(user.password_hash, PASSWORD)
    assert not auth.verify_password(user.password_hash, PASSWORD + "x")
    assert not auth.verify_password(None, PASSWORD)
    with pytest.raises(Exception, match="12 characters"):
        auth.create_user(session, "carol", "coordinator", None, "short")
    with pytest.raises(Exception, match="unknown role"):
        auth.create_user(session, "carol", "king", None, PASSWORD)


def test_login_needs_password_and_totp_and_pages_need_login(session) -> None:  # noqa: ANN001
    _world(session)
    secret = make_user(session)
    client = TestClient(create_app())
    assert client.get("/", follow_redirects=False).headers["location"] == "/login"
    assert client.get(f"/cases/{REF}", follow_redirects=False).status_code == 303
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    wrong_code = client.post("/login", data={"csrf_token": csrf, "username": "alice", "password": PASSWORD,
                                             "code": "000000"}, follow_redirects=False)
    wrong_pw = client.post("/login", data={"csrf_token": csrf, "username": "alice", "password": "nope" * 4,
                                           "code": auth.totp(secret)}, follow_redirects=False)
    no_csrf = client.post("/login", data={"username": "alice", "password": PASSWORD, "code": auth.totp(secret)})
    assert wrong_code.status_code == wrong_pw.status_code == 401 and no_csrf.status_code == 403
    assert web.SESSION_COOKIE not in client.cookies
    login(client, "alice", secret)
    page = client.get(f"/cases/{REF}")
    assert page.status_code == 200 and "Mason Paul HUNTER" in page.text
    cookie = client.cookies.get(web.SESSION_COOKIE)
    assert "HUNTER" not in cookie and "alice" not in cookie
    session.expire_all()
    actions = [e.action for e in session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions.count("login_failed") == 2 and "login" in actions


def test_repeated_failures_lock_the_account(session) -> None:  # noqa: ANN001
    make_user(session, "locky")
    client = TestClient(create_app())
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    statuses = [client.post("/login", data={"csrf_token": csrf, "username": "locky", "password": "x" * 12,
                                            "code": "123456"}).status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5 and statuses[5] == 429


def test_logout_and_password_change_end_sessions(session) -> None:  # noqa: ANN001
    _world(session)
    client = signed_in(session)
    stolen = client.cookies.get(web.SESSION_COOKIE)
    thief = TestClient(create_app())
    thief.cookies.set(web.SESSION_COOKIE, stolen)
    assert thief.get(f"/cases/{REF}").status_code == 200
    csrf = client.cookies.get(web.CSRF_COOKIE)
    client.post("/logout", data={"csrf_token": csrf})
    assert thief.get(f"/cases/{REF}", follow_redirects=False).status_code == 303  # the old cookie is dead
    # Password change: other sessions end; the changer keeps a fresh one.
    secret = make_user(session, "dora")
    a, b = login(TestClient(create_app()), "dora", secret), login(TestClient(create_app()), "dora", secret)
    done = a.post("/account/password", data={"csrf_token": a.cookies.get(web.CSRF_COOKIE),
                                             "current_password": PASSWORD, "new_password": "a brand new password",
                                             "confirm_password": "a brand new password"}, follow_redirects=False)
    assert done.status_code == 303
    assert a.get("/", follow_redirects=False).status_code == 200
    assert b.get("/", follow_redirects=False).status_code == 303
    session.expire_all()
    assert auth.verify_password(auth.get_user(session, "dora").password_hash, "a brand new password")


def test_forged_or_expired_session_cookies_are_refused(session) -> None:  # noqa: ANN001
    make_user(session, "eve")
    user = auth.get_user(session, "eve")
    good = auth.make_session_cookie(user)
    assert auth.session_user(session, good).username == "eve"
    payload, _, sig = good.rpartition(".")
    forged = f"{user.id + 1}.{payload.split('.', 1)[1]}.{sig}"
    assert auth.session_user(session, forged) is None
    assert auth.session_user(session, good[:-1] + ("0" if good[-1] != "0" else "1")) is None
    assert auth.read_session_cookie(auth.make_session_cookie(user, now=time.time() - auth.SESSION_MAX_AGE - 5)) is None


def test_cli_local_admin_users_add_and_named_users(tracing_home) -> None:  # noqa: ANN001
    assert cli("init").code == 0
    from tracing import db

    with db.session_scope() as s:
        admin = auth.get_user(s, auth.LOCAL_ADMIN)
        assert admin.role == "administrator" and admin.password_hash is None  # CLI only: cannot sign in to the web
    added = cli("users", "add", "fay", "--role", "coordinator", "--team", "north", "--password-stdin",
                input=PASSWORD + "\n")
    assert added.code == 0 and "TOTP secret (shown once): " in added.stdout
    secret = re.search(r"TOTP secret \(shown once\): (\w+)", added.stdout).group(1)
    with db.session_scope() as s:
        fay = s.exec(__import__("sqlmodel").select(User).where(User.username == "fay")).one()
        assert fay.totp_secret == secret and fay.team == "north"
    # A coordinator may not add users; an unknown user is refused.
    assert cli("--user", "fay", "users", "add", "gus", "--role", "administrator", "--password-stdin",
               input=PASSWORD + "\n").code == 3
    assert cli("--user", "nobody", "sources", "list").code in (0, 3)
    assert cli("--user", "nobody", "search", "--all").code == 3
    no_password = cli("users", "add", "hal", "--role", "coordinator")
    assert no_password.code == 2
