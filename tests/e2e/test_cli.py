"""End to end through the CLI on a small generated world: the contract, the gates, the guarantees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sources.kinds import KINDS
from tracing.evaluation import evaluate_case, match_truth, pooled
from tracing.synthetic import build_world, write_world

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("e2e")]
TRACING = [sys.executable, "-m", "tracing.cli"]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict:
    base = tmp_path_factory.mktemp("e2e")
    paths = write_world(build_world(families=80, seed=11, cases=5), base / "world")
    env = {**os.environ, "TRACING_HOME": str(base / "home"), "PREFECT_HOME": str(base / "prefect")}
    env.pop("TRACING_DATABASE_URL", None)
    return {"paths": paths, "env": env, "truth": json.loads(Path(paths["truth"]).read_text())}


def run(world: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([*TRACING, *args], env=world["env"], capture_output=True, text=True, timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f"tracing {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture(scope="module")
def searched(world: dict) -> dict:
    run(world, "init")
    for kind in KINDS:
        run(world, "sources", "add-file", kind, "--kind", kind, str(world["paths"][kind]))
    refs = []
    for case_file in sorted(Path(world["paths"]["cases_dir"]).glob("*.json")):
        refs.append(run(world, "cases", "add", str(case_file)).stdout.strip())
    run(world, "search", "--all")
    return {"refs": refs}


def queue(world: dict, ref: str) -> list[dict]:
    data = json.loads(run(world, "candidates", ref, "--format", "json").stdout)
    assert data["case"] == ref
    return data["candidates"]


def searchable(world: dict, refs: list[str]) -> list[str]:
    return [r for r in refs if world["truth"]["cases"][r].get("searchable", True)]


def test_known_relatives_are_found_and_do_not_contact_people_blocked(world: dict, searched: dict) -> None:
    figures = []
    for ref in searchable(world, searched["refs"]):
        items = queue(world, ref)
        assert [c["rank"] for c in items] == list(range(1, len(items) + 1))
        assert all(0.0 <= c["score"] <= 1.0 for c in items)
        figures.append(evaluate_case(items, world["truth"]["cases"][ref]))
    summary = pooled(figures)
    assert summary["dnc_leaks"] == 0
    assert summary["recall_contactable_top50"] >= 0.4, summary
    assert summary["parents_found"] >= 0.6, summary


def test_candidates_json_follows_the_contract(world: dict, searched: dict) -> None:
    ref = searchable(world, searched["refs"])[0]
    items = queue(world, ref)
    assert items
    keys = {"id", "rank", "score", "relationship", "seed_person", "status", "blocked", "block_reasons",
            "deceased", "records", "contact", "evidence"}
    for c in items:
        assert keys <= set(c)
        assert c["id"].startswith("c") and c["status"] == "pending"
        assert "contact_details" not in c
        assert all(set(r) == {"source", "record_id"} for r in c["records"])
        assert all({"field", "level", "weight"} <= set(e) for e in c["evidence"])


def test_unconsented_case_is_refused_and_searches_nothing(world: dict, searched: dict) -> None:
    refs = [r for r in searched["refs"] if not world["truth"]["cases"][r].get("searchable", True)]
    assert refs, "the generated world has one case without consent"
    result = run(world, "search", refs[0], check=False)
    assert result.returncode == 3
    assert "consent" in result.stderr
    assert queue(world, refs[0]) == []


def test_verification_reveals_contact_details_and_blocked_cannot_be_verified(world: dict, searched: dict) -> None:
    for ref in searchable(world, searched["refs"]):
        items = queue(world, ref)
        blocked = [c for c in items if c["blocked"]]
        contactable = [c for c in items if not c["blocked"] and c["contact"] and not c["deceased"]]
        if blocked:
            result = run(world, "review", ref, blocked[0]["id"], "--verify", check=False)
            assert result.returncode == 3
        if contactable:
            run(world, "review", ref, contactable[0]["id"], "--verify")
            after = {c["id"]: c for c in queue(world, ref)}
            assert after[contactable[0]["id"]]["status"] == "verified"
            assert after[contactable[0]["id"]]["contact_details"]["address"]
            assert all("contact_details" not in c for c in after.values() if c["status"] != "verified")
            return
    pytest.fail("no contactable candidate in any case")


def test_rejection_needs_a_reason_and_research_keeps_decisions(world: dict, searched: dict) -> None:
    ref = searchable(world, searched["refs"])[-1]
    before = queue(world, ref)
    target = before[-1]["id"]
    assert run(world, "review", ref, target, "--reject", check=False).returncode == 2
    run(world, "review", ref, target, "--reject", "--reason", "not the same person")
    run(world, "search", ref)
    after = queue(world, ref)
    assert sorted(c["id"] for c in after) == sorted(c["id"] for c in before)
    assert {c["id"]: c["status"] for c in after}[target] == "rejected"


def test_bad_file_exits_2_and_changes_nothing(world: dict, searched: dict, tmp_path: Path) -> None:
    before = run(world, "sources", "list").stdout
    bad = tmp_path / "bad.csv"
    bad.write_text("record_id,surname\nX,SMITH\n")
    result = run(world, "sources", "add-file", "more_births", "--kind", "birth_index", str(bad), check=False)
    assert result.returncode == 2 and "bad.csv" in result.stderr and "forenames" in result.stderr
    assert run(world, "sources", "list").stdout == before


def test_bad_case_json_exits_2_with_paths(world: dict, searched: dict, tmp_path: Path) -> None:
    bad = tmp_path / "case.json"
    bad.write_text(json.dumps({"reference": "BAD-1", "child": {"date_of_birth": "soon"}, "people": [{"id": "s1"}]}))
    result = run(world, "cases", "add", str(bad), check=False)
    assert result.returncode == 2
    assert "$.child.date_of_birth" in result.stderr and "$.people[0].relationship" in result.stderr
    assert run(world, "candidates", "BAD-1", check=False).returncode == 2


def test_every_candidate_record_cites_a_loaded_record(world: dict, searched: dict) -> None:
    ref = searchable(world, searched["refs"])[0]
    for cand in queue(world, ref):
        for rec in cand["records"]:
            assert rec["source"] in KINDS
        rel = match_truth(cand, world["truth"]["cases"][ref]["relatives"])
        if rel is not None and rel["do_not_contact"]:
            assert cand["blocked"]


def test_explain_prints_the_evidence_waterfall_and_chain(world: dict, searched: dict) -> None:
    ref = searchable(world, searched["refs"])[0]
    top = queue(world, ref)[0]
    text = run(world, "explain", ref, top["id"]).stdout
    assert top["relationship"].replace("_", " ") in text
    for e in top["evidence"]:
        assert e["level"] in text
    assert "How they were found" in text and "birth entry" in text
