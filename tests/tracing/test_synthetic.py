"""Tests for the synthetic world generator (tracing.synthetic)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tracing.synthetic import COLUMNS, KINDS, World, build_world, main, write_world
from tracing.vocabulary import FAMILY_RELATIONSHIPS, RELATIONSHIPS, degree_of

TRUTH_RELATIONSHIPS = {
    "mother", "father", "maternal_grandmother", "maternal_grandfather", "paternal_grandmother",
    "paternal_grandfather", "sister", "brother", "half_sister", "half_brother", "maternal_aunt",
    "maternal_uncle", "paternal_aunt", "paternal_uncle", "maternal_cousin", "paternal_cousin",
}
POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9]{1,2} [0-9][A-Z]{2}$")


@pytest.fixture(scope="module")
def world() -> World:
    return build_world(families=120, seed=11, cases=8)


@pytest.fixture(scope="module")
def written(world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_world(world, tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def frames(written: dict[str, Path]) -> dict[str, pd.DataFrame]:
    return {k: pd.read_csv(written[k], dtype=str, keep_default_na=False) for k in KINDS}


def test_write_world_returns_every_path(written: dict[str, Path]) -> None:
    assert set(written) == set(KINDS) | {"truth", "cases_dir"}
    for kind in KINDS:
        assert written[kind].name == f"{kind}.csv" and written[kind].exists()
    assert written["truth"].name == "truth.json"
    assert written["cases_dir"].is_dir()


def test_columns_exactly_per_contract(world: World, frames: dict[str, pd.DataFrame]) -> None:
    for kind in KINDS:
        assert list(world.records[kind].columns) == list(COLUMNS[kind])
        assert list(frames[kind].columns) == list(COLUMNS[kind])
        assert len(frames[kind]) > 0, kind


def test_record_ids_unique_and_prefixed(frames: dict[str, pd.DataFrame]) -> None:
    prefixes = {"birth_index": "BI", "marriage_index": "MA", "death_index": "DE",
                "directory": "DI", "company_officers": "CO", "probate": "PR",
                "case_records": "CR"}
    for kind, df in frames.items():
        assert df["record_id"].is_unique, kind
        assert df["record_id"].str.fullmatch(prefixes[kind] + r"\d{7}").all(), kind


def test_every_person_has_one_birth_entry(world: World) -> None:
    owners = world.owners["birth_index"]
    assert sorted(owners.values()) == sorted(world.persons)


def test_field_formats(frames: dict[str, pd.DataFrame]) -> None:
    bi = frames["birth_index"]
    assert bi["quarter"].isin(["1", "2", "3", "4"]).all()
    dated = bi[bi["date_of_birth"] != ""]
    assert (dated["date_of_birth"].str[:4].astype(int) >= 1969).all()
    old = bi[bi["year"].astype(int) < 1969]
    assert (old["month"] == "").all()
    di = frames["directory"]
    pcs = di.loc[di["postcode"] != "", "postcode"]
    assert pcs.str.match(POSTCODE).all()
    bands = di.loc[di["age_band"] != "", "age_band"]
    assert bands.str.fullmatch(r"\d+-\d+").all()
    assert (di["first_seen_year"].astype(int) <= di["last_seen_year"].astype(int)).all()
    co = frames["company_officers"]
    assert co["name"].str.contains(", ").all()
    for kind, cols in (("company_officers", ["appointed_on", "resigned_on"]),
                       ("probate", ["date_of_death", "grant_date"]),
                       ("case_records", ["date_of_birth", "recorded_on"])):
        for col in cols:
            vals = frames[kind].loc[frames[kind][col] != "", col]
            assert vals.str.fullmatch(r"\d{4}-\d{2}-\d{2}").all(), (kind, col)


def test_deterministic_for_same_seed(world: World) -> None:
    again = build_world(families=120, seed=11, cases=8)
    for kind in KINDS:
        pd.testing.assert_frame_equal(world.records[kind], again.records[kind])
    assert json.dumps(world.cases) == json.dumps(again.cases)
    assert json.dumps(world.truth) == json.dumps(again.truth)
    other = build_world(families=120, seed=12, cases=8)
    assert not world.records["birth_index"].equals(other.records["birth_index"])


def test_marriages_one_row_per_spouse(world: World) -> None:
    owners = world.owners["marriage_index"]
    married = [p for p in world.partnerships if p.married and p.start <= world.today]
    assert len(owners) == 2 * len(married)
    rows_by_person: dict[str, int] = {}
    for pid in owners.values():
        rows_by_person[pid] = rows_by_person.get(pid, 0) + 1
    for pr in married:
        assert pr.woman in rows_by_person and pr.man in rows_by_person


def test_no_directory_record_after_death(world: World, frames: dict[str, pd.DataFrame]) -> None:
    di = frames["directory"].set_index("record_id")
    for rid, pid in world.owners["directory"].items():
        person = world.persons[pid]
        if person.death is not None:
            assert int(di.loc[rid, "last_seen_year"]) <= person.death.year
        assert int(di.loc[rid, "first_seen_year"]) >= person.dob.year + 18


def test_truth_shape_and_records_exist(written: dict[str, Path],
                                       frames: dict[str, pd.DataFrame]) -> None:
    truth = json.loads(written["truth"].read_text())
    assert set(truth) == {"seed", "families", "cases"}
    ids = {k: set(df["record_id"]) for k, df in frames.items()}
    assert truth["cases"]
    for ref, case in truth["cases"].items():
        assert re.fullmatch(r"LL-2026-\d{4}", ref)
        assert {"child", "relatives", "undisclosable_places"} <= set(case)
        for r in case["child"]["records"]:
            assert r["record_id"] in ids[r["source"]]
        assert any(r["source"] == "birth_index" for r in case["child"]["records"])
        persons = [r["person"] for r in case["relatives"]]
        assert len(persons) == len(set(persons))
        for rel in case["relatives"]:
            assert rel["relationship"] in TRUTH_RELATIONSHIPS
            assert rel["degree"] == degree_of(rel["relationship"])
            assert rel["side"] in ("maternal", "paternal", None)
            assert rel["records"], rel
            for r in rel["records"]:
                assert r["source"] in KINDS and r["record_id"] in ids[r["source"]], r
            if rel["contact_record"] is not None:
                assert rel["contact_record"] in rel["records"]
                assert rel["contact_record"]["source"] in ("directory", "company_officers")
            assert rel["contactable"] == (
                not rel["deceased"] and not rel["do_not_contact"]
                and rel["contact_record"] is not None)


def test_truth_relationships_follow_the_pedigree(world: World) -> None:
    for case in world.truth["cases"].values():
        child = world.persons[case["child"]["person"]]
        by = {r["relationship"]: r["person"] for r in case["relatives"]}
        assert by["mother"] == child.mother and by["father"] == child.father
        mother = world.persons[child.mother]
        if "maternal_grandmother" in by:
            assert by["maternal_grandmother"] == mother.mother
        for r in case["relatives"]:
            p = world.persons[r["person"]]
            if r["relationship"] in ("sister", "brother"):
                assert (p.mother, p.father) == (child.mother, child.father)
            if r["relationship"] in ("half_sister", "half_brother"):
                assert (p.mother == child.mother) != (p.father == child.father)
            assert r["deceased"] == (p.death is not None)


def test_case_json_contract_shape(written: dict[str, Path], world: World) -> None:
    from tracing.cases import parse_seed_case

    files = sorted(written["cases_dir"].glob("*.json"))
    assert len(files) == len(world.cases) == 8
    truth = world.truth["cases"]
    for f in files:
        raw = json.loads(f.read_text())
        assert set(raw) == {"reference", "child", "consent", "people", "restrictions"}
        assert f.stem == raw["reference"] and raw["reference"] in truth
        assert set(raw["child"]) == {"forenames", "surname", "date_of_birth",
                                     "birth_district", "sex"}
        age = (world.today - date.fromisoformat(raw["child"]["date_of_birth"])).days / 365.25
        assert 5 <= age < 25
        assert 3 <= len(raw["people"]) <= 8
        ids = [p["id"] for p in raw["people"]]
        assert ids == [f"s{i + 1}" for i in range(len(ids))]
        for p in raw["people"]:
            assert p["relationship"] in RELATIONSHIPS
            assert sum(k in p for k in ("date_of_birth", "birth_year", "approx_age")) <= 1
        parse_seed_case(f.read_text(), origin=str(f))  # the intake validator accepts it
        seeds_in_truth = {r["seed_person"] for r in truth[raw["reference"]]["relatives"]}
        for p in raw["people"]:
            if p["relationship"] in FAMILY_RELATIONSHIPS:
                assert p["id"] in seeds_in_truth
            else:
                assert p["id"] not in seeds_in_truth


def test_restrictions_and_consent(world: World, frames: dict[str, pd.DataFrame]) -> None:
    di = frames["directory"]
    listed = set(di["address"] + ", " + di["town"] + " " + di["postcode"])
    dnc = places = 0
    unsearchable = []
    for case in world.cases:
        t = world.truth["cases"][case["reference"]]
        consent = case["consent"]
        if "parental_responsibility_consent_on" not in consent:
            unsearchable.append(case["reference"])
        assert t["searchable"] == ("parental_responsibility_consent_on" in consent)
        flagged = {r["seed_person"] for r in t["relatives"] if r["do_not_contact"]}
        for r in case["restrictions"]:
            if r["kind"] == "do_not_contact":
                dnc += 1
                assert r["person"] in flagged
            else:
                places += 1
                assert r["place"] in listed
                assert r["place"] in t["undisclosable_places"]
    assert dnc >= 1 and places >= 1
    assert len(unsearchable) == 1


def test_noise_and_distractors_present(world: World, frames: dict[str, pd.DataFrame]) -> None:
    di = frames["directory"]
    firsts = di["full_name"].str.split().str[0]
    assert firsts.isin(["Chrissie", "Bill", "Peggy", "Sue", "Dave", "Tony", "Mick", "Jackie",
                        "Pat", "Debbie", "Terry", "Becky", "Nikki", "Sam", "Steve"]).any()
    assert di["other_occupants"].str.contains(";").any()
    surnames = frames["birth_index"]["surname"].value_counts()
    assert surnames.iloc[0] >= 20  # common surnames shared by unrelated families
    assert len(surnames) > 150  # and a long tail
    roles = {p.role for p in world.persons.values()}
    assert {"family", "outsider", "lookalike", "foster_carer"} <= roles
    assert len(frames["death_index"]) > 0 and len(frames["probate"]) > 0


def test_main_writes_a_world(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "w"), "--families", "40", "--cases", "3", "--seed", "3"]) == 0
    assert (tmp_path / "w" / "truth.json").exists()
    assert len(list((tmp_path / "w" / "cases").glob("*.json"))) == 3
    assert '"rows"' in capsys.readouterr().out


@pytest.mark.parametrize("seed", [11, 501])
def test_nobody_marries_or_partners_before_sixteen(seed: int) -> None:
    # A groom of 13 (born 1957, married 1970) is not a harder world, only a wrong one: no real death
    # entry contradicts the marriage of the man it belongs to.
    world = build_world(families=300, seed=seed, cases=4)
    for pr in world.partnerships:
        for pid in (pr.woman, pr.man):
            born = world.persons[pid].dob
            assert (pr.start - born).days >= 16 * 365.25, (pid, born, pr.start)
