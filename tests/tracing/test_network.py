"""Network outputs: growth figures and GEDCOM 5.5.1 that never carries an address."""

from __future__ import annotations

from datetime import date

from tracing.models import Child
from tracing.network import gedcom

ITEMS = [
    {"id": "c1", "relationship": "mother", "status": "verified", "score": 0.97, "deceased": False,
     "blocked": False, "name": "Kelly Anne HUNTER", "contact_details": {"address": "4 Elm Road"}},
    {"id": "c2", "relationship": "maternal_grandfather", "status": "pending", "score": 0.9, "deceased": True,
     "blocked": True, "name": "Roger DAVIES"},
    {"id": "c3", "relationship": "maternal_grandmother", "status": "pending", "score": 0.9, "deceased": False,
     "blocked": False, "name": "Christine Mary WARD"},
    {"id": "c4", "relationship": "maternal_aunt", "status": "rejected", "score": 0.4, "deceased": False,
     "blocked": False, "name": "Wrong PERSON"},
    {"id": "c5", "relationship": "brother", "status": "pending", "score": 0.8, "deceased": False,
     "blocked": False, "name": "Thomas HUNTER"},
]
CHILD = Child(case_id=1, forenames="Mason Paul", surname="HUNTER", date_of_birth=date(2007, 5, 7), sex="M")


def test_gedcom_is_lineage_linked_5_5_1_with_families() -> None:
    text = gedcom("LL-1", CHILD, ITEMS, today=date(2026, 11, 25))
    lines = text.splitlines()
    assert lines[0] == "0 HEAD" and lines[-1] == "0 TRLR"
    assert "2 VERS 5.5.1" in lines and "2 FORM LINEAGE-LINKED" in lines and "1 CHAR UTF-8" in lines
    assert "1 NAME Mason Paul /HUNTER/" in lines and "1 SEX M" in lines
    assert "1 NAME Kelly Anne /HUNTER/" in lines
    # The child and the brother are children of one family whose wife is the mother.
    fam = text.split("0 @F1@ FAM")[1].split("\n0 ")[0]
    assert "1 WIFE @I1@" in fam and "1 CHIL @I0@" in fam and "1 CHIL @I4@" in fam
    # Every pointer used is defined.
    defined = {line.split()[1] for line in lines if line.startswith("0 @")}
    used = {line.split()[2] for line in lines if line.split()[1] in ("HUSB", "WIFE", "CHIL", "FAMS", "FAMC")}
    assert used <= defined


def test_gedcom_marks_deaths_and_do_not_contact_and_leaves_out_rejected() -> None:
    text = gedcom("LL-1", CHILD, ITEMS)
    grandfather = text.split("1 NAME Roger /DAVIES/")[1].split("\n0 ")[0]
    assert "1 DEAT Y" in grandfather and "DO NOT CONTACT" in grandfather
    assert "Wrong" not in text


def test_gedcom_never_carries_an_address() -> None:
    assert "Elm Road" not in gedcom("LL-1", CHILD, ITEMS)


def test_network_command_prints_growth_and_writes_gedcom(session, tmp_path) -> None:  # noqa: ANN001
    import json

    from typer.testing import CliRunner

    from tests.tracing.test_cases import SEED
    from tracing.cases import add_case, parse_seed_case
    from tracing.cli import app

    add_case(session, parse_seed_case(json.dumps(SEED)))
    session.commit()
    out = tmp_path / "net.ged"
    result = CliRunner().invoke(app, ["network", "LL-2026-0007", "--gedcom", str(out)])
    assert result.exit_code == 0, result.output
    assert "known at intake 3 → found 0 → verified 0" in result.output
    assert out.read_text().startswith("0 HEAD") and "Mason Paul /HUNTER/" in out.read_text()
