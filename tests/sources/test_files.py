"""Loading record files: all-or-nothing, idempotent, clear errors naming file, line and column."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from sources.files import list_sources, load_file
from sources.kinds import KIND_COLUMNS
from tracing import db
from tracing.errors import BadInput
from tracing.models import SourceFile, SourceRecord

BIRTHS = (
    "record_id,surname,forenames,mother_maiden_surname,district,year,quarter,month,date_of_birth\n"
    "BI1,HUNTER,Mason Paul,DAVIES,Newham,2007,2,5,2007-05-07\n"
    "BI2,DAVIES,Kelly Anne,JONES,Newham,1973,2,,\n"
)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(kind: str | None = None) -> int:
    with db.session_scope() as s:
        q = select(func.count()).select_from(SourceRecord)
        if kind:
            q = q.where(SourceRecord.kind == kind)
        return int(s.exec(q).one())


def test_birth_index_loads_with_typed_values(session, tmp_path: Path) -> None:
    result = load_file(session, "gro_births", "birth_index", _write(tmp_path, "b.csv", BIRTHS))
    assert result.rows == 2 and not result.already_loaded
    rec = session.exec(select(SourceRecord).where(SourceRecord.record_id == "BI2")).one()
    assert rec.data["year"] == 1973 and rec.data["month"] is None and rec.data["forenames"] == "Kelly Anne"


def test_reloading_the_same_file_is_a_no_op(session, tmp_path: Path) -> None:
    path = _write(tmp_path, "b.csv", BIRTHS)
    load_file(session, "gro_births", "birth_index", path)
    again = load_file(session, "gro_births", "birth_index", path)
    assert again.already_loaded
    assert len(session.exec(select(SourceFile)).all()) == 1
    assert len(session.exec(select(SourceRecord)).all()) == 2


@pytest.mark.parametrize("kind", list(KIND_COLUMNS))
def test_every_kind_loads_from_its_contract_header(session, tmp_path: Path, kind: str) -> None:
    header = ",".join(KIND_COLUMNS[kind])
    row = ",".join("R1" if c == "record_id" else "" for c in KIND_COLUMNS[kind])
    assert load_file(session, kind, kind, _write(tmp_path, f"{kind}.csv", f"{header}\n{row}\n")).rows == 1


def test_missing_column_names_the_file_and_column(tracing_home: Path, tmp_path: Path) -> None:
    db.migrate()
    path = _write(tmp_path, "bad.csv", "record_id,surname,forenames\nX1,SMITH,John\n")
    with pytest.raises(BadInput) as info, db.session_scope() as s:
        load_file(s, "gro_births", "birth_index", path)
    assert "bad.csv" in str(info.value) and "mother_maiden_surname" in str(info.value)
    assert _count() == 0


def test_bad_date_names_file_line_and_column_and_nothing_is_written(tracing_home: Path, tmp_path: Path) -> None:
    db.migrate()
    rows = BIRTHS + "".join(f"BX{i},SMITH,John,BROWN,Leeds,1980,1,,\n" for i in range(6000))
    rows += "BI9,SMITH,Jane,BROWN,Leeds,1981,1,,1981-02-30\n"
    path = _write(tmp_path, "births.csv", rows)
    with pytest.raises(BadInput) as info, db.session_scope() as s:
        load_file(s, "gro_births", "birth_index", path)
    message = str(info.value)
    assert "births.csv" in message and f"line {6000 + 4}" in message and "date_of_birth" in message
    # The first chunk was written inside the transaction; the rollback must remove it.
    assert _count() == 0
    with db.session_scope() as s:
        assert s.exec(select(SourceFile)).all() == []


def test_out_of_range_quarter_is_refused(session, tmp_path: Path) -> None:
    path = _write(tmp_path, "b.csv", BIRTHS.replace("2007,2,5", "2007,7,5"))
    with pytest.raises(BadInput, match="line 2, column quarter"):
        load_file(session, "gro_births", "birth_index", path)


def test_duplicate_record_id_in_a_file_is_refused(session, tmp_path: Path) -> None:
    path = _write(tmp_path, "b.csv", BIRTHS + BIRTHS.splitlines()[1] + "\n")
    with pytest.raises(BadInput, match="line 4, column record_id"):
        load_file(session, "gro_births", "birth_index", path)


def test_mapping_file_renames_other_layouts(session, tmp_path: Path) -> None:
    text = ("ref,family_name,given_names,mmn,reg_district,yr,qtr,mon,dob,notes\n"
            "Z1,HUNTER,Mason,DAVIES,Newham,2007,2,5,2007-05-07,extra column kept out\n")
    mapping = _write(tmp_path, "m.toml", """[columns]
ref = "record_id"
family_name = "surname"
given_names = "forenames"
mmn = "mother_maiden_surname"
reg_district = "district"
yr = "year"
qtr = "quarter"
mon = "month"
dob = "date_of_birth"
""")
    load_file(session, "other_births", "birth_index", _write(tmp_path, "o.csv", text), mapping)
    rec = session.exec(select(SourceRecord)).one()
    assert rec.data["mother_maiden_surname"] == "DAVIES" and "notes" not in rec.data


def test_a_source_keeps_its_kind(session, tmp_path: Path) -> None:
    load_file(session, "gro", "birth_index", _write(tmp_path, "b.csv", BIRTHS))
    header = ",".join(KIND_COLUMNS["death_index"])
    with pytest.raises(BadInput, match="already holds birth_index"):
        load_file(session, "gro", "death_index", _write(tmp_path, "d.csv", header + "\n"))


def test_list_sources_counts_records(session, tmp_path: Path) -> None:
    load_file(session, "gro_births", "birth_index", _write(tmp_path, "b.csv", BIRTHS))
    assert list_sources(session) == [{"source": "gro_births", "kind": "birth_index", "files": 1, "rows": 2}]
