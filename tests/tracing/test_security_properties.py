"""Property tests with canary values: restricted places and blocked people's contact details never leak.

And a stateful test of the review state machine: pending -> verified / rejected, blocked never verified,
contact details only when verified and unblocked, decisions append-only.
"""

from __future__ import annotations

import itertools
import json
import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlmodel import select

from pipelines.enqueue import CandidateDraft
from tests.tracing.clihelp import cli
from tests.tracing.test_cases import SEED
from tests.tracing.test_web import signed_in
from tracing.cases import add_case, parse_seed_case
from tracing.errors import RefusedByPolicy
from tracing.models import Decision, SearchRun, SourceFile, SourceRecord, utcnow
from tracing.review import decide, get_candidate, queue, upsert_candidates

_N = itertools.count()
_LETTERS = st.text(alphabet="BCDFGHJKLMNPQRSTVWXZ", min_size=7, max_size=10)


def _draft(identity: str, contact: tuple[str, str] | None, blocked: bool, name: str) -> CandidateDraft:
    return CandidateDraft(identity=identity, relationship="maternal_aunt", side="maternal", degree=2, seed_person=None,
                          display_name=name, score=0.8, deceased=False, blocked=blocked,
                          block_reasons=["do-not-contact restriction on seed person s2"] if blocked else [],
                          contact=contact, records=[contact + (2.0,)] if contact else [], evidence=[], chain=[],
                          rank=1)


def _canary_case(s, place_word: str, blocked_word: str, blocked_name: str) -> tuple[str, str]:  # noqa: ANN001
    n = next(_N)
    ref = f"QX-{n}"
    place = f"{n + 3} {place_word} Road, Leeds LS9 9QX"
    seed = {**SEED, "reference": ref,
            "people": [{"id": "s1", "relationship": "mother", "forenames": "Kelly",
                        "places": [{"name": place}]},
                       {"id": "s2", "relationship": "father", "forenames": blocked_name}],
            "restrictions": [{"kind": "do_not_disclose_location", "place": place},
                             {"kind": "do_not_contact", "person": "s2", "reason": "risk"}]}
    case = add_case(s, parse_seed_case(json.dumps(seed)))
    sf = SourceFile(source=f"dir{n}", kind="directory", path="x", content_hash=f"h{n}", rows=2)
    s.add(sf)
    s.flush()
    s.add(SourceRecord(source_file_id=sf.id, source=f"dir{n}", kind="directory", record_id="R1",
                       data={"record_id": "R1", "full_name": "Ann Other", "address": f"{n + 3} {place_word} Road",
                             "town": "Leeds", "postcode": "LS9 9QX"}))
    s.add(SourceRecord(source_file_id=sf.id, source=f"dir{n}", kind="directory", record_id="R2",
                       data={"record_id": "R2", "full_name": blocked_name, "address": f"1 {blocked_word} Lane",
                             "town": "York", "postcode": "YO1 1AA"}))
    run = SearchRun(case_id=case.id, state="completed", finished_at=utcnow())
    s.add(run)
    s.flush()
    upsert_candidates(s, case, run, [_draft(f"a{n}", (f"dir{n}", "R1"), False, "Ann Other"),
                                     _draft(f"b{n}", (f"dir{n}", "R2"), True, blocked_name)])
    s.commit()
    labels = [c["id"] for c in queue(s, case)]
    return ref, labels


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place_word=_LETTERS.map(lambda s: "QXP" + s), blocked_word=_LETTERS.map(lambda s: "QXL" + s),
       blocked_name=_LETTERS.map(lambda s: "QXN" + s))
def test_canaries_never_appear_in_any_output(session, caplog, place_word: str, blocked_word: str,  # noqa: ANN001
                                             blocked_name: str) -> None:
    caplog.set_level(logging.DEBUG)
    ref, (ok, blocked) = _canary_case(session, place_word, blocked_word, blocked_name)
    assert cli("review", ref, ok, "--verify").code == 0  # the contact record is an undisclosable place
    refused = cli("review", ref, blocked, "--verify")
    assert refused.code == 3
    outputs = [refused.output]
    for fmt in ("table", "json", "csv"):
        outputs.append(cli("candidates", ref, "--format", fmt).output)
    for label in (ok, blocked):
        outputs.append(cli("explain", ref, label).output)
    client = signed_in(session, f"u{next(_N)}")
    csrf = client.cookies.get("tracing_csrf")
    web_refused = client.post(f"/cases/{ref}/candidates/{blocked}/decision",
                              data={"csrf_token": csrf, "action": "verify"})
    assert web_refused.status_code == 403
    outputs.append(web_refused.text)
    for url in ("", "/queue", "/queue.csv", "/network", "/summary", f"/candidates/{ok}", f"/candidates/{blocked}"):
        page = client.get(f"/cases/{ref}{url}")
        assert page.status_code == 200, url
        outputs.append(page.text)
    outputs.append(caplog.text)
    everything = "\n".join(outputs).upper()
    assert place_word not in everything and blocked_word not in everything
    session.expire_all()
    assert get_candidate(session, __import__("tracing.cases", fromlist=["get_case"]).get_case(session, ref),
                         blocked).status == "pending"


class ReviewMachine(RuleBasedStateMachine):
    """Decisions on a small queue, checked against the rules after every step."""

    session = None

    def __init__(self) -> None:
        super().__init__()
        s = self.session
        self.ref, self.labels = _canary_case(s, "QXSTATE", "QXSTATEB", "QXSTATEN")
        from tracing.cases import get_case

        self.case = get_case(s, self.ref)
        self.history: list[tuple[int, str]] = []

    @rule(which=st.integers(0, 1), verify=st.booleans())
    def decide(self, which: int, verify: bool) -> None:
        label = self.labels[which]
        try:
            decide(self.session, self.case, label, verify, None if verify else "not them", "tester")
        except RefusedByPolicy:
            assert which == 1 and verify  # only verifying the blocked candidate is refused
        self.session.flush()

    @invariant()
    def rules_hold(self) -> None:
        s = self.session
        for item in queue(s, self.case):
            cand = get_candidate(s, self.case, item["id"])
            assert not (cand.blocked and cand.status == "verified")
            assert cand.status in ("pending", "verified", "rejected")
            if "contact_details" in item:
                assert cand.status == "verified" and not cand.blocked
            last = s.exec(select(Decision).where(Decision.candidate_id == cand.id).order_by(Decision.id.desc())).first()
            assert (last.decision if last else "pending") == cand.status
        rows = [(d.id, d.decision) for d in s.exec(select(Decision).order_by(Decision.id))
                if d.candidate_id in {get_candidate(s, self.case, lbl).id for lbl in self.labels}]
        assert rows[:len(self.history)] == self.history  # append-only: earlier decisions unchanged
        self.history = rows


def test_review_state_machine(session) -> None:  # noqa: ANN001
    ReviewMachine.session = session
    run_state_machine_as_test(ReviewMachine, settings=settings(max_examples=15, stateful_step_count=8, deadline=None))
