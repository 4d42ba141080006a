"""Seeded generator of a labelled pair set for the matchers benchmark (synthetic names only).

Each row is one pair aimed at one field (``field``: forenames, surname,
birth_date or place) with a ``category`` and a ground-truth ``label``
(1 = same person, 0 = different people).  Columns follow the comparison
convention ``{column}_l`` / ``{column}_r``; columns of other fields are empty.

Label decisions (documented because they are judgement calls):
- Different registered names that look alike (Jon/Joan, Christine/Christina,
  Paul/Paula, Harris/Harrison) are *different people* (label 0).  Our levels
  will often put them at "typo"; that cost shows up as lower "above else"
  precision, on purpose.
- Siblings share a surname and birthplace but have different forenames and birth
  dates a year or more apart: label 0 on the forenames and birth-date fields.
- Place pairs labelled 1 are the same person's place written two ways (town vs
  its registration district, neighbouring districts after a move); label 0 are
  unrelated towns.
"""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd

from matchers.dates import (
    day_number,
    from_day_number,
    interval_from_age,
    interval_from_registration_quarter,
)
from matchers.places import gazetteer


def _words(text: str) -> list[str]:
    """Split a space-separated literal list."""
    return text.split()


FORENAMES = _words(
    "JAMES JOHN ROBERT MICHAEL WILLIAM DAVID RICHARD JOSEPH THOMAS CHARLES CHRISTOPHER DANIEL "
    "MATTHEW ANTHONY MARK DONALD STEVEN PAUL ANDREW KENNETH GEORGE BRIAN EDWARD RONALD TIMOTHY "
    "JASON JEFFREY GARY NICHOLAS ERIC STEPHEN JONATHAN LARRY SCOTT FRANK DEAN GRAHAM CRAIG "
    "DARREN LEE WAYNE KEITH NEIL COLIN TREVOR GORDON IAN ALAN BARRY DEREK TERENCE SHAUN "
    "MARY PATRICIA JENNIFER LINDA ELIZABETH BARBARA SUSAN JESSICA SARAH KAREN NANCY LISA "
    "MARGARET SANDRA ASHLEY DOROTHY KIMBERLY EMILY DONNA MICHELLE CAROL AMANDA MELISSA DEBORAH "
    "STEPHANIE REBECCA LAURA SHARON CYNTHIA KATHLEEN AMY SHIRLEY ANGELA HELEN ANNA BRENDA "
    "PAMELA NICOLA SAMANTHA KATHERINE CHRISTINE DEBRA RACHEL CAROLYN JANET CATHERINE MARIA "
    "HEATHER DIANE JULIE JOYCE VICTORIA KELLY CHRISTINA JOAN EVELYN LAUREN JUDITH OLIVIA "
    "TRACEY JOANNE KERRY LESLEY JACQUELINE GILLIAN BEVERLEY MAUREEN PAULINE SHEILA"
)

SURNAMES = _words(
    "SMITH JONES WILLIAMS TAYLOR BROWN DAVIES EVANS WILSON THOMAS JOHNSON ROBERTS ROBINSON "
    "THOMPSON WRIGHT WALKER WHITE EDWARDS HUGHES GREEN HALL LEWIS HARRIS CLARKE PATEL JACKSON "
    "WOOD TURNER MARTIN COOPER HILL WARD MORRIS MOORE CLARK LEE KING BAKER HARRISON MORGAN "
    "ALLEN JAMES SCOTT PHILLIPS WATSON DAVIS PARKER PRICE BENNETT YOUNG GRIFFITHS MITCHELL "
    "KELLY COOK CARTER RICHARDSON BAILEY COLLINS BELL SHAW MURPHY MILLER COX RICHARDS KHAN "
    "MARSHALL ANDERSON SIMPSON ELLIS ADAMS SINGH BEGUM WILKINSON FOSTER CHAPMAN POWELL WEBB "
    "ROGERS GRAY MASON ALI HUNT HUSSAIN CAMPBELL MATTHEWS OWEN PALMER HOLMES MILLS BARNES "
    "KNIGHT LLOYD BUTLER RUSSELL BARKER FISHER STEVENS JENKINS MURRAY DIXON HARVEY GRAHAM"
)

# Formal name -> British diminutive, written from general knowledge (not read from our tables).
DIMINUTIVES: tuple[tuple[str, str], ...] = (
    ("CHRISTINE", "CHRISSIE"), ("MARGARET", "PEGGY"), ("MARGARET", "MAGGIE"), ("WILLIAM", "BILL"),
    ("WILLIAM", "BILLY"), ("WILLIAM", "WILL"), ("ROBERT", "BOB"), ("ROBERT", "ROB"),
    ("ROBERT", "BOBBY"), ("RICHARD", "DICK"), ("RICHARD", "RICHIE"), ("ELIZABETH", "LIZ"),
    ("ELIZABETH", "BETTY"), ("ELIZABETH", "BETH"), ("ELIZABETH", "LIZZIE"), ("JAMES", "JIM"),
    ("JAMES", "JIMMY"), ("JAMES", "JAMIE"), ("JOHN", "JACK"), ("JOHN", "JOHNNY"),
    ("EDWARD", "TED"), ("EDWARD", "EDDIE"), ("EDWARD", "NED"), ("HENRY", "HARRY"),
    ("ANTHONY", "TONY"), ("TERENCE", "TEL"), ("TERENCE", "TERRY"), ("DEREK", "DEL"),
    ("BARRY", "BAZ"), ("GARY", "GAZ"), ("SHARON", "SHAZ"), ("KERRY", "KEZ"),
    ("ALEXANDER", "SANDY"), ("ALEXANDER", "ALEX"), ("ALEXANDER", "ALEC"), ("ANN", "NAN"),
    ("ANNE", "ANNIE"), ("HELEN", "NELL"), ("ELEANOR", "NELLIE"), ("CATHERINE", "KATE"),
    ("CATHERINE", "CATH"), ("KATHERINE", "KATIE"), ("KATHLEEN", "KATH"), ("SUSAN", "SUE"),
    ("SUSAN", "SUSIE"), ("PATRICIA", "PAT"), ("PATRICIA", "TRICIA"), ("PATRICK", "PADDY"),
    ("DEBORAH", "DEBBIE"), ("REBECCA", "BECKY"), ("VICTORIA", "VICKY"), ("JENNIFER", "JENNY"),
    ("MICHAEL", "MICK"), ("MICHAEL", "MIKE"), ("NICHOLAS", "NICK"), ("NICOLA", "NICKY"),
    ("STEPHEN", "STEVE"), ("THOMAS", "TOM"), ("THOMAS", "TOMMY"), ("TIMOTHY", "TIM"),
    ("DANIEL", "DANNY"), ("SAMANTHA", "SAM"), ("SAMUEL", "SAMMY"), ("JOSEPH", "JOE"),
    ("DOROTHY", "DOT"), ("DOROTHY", "DOLLY"), ("MARY", "MOLLY"), ("MARY", "POLLY"),
    ("SARAH", "SALLY"), ("FREDERICK", "FRED"), ("ALFRED", "ALF"), ("CHARLES", "CHARLIE"),
    ("JACQUELINE", "JACKIE"), ("AMANDA", "MANDY"), ("PHILIP", "PHIL"), ("KENNETH", "KEN"),
    ("RONALD", "RON"), ("LEONARD", "LENNY"), ("DONALD", "DON"), ("ANDREW", "ANDY"),
    ("DAVID", "DAVE"), ("MATTHEW", "MATT"), ("BENJAMIN", "BEN"), ("CHRISTOPHER", "CHRIS"),
    ("ABIGAIL", "ABBY"), ("ANGELA", "ANGIE"), ("BEVERLEY", "BEV"), ("GERALD", "GERRY"),
    ("FRANCES", "FRAN"), ("JOSEPHINE", "JOSIE"), ("ISABEL", "IZZY"), ("WINIFRED", "WINNIE"),
)

SPELLING_VARIANTS: tuple[tuple[str, str], ...] = (
    ("CATHERINE", "KATHRYN"), ("STEPHEN", "STEVEN"), ("PHILIP", "PHILLIP"),
    ("JEFFREY", "GEOFFREY"), ("SEAN", "SHAUN"), ("LEANNE", "LIANNE"), ("ZOE", "ZOEY"),
    ("AIDEN", "AIDAN"), ("MOHAMMED", "MUHAMMAD"), ("ALLAN", "ALAN"), ("LESLEY", "LESLIE"),
    ("TRACEY", "TRACY"), ("CARL", "KARL"), ("JAYDEN", "JADEN"), ("NEIL", "NEAL"),
    ("SHANNON", "SHANON"), ("JOHANNA", "JOANNA"), ("CAROLINE", "CAROLYN"), ("KIRSTY", "KIRSTIE"),
    ("CLAIRE", "CLARE"), ("ASHLEY", "ASHLEIGH"), ("BRIAN", "BRYAN"), ("ELLIOT", "ELLIOTT"),
)

CONFUSABLE_FORENAMES: tuple[tuple[str, str], ...] = (
    ("JON", "JOAN"), ("CHRISTINE", "CHRISTINA"), ("PAUL", "PAULA"), ("LOUIS", "LOUISE"),
    ("DANIEL", "DANIELLE"), ("JAMES", "JANE"), ("ANNA", "HANNAH"), ("MARIA", "MARIO"),
    ("JOHN", "JOAN"), ("GEORGE", "GEORGINA"), ("ROBERT", "ROBERTA"), ("JULIAN", "JULIA"),
    ("KAREN", "KIERAN"), ("DEAN", "DEANNA"), ("MARK", "MARTHA"), ("CARL", "CAROL"),
    ("TOM", "TIM"), ("AMY", "AMIR"), ("LEE", "LEAH"), ("ERIC", "ERICA"),
)

SURNAME_VARIANTS: tuple[tuple[str, str], ...] = (
    ("SMITH", "SMYTH"), ("THOMPSON", "THOMSON"), ("MACDONALD", "MCDONALD"), ("CLARK", "CLARKE"),
    ("GREY", "GRAY"), ("PHILIPS", "PHILLIPS"), ("REID", "REED"), ("MATTHEWS", "MATHEWS"),
    ("STEPHENS", "STEVENS"), ("DAVIES", "DAVIS"), ("BROWN", "BROWNE"), ("ANDERSON", "ANDERSEN"),
    ("NICHOLSON", "NICOLSON"), ("O'NEILL", "ONEIL"), ("MACKENZIE", "MCKENZIE"),
    ("HUSSAIN", "HUSSEIN"), ("CHOUDHURY", "CHOWDHURY"),
)

CONFUSABLE_SURNAMES: tuple[tuple[str, str], ...] = (
    ("HARRIS", "HARRISON"), ("ROBERTS", "ROBERTSON"), ("WILLIAMS", "WILLIAMSON"),
    ("DAVIES", "DAVIDSON"), ("JOHNSON", "JOHNSTON"), ("RICHARDS", "RICHARDSON"),
    ("WATTS", "WATSON"), ("MARSH", "MARSHALL"), ("HILL", "HILLS"), ("PARKER", "PARKES"),
)

# (town, its registration district) and (town, neighbouring town) pairs; London and big cities.
PLACE_DISTRICT: tuple[tuple[str, str], ...] = (
    ("Stratford", "Newham"), ("East Ham", "Newham"), ("Forest Gate", "Newham"),
    ("Dalston", "Hackney"), ("Stoke Newington", "Hackney"), ("Bethnal Green", "Tower Hamlets"),
    ("Poplar", "Tower Hamlets"), ("Brixton", "Lambeth"), ("Peckham", "Southwark"),
    ("Walthamstow", "Waltham Forest"), ("Tottenham", "Haringey"), ("Ilford", "Redbridge"),
    ("Handsworth", "Birmingham"), ("Moss Side", "Manchester"), ("Toxteth", "Liverpool"),
    ("Govan", "Glasgow"), ("Woolwich", "Greenwich"), ("Wembley", "Brent"),
)
PLACE_NEARBY: tuple[tuple[str, str], ...] = (
    ("Stratford", "Leyton"), ("Walthamstow", "Leytonstone"), ("Hackney", "Islington"),
    ("Brixton", "Clapham"), ("Croydon", "Sutton"), ("Salford", "Manchester"),
    ("Bootle", "Liverpool"), ("Gateshead", "Newcastle upon Tyne"), ("Hove", "Brighton"),
    ("Wolverhampton", "Walsall"), ("Oldham", "Rochdale"), ("Luton", "Dunstable"),
    ("Reading", "Wokingham"), ("Paisley", "Glasgow"), ("Cardiff", "Penarth"),
    ("Rotherham", "Sheffield"), ("Stockport", "Manchester"), ("Ilford", "Romford"),
)
PLACE_TOWNS = _words(
    "Leeds Bristol Sheffield Bradford Leicester Coventry Nottingham Hull Plymouth Derby "
    "Southampton Portsmouth Norwich Exeter York Swansea Aberdeen Dundee Inverness Carlisle "
    "Lincoln Ipswich Cambridge Oxford Gloucester Worcester Chester Preston Blackpool Bolton "
    "Middlesbrough Sunderland Durham Peterborough Northampton Bedford Swindon Bath Truro"
)

_KEYBOARD = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_OCR_SLIPS = (("M", "RN"), ("L", "1"), ("O", "0"), ("W", "VV"), ("S", "5"), ("I", "L"))


def _typo(name: str, rng: random.Random) -> str:
    """One keying or OCR error: insert, delete, substitute, transpose, or an OCR look-alike."""
    kind = rng.choice(("insert", "delete", "substitute", "transpose", "ocr"))
    if kind == "ocr":
        slips = [(a, b) for a, b in _OCR_SLIPS if a in name[1:]]
        if slips:
            a, b = rng.choice(slips)
            i = name.index(a, 1)
            return name[:i] + b + name[i + 1:]
        kind = "transpose"
    i = rng.randrange(1, len(name)) if len(name) > 1 else 0
    if kind == "insert":
        return name[:i] + rng.choice(_KEYBOARD) + name[i:]
    if kind == "delete" and len(name) > 3:
        return name[:i] + name[i + 1:]
    if kind == "transpose" and len(name) > 2:
        i = min(i, len(name) - 2)
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    letters = [c for c in _KEYBOARD if c != name[i]]
    return name[:i] + rng.choice(letters) + name[i + 1:]


def _date_between(rng: random.Random, start_year: int, end_year: int) -> dt.date:
    lo, hi = day_number(dt.date(start_year, 1, 1)), day_number(dt.date(end_year, 12, 31))
    return from_day_number(rng.randint(lo, hi))


def _row(field: str, category: str, label: int, **cols: object) -> dict[str, object]:
    return {"field": field, "category": category, "label": label, **cols}


def _forename_rows(rng: random.Random, n: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for _ in range(n):
        formal, short = rng.choice(DIMINUTIVES)
        if rng.random() < 0.3:
            formal = f"{formal} {rng.choice(FORENAMES)}"  # formal record carries a middle name
        pair = (formal, short) if rng.random() < 0.5 else (short, formal)
        rows.append(_row("forenames", "nickname", 1, forenames_l=pair[0], forenames_r=pair[1]))
    for _ in range(n):
        name = rng.choice(FORENAMES)
        rows.append(_row("forenames", "typo", 1, forenames_l=name, forenames_r=_typo(name, rng)))
    for _ in range(n // 2):
        a, b = rng.choice(SPELLING_VARIANTS)
        rows.append(_row("forenames", "phonetic", 1, forenames_l=a, forenames_r=b))
    for _ in range(n):
        first, middle = rng.sample(FORENAMES, 2)
        kind = rng.choice(("dropped", "reordered", "initial", "middle_initial"))
        other = {"dropped": first, "reordered": f"{middle} {first}", "initial": first[0],
                 "middle_initial": f"{first} {middle[0]}"}[kind]
        rows.append(_row("forenames", f"middle_name_{kind}", 1,
                         forenames_l=f"{first} {middle}", forenames_r=other))
    for _ in range(n):
        a, b = rng.choice(CONFUSABLE_FORENAMES)
        rows.append(_row("forenames", "hard_negative_lookalike", 0, forenames_l=a, forenames_r=b))
    for _ in range(n):
        # Siblings: same family, different first names.
        a, b = rng.sample(FORENAMES, 2)
        rows.append(_row("forenames", "hard_negative_sibling", 0, forenames_l=a, forenames_r=b))
    return rows


def _surname_rows(rng: random.Random, n: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for _ in range(n):
        maiden, married = rng.sample(SURNAMES, 2)
        if rng.random() < 0.5:
            rows.append(_row("surname", "marriage", 1, surname_l=maiden, surname_history_l="",
                             surname_r=married, surname_history_r=f"{maiden}|{married}"))
        else:
            # Divorced and remarried: both sides hold histories sharing the maiden name.
            second = rng.choice(SURNAMES)
            rows.append(_row("surname", "marriage", 1, surname_l=married,
                             surname_history_l=f"{maiden}|{married}", surname_r=second,
                             surname_history_r=f"{maiden}|{second}"))
    for _ in range(n):
        name = rng.choice(SURNAMES)
        rows.append(_row("surname", "typo", 1, surname_l=name, surname_r=_typo(name, rng),
                         surname_history_l="", surname_history_r=""))
    for _ in range(n // 2):
        a, b = rng.choice(SURNAME_VARIANTS)
        rows.append(_row("surname", "phonetic", 1, surname_l=a, surname_r=b,
                         surname_history_l="", surname_history_r=""))
    for _ in range(n // 2):
        a, b = rng.sample(SURNAMES, 2)
        rows.append(_row("surname", "double_barrel", 1, surname_l=f"{a}-{b}",
                         surname_r=rng.choice((a, b)), surname_history_l="",
                         surname_history_r=""))
    for _ in range(n):
        a, b = rng.choice(CONFUSABLE_SURNAMES)
        rows.append(_row("surname", "hard_negative_lookalike", 0, surname_l=a, surname_r=b,
                         surname_history_l="", surname_history_r=""))
    for _ in range(n):
        a, b = rng.sample(SURNAMES, 2)
        rows.append(_row("surname", "hard_negative_different", 0, surname_l=a, surname_r=b,
                         surname_history_l="", surname_history_r=""))
    return rows


def _birth_rows(rng: random.Random, n: int) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []

    def add(category: str, label: int, a: tuple[int, int], b: tuple[int, int]) -> None:
        rows.append(_row("birth_date", category, label, born_lo_l=a[0], born_hi_l=a[1],
                         born_lo_r=b[0], born_hi_r=b[1]))

    for _ in range(n):
        d = day_number(_date_between(rng, 1940, 2010))
        add("exact", 1, (d, d), (d, d))
    for _ in range(n // 2):
        born = _date_between(rng, 1940, 2010)
        while born.day > 12 or born.day == born.month:
            born = _date_between(rng, 1940, 2010)
        swapped = day_number(dt.date(born.year, born.day, born.month))
        add("transposed_day_month", 1, (day_number(born),) * 2, (swapped, swapped))
    for _ in range(n):
        born = _date_between(rng, 1940, 2010)
        registered = from_day_number(day_number(born) + rng.randint(0, 42))
        q = (registered.month - 1) // 3 + 1
        iv = interval_from_registration_quarter(registered.year, q)
        assert iv is not None
        add("registration_quarter", 1, (day_number(born),) * 2, (iv.lo, iv.hi))
    for _ in range(n):
        born = _date_between(rng, 1940, 2000)
        census = from_day_number(day_number(born) + rng.randint(365, 365 * 60))
        age = (census - born).days // 365
        # Age stated a year out is common on forms; allow it half the time.
        if rng.random() < 0.5:
            age += rng.choice((-1, 1))
        iv = interval_from_age(max(age, 0), census)
        assert iv is not None
        add("approximate_age", 1, (day_number(born),) * 2, (iv.lo, iv.hi))
    for _ in range(n):
        # Siblings: 15 months to 8 years apart.
        a = day_number(_date_between(rng, 1940, 2005))
        b = a + rng.choice((-1, 1)) * rng.randint(450, 365 * 8)
        add("hard_negative_sibling", 0, (a, a), (b, b))
    for _ in range(n // 2):
        a = day_number(_date_between(rng, 1940, 2005))
        b = a + rng.choice((-1, 1)) * rng.randint(365 * 10, 365 * 40)
        add("hard_negative_different_generation", 0, (a, a), (b, b))
    return rows


def _place_rows(rng: random.Random, n: int) -> list[dict[str, object]]:
    gaz = gazetteer()
    rows: list[dict[str, object]] = []

    def add(category: str, label: int, a: str, b: str) -> None:
        rows.append(_row("place", category, label, place_raw_l=a, place_raw_r=b))

    for _ in range(n // 2):
        t = rng.choice(PLACE_TOWNS + [p[0] for p in PLACE_NEARBY])
        variant = rng.choice((t.upper(), t.lower(), f"{t}, England", t))
        add("same_town_written_differently", 1, t, variant)
    for _ in range(n):
        town, district = rng.choice(PLACE_DISTRICT)
        add("town_vs_district", 1, *rng.sample((town, district), 2))
    for _ in range(n):
        a, b = rng.choice(PLACE_NEARBY)
        add("nearby_towns", 1, *rng.sample((a, b), 2))
    for _ in range(n):
        a, b = rng.sample(PLACE_TOWNS, 2)
        if gaz.locate(a) is not None and gaz.locate(b) is not None:
            add("hard_negative_distant", 0, a, b)
    return rows


def generate_pairs(seed: int = 20240601, n_per_category: int = 120) -> pd.DataFrame:
    """The labelled pair set: deterministic for a seed, at least 1,000 rows by default.

    Place pairs carry raw names in ``place_raw_l/_r``; call
    ``benchmarks.matchers.with_place_columns`` to add the located columns.
    """
    rng = random.Random(seed)
    rows = (_forename_rows(rng, n_per_category) + _surname_rows(rng, n_per_category)
            + _birth_rows(rng, n_per_category) + _place_rows(rng, n_per_category))
    return pd.DataFrame(rows)


if __name__ == "__main__":
    frame = generate_pairs()
    print(frame.groupby(["field", "category", "label"]).size().to_string())
    print(f"{len(frame)} pairs")
