"""The Gazette: deceased estates notices (notice code 2904) as `probate`-kind records.

We search the notice feed (`/all-notices/notice/data.json`, or `data.feed` for Atom) with
`text=Forename SURNAME` and `noticetype=2904`. Each entry has `id` (the notice URL), `title`,
`published` and `content`; the content of a deceased estates notice carries the deceased's details
as labelled fields (surname, first names, address, date of death). The notice's publication date
stands in for the contract's `grant_date`: a deceased estates notice is published by the personal
representatives, usually around the grant. See docs/sources.md for the assumptions.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sources.client import SourceClient, SourceFailed

FEED_PATH = "/all-notices/notice/data.json"
DECEASED_ESTATES = "2904"
_ATOM = "{http://www.w3.org/2005/Atom}"
_POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?\s*[0-9][A-Z]{2})\b", re.IGNORECASE)
_LABELS = {
    "surname": "surname", "last name": "surname", "first names": "forenames", "first name": "forenames",
    "forenames": "forenames", "forename": "forenames", "first name(s)": "forenames",
    "address": "address", "address of deceased": "address", "late of": "address",
    "date of death": "date_of_death",
}


def search_params(query: Mapping[str, str], page: int = 1, page_size: int = 50) -> dict[str, str]:
    """Feed parameters from a guarded query (forename and surname only)."""
    text = " ".join(v for v in (query.get("forename"), query.get("surname")) if v)
    return {"text": text, "noticetype": DECEASED_ESTATES, "results-page": str(page),
            "results-page-size": str(min(page_size, 100))}


def _iso(value: str | None) -> str | None:
    """An ISO date from '2024-06-20', '2024-06-20T00:00:00Z', '20 June 2024' or '20/06/2024'."""
    if not value:
        return None
    value = value.strip()
    for fmt in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y"):
        try:
            return datetime.strptime(value[:10] if fmt == "%Y-%m-%d" else value, fmt).date().isoformat()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return None


def _fields(content: str) -> dict[str, str]:
    """Labelled fields of a notice body: <dt>/<dd> pairs or 'Label: value' lines."""
    found: dict[str, str] = {}
    for label, value in re.findall(r"<dt[^>]*>(.*?)</dt>\s*<dd[^>]*>(.*?)</dd>", content, re.S | re.I):
        found.setdefault(html.unescape(re.sub(r"<[^>]+>", "", label)).strip().casefold(),
                         html.unescape(re.sub(r"<[^>]+>", " ", value)).strip())
    text = html.unescape(re.sub(r"<[^>]+>", "\n", content))
    for line in text.splitlines():
        if ":" in line:
            label, value = line.split(":", 1)
            found.setdefault(label.strip().casefold(), value.strip())
    return {_LABELS[k]: " ".join(v.split()) for k, v in found.items() if k in _LABELS and v.strip()}


def _split_address(full: str | None) -> tuple[str | None, str | None, str | None]:
    if not full:
        return None, None, None
    m = _POSTCODE.search(full)
    postcode = m.group(1).upper() if m else None
    rest = _POSTCODE.sub("", full) if m else full
    parts = [p.strip() for p in rest.split(",") if p.strip()]
    if len(parts) >= 2:
        return ", ".join(parts[:-1]), parts[-1], postcode
    return (parts[0] if parts else None), None, postcode


def _record(notice_id: str, title: str | None, published: str | None, content: str, code: str | None) -> dict | None:
    if code is not None and str(code) != DECEASED_ESTATES:
        return None
    f = _fields(content)
    surname, forenames = f.get("surname"), f.get("forenames")
    if not surname and title and "," in title:
        surname, forenames = (x.strip() for x in title.split(",", 1))
    if not surname:
        return None
    address, town, postcode = _split_address(f.get("address"))
    return {
        "record_id": notice_id[:64], "surname": surname.upper(), "forenames": forenames or None,
        "date_of_death": _iso(f.get("date_of_death")), "address": address, "town": town,
        "postcode": postcode, "grant_date": _iso(published),
    }


def _notice_id(raw: Any) -> str:
    return str(raw).rstrip("/").rsplit("/", 1)[-1]


def _parse_atom(text: str) -> list[dict]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise SourceFailed("gazette: the feed is not well-formed XML") from exc
    if root.tag != f"{_ATOM}feed":
        raise SourceFailed("gazette: the answer is not an Atom feed")
    out = []
    for entry in root.findall(f"{_ATOM}entry"):
        code = next((el.text for el in entry if el.tag.endswith("notice-code")), None)
        rec = _record(_notice_id(entry.findtext(f"{_ATOM}id", "")), entry.findtext(f"{_ATOM}title"),
                      entry.findtext(f"{_ATOM}published"), entry.findtext(f"{_ATOM}content", ""), code)
        if rec:
            out.append(rec)
    return out


def parse(payload: Any) -> list[dict]:
    """Contract-1 `probate` records from a feed answer: JSON (dict) or Atom (str/bytes). Pure."""
    if isinstance(payload, bytes):
        payload = payload.decode("utf-8", "replace")
    if isinstance(payload, str):
        return _parse_atom(payload)
    if not isinstance(payload, dict):
        raise SourceFailed("gazette: the feed answer is not an object")
    entries = payload.get("entry", [])
    if isinstance(entries, dict):  # a feed of one entry
        entries = [entries]
    if not isinstance(entries, list):
        raise SourceFailed("gazette: the feed has no entry list")
    out = []
    for e in entries:
        if not isinstance(e, dict) or not e.get("id"):
            continue
        content = e.get("content")
        content = content.get("#text", "") if isinstance(content, dict) else (content or "")
        rec = _record(_notice_id(e["id"]), e.get("title"), e.get("published"), str(content), e.get("f:notice-code"))
        if rec:
            out.append(rec)
    return out


def fetch(query: Mapping[str, str], client: SourceClient, birth_year: int | None = None, max_pages: int = 3
          ) -> list[dict]:
    """Read the feed page by page; a death before the person's birth year is dropped locally."""
    fields = tuple(sorted(query))
    records: list[dict] = []
    for page in range(1, max_pages + 1):
        found = client.get(FEED_PATH, search_params(query, page, client.entry.max_results), fields=fields)
        if found.status == 404:
            break
        payload = found.json()
        batch = parse(payload)
        records.extend(batch)
        total = payload.get("f:total") if isinstance(payload, dict) else None
        size = min(client.entry.max_results, 100)
        if not str(total or "").isdigit() or page * size >= int(total):
            break
    if birth_year:
        records = [r for r in records if not r["date_of_death"] or date.fromisoformat(r["date_of_death"]).year
                   >= birth_year]
    return records
