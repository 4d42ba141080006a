"""Load standard record files (contract 1) into source_records: chunked, all-or-nothing, idempotent."""

from __future__ import annotations

import csv
import hashlib
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import delete, func, insert
from sqlmodel import Session, select

from sources.kinds import DATE_COLUMNS, INT_COLUMNS, KIND_COLUMNS, KINDS
from tracing.errors import BadInput
from tracing.models import SourceFile, SourceRecord

CHUNK_ROWS = 5_000


@dataclass(frozen=True)
class LoadResult:
    source: str
    kind: str
    rows: int
    already_loaded: bool


def write_records_csv(path: Path, kind: str, rows: list[dict]) -> Path:
    """Write record dicts as a standard record file of `kind` (contract 1 columns; missing cells empty)."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=KIND_COLUMNS[kind])
        writer.writeheader()
        for row in rows:
            writer.writerow({c: "" if row.get(c) is None else row.get(c) for c in KIND_COLUMNS[kind]})
    return path


def read_mapping(path: Path) -> dict[str, str]:
    """A TOML mapping file: `[columns]` table of `their_column = "our_column"`."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BadInput(f"{path}: cannot read mapping: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BadInput(f"{path}: not valid TOML: {exc}") from exc
    columns = data.get("columns")
    if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
        raise BadInput(f"{path}: needs a [columns] table of their_column = \"our_column\" strings")
    return dict(columns)


def _file_hash(path: Path, mapping: dict[str, str] | None) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    if mapping:
        digest.update(repr(sorted(mapping.items())).encode())
    return digest.hexdigest()


def _read_header(path: Path) -> list[str]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except OSError as exc:
        raise BadInput(f"{path}: cannot read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: line 1: not UTF-8 text") from exc
    if not header:
        raise BadInput(f"{path}: line 1: the file is empty; a header row is needed")
    return [h.strip() for h in header]


def _check_header(path: Path, kind: str, header: list[str], mapping: dict[str, str]) -> dict[str, str]:
    renamed = {col: mapping.get(col, col) for col in header}
    unknown_targets = sorted(set(mapping.values()) - set(KIND_COLUMNS[kind]))
    if unknown_targets:
        raise BadInput(f"mapping renames onto columns that {kind} does not have: {', '.join(unknown_targets)}")
    missing = [c for c in KIND_COLUMNS[kind] if c not in renamed.values()]
    if missing:
        raise BadInput(
            f"{path}: line 1: missing column(s) for kind {kind}: {', '.join(missing)}",
            [f"expected columns: {', '.join(KIND_COLUMNS[kind])}"],
        )
    return renamed


def _validate_chunk(path: Path, kind: str, chunk: pd.DataFrame, first_line: int, seen: set[str]) -> list[dict]:
    """Turn a chunk into record dicts, or raise BadInput naming file, line and column."""
    problems: list[str] = []
    rows: list[dict] = []
    columns = KIND_COLUMNS[kind]
    for offset, values in enumerate(chunk[list(columns)].itertuples(index=False, name=None)):
        line = first_line + offset
        record: dict[str, object] = {}
        for col, raw in zip(columns, values, strict=True):
            value = raw.strip() if isinstance(raw, str) else None
            value = value or None
            if value is not None and col in DATE_COLUMNS:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    problems.append(f"{path}: line {line}, column {col}: {value!r} is not a date (YYYY-MM-DD)")
            elif value is not None and col in INT_COLUMNS:
                lo, hi = INT_COLUMNS[col]
                if not value.isdigit() or not lo <= int(value) <= hi:
                    problems.append(f"{path}: line {line}, column {col}: {value!r} is not a whole number {lo}-{hi}")
                else:
                    value = int(value)
            record[col] = value
        rid = record["record_id"]
        if rid is None:
            problems.append(f"{path}: line {line}, column record_id: empty; every record needs an id")
        elif rid in seen:
            problems.append(f"{path}: line {line}, column record_id: {rid!r} appears twice in the file")
        else:
            seen.add(str(rid))
        rows.append(record)
        if len(problems) >= 20:
            break
    if problems:
        raise BadInput(problems[0], problems[1:])
    return rows


def load_file(
    session: Session,
    source: str,
    kind: str,
    path: Path,
    mapping_path: Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> LoadResult:
    """Load one CSV file of `kind` under source `source` in the caller's transaction.

    Raises BadInput before anything is committed; the caller's rollback leaves the database as it was.
    """
    path = Path(path)
    if kind not in KINDS:
        raise BadInput(f"unknown kind {kind!r}; use one of: {', '.join(KINDS)}")
    if not source or not source.replace("_", "").replace("-", "").isalnum():
        raise BadInput(f"source name {source!r} must be letters, digits, '-' or '_'")
    if not path.is_file():
        raise BadInput(f"{path}: no such file")
    mapping = read_mapping(mapping_path) if mapping_path else {}
    existing_kind = session.exec(select(SourceFile.kind).where(SourceFile.source == source)).first()
    if existing_kind is not None and existing_kind != kind:
        raise BadInput(f"source {source!r} already holds {existing_kind} records, not {kind}")

    content_hash = _file_hash(path, mapping)
    done = session.exec(
        select(SourceFile).where(SourceFile.source == source, SourceFile.content_hash == content_hash)
    ).first()
    if done is not None:
        return LoadResult(source, kind, done.rows, already_loaded=True)

    renamed = _check_header(path, kind, _read_header(path), mapping)
    source_file = SourceFile(source=source, kind=kind, path=str(path.resolve()), content_hash=content_hash)
    session.add(source_file)
    session.flush()

    seen: set[str] = set()
    total = 0
    try:
        reader = pd.read_csv(
            path, dtype=str, keep_default_na=False, chunksize=CHUNK_ROWS, encoding="utf-8-sig",
            skipinitialspace=False,
        )
        for chunk in reader:
            chunk = chunk.rename(columns=lambda c: renamed.get(c.strip(), c.strip()))
            rows = _validate_chunk(path, kind, chunk, first_line=total + 2, seen=seen)
            ids = [r["record_id"] for r in rows]
            # A newer file of the same source replaces records it shares ids with.
            session.execute(
                delete(SourceRecord).where(SourceRecord.source == source, SourceRecord.record_id.in_(ids))
            )
            session.execute(
                insert(SourceRecord),
                [
                    {"source_file_id": source_file.id, "source": source, "kind": kind,
                     "record_id": r["record_id"], "data": r}
                    for r in rows
                ],
            )
            total += len(rows)
            if progress:
                progress(len(rows))
    except UnicodeDecodeError as exc:
        raise BadInput(f"{path}: line {total + 2}: not UTF-8 text") from exc
    except pd.errors.ParserError as exc:
        raise BadInput(f"{path}: not a well-formed CSV: {exc}") from exc
    source_file.rows = total
    session.add(source_file)
    session.flush()
    return LoadResult(source, kind, total, already_loaded=False)


def list_sources(session: Session) -> list[dict[str, object]]:
    """Each loaded source: name, kind, files loaded and records held now."""
    files = session.exec(
        select(SourceFile.source, SourceFile.kind, func.count()).group_by(SourceFile.source, SourceFile.kind)
        .order_by(SourceFile.source)
    ).all()
    held = dict(session.exec(select(SourceRecord.source, func.count()).group_by(SourceRecord.source)).all())
    return [{"source": src, "kind": kind, "files": n, "rows": held.get(src, 0)} for src, kind, n in files]
