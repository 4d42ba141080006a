"""The web app: pages render, no caching of personal data, decisions follow the same rules as the CLI."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from pipelines.enqueue import CandidateDraft
from tests.tracing.test_cases import SEED
from tracing.cases import add_case, parse_seed_case
from tracing.models import SearchRun, SourceFile, SourceRecord
from tracing.review import upsert_candidates
from tracing.web import create_app


def _draft(identity: str, blocked: bool, contact: tuple[str, str] | None) -> CandidateDraft:
    return CandidateDraft(
        identity=identity, relationship="maternal_grandmother", side="maternal", degree=2, seed_person="s2",
        display_name="Christine Davies", score=0.9, deceased=False, blocked=blocked,
        block_reasons=["do-not-contact restriction on seed person s3"] if blocked else [],
        contact=contact, records=[("directory", "DI1", 3.0)],
        evidence=[{"field": "forenames", "level": "nickname", "weight": 2.1}], rank=1 if not blocked else 2,
    )


def _world(session) -> None:  # noqa: ANN001
    case = add_case(session, parse_seed_case(json.dumps(SEED)))
    sf = SourceFile(source="directory", kind="directory", path="x", content_hash="h", rows=1)
    session.add(sf)
    session.flush()
    session.add(SourceRecord(source_file_id=sf.id, source="directory", kind="directory", record_id="DI1",
                             data={"address": "4 Elm Road", "town": "Leeds", "postcode": "LS6 1AA"}))
    run = SearchRun(case_id=case.id)
    session.add(run)
    session.flush()
    upsert_candidates(session, case, run, [_draft("birth_index:B1", False, ("directory", "DI1")),
                                           _draft("birth_index:B2", True, None)])
    session.commit()


def test_queue_and_candidate_pages_hide_the_address_until_verified(session) -> None:
    _world(session)
    client = TestClient(create_app())
    page = client.get("/cases/LL-2026-0007")
    assert page.status_code == 200 and "Christine Davies" in page.text
    assert page.headers["cache-control"] == "no-store"
    cand = client.get("/cases/LL-2026-0007/candidates/c1")
    assert "4 Elm Road" not in cand.text and "nickname" in cand.text
    done = client.post("/cases/LL-2026-0007/candidates/c1/decision", data={"action": "verify"})
    assert done.status_code == 200 and "4 Elm Road" in done.text


def test_blocked_candidate_cannot_be_verified_through_the_web(session) -> None:
    _world(session)
    client = TestClient(create_app())
    assert "can never be verified" in client.get("/cases/LL-2026-0007/candidates/c2").text
    refused = client.post("/cases/LL-2026-0007/candidates/c2/decision", data={"action": "verify"})
    assert refused.status_code == 403


def test_cases_page_lists_cases(session) -> None:
    _world(session)
    page = TestClient(create_app()).get("/")
    assert page.status_code == 200 and "LL-2026-0007" in page.text
