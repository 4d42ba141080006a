"""The web app: every page renders safely, decisions follow the CLI's rules, intake equals the JSON contract."""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from pipelines.enqueue import CandidateDraft
from tests.tracing.test_cases import SEED
from tracing import auth, db, web
from tracing.cases import add_case, get_case, parse_seed_case
from tracing.cli import queue_csv
from tracing.models import Candidate, Case, SearchRun, SeedPerson, SourceFile, SourceRecord, utcnow
from tracing.review import queue, upsert_candidates
from tracing.web import create_app

REF = "LL-2026-0007"


def _draft(identity: str, relationship: str, *, blocked: bool = False, deceased: bool = False,
           contact: tuple[str, str] | None = None, rank: int = 1, name: str = "Christine Davies") -> CandidateDraft:
    return CandidateDraft(
        identity=identity, relationship=relationship, side="maternal" if relationship.startswith("maternal") else None,
        degree=2, seed_person="s2" if relationship == "maternal_grandmother" else None, display_name=name,
        score=0.9 - rank / 100, deceased=deceased, blocked=blocked,
        block_reasons=["do-not-contact restriction on seed person s3"] if blocked else [],
        contact=contact, records=[("directory", "DI1", 3.0)],
        evidence=[{"field": "forenames", "level": "nickname", "weight": 2.1},
                  {"field": "place", "level": "same_county", "weight": -1.0}],
        chain=["birth entry birth_index B1 (DAVIES)"], rank=rank,
    )


def _world(session, seed: dict | None = None) -> None:  # noqa: ANN001
    case = add_case(session, parse_seed_case(json.dumps(seed or SEED)))
    sf = SourceFile(source="directory", kind="directory", path="x", content_hash="h", rows=1)
    session.add(sf)
    session.flush()
    session.add(SourceRecord(source_file_id=sf.id, source="directory", kind="directory", record_id="DI1",
                             data={"record_id": "DI1", "full_name": "Chrissie Davies", "address": "4 Elm Road",
                                   "town": "Leeds", "postcode": "LS6 1AA", "age_band": "80-84"}))
    run = SearchRun(case_id=case.id, state="completed", finished_at=utcnow(), candidates_found=3)
    session.add(run)
    session.flush()
    upsert_candidates(session, case, run, [
        _draft("birth_index:B1", "maternal_grandmother", contact=("directory", "DI1"), rank=1),
        _draft("birth_index:B2", "maternal_grandfather", blocked=True, rank=2, name="Roger Davies"),
        _draft("birth_index:B3", "maternal_uncle", deceased=True, rank=3, name="Paul Davies"),
    ])
    session.commit()


PASSWORD = "correct horse battery staple"


def make_user(session, username: str = "alice", role: str = "administrator", team: str | None = None) -> str:  # noqa: ANN001
    """A user with PASSWORD; returns their TOTP secret."""
    _, secret = auth.create_user(session, username, role, team, PASSWORD)
    session.commit()
    return secret


def login(client: TestClient, username: str, secret: str, password: str = PASSWORD) -> TestClient:
    """Sign in through the login form (password and a TOTP code not used before)."""
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
    for offset in (0, -30, 30):
        code = auth.totp(secret, time.time() + offset)
        done = client.post("/login", data={"csrf_token": csrf, "username": username, "password": password,
                                           "code": code}, follow_redirects=False)
        if done.status_code == 303:
            return client
    raise AssertionError(f"login failed: {done.status_code}")


def signed_in(session, username: str = "alice", role: str = "administrator", team: str | None = None) -> TestClient:  # noqa: ANN001
    secret = make_user(session, username, role, team)
    return login(TestClient(create_app()), username, secret)


@pytest.fixture
def client(session) -> TestClient:  # noqa: ANN001
    _world(session)
    return signed_in(session)


def token(client: TestClient) -> str:
    """The CSRF token the site issued (the double-submit cookie, repeated in every form)."""
    page = client.get("/")
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(f"/cases/{REF}").text)
    assert found and found.group(1) == client.cookies.get(web.CSRF_COOKIE), page.status_code
    return found.group(1)


def test_every_page_renders_with_no_store_csp_and_no_framing(client: TestClient) -> None:
    urls = ["/", "/cases/new", f"/cases/{REF}", f"/cases/{REF}/queue", f"/cases/{REF}/queue?status=pending&sort=score",
            f"/cases/{REF}/candidates/c1", f"/cases/{REF}/network", f"/cases/{REF}/summary", f"/cases/{REF}/search",
            f"/cases/{REF}/search/status", "/static/app.css"]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "unsafe-inline" not in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
    assert client.get("/cases/LL-0000-0000").status_code == 404
    assert client.get(f"/cases/{REF}/candidates/c99").status_code == 404


def test_cases_list_shows_consent_last_search_pending_and_network(client: TestClient) -> None:
    text = client.get("/").text
    assert REF in text and "Mason Paul HUNTER" in text and "given" in text and "completed" in text
    assert re.search(r'status=pending">3</a>', text)


def test_queue_shows_badges_and_filters_by_flag_side_and_status(client: TestClient) -> None:
    text = client.get(f"/cases/{REF}/queue").text
    assert "Christine Davies" in text and "badge blocked" in text and "badge deceased" in text
    assert "maternal grandmother" in text and "<svg class=\"score-bar\"" in text
    blocked = client.get(f"/cases/{REF}/queue?flag=blocked").text
    assert "Roger Davies" in blocked and "Christine Davies" not in blocked
    clear = client.get(f"/cases/{REF}/queue?flag=clear&side=maternal").text
    assert "Christine Davies" in clear and "Roger Davies" not in clear and "Paul Davies" not in clear
    assert "No candidates match" in client.get(f"/cases/{REF}/queue?status=verified").text
    by_name = client.get(f"/cases/{REF}/queue?sort=name&flag=bogus").text
    assert by_name.index("Christine") < by_name.index("Paul Davies") < by_name.index("Roger")


def test_candidate_page_explains_the_score_and_hides_the_address_until_verified(client: TestClient) -> None:
    page = client.get(f"/cases/{REF}/candidates/c1").text
    assert "nickname" in page and "+2.10" in page and "-1.00" in page and 'class="neg"' in page
    assert "birth entry birth_index B1" in page  # the chain of inference
    assert "DI1" in page and "Chrissie Davies" in page and "80-84" in page  # the record's non-address fields
    assert "4 Elm Road" not in page and "LS6 1AA" not in page
    assert "4 Elm Road" not in client.get(f"/cases/{REF}/queue.csv").text
    done = client.post(f"/cases/{REF}/candidates/c1/decision", data={"action": "verify", "csrf_token": token(client)})
    assert done.status_code == 200 and "4 Elm Road, Leeds, LS6 1AA" in done.text
    assert "4 Elm Road" in client.get(f"/cases/{REF}/queue.csv").text
    assert "4 Elm Road" in client.get(f"/cases/{REF}/summary").text


def test_a_withheld_contact_says_why_on_the_candidate_page(client: TestClient, session) -> None:  # noqa: ANN001
    cand = session.get(Candidate, 1)
    cand.contact_source = cand.contact_record_id = None
    cand.chain = [*cand.chain, "no contact offered: directory D7 and directory D8 put them at two addresses at once "
                               "(2024-2026); one is likely a namesake's, so check which is theirs"]
    session.add(cand)
    session.commit()
    page = client.get(f"/cases/{REF}/candidates/c1").text
    assert "No address is offered: the records disagree" in page and "No address is held" not in page
    assert "Directory D7 and directory D8 put them at two addresses at once (2024-2026)" in page


def test_blocked_candidate_cannot_be_verified_and_never_shows_contact(client: TestClient, session) -> None:  # noqa: ANN001
    page = client.get(f"/cases/{REF}/candidates/c2").text
    assert "can never be verified" in page and 'value="verify"' not in page
    refused = client.post(f"/cases/{REF}/candidates/c2/decision",
                          data={"action": "verify", "csrf_token": token(client)})
    assert refused.status_code == 403 and "blocked" in refused.text
    session.expire_all()
    assert session.get(Candidate, 2).status == "pending"


def test_rejecting_needs_a_reason_and_is_recorded(client: TestClient) -> None:
    csrf = token(client)
    missing = client.post(f"/cases/{REF}/candidates/c3/decision", data={"action": "reject", "csrf_token": csrf})
    assert missing.status_code == 400 and "Give a reason" in missing.text
    done = client.post(f"/cases/{REF}/candidates/c3/decision",
                       data={"action": "reject", "reason": "different person", "csrf_token": csrf})
    assert done.status_code == 200 and "rejected by" in done.text and "different person" in done.text


def test_state_changes_without_a_matching_csrf_token_are_refused(client: TestClient) -> None:
    url = f"/cases/{REF}/candidates/c1/decision"
    token(client)
    assert client.post(url, data={"action": "verify"}).status_code == 403
    assert client.post(url, data={"action": "verify", "csrf_token": "x" * 43}).status_code == 403
    assert client.post("/cases/new", data={"reference": "LL-1"}).status_code == 403
    assert client.post(f"/cases/{REF}/search").status_code == 403
    fresh = TestClient(create_app())  # signed in, but no CSRF cookie: a forged cross-site post
    fresh.cookies.set(web.SESSION_COOKIE, client.cookies.get(web.SESSION_COOKIE))
    assert fresh.post(url, data={"action": "verify", "csrf_token": "a" * 43}).status_code == 403
    anonymous = TestClient(create_app())  # not signed in at all
    assert anonymous.post(url, data={"action": "verify", "csrf_token": "a" * 43}).status_code in (401, 403)
    assert "4 Elm Road" not in client.get(f"/cases/{REF}/candidates/c1").text
    # Mutations are POST only.
    assert client.get(url).status_code in (404, 405)


def test_form_errors_are_shown_next_to_their_fields(client: TestClient) -> None:
    page = client.post("/cases/new", data={
        "csrf_token": token(client), "people_rows": "3", "reference": "",
        "child_date_of_birth": "2007-13-45", "p0_relationship": "grandma", "p0_forenames": "Chrissie",
        "p1_relationship": "mother", "p1_birth_year": "1950", "p1_approx_age": "70",
        "r0_kind": "do_not_contact",
    })
    assert page.status_code == 400 and "There is a problem" in page.text
    for name in ("reference", "child_date_of_birth", "p0_relationship", "p1_date_of_birth", "r0_person"):
        assert f'id="{name}-error"' in page.text, name
        assert re.search(rf'<(input|select) id="{name}"[^>]*aria-describedby="[^"]*{name}-error"', page.text), name
    assert 'value="Chrissie"' in page.text  # what was typed is kept


def test_new_case_form_is_the_seed_json_contract(client: TestClient, session) -> None:  # noqa: ANN001
    data = {
        "csrf_token": token(client), "people_rows": "3", "restriction_rows": "2", "reference": "LL-2026-0100",
        "child_forenames": "Ava Rose", "child_surname": "PIKE", "child_date_of_birth": "2012-02-03",
        "child_birth_district": "Leeds", "child_sex": "F", "consent_child_agreed_on": "2026-10-01",
        "consent_parental_responsibility_consent_on": "2026-10-02", "consent_consent_given_by": "local authority",
        "p0_relationship": "mother", "p0_forenames": "Kelly", "p0_surname": "PIKE", "p0_former_surnames": "DAVIES, ROE",
        "p0_date_of_birth": "1980-04-19", "p0_place0_name": "Stratford", "p0_place0_from_year": "2005",
        "p0_place0_to_year": "2012", "p2_relationship": "maternal_grandfather", "p2_approx_age": "75",
        "r0_kind": "do_not_contact", "r0_person": "s3", "r0_reason": "risk to child",
        "r1_kind": "do_not_disclose_location", "r1_place": "9 Secret Lane, Leeds",
    }
    done = client.post("/cases/new", data=data, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/cases/LL-2026-0100"
    page = client.get("/cases/LL-2026-0100").text
    assert "Ava Rose PIKE" in page and "searches allowed" in page and "9 Secret Lane" not in page
    case = session.exec(select(Case).where(Case.reference == "LL-2026-0100")).one()
    people = {p.key: p for p in session.exec(select(SeedPerson).where(SeedPerson.case_id == case.id))}
    assert set(people) == {"s1", "s3"}  # ids follow the form rows; the empty row is skipped
    assert people["s1"].former_surnames == ["DAVIES", "ROE"] and people["s1"].places[0]["from_year"] == 2005
    assert people["s3"].approx_age == 75
    again = client.post("/cases/new", data=data)
    assert again.status_code == 400 and "already exists" in again.text


def test_the_form_grows_without_javascript(client: TestClient) -> None:
    page = client.post("/cases/new", data={"csrf_token": token(client), "people_rows": "3", "more": "person",
                                           "reference": "LL-9"})
    assert page.status_code == 200 and 'id="p3_relationship"' in page.text and 'value="LL-9"' in page.text


def test_json_import_uses_the_same_validation(client: TestClient) -> None:
    csrf = token(client)
    seed = {**SEED, "reference": "LL-2026-0200"}
    done = client.post("/cases/import", data={"csrf_token": csrf}, follow_redirects=False,
                       files={"seed_file": ("case.json", json.dumps(seed).encode(), "application/json")})
    assert done.status_code == 303 and done.headers["location"] == "/cases/LL-2026-0200"
    bad = {**SEED, "reference": "LL-2026-0201", "child": {"date_of_birth": "2007-13-45"}}
    refused = client.post("/cases/import", data={"csrf_token": csrf},
                          files={"seed_file": ("bad.json", json.dumps(bad).encode(), "application/json")})
    assert refused.status_code == 400 and "$.child.date_of_birth" in refused.text and "bad.json" in refused.text
    broken = client.post("/cases/import", data={"csrf_token": csrf},
                         files={"seed_file": ("x.json", b"{not json", "application/json")})
    assert broken.status_code == 400 and "not valid JSON" in broken.text


def test_search_refused_for_consent_says_why(session) -> None:  # noqa: ANN001
    seed = {**SEED, "consent": {"child_agreed_on": "2026-10-01"}}
    _world(session, seed)
    client = signed_in(session)
    assert "cannot be searched" in client.get(f"/cases/{REF}").text
    refused = client.post(f"/cases/{REF}/search", data={"csrf_token": token(client)})
    assert refused.status_code == 403 and "The search was refused" in refused.text
    assert "parental-responsibility consent" in refused.text


def test_search_runs_in_the_background_and_reports_progress(client: TestClient, session,  # noqa: ANN001
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_flow(case_id: int) -> None:
        time.sleep(0.2)
        with db.session_scope() as s:
            s.add(SearchRun(case_id=case_id, state="completed", finished_at=utcnow(), candidates_found=7))

    monkeypatch.setattr(web, "run_search_flow", fake_flow)
    started = client.post(f"/cases/{REF}/search", data={"csrf_token": token(client)}, follow_redirects=False)
    assert started.status_code == 303 and started.headers["location"] == f"/cases/{REF}/search"
    first = client.get(f"/cases/{REF}/search/status").text
    assert "data-poll" in first and "Starting" in first
    deadline = time.time() + 5
    while "Search complete" not in (status := client.get(f"/cases/{REF}/search/status").text):
        assert time.time() < deadline, status
        time.sleep(0.05)
    assert "7 candidates" in status and "data-poll" not in status


def test_a_failed_search_says_so_without_details(client: TestClient, monkeypatch: pytest.MonkeyPatch,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    def broken_flow(case_id: int) -> None:
        raise RuntimeError("Mason HUNTER's record broke it")

    monkeypatch.setattr(web, "run_search_flow", broken_flow)
    client.post(f"/cases/{REF}/search", data={"csrf_token": token(client)})
    deadline = time.time() + 5
    while "failed" not in (status := client.get(f"/cases/{REF}/search/status").text):
        assert time.time() < deadline
        time.sleep(0.05)
    assert "RuntimeError" in status and "HUNTER" not in status
    # The server log says what failed and where, for whoever is asked; never the message.
    logged = [r.getMessage() for r in caplog.records if r.name == "tracing.web"]
    assert len(logged) == 1 and "RuntimeError at tracing/test_web.py:" in logged[0], logged
    assert "HUNTER" not in caplog.text


def test_the_app_keeps_its_temporary_prefect_server_quiet_and_patient(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PREFECT_SERVER_ANALYTICS_ENABLED", "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"):
        monkeypatch.setenv(name, "")  # so that the test's end puts back what was there before
        monkeypatch.delenv(name)
    create_app()
    assert os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] == "false"  # no usage telemetry leaves the machine
    assert int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) >= 60  # CI machines are busy


def test_network_page_draws_a_genogram_and_growth(client: TestClient) -> None:
    token(client)
    client.post(f"/cases/{REF}/candidates/c1/decision", data={"action": "verify", "csrf_token": token(client)})
    page = client.get(f"/cases/{REF}/network").text
    svg = page[page.index('<svg class="genogram"'):page.index("</svg>", page.index('<svg class="genogram"'))]
    assert '<g class="person verified">' in svg and "<circle" in svg  # a verified grandmother: a circle
    assert '<g class="person pending blocked">' in svg and "<rect" in svg  # the grandfather: a square
    assert svg.count('class="cross"') == 2  # the deceased uncle
    assert 'class="couple"' in svg  # grandparents joined
    assert "Known at intake: 3; Found by searching: 3" in page and "Verified: 1" in page


def test_everything_is_escaped_and_no_personal_data_is_put_in_links(session) -> None:  # noqa: ANN001
    seed = {**SEED, "child": {**SEED["child"], "forenames": "<script>alert(1)</script>"}}
    _world(session, seed)
    client = signed_in(session)
    for url in ("/", f"/cases/{REF}", f"/cases/{REF}/network", f"/cases/{REF}/summary"):
        text = client.get(url).text
        assert "<script>alert" not in text and "&lt;script&gt;" in text
        for href in re.findall(r'(?:href|action)="([^"]*)"', text):
            assert not re.search(r"HUNTER|Davies|Kelly|Elm|script", href, re.I), href


def test_csv_export_is_the_cli_csv(client: TestClient) -> None:
    export = client.get(f"/cases/{REF}/queue.csv")
    assert export.headers["content-type"].startswith("text/csv")
    assert "attachment" in export.headers["content-disposition"]
    with db.session_scope() as s:
        assert export.text == queue_csv(queue(s, get_case(s, REF)))


def test_gedcom_export_is_the_network_without_addresses(client: TestClient) -> None:
    from tracing.models import Child
    from tracing.network import gedcom

    export = client.get(f"/cases/{REF}/network.ged")
    assert export.status_code == 200 and "attachment" in export.headers["content-disposition"]
    assert export.text.startswith("0 HEAD") and export.text.rstrip().endswith("0 TRLR")
    with db.session_scope() as s:
        case = get_case(s, REF)
        child = s.exec(select(Child).where(Child.case_id == case.id)).first()
        assert export.text.split("\n1 DATE")[1].split("\n", 1)[1] == gedcom(REF, child, queue(s, case)).split(
            "\n1 DATE")[1].split("\n", 1)[1]
    assert "Elm" not in export.text
