"""A persisted mentions index: one parquet file per loaded record file, rebuilt only when that file changes.

`load` returns exactly what `prepare.mentions` would give for all records, but only the record files
that are new or changed since the last search are read and prepared again. A record file is known by
its id and a fingerprint (content hash, how many of its records are still held and the highest row id:
a newer file of the same source replaces records by id, which shrinks the older file's share). Files
are written to a temporary name and renamed, so a killed process never leaves a half-written index;
index files of record files no longer held are removed.

No database or application imports: the caller passes the fingerprints and a reader of one file's
records (see tracing/search.py).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from pipelines import prepare

INDEX_VERSION = "3"  # 2: forenames the name lists disagree on have no sex; 3: first_seen (directory)
"""Bump when prepare.mentions changes its output: every index file is then rebuilt."""

RecordReader = Callable[[int], Iterable[tuple[int, str, str, str, dict]]]
"""Reads one record file: (row id, source, kind, record_id, data) tuples; row ids order the loaded frame."""
_ROW = "_row"


def _name(file_id: int, fingerprint: str) -> str:
    digest = hashlib.sha256(f"{INDEX_VERSION}|{fingerprint}".encode()).hexdigest()[:16]
    return f"{file_id}-{digest}.parquet"


def _file_id(path: Path) -> int | None:
    head = path.name.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    """Write a mentions frame atomically (temporary file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_frame(path: Path) -> pd.DataFrame:
    """Read one index file back with the dtypes prepare.mentions gives."""
    frame = pd.read_parquet(path)
    for col in frame.columns:
        if frame[col].dtype == "string" or str(frame[col].dtype).startswith("large_string"):
            frame[col] = frame[col].astype(object)
    return frame


def refresh(directory: Path, fingerprints: Mapping[int, str], read_records: RecordReader) -> dict[str, int]:
    """Build index files for new or changed record files and drop those of files no longer held."""
    directory.mkdir(parents=True, exist_ok=True)
    wanted = {fid: directory / _name(fid, fp) for fid, fp in fingerprints.items()}
    built = removed = 0
    for fid, path in wanted.items():
        if not path.exists():
            rows = list(read_records(fid))
            frame = prepare.mentions(r[1:] for r in rows)
            frame[_ROW] = pd.array([r[0] for r in rows], dtype="int64")
            write_frame(frame, path)
            built += 1
    keep = {p.name for p in wanted.values()}
    for path in directory.glob("*.parquet"):
        if path.name not in keep and _file_id(path) is not None:
            path.unlink(missing_ok=True)
            removed += 1
    for tmp in directory.glob(".*.tmp"):  # left by a killed writer
        tmp.unlink(missing_ok=True)
    return {"built": built, "removed": removed, "files": len(wanted)}


def load(directory: Path, fingerprints: Mapping[int, str], read_records: RecordReader) -> pd.DataFrame:
    """The mentions of every held record in row-id order (as the database holds them), refreshing first."""
    refresh(directory, fingerprints, read_records)
    frames = [read_frame(directory / _name(fid, fingerprints[fid])) for fid in sorted(fingerprints)]
    frames = [f for f in frames if len(f)]
    if not frames:
        return prepare.mentions([])
    frame = frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)
    order = np.argsort(frame[_ROW].to_numpy(), kind="stable")
    return frame.drop(columns=[_ROW]).iloc[order].reset_index(drop=True)


def load_parts(directory: Path, fingerprints: Mapping[int, str], read_records: RecordReader) -> list[pd.DataFrame]:
    """The mentions per held record file (each in row-id order), refreshing first.

    A search index built from the parts never holds a second, concatenated copy of every record."""
    refresh(directory, fingerprints, read_records)
    parts = []
    for fid in sorted(fingerprints):
        frame = read_frame(directory / _name(fid, fingerprints[fid]))
        if len(frame):
            order = np.argsort(frame[_ROW].to_numpy(), kind="stable")
            parts.append(frame.drop(columns=[_ROW]).iloc[order].reset_index(drop=True))
    return parts
