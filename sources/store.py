"""Store fetched records of a live source the way files are loaded: one SourceFile per fetch, all-or-nothing.

Records are validated with the same rules as record files (contract-1 columns, dates, whole numbers,
unique record ids); a fetch whose content hash was stored before is a no-op; otherwise records
replace those of the same source with the same record_id. Everything happens in one savepoint:
a bad record leaves the database exactly as it was.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, insert
from sqlmodel import Session, select

from sources.files import _validate_chunk
from sources.kinds import KIND_COLUMNS, KINDS
from tracing.errors import BadInput
from tracing.models import SourceFile, SourceRecord


@dataclass(frozen=True)
class StoreResult:
    """What one store did."""

    source: str
    kind: str
    rows: int
    already_stored: bool


def content_hash(records: list[dict]) -> str:
    """A stable hash of a fetch's records (order-independent)."""
    lines = sorted(json.dumps(r, sort_keys=True, default=str) for r in records)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def validate_records(source: str, kind: str, records: list[dict]) -> list[dict]:
    """Contract-1 records typed as `load_file` types them; BadInput names the source and record."""
    if kind not in KINDS:
        raise BadInput(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    columns = KIND_COLUMNS[kind]
    for n, r in enumerate(records):
        extra = sorted(set(r) - set(columns))
        if extra:
            raise BadInput(f"{source}: record {n + 1}: columns not in kind {kind}: {', '.join(extra)}")
    # Deduplicate by record_id: the same record reached by two queries is one record.
    unique = {str(r.get("record_id")): r for r in records if r.get("record_id") not in (None, "")}
    if len(unique) < len([r for r in records if r.get("record_id") not in (None, "")]):
        records = list(unique.values()) + [r for r in records if r.get("record_id") in (None, "")]
    frame = pd.DataFrame([{c: _as_text(r.get(c)) for c in columns} for r in records], columns=list(columns),
                         dtype=str)
    return _validate_chunk(Path(f"<{source}>"), kind, frame, first_line=1, seen=set())


def store_records(session: Session, source: str, kind: str, records: list[dict], origin: str) -> StoreResult:
    """Upsert one fetch's records of `source` in a single savepoint; returns what was done.

    `origin` says where the records came from (e.g. "api:https://host/search/officers"); it is stored
    as the SourceFile path and must not contain query values.
    """
    existing_kind = session.exec(select(SourceFile.kind).where(SourceFile.source == source)).first()
    if existing_kind is not None and existing_kind != kind:
        raise BadInput(f"source {source!r} already holds {existing_kind} records, not {kind}")
    rows = validate_records(source, kind, records)
    digest = content_hash(rows)
    done = session.exec(
        select(SourceFile).where(SourceFile.source == source, SourceFile.content_hash == digest)
    ).first()
    if done is not None:
        return StoreResult(source, kind, done.rows, already_stored=True)
    with session.begin_nested():
        source_file = SourceFile(source=source, kind=kind, path=origin, content_hash=digest, rows=len(rows))
        session.add(source_file)
        session.flush()
        ids = [r["record_id"] for r in rows]
        for start in range(0, len(ids), 1000):
            session.execute(delete(SourceRecord).where(
                SourceRecord.source == source, SourceRecord.record_id.in_(ids[start:start + 1000])))
        if rows:
            session.execute(insert(SourceRecord), [
                {"source_file_id": source_file.id, "source": source, "kind": kind,
                 "record_id": r["record_id"], "data": r} for r in rows
            ])
    return StoreResult(source, kind, len(rows), already_stored=False)
