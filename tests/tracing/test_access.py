"""Object-level access: every web route and CLI command refuses a case the user may not see."""

from __future__ import annotations

from fastapi.routing import APIRoute

from tests.tracing.clihelp import cli
from tests.tracing.test_web import PASSWORD, REF, _world, signed_in
from tracing import access, auth
from tracing.models import Case
from tracing.web import create_app

PERSONAL = ("HUNTER", "Mason", "Davies", "Chrissie", "Elm Road", "LS6", "Kelly")


def test_every_route_refuses_an_unassigned_coordinator(session) -> None:  # noqa: ANN001
    _world(session)
    client = signed_in(session, "outsider", "coordinator", "south")
    csrf = client.cookies.get("tracing_csrf")
    app = create_app()
    checked = 0
    for route in app.routes:
        if not isinstance(route, APIRoute) or route.path in ("/logout", "/account/password"):
            continue  # these end the session (tested in test_auth)
        for method in route.methods:
            url = route.path.replace("{reference:path}", REF).replace("{label}", "c1")
            response = client.request(method, url, data={"csrf_token": csrf, "action": "verify", "reason": "x"},
                                      follow_redirects=False)
            if "{reference" in route.path:
                assert response.status_code in (403, 404), (method, url, response.status_code)
            else:
                assert response.status_code < 500, (method, url)
            for word in PERSONAL:
                assert word not in response.text, (method, url, word)
            checked += 1
    assert checked >= 15
    session.expire_all()
    assert session.get(__import__("tracing.models", fromlist=["Candidate"]).Candidate, 1).status == "pending"


def test_coordinator_sees_assigned_supervisor_team_admin_all(session) -> None:  # noqa: ANN001
    _world(session)
    case = session.exec(__import__("sqlmodel").select(Case)).one()
    admin = auth.ensure_local_admin(session)
    coord, _ = auth.create_user(session, "cora", "coordinator", "north", PASSWORD)
    sup, _ = auth.create_user(session, "sam", "supervisor", "north", PASSWORD)
    other_sup, _ = auth.create_user(session, "sid", "supervisor", "south", PASSWORD)
    assert [c.reference for c in access.visible_cases(session, admin)] == [REF]
    assert access.visible_cases(session, coord) == [] and access.visible_cases(session, sup) == []
    access.assign(session, admin, case, coord)
    assert case.team == "north"
    assert [c.reference for c in access.visible_cases(session, coord)] == [REF]
    assert [c.reference for c in access.visible_cases(session, sup)] == [REF]
    assert access.visible_cases(session, other_sup) == []
    assert not access.can_assign(session, coord, case) and access.can_assign(session, sup, case)


def test_cli_commands_refuse_unassigned_users(session) -> None:  # noqa: ANN001
    _world(session)
    auth.create_user(session, "cora", "coordinator", "north", PASSWORD)
    session.commit()
    for args in (("candidates", REF), ("candidates", REF, "--format", "json"), ("explain", REF, "c1"),
                 ("review", REF, "c1", "--verify"), ("search", REF),
                 ("cases", "withdraw-consent", REF, "--reason", "x"),
                 ("cases", "close", REF), ("cases", "assign", REF, "cora"), ("network", REF),
                 ("alerts", REF, "--format", "json"), ("schedule", REF, "--every", "6m"), ("unschedule", REF)):
        ran = cli("--user", "cora", *args)
        assert ran.code == 2 and "no case with reference" in ran.output, args
        assert "HUNTER" not in ran.output and "Davies" not in ran.output
    assert cli("--user", "cora", "search", "--all").code == 0  # nothing visible: nothing searched
    assert cli("cases", "assign", REF, "cora").code == 0
    shown = cli("--user", "cora", "candidates", REF, "--format", "json")
    assert shown.code == 0 and '"c1"' in shown.stdout
    assert cli("--user", "cora", "review", REF, "c1", "--verify").code == 0
