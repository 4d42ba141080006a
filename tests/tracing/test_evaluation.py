"""The benchmark's figures on a hand-made queue: each counts what it says."""

from __future__ import annotations

from tracing.evaluation import evaluate_case, pooled


def _rec(source: str, rid: str) -> dict:
    return {"source": source, "record_id": rid}


TRUTH = {"relatives": [
    {"person": "P1", "relationship": "mother", "contactable": True, "deceased": False, "do_not_contact": False,
     "records": [_rec("birth_index", "B1"), _rec("directory", "D1")]},
    {"person": "P2", "relationship": "maternal_aunt", "contactable": True, "deceased": True,
     "do_not_contact": False, "records": [_rec("birth_index", "B2"), _rec("death_index", "X2")]},
]}


def _cand(rank: int, relationship: str, records: list[dict], contact: dict | None = None,
          deceased: bool = False) -> dict:
    return {"rank": rank, "relationship": relationship, "records": records, "contact": contact,
            "blocked": False, "deceased": deceased}


def test_a_true_relative_offered_a_namesakes_address_is_counted() -> None:
    queue = [_cand(1, "mother", [_rec("birth_index", "B1"), _rec("directory", "D9")], _rec("directory", "D9")),
             _cand(2, "maternal_aunt", [_rec("birth_index", "B2")]),
             _cand(3, "sister", [_rec("birth_index", "B7")], _rec("directory", "D7"))]  # not a relative
    figures = evaluate_case(queue, TRUTH)
    assert (figures["true_in_top"], figures["contacts_offered"], figures["contacts_wrong"]) == (2, 1, 1)
    assert figures["dead_unflagged"] == 1
    right = evaluate_case([_cand(1, "mother", [_rec("birth_index", "B1")], _rec("directory", "D1"))], TRUTH)
    assert right["contacts_wrong"] == 0
    assert pooled([figures, right])["contact_wrong_share"] == 0.5
