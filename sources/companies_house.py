"""Companies House public data API: officer search, then each matching officer's appointments.

`GET /search/officers?q=Forename SURNAME` returns `items` (title, date_of_birth {month, year}, address,
appointment_count, links.self = "/officers/{id}/appointments"); the appointments list returns
`items[]` with name, appointed_on, resigned_on, occupation, address and appointed_to.company_number.
Each appointment becomes one contract-1 `company_officers` record. Authentication is HTTP basic with
the API key as user name. Only surname and forename are sent; the birth year filters locally.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sources.client import SourceClient, SourceFailed

SEARCH_PATH = "/search/officers"
MAX_OFFICERS = 8  # officers whose appointments we read per query: the closest matches only


def search_params(query: Mapping[str, str], items_per_page: int = 50) -> dict[str, str]:
    """Query parameters of an officer search from a guarded query (forename and surname only)."""
    q = " ".join(v for v in (query.get("forename"), query.get("surname")) if v)
    return {"q": q, "items_per_page": str(min(items_per_page, 100))}


def parse_search(payload: Any, birth_year: int | None = None, slack: int = 1) -> list[str]:
    """Appointment-list paths of the officers in a search answer, filtered by birth year when known."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items", []), list):
        raise SourceFailed("companies_house: search answer has no items list")
    paths = []
    for item in payload.get("items", []):
        if not isinstance(item, dict):
            continue
        link = (item.get("links") or {}).get("self")
        if not isinstance(link, str) or "/officers/" not in link:
            continue
        year = (item.get("date_of_birth") or {}).get("year")
        if birth_year and isinstance(year, int) and abs(year - birth_year) > slack:
            continue
        paths.append(link)
    return paths


def _address(addr: Any) -> tuple[str | None, str | None, str | None]:
    if not isinstance(addr, dict):
        return None, None, None
    first = " ".join(str(addr[k]).strip() for k in ("premises", "address_line_1") if addr.get(k))
    lines = [x for x in (first, (addr.get("address_line_2") or "").strip()) if x]
    return (", ".join(lines) or None, (addr.get("locality") or "").strip() or None,
            (addr.get("postal_code") or "").strip().upper() or None)


def _name(item: dict, fallback: str | None) -> str | None:
    elements = item.get("name_elements")
    if isinstance(elements, dict) and elements.get("surname"):
        fn = " ".join(x for x in (elements.get("forename"), elements.get("other_forenames")) if x)
        return f"{elements['surname'].upper()}, {fn}".strip().rstrip(",")
    name = item.get("name") or fallback
    if isinstance(name, str) and "," not in name and name.split():
        *fn, sn = name.split()  # "Forenames SURNAME" -> "SURNAME, Forenames"
        return f"{sn.upper()}, {' '.join(fn)}".rstrip(", ")
    return name if isinstance(name, str) else None


def _officer_id(payload: dict) -> str:
    link = (payload.get("links") or {}).get("self") or ""
    parts = [p for p in str(link).split("/") if p]
    return parts[parts.index("officers") + 1] if "officers" in parts and parts.index("officers") + 1 < len(parts) \
        else "unknown"


def _month(value: Any) -> int | None:
    return value if isinstance(value, int) and 1 <= value <= 12 else None


def parse(payload: Any) -> list[dict]:
    """Contract-1 `company_officers` records from one officer's appointments answer (pure)."""
    if not isinstance(payload, dict) or not isinstance(payload.get("items"), list):
        raise SourceFailed("companies_house: appointments answer has no items list")
    dob = payload.get("date_of_birth") or {}
    officer = _officer_id(payload)
    records = []
    for n, item in enumerate(payload["items"]):
        if not isinstance(item, dict):
            continue
        company = (item.get("appointed_to") or {}).get("company_number") or str(n)
        address, town, postcode = _address(item.get("address"))
        year = dob.get("year") if isinstance(dob, dict) else None
        records.append({
            "record_id": f"{officer}:{company}:{item.get('appointed_on') or n}"[:64],
            "name": _name(item, payload.get("name")),
            "birth_month": _month(dob.get("month")) if isinstance(dob, dict) else None,
            "birth_year": year if isinstance(year, int) else None,
            "address": address, "town": town, "postcode": postcode,
            "appointed_on": item.get("appointed_on"), "resigned_on": item.get("resigned_on"),
            "occupation": item.get("occupation"),
        })
    return records


def fetch(query: Mapping[str, str], client: SourceClient, birth_year: int | None = None) -> list[dict]:
    """Search officers by name, then read the appointments of the closest matches (birth year local only)."""
    fields = tuple(sorted(query))
    found = client.get(SEARCH_PATH, search_params(query, client.entry.max_results), fields=fields)
    if found.status == 404:
        return []
    records: list[dict] = []
    for path in parse_search(found.json(), birth_year)[:MAX_OFFICERS]:
        answer = client.get(path)
        if answer.status != 404:
            records.extend(parse(answer.json()))
    return records
