"""The child's family network: growth figures (known at intake → found → verified) and GEDCOM 5.5.1.

GEDCOM carries names, sex, birth years, deaths and relationships only: never an address or place,
so an undisclosable location cannot leave through it. Rejected candidates are left out; blocked
people are kept (a genogram shows the whole family) and marked "do not contact".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlmodel import Session, select

from tracing.models import Case, Child, SeedPerson
from tracing.review import queue
from tracing.vocabulary import FAMILY_RELATIONSHIPS

_FEMALE = {"mother", "grandmother", "sister", "half_sister", "aunt"}
_MALE = {"father", "grandfather", "brother", "half_brother", "uncle"}


def _base(relationship: str) -> str:
    return relationship.removeprefix("maternal_").removeprefix("paternal_")


def growth(session: Session, case: Case) -> dict[str, int]:
    """Network size at intake (family the seed names), found (candidates not rejected) and verified."""
    seeds = session.exec(select(SeedPerson).where(SeedPerson.case_id == case.id)).all()
    items = queue(session, case)
    return {
        "known_at_intake": sum(1 for p in seeds if p.relationship in FAMILY_RELATIONSHIPS),
        "found": sum(1 for c in items if c["status"] != "rejected"),
        "verified": sum(1 for c in items if c["status"] == "verified"),
    }


def _gedcom_name(name: str) -> str:
    words = name.split()
    if not words:
        return "/ /"
    return f"{' '.join(words[:-1])} /{words[-1].upper()}/".strip()


def _text(value: str) -> str:
    # GEDCOM lines may not start a value with "@" unescaped, and carry no newlines.
    return " ".join(value.replace("@", "@@").split())


def gedcom(reference: str, child: Child | None, items: Sequence[dict[str, Any]], today: date | None = None) -> str:
    """The network as GEDCOM 5.5.1 (lineage-linked, UTF-8)."""
    today = today or date.today()
    people = [c for c in items if c["status"] != "rejected"]
    lines = ["0 HEAD", "1 SOUR TRACING", "2 VERS 0.1", "2 NAME tracing family finding", "1 GEDC", "2 VERS 5.5.1",
             "2 FORM LINEAGE-LINKED", "1 CHAR UTF-8", f"1 DATE {today.strftime('%d %b %Y').upper()}",
             f"1 NOTE Family network of case {_text(reference)}; synthetic or verified data only; no addresses."]
    ids: dict[str, str] = {"child": "@I0@"}
    indi: list[list[str]] = []
    child_name = f"{child.forenames or ''} {child.surname or ''}".strip() if child else ""
    record = ["0 @I0@ INDI", f"1 NAME {_gedcom_name(_text(child_name) or 'the child')}",
              f"1 SEX {child.sex if child and child.sex in ('M', 'F') else 'U'}"]
    if child and child.date_of_birth:
        record += ["1 BIRT", f"2 DATE {child.date_of_birth.strftime('%d %b %Y').upper()}"]
    indi.append(record)
    for n, c in enumerate(people, start=1):
        ids[c["id"]] = f"@I{n}@"
        base = _base(c["relationship"])
        sex = "F" if base.removeprefix("grand") in _FEMALE or base in _FEMALE else (
            "M" if base in _MALE else "U")
        record = [f"0 @I{n}@ INDI", f"1 NAME {_gedcom_name(_text(c.get('name') or c['id']))}", f"1 SEX {sex}"]
        if c["deceased"]:
            record.append("1 DEAT Y")
        record.append(f"1 NOTE {c['relationship'].replace('_', ' ')} of the child; candidate {c['id']}, "
                      f"{c['status']}, score {c['score']:.2f}" + ("; DO NOT CONTACT" if c["blocked"] else ""))
        indi.append(record)

    def who(*relationships: str) -> list[str]:
        return [ids[c["id"]] for c in people if c["relationship"] in relationships]

    families: list[tuple[list[str], list[str], list[str], str]] = []  # husbands, wives, children, note
    families.append((who("father")[:1], who("mother")[:1], ["@I0@", *who("sister", "brother")], "the child's parents"))
    if who("half_sister", "half_brother"):
        families.append(([], who("mother")[:1], who("half_sister", "half_brother"), "the mother's other children"))
    for side in ("maternal", "paternal"):
        parent = who("mother" if side == "maternal" else "father")[:1]
        families.append((who(f"{side}_grandfather")[:1], who(f"{side}_grandmother")[:1],
                         parent + who(f"{side}_aunt", f"{side}_uncle"), f"{side} grandparents"))
        cousins = who(f"{side}_cousin")
        if cousins:
            families.append(([], [], cousins, f"{side} cousins: children of the {side} aunts and uncles"))
    fams: list[list[str]] = []
    links: dict[str, list[str]] = {}
    for k, (husbands, wives, children, note) in enumerate(f for f in families if sum(map(len, f[:3])) > 1):
        fam = f"@F{k + 1}@"
        record = [f"0 {fam} FAM"] + [f"1 HUSB {h}" for h in husbands] + [f"1 WIFE {w}" for w in wives]
        record += [f"1 CHIL {c}" for c in children] + [f"1 NOTE {note}"]
        fams.append(record)
        for h in husbands + wives:
            links.setdefault(h, []).append(f"1 FAMS {fam}")
        for c in children:
            links.setdefault(c, []).append(f"1 FAMC {fam}")
    for record in indi:
        record.extend(links.get(record[0].split()[1], []))
    lines += [line for record in indi + fams for line in record]
    lines.append("0 TRLR")
    return "\n".join(lines) + "\n"
