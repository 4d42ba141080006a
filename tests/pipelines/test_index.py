"""The persisted mentions index gives exactly prepare.mentions' frame and rebuilds only what changed."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from pipelines import index, prepare
from tests.pipelines.test_kin import RECORDS

ROWS = [(row, *r) for row, r in enumerate(RECORDS, start=1)]  # row ids as the database gives them


def _files() -> dict[int, list[tuple]]:
    files: dict[int, list[tuple]] = {}
    for i, kind in enumerate(sorted({r[1] for r in RECORDS}), start=1):
        files[i] = [r for r in ROWS if r[2] == kind]
    return files


def _mentions(files: dict[int, list[tuple]]):  # noqa: ANN202
    return prepare.mentions(r[1:] for r in sorted(r for rows in files.values() for r in rows))


def test_index_equals_mentions_and_is_incremental(tmp_path: Path) -> None:
    files = _files()
    reads: list[int] = []

    def read(fid: int) -> list[tuple]:
        reads.append(fid)
        return files[fid]

    fps = {fid: f"h{fid}:{len(rows)}" for fid, rows in files.items()}
    got = index.load(tmp_path, fps, read)
    want = _mentions(files)
    assert want["record_id"].tolist() == [r[2] for r in RECORDS]
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert sorted(reads) == sorted(files)

    reads.clear()
    pd.testing.assert_frame_equal(index.load(tmp_path, fps, read), want, check_exact=True)
    assert reads == []  # nothing changed: nothing read

    first = min(files)
    files[first] = files[first][1:]  # a newer file replaced one record of this one
    fps[first] = f"h{first}:{len(files[first])}"
    last = max(files)
    del files[last], fps[last]
    got = index.load(tmp_path, fps, read)
    assert reads == [first]
    pd.testing.assert_frame_equal(got, _mentions(files), check_exact=True)
    assert len(list(tmp_path.glob("*.parquet"))) == len(files)


def test_empty_index(tmp_path: Path) -> None:
    assert index.load(tmp_path, {}, lambda fid: []).empty


def test_mentions_of_strings_as_loaded_from_csv() -> None:
    # Files load every cell as text; the frame must not depend on whether a year came as 2002 or "2002".
    as_text = [(s, k, rid, {c: str(v) for c, v in d.items()}) for s, k, rid, d in RECORDS]
    a, b = prepare.mentions(RECORDS), prepare.mentions(as_text)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_parts_build_the_same_search_index_as_the_whole_frame(tmp_path: Path) -> None:
    from pipelines import kin

    files = _files()
    fps = {fid: f"h{fid}:{len(rows)}" for fid, rows in files.items()}
    parts = index.load_parts(tmp_path, fps, lambda fid: files[fid])
    assert len(parts) == len(files) and sum(len(p) for p in parts) == len(RECORDS)
    from_parts, whole = kin.RecordIndex(parts), kin.RecordIndex(index.load(tmp_path, fps, lambda fid: []))
    assert from_parts.frames.keys() == whole.frames.keys()
    for kind in whole.frames:
        pd.testing.assert_frame_equal(from_parts.frames[kind], whole.frames[kind], check_exact=True)
    assert from_parts.surname_freq == whole.surname_freq and from_parts.mmn_freq == whole.mmn_freq
