"""Name normalisation, nickname variants and phonetic codes for British records.

Everything here is pure: the only data read is the ``nicknames`` package's CSV,
loaded once and cached.  Series helpers map unique values only, so they stay fast
on index extracts of a million rows.
"""

from __future__ import annotations

import bisect
import math
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import jellyfish
import pandas as pd

__all__ = [
    "TITLES",
    "UK_NICKNAMES",
    "are_nicknames",
    "forename_variants",
    "normalise_forenames",
    "normalise_forenames_series",
    "normalise_name",
    "normalise_surname",
    "normalise_surname_series",
    "phonetic",
    "phonetic_series",
    "split_full_name",
]

# Titles and honours never identify a person, so they are dropped wherever they appear.
TITLES: frozenset[str] = frozenset(
    {
        "MR", "MRS", "MS", "MISS", "MX", "MASTER", "DR", "REV", "REVD", "REVEREND", "SIR",
        "DAME", "LADY", "LORD", "PROF", "PROFESSOR", "CAPT", "CAPTAIN", "MAJOR", "COL",
        "SGT", "FR", "CLLR", "HON", "RT", "OBE", "MBE", "CBE", "KBE", "DBE", "QC", "KC",
        "JP", "MP", "PHD", "JNR", "SNR", "JR", "SR", "ESQ",
    }
)

# Title abbreviations that are also diminutives (COL for Colin).
TITLES_OR_NAMES: frozenset[str] = frozenset({"COL"})

# Added British diminutives the US-centred ``nicknames`` data lacks; formal -> informal forms.
UK_NICKNAMES: dict[str, tuple[str, ...]] = {
    "GILLIAN": ("JILL", "GILL", "GILLY", "JILLY"),
    "DEREK": ("DEL", "DEZ", "DEL BOY", "DEKKA"),
    "TERENCE": ("TEL", "TERRY", "TEZ"),
    "TERRY": ("TEL", "TEZ"),
    "BERNARD": ("BERNIE", "BEZ"),
    "BARRY": ("BAZ", "BAZZA"),
    "GARY": ("GAZ", "GAZZA"),
    "GARETH": ("GAZ", "GAZZA", "GARY"),
    "KERRY": ("KEZ",),
    "SHARON": ("SHAZ", "SHAZZA", "SHAZ"),
    "TARIQ": ("TAZ",),
    "TARA": ("TAZ",),
    "JOHN": ("JOCK", "JACK", "JOHNNY", "JONNY", "JACKIE"),
    "JAMES": ("JIM", "JIMMY", "JIMMIE", "JAMIE", "JAS", "JIMBO", "JEM"),
    "ALEXANDER": ("SANDY", "ALEX", "ALEC", "ALI", "SASHA", "XANDER", "ALASDAIR", "ALISTAIR"),
    "ALEXANDRA": ("SANDY", "ALEX", "LEXI", "LEXIE", "SASHA", "SANDIE"),
    "MARGARET": ("PEGGY", "PEG", "MAGGIE", "MAGS", "MEG", "MADGE", "MAISIE", "GRETA", "RITA"),
    "ANN": ("NAN", "NANCY", "ANNIE", "NANCE"),
    "ANNE": ("NAN", "NANCY", "ANNIE", "NANCE"),
    "HELEN": ("NELL", "NELLIE", "NELLY", "LENA"),
    "ELEANOR": ("NELL", "NELLIE", "ELLIE", "NORA", "ELLA"),
    "ELLEN": ("NELL", "NELLIE", "ELLIE"),
    "CHRISTINE": ("CHRISSIE", "CHRISSY", "CHRIS", "TINA", "KIRSTY", "KIRSTIE"),
    "CHRISTINA": ("CHRISSIE", "CHRISSY", "CHRIS", "TINA", "KIRSTY", "KIRSTIE"),
    "CHRISTOPHER": ("CHRIS", "KIT", "TOPHER", "CHRISSY"),
    "WILLIAM": ("BILL", "BILLY", "WILL", "WILLIE", "WILLY", "WULLIE", "LIAM"),
    "ROBERT": ("BOB", "BOBBY", "ROB", "ROBBIE", "RAB", "RABBIE", "BERT", "ROBIN"),
    "ELIZABETH": ("LIZ", "LIZZIE", "BETH", "BETTY", "BESS", "BESSIE", "LIBBY", "ELSIE", "LISA",
                  "ELIZA", "BETSY", "LILIBET", "ELISE"),
    "CATHERINE": ("CATH", "CATHY", "KATE", "KATIE", "KATH", "KATHY", "KAY", "KITTY", "CASSIE"),
    "KATHERINE": ("KATE", "KATIE", "KATH", "KATHY", "KAY", "KITTY", "KAT"),
    "KATHLEEN": ("KATH", "KATHY", "KATE", "KAY"),
    "MARY": ("MOLLY", "POLLY", "MAE", "MAMIE", "MOIRA", "MAISIE", "MINNIE"),
    "SARAH": ("SALLY", "SAL", "SADIE"),
    "RICHARD": ("DICK", "RICH", "RICHIE", "RICKY", "RICK", "DICKY"),
    "EDWARD": ("TED", "TEDDY", "NED", "EDDIE", "EDDY", "ED"),
    "HENRY": ("HARRY", "HAL", "HANK"),
    "ANTHONY": ("TONY", "ANT"),
    "ANTONIA": ("TONI", "TONIA"),
    "SAMANTHA": ("SAM", "SAMMY", "SAMMIE"),
    "SAMUEL": ("SAM", "SAMMY"),
    "JOSEPH": ("JOE", "JOEY", "JO"),
    "JOSEPHINE": ("JO", "JOSIE", "JOSIE", "FINA"),
    "JOANNE": ("JO", "JOJO"),
    "JOANNA": ("JO",),
    "DANIEL": ("DAN", "DANNY"),
    "MICHAEL": ("MIKE", "MICK", "MICKY", "MICKEY", "MIKEY"),
    "PATRICK": ("PAT", "PADDY", "PADRAIG"),
    "PATRICIA": ("PAT", "PATSY", "TRICIA", "TRISH", "PATTY"),
    "DEBORAH": ("DEBBIE", "DEBS", "DEB", "DEBBY"),
    "REBECCA": ("BECKY", "BECCA", "BECS", "BEX"),
    "VICTORIA": ("VICKY", "VICKI", "VIC", "TORI"),
    "JENNIFER": ("JENNY", "JEN", "JENNI", "JENNA"),
    "STEPHEN": ("STEVE", "STEVIE"),
    "STEVEN": ("STEVE", "STEVIE"),
    "NICHOLAS": ("NICK", "NICKY", "NICO"),
    "NICOLA": ("NICKY", "NIKKI", "NIC"),
    "DONNA": ("DON",),
    "DONALD": ("DON", "DONNIE"),
    "LEONARD": ("LEN", "LENNY", "LEN"),
    "KENNETH": ("KEN", "KENNY"),
    "RONALD": ("RON", "RONNIE"),
    "THOMAS": ("TOM", "TOMMY"),
    "TIMOTHY": ("TIM", "TIMMY"),
    "PHILIP": ("PHIL", "PIP"),
    "PHILLIP": ("PHIL", "PIP"),
    "DOROTHY": ("DOT", "DOTTY", "DOLLY", "DOT"),
    "FRANCES": ("FRAN", "FRANNIE", "FANNY"),
    "FRANCIS": ("FRANK", "FRANKIE"),
    "SUSAN": ("SUE", "SUSIE", "SUZY", "SUKIE"),
    "GERALDINE": ("GERRY", "GERI", "DINA"),
    "GERALD": ("GERRY", "GED"),
    "GERARD": ("GERRY", "GED"),
    "ALFRED": ("ALF", "ALFIE", "FRED"),
    "ARCHIBALD": ("ARCHIE", "BALDY"),
    "ANGELA": ("ANGIE", "ANGE"),
    "JACQUELINE": ("JACKIE", "JACQUI", "JACKY"),
    "ABIGAIL": ("ABBIE", "ABBY", "GAIL"),
    "AMANDA": ("MANDY", "MANDA"),
    "BEVERLEY": ("BEV",),
    "CHARLOTTE": ("CHARLIE", "LOTTIE", "LOTTE"),
    "CHARLES": ("CHARLIE", "CHAS", "CHUCK"),
    "GEORGINA": ("GEORGIE", "GINA"),
    "LESLEY": ("LES",),
    "LESLIE": ("LES",),
    "SANDRA": ("SANDY", "SANDIE"),
    "ISABEL": ("IZZY", "BELLA", "ISSY", "IBBY"),
    "ISABELLA": ("IZZY", "BELLA", "ISSY"),
    "NATHAN": ("NATE", "NAT"),
    "NATHANIEL": ("NAT", "NATE"),
    "MATTHEW": ("MATT", "MATTY"),
    "BENJAMIN": ("BEN", "BENNY", "BENJI"),
    "ANDREW": ("ANDY", "DREW"),
    "DAVID": ("DAVE", "DAVY", "DAI", "DAVIE"),
    "IAN": ("JOCK",),
    "HUGH": ("SHUG", "SHUGGIE"),
    "ROSEMARY": ("ROSIE", "ROSE", "ROSA"),
    "WINIFRED": ("WINNIE", "FREDA"),
    "FREDERICK": ("FRED", "FREDDIE", "FREDDY"),
    # Pet names of the generations now in family-finding (1950s-2000s births).
    "MICHELLE": ("SHELL", "SHELLEY", "CHELLE"),
    "MAUREEN": ("MO", "REENIE"),
    "IRENE": ("RENE", "RENIE"),
    "TRACEY": ("TRACE", "TRAC"),
    "TRACY": ("TRACE", "TRAC"),
    "DANIELLE": ("DANI", "DANNI", "ELLE"),
    "JASON": ("JAY",),
    "OLIVIA": ("LIV", "LIVVY", "LIVVIE"),
    "JASMINE": ("JAZ", "JAZZ", "JAS"),
    "KIERAN": ("KEZ",),
    "DARREN": ("DAZ", "DAZZA"),
    "WARREN": ("WAZ", "WAZZA"),
    "KAREN": ("KAZ", "KAZZA"),
    "CAROL": ("CAZ",),
    "CAROLINE": ("CAZ", "CARO", "CARRIE"),
    "MELANIE": ("MEL",),
    "MELISSA": ("MEL", "MISSY"),
}

# Diminutive endings spelt interchangeably in registers (Chrissie/Chrissy/Chrissi).
_ENDING_SWAPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("IE", ("Y", "I", "EE", "EY")),
    ("Y", ("IE", "I", "EY")),
    ("I", ("IE", "Y")),
    ("EY", ("Y", "IE")),
    ("EE", ("IE", "Y")),
)

# Links in the nicknames data between names British registers treat as distinct people.
_DISTINCT_NAMES: frozenset[frozenset[str]] = frozenset(
    frozenset(p) for p in (("ANNA", "HANNAH"), ("ANN", "HANNAH"), ("ANNE", "HANNAH"))
)
# Feminine forms made by a suffix (LOUIS/LOUISE, PAUL/PAULA) are different names, not diminutives.
_FEMININE_SUFFIXES: tuple[str, ...] = ("A", "E", "INA", "ETTE", "ELLE", "LE", "INE")


def _is_gendered_pair(a: str, b: str) -> bool:
    """True for a masculine name and its feminine suffix form (base of 4+ letters)."""
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    base = short[:-1] if short.endswith("E") else short
    return len(base) >= 4 and long_.startswith(base) and long_[len(base):] in _FEMININE_SUFFIXES


_NON_ALNUM = re.compile(r"[^A-Z0-9\s]")
_JOINERS = re.compile(r"(?<=[A-Z0-9])['’`\-](?=[A-Z0-9])")
_SPACES = re.compile(r"\s+")


def _is_missing(s: object) -> bool:
    """True for None, NaN, pd.NA and empty strings."""
    if s is None or s is pd.NA:
        return True
    return isinstance(s, float) and math.isnan(s)


def _ascii_upper(s: str) -> str:
    """Strip accents and upper-case: 'Zoë' -> 'ZOE'."""
    decomposed = unicodedata.normalize("NFKD", s)
    return decomposed.encode("ascii", "ignore").decode("ascii").upper()


def _drop_titles(tokens: list[str]) -> list[str]:
    """Remove title tokens unless that would leave nothing (someone may be surnamed 'Major')."""
    kept = [t for t in tokens if t not in TITLES]
    return kept or tokens


@lru_cache(maxsize=500_000)
def _normalise_name_cached(s: str, hyphen_splits: bool) -> str:
    text = _ascii_upper(s)
    if hyphen_splits:
        # Double-barrelled names keep both parts as separate tokens.
        text = re.sub(r"\s*-\s*", " ", text)
    text = _JOINERS.sub("", text)
    text = _NON_ALNUM.sub(" ", text)
    tokens = _SPACES.sub(" ", text).strip().split(" ")
    return " ".join(_drop_titles([t for t in tokens if t]))


def normalise_name(s: str | None) -> str:
    """Upper-case ASCII name with punctuation and titles removed.

    Apostrophes and hyphens between letters are removed ("O'Brien" -> "OBRIEN"),
    other punctuation becomes a space, whitespace collapses. None/NaN/"" -> "".
    """
    if _is_missing(s):
        return ""
    return _normalise_name_cached(str(s), False)


@lru_cache(maxsize=500_000)
def _normalise_surname_cached(s: str) -> str:
    tokens = _normalise_name_cached(s, True).split(" ")
    # Mc and Mac are the same name written two ways in registers.
    unified = ["MAC" + t[2:] if t.startswith("MC") and len(t) > 3 else t for t in tokens]
    return " ".join(t for t in unified if t)


def normalise_surname(s: str | None) -> str:
    """normalise_name plus Mc->MAC; double-barrelled kept apart: "Smith-Jones" -> "SMITH JONES"."""
    if _is_missing(s):
        return ""
    return _normalise_surname_cached(str(s))


def normalise_forenames(s: str | None) -> str:
    """Normalised forenames separated by single spaces.

    Hyphenated forenames are split ("Mary-Jane" -> "MARY JANE") because registers
    write them both ways and the token-wise levels then see both parts.
    """
    if _is_missing(s):
        return ""
    return _normalise_name_cached(str(s), True)


def _is_upper_word(token: str) -> bool:
    """A token written in capitals and longer than an initial ('BARKER', not 'J')."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def split_full_name(s: str) -> tuple[str, str]:
    """Split a full name into (forenames, surname), both normalised.

    Handles "SURNAME, Forenames" (company officers), directory style
    "Donna J BARKER" (trailing capitalised words are the surname when the case is
    mixed) and plain "Forenames Surname" (surname = last word). Titles are dropped.
    """
    if _is_missing(s) or not str(s).strip():
        return "", ""
    text = str(s)
    if "," in text:
        surname_part, _, forename_part = text.partition(",")
        return normalise_forenames(forename_part), normalise_surname(surname_part)
    raw = [t for t in re.split(r"\s+", _ascii_upper_keep_case(text).strip()) if t]
    # A title that is also a diminutive stays when only a surname would remain: "Col PALMER" is Colin.
    untitled = [t for t in raw if normalise_name(t) not in TITLES]
    if len(untitled) < 2:
        untitled = [t for t in raw if normalise_name(t) not in TITLES - TITLES_OR_NAMES]
    raw = untitled if untitled else raw
    if not raw:
        return "", ""
    upper_flags = [_is_upper_word(t) for t in raw]
    mixed = any(upper_flags) and any(
        not f and any(c.islower() for c in t) for t, f in zip(raw, upper_flags, strict=True)
    )
    cut = len(raw) - 1
    if mixed and upper_flags[-1]:
        # Walk back over the trailing capitalised run: "Mary Ann DE LA CRUZ".
        while cut > 0 and upper_flags[cut - 1]:
            cut -= 1
    if cut == 0 and len(raw) > 1:
        cut = len(raw) - 1
    return normalise_forenames(" ".join(raw[:cut])), normalise_surname(" ".join(raw[cut:]))


def _ascii_upper_keep_case(s: str) -> str:
    """Strip accents but keep case, which split_full_name needs."""
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


@lru_cache(maxsize=1)
def _nickname_graph() -> dict[str, frozenset[str]]:
    """Undirected one-hop nickname graph from the nicknames package plus UK_NICKNAMES."""
    from nicknames import NickNamer

    namer = NickNamer()
    graph: dict[str, set[str]] = {}

    def link(a: str, b: str) -> None:
        a, b = normalise_name(a), normalise_name(b)
        if not a or not b or a == b or frozenset((a, b)) in _DISTINCT_NAMES:
            return
        if _is_gendered_pair(a, b):
            return
        if a and b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set()).add(a)

    for formal, nicks in namer.nickname_lookup.items():
        for nick in nicks:
            link(formal, nick)
    for formal, nicks in UK_NICKNAMES.items():
        for nick in nicks:
            link(formal, nick)
    return {k: frozenset(v) for k, v in graph.items()}


def _spelling_forms(name: str) -> set[str]:
    """The name plus its alternative diminutive endings (CHRISSIE -> CHRISSY, CHRISSI...)."""
    forms = {name}
    for ending, swaps in _ENDING_SWAPS:
        if name.endswith(ending) and len(name) > len(ending) + 2:
            stem = name[: -len(ending)]
            forms.update(stem + s for s in swaps)
    return forms


@lru_cache(maxsize=200_000)
def _variants_cached(name: str) -> frozenset[str]:
    graph = _nickname_graph()
    forms = _spelling_forms(name)
    neighbours: set[str] = set()
    for form in forms:
        neighbours.update(graph.get(form, ()))
    out = set(forms)
    # Spelling forms of the neighbours too, so CHRISTINE reaches CHRISSIE via CHRISSY.
    for other in neighbours:
        out.update(_spelling_forms(other))
    out.add(name)
    return frozenset(out)


def forename_variants(name: str) -> frozenset[str]:
    """A forename plus its diminutives and formal forms, in both directions.

    One hop in the nickname graph (``nicknames`` data + UK_NICKNAMES), with the
    -IE/-Y/-I endings treated as spellings of one another.  Two names that merely
    share a formal form (Sandy: Alexander / Sandra) are deliberately not linked.
    """
    key = normalise_name(name)
    if not key:
        return frozenset()
    return _variants_cached(key)


def is_truncation(short: str, long_: str) -> bool:
    """A diminutive made by cutting a name short (LIN for LINDA, BREN for BRENDA, COL for COLIN): three
    letters or more, at least two letters shorter, and not a man's name inside a woman's (PAUL,
    PAULINE)."""
    return (len(short) >= 3 and len(long_) - len(short) >= 2 and long_.startswith(short)
            and not _is_gendered_pair(short, long_))


def truncation_pairs(words: list[str]) -> list[tuple[int, int]]:
    """(i, j) for every pair of `words` where one is a truncation of the other (both orders)."""
    order = sorted(range(len(words)), key=lambda i: words[i])
    ordered = [words[i] for i in order]
    out = []
    for i, w in enumerate(words):
        if len(w) < 3:
            continue
        k = bisect.bisect_right(ordered, w)
        while k < len(ordered) and ordered[k].startswith(w):
            j = order[k]
            if is_truncation(w, words[j]):
                out += [(i, j), (j, i)]
            k += 1
    return out


@lru_cache(maxsize=500_000)
def _are_nicknames_cached(a: str, b: str) -> bool:
    return b in _variants_cached(a) or a in _variants_cached(b) or is_truncation(a, b) or is_truncation(b, a)


def are_nicknames(a: str, b: str) -> bool:
    """True when two forenames are the same or diminutive/formal variants (symmetric)."""
    x, y = normalise_name(a), normalise_name(b)
    if not x or not y:
        return False
    if x > y:
        x, y = y, x
    return _are_nicknames_cached(x, y)


_PHONETIC: dict[str, Callable[[str], str]] = {
    "nysiis": jellyfish.nysiis,
    "metaphone": jellyfish.metaphone,
    "soundex": jellyfish.soundex,
    "match_rating": jellyfish.match_rating_codex,
}


@lru_cache(maxsize=500_000)
def _phonetic_cached(s: str, algorithm: str) -> str:
    # Code each word and rejoin, so "SMITH JONES" keeps two comparable codes.
    coder = _PHONETIC[algorithm]
    return " ".join(coder(t) for t in s.split(" ") if t.isalpha() or t)


def phonetic(s: str | None, algorithm: str = "nysiis") -> str:
    """Phonetic code of a name (word by word): nysiis, metaphone, soundex or match_rating."""
    if algorithm not in _PHONETIC:
        raise ValueError(f"unknown phonetic algorithm {algorithm!r}; use {sorted(_PHONETIC)}")
    text = normalise_name(s)
    if not text:
        return ""
    return _phonetic_cached(text, algorithm)


def _map_unique(s: pd.Series, fn: Callable[[object], str]) -> pd.Series:
    """Apply fn once per distinct value and broadcast back; nulls become ''."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    mapped = pd.Series([fn(u) for u in uniques] + [""], dtype=object).to_numpy()
    return pd.Series(mapped[codes], index=s.index, dtype=object)


def normalise_surname_series(s: pd.Series) -> pd.Series:
    """normalise_surname over a Series (maps each distinct value once)."""
    return _map_unique(s, normalise_surname)


def normalise_forenames_series(s: pd.Series) -> pd.Series:
    """normalise_forenames over a Series (maps each distinct value once)."""
    return _map_unique(s, normalise_forenames)


def phonetic_series(s: pd.Series, algorithm: str = "nysiis") -> pd.Series:
    """phonetic over a Series (maps each distinct value once)."""
    return _map_unique(s, lambda v: phonetic(v, algorithm))  # type: ignore[arg-type]
