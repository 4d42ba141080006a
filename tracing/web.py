"""`tracing serve`: a small server-rendered web app over the same functions as the CLI.

Cases, intake (form or JSON upload), searches run in the background with live progress, the
ranked review queue, a candidate with its evidence, verify/reject, the family network as a
genogram, and exports. Contact details appear only after verification; nothing personal goes
into a URL (case references and candidate ids only); every state change is a POST carrying a
CSRF token (double-submit cookie).
"""

from __future__ import annotations

import hmac
import logging
import re
import secrets
import threading
import traceback
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from sqlmodel import Session, func, select
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException

from pipelines.enqueue import WITHHELD
from tracing import audit, auth, db
from tracing.access import on_case_created, require_case, visible_cases
from tracing.cases import SeedCase, add_case, parse_seed_case, require_search_allowed, withdraw_consent
from tracing.errors import BadInput, NotFound, RefusedByPolicy, TracingError
from tracing.models import (
    Candidate,
    CandidateRecord,
    Case,
    Child,
    Consent,
    Decision,
    Restriction,
    SearchRun,
    SeedPerson,
    SourceRecord,
)
from tracing.review import candidate_label, decide_as, get_candidate, queue
from tracing.settings import get_settings, prefect_defaults
from tracing.vocabulary import FAMILY_RELATIONSHIPS, NON_FAMILY_RELATIONSHIPS, RESTRICTION_KINDS

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
TEMPLATES = Jinja2Templates(directory=str(HERE / "templates"))
TEMPLATES.env.filters["words"] = lambda value: str(value or "").replace("_", " ")
CSRF_COOKIE = "tracing_csrf"
SESSION_COOKIE = "tracing_session"
PUBLIC_PATHS = ("/login",)
CSRF_FIELD = "csrf_token"
_TOKEN = re.compile(r"^[A-Za-z0-9_\-]{32,64}$")
# Whatever the record says about where a person lives is contact detail, shown only after verification.
ADDRESS_FIELDS = frozenset({"address", "town", "postcode"})
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
MAX_UPLOAD = 1_000_000
PEOPLE_ROWS, PLACE_ROWS, RESTRICTION_ROWS = 3, 2, 2


# --------------------------------------------------------------------------------------------
# Security: CSRF (double-submit cookie) and error pages
# --------------------------------------------------------------------------------------------


async def require_csrf(request: Request) -> None:
    """Refuse a state change unless the form (or X-CSRF-Token header) repeats the CSRF cookie."""
    cookie = request.cookies.get(CSRF_COOKIE) or ""
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        sent = (await request.form()).get(CSRF_FIELD)
    if not cookie or not isinstance(sent, str) or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise HTTPException(403, "This form has expired or did not come from this site. Reload the page and try again.")


def render(request: Request, name: str, context: dict[str, Any], status_code: int = 200) -> HTMLResponse:
    """A page from the templates, with the CSRF token every form needs."""
    user = getattr(request.state, "user", None)
    return TEMPLATES.TemplateResponse(request, name, {"csrf": request.state.csrf, "user": user, **context},
                                      status_code=status_code)


def _cookie_secure(request: Request) -> bool:
    import os

    return request.url.scheme == "https" or os.environ.get("TRACING_COOKIE_SECURE") == "1"


def _user(request: Request):  # noqa: ANN202
    return request.state.user


def _hidden_place(place: str, hidden: list[str]) -> bool:
    from pipelines.policy import normalise_address

    norm = normalise_address(place)
    return bool(norm) and any(norm in h or h in norm for h in hidden)


def _error_status(exc: TracingError) -> int:
    if isinstance(exc, NotFound):
        return 404
    if isinstance(exc, RefusedByPolicy):
        return 403
    return 400 if isinstance(exc, BadInput) else 500


# --------------------------------------------------------------------------------------------
# Searches in the background
# --------------------------------------------------------------------------------------------


def run_search_flow(case_id: int) -> None:
    """Run the Prefect search flow for one case (replaced in fast tests)."""
    from flows.trace_case import trace_case

    trace_case(case_id)


# Keyed by database and case id: tests (and a restarted server) may reuse case ids in another database.
_SEARCHES: dict[tuple[str, int], dict[str, Any]] = {}
_SEARCH_LOCK = threading.Lock()


def _job_key(case_id: int) -> tuple[str, int]:
    return (get_settings().database_url, case_id)


def _raised_at(exc: BaseException) -> str:
    """Where an exception was raised, innermost frame first, as folder/file:line (no values, no message)."""
    frames = reversed(traceback.extract_tb(exc.__traceback__))
    return " < ".join(f"{'/'.join(Path(f.filename).parts[-2:])}:{f.lineno}" for f in frames)


def _search_job(case_id: int, job: dict[str, Any]) -> None:
    try:
        run_search_flow(case_id)
    except Exception as exc:
        # The class and where it was raised only: messages may quote personal data.
        job["error"] = type(exc).__name__
        log.error("search of case %s failed: %s at %s", case_id, job["error"], _raised_at(exc))
    finally:
        job["done"] = True


def start_search(case_id: int, after_run_id: int) -> bool:
    """Start a background search unless one is already under way for this case."""
    with _SEARCH_LOCK:
        job = _SEARCHES.get(_job_key(case_id))
        if job and not job["done"]:
            return False
        job = {"after": after_run_id, "done": False, "error": None, "started": datetime.now(UTC)}
        _SEARCHES[_job_key(case_id)] = job
        threading.Thread(target=_search_job, args=(case_id, job), name=f"search-{case_id}", daemon=True).start()
        return True


def search_status(s: Session, case: Case) -> dict[str, Any]:
    """What the latest search of a case is doing: starting, running, completed, failed or never."""
    job = _SEARCHES.get(_job_key(case.id))
    query = select(SearchRun).where(SearchRun.case_id == case.id)
    if job:
        query = query.where(SearchRun.id > job["after"])
    run = s.exec(query.order_by(SearchRun.id.desc())).first()
    status: dict[str, Any] = {"state": "never", "run": run, "error": None, "done": True}
    if run is not None:
        status.update(state=run.state, error=run.error, done=run.state != "running")
    if job:
        if job["error"]:
            status.update(state="failed", error=job["error"], done=True)
        elif run is None:
            status.update(state="failed" if job["done"] else "starting", done=job["done"])
        elif not job["done"] and run.state != "running":
            status["done"] = False  # the row is final, the flow is still returning
    return status


# --------------------------------------------------------------------------------------------
# The new-case form <-> the seed JSON contract
# --------------------------------------------------------------------------------------------


def _text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else None


def _count(form: FormData, name: str, default: int, most: int) -> int:
    raw = _text(form, name) or ""
    return min(max(int(raw), default), most) if raw.isdigit() else default


def seed_from_form(form: FormData, people_rows: int, restriction_rows: int) -> tuple[dict[str, Any], dict]:
    """The seed JSON a form describes, and how its list positions map back to form rows."""

    def section(prefix: str, names: tuple[str, ...]) -> dict[str, str]:
        return {n: v for n in names if (v := _text(form, f"{prefix}_{n}")) is not None}

    raw: dict[str, Any] = {
        "reference": _text(form, "reference") or "",
        "child": section("child", ("forenames", "surname", "date_of_birth", "birth_district", "sex")),
        "consent": section("consent", ("child_agreed_on", "parental_responsibility_consent_on", "consent_given_by")),
        "people": [],
        "restrictions": [],
    }
    rows: dict[str, Any] = {"people": [], "places": [], "restrictions": []}
    for i in range(people_rows):
        person: dict[str, Any] = section(f"p{i}", ("relationship", "forenames", "surname", "date_of_birth",
                                                   "birth_year", "approx_age"))
        former = _text(form, f"p{i}_former_surnames")
        if former:
            person["former_surnames"] = [w.strip() for w in former.split(",") if w.strip()]
        places, place_rows = [], []
        for k in range(PLACE_ROWS):
            place = section(f"p{i}_place{k}", ("name", "from_year", "to_year"))
            if place:
                places.append(place)
                place_rows.append(k)
        if not person and not places:
            continue
        person = {"id": f"s{i + 1}", "relationship": person.pop("relationship", ""), **person}
        if places:
            person["places"] = places
        raw["people"].append(person)
        rows["people"].append(i)
        rows["places"].append(place_rows)
    for i in range(restriction_rows):
        restriction = section(f"r{i}", ("kind", "person", "place", "reason"))
        if restriction:
            raw["restrictions"].append({"kind": restriction.pop("kind", ""), **restriction})
            rows["restrictions"].append(i)
    return raw, rows


def _field_for(loc: tuple, message: str, rows: dict) -> str:
    """The form field a validation error belongs to ('form' for the whole form)."""
    if not loc:
        return "form"
    head = loc[0]
    if head == "reference":
        return "reference"
    if head in ("child", "consent"):
        return f"{head}_{loc[1]}" if len(loc) > 1 else "form"
    if head == "people" and len(loc) > 1:
        j = loc[1]
        row = rows["people"][j]
        if len(loc) == 2:
            return f"p{row}_date_of_birth"  # the person's only whole-row rule: one birth fact
        if loc[2] == "places" and len(loc) > 3:
            k = rows["places"][j][loc[3]]
            return f"p{row}_place{k}_{loc[4] if len(loc) > 4 else 'from_year'}"
        return f"p{row}_{loc[2]}"
    if head == "restrictions" and len(loc) > 1:
        row = rows["restrictions"][loc[1]]
        if len(loc) > 2:
            return f"r{row}_{loc[2]}"
        if "names a person" in message:
            return f"r{row}_person"
        if "names a place" in message:
            return f"r{row}_place"
        return f"r{row}_kind"
    return "form"


def field_label(name: str) -> str:
    """A form field's name as a coordinator reads it, e.g. 'Person s2, place 1: from year'."""
    if name == "reference":
        return "Case reference"
    found = re.fullmatch(r"p(\d+)_place(\d+)_(\w+)", name)
    if found:
        return f"Person s{int(found[1]) + 1}, place {int(found[2]) + 1}: {found[3].replace('_', ' ')}"
    found = re.fullmatch(r"([pr])(\d+)_(\w+)", name)
    if found:
        who = f"Person s{int(found[2]) + 1}" if found[1] == "p" else f"Restriction {int(found[2]) + 1}"
        return f"{who}: {found[3].replace('_', ' ')}"
    head, _, rest = name.partition("_")
    return f"{head.capitalize()}: {rest.replace('_', ' ')}" if rest else name


def validate_form(raw: dict[str, Any], rows: dict) -> tuple[SeedCase | None, dict[str, str]]:
    """Validate with the same SeedCase model as JSON intake; errors keyed by form field."""
    try:
        return SeedCase.model_validate(raw), {}
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for e in exc.errors(include_url=False):
            message = e["msg"].removeprefix("Value error, ")
            field = _field_for(tuple(e["loc"]), message, rows)
            if field == "reference" and e["type"] == "string_too_short":
                message = "Enter a case reference"
            errors[field] = f"{errors[field]}; {message}" if field in errors else message
        return None, errors


# --------------------------------------------------------------------------------------------
# Page data
# --------------------------------------------------------------------------------------------


def _child_name(child: Child | None) -> str:
    return f"{child.forenames or ''} {child.surname or ''}".strip() if child else ""


def _consent_problem(s: Session, case: Case) -> str | None:
    try:
        require_search_allowed(s, case)
    except RefusedByPolicy as exc:
        return str(exc)
    return None


def case_context(s: Session, case: Case) -> dict[str, Any]:
    """Everything the case page shows: child, consent, known people, restrictions, searches, counts."""
    child = s.exec(select(Child).where(Child.case_id == case.id)).first()
    people = list(s.exec(select(SeedPerson).where(SeedPerson.case_id == case.id).order_by(SeedPerson.id)))
    restrictions = list(s.exec(select(Restriction).where(Restriction.case_id == case.id).order_by(Restriction.id)))
    runs = list(s.exec(select(SearchRun).where(SearchRun.case_id == case.id).order_by(SearchRun.id.desc()).limit(10)))
    counts = Counter(s.exec(select(Candidate.status).where(Candidate.case_id == case.id,
                                                           Candidate.active == True)).all())  # noqa: E712
    from pipelines.policy import normalise_address

    hidden = [normalise_address(r.place) for r in restrictions if r.kind == "do_not_disclose_location" and r.place]
    shown_people = []
    for p in people:
        places = [pl for pl in p.places or [] if not _hidden_place(str(pl.get("name") or ""), hidden)]
        shown_people.append({**p.model_dump(), "places": places})
    people = shown_people
    return {
        "case": case, "reference": case.reference, "child": child, "child_name": _child_name(child),
        "consent": s.exec(select(Consent).where(Consent.case_id == case.id)).first(),
        "consent_problem": _consent_problem(s, case), "people": people,
        "do_not_contact": [r for r in restrictions if r.kind == "do_not_contact"],
        "hidden_places": sum(r.kind == "do_not_disclose_location" for r in restrictions),
        "runs": runs, "counts": counts, "status": search_status(s, case),
    }


QUEUE_FILTERS = {
    "status": ("all", "pending", "verified", "rejected"),
    "side": ("all", "maternal", "paternal", "none"),
    "flag": ("all", "blocked", "deceased", "clear"),
    "sort": ("rank", "score", "relationship", "name", "status"),
}


def filter_queue(items: list[dict], params: dict[str, str]) -> list[dict]:
    """The queue narrowed and ordered as the coordinator asked."""
    out = items
    if params["status"] != "all":
        out = [c for c in out if c["status"] == params["status"]]
    if params["side"] != "all":
        want = None if params["side"] == "none" else params["side"]
        out = [c for c in out if c["side"] == want]
    if params["flag"] == "blocked":
        out = [c for c in out if c["blocked"]]
    elif params["flag"] == "deceased":
        out = [c for c in out if c["deceased"]]
    elif params["flag"] == "clear":
        out = [c for c in out if not c["blocked"] and not c["deceased"]]
    keys = {
        "rank": lambda c: (c["rank"], c["id"]),
        "score": lambda c: (-c["score"], c["rank"]),
        "relationship": lambda c: (c["relationship"], c["rank"]),
        "name": lambda c: ((c.get("name") or "").lower(), c["rank"]),
        "status": lambda c: (c["status"], c["rank"]),
    }
    return sorted(out, key=keys[params["sort"]])


def waterfall(evidence: list[dict]) -> dict[str, Any]:
    """Evidence as a waterfall: each weight a bar from the running total to the next."""
    total, rows = 0.0, []
    for e in evidence:
        weight = float(e.get("weight") or 0)
        rows.append({**e, "start": total, "end": total + weight, "weight": weight})
        total += weight
    ends = [0.0, total] + [r["end"] for r in rows]
    lo, hi = min(ends), max(ends)
    span = (hi - lo) or 1.0
    width = 240.0

    def x(value: float) -> float:
        return round((value - lo) / span * width, 1)

    for r in rows:
        r["x"], r["w"] = x(min(r["start"], r["end"])), max(round(abs(r["weight"]) / span * width, 1), 1.0)
    return {"rows": rows, "total": round(total, 2), "zero": x(0.0), "total_x": x(min(0.0, total)),
            "total_w": max(round(abs(total) / span * width, 1), 1.0), "width": width}


def linked_records(s: Session, cand: Candidate) -> list[dict[str, Any]]:
    """Every record linked to a candidate with its non-address fields and link weight."""
    links = list(s.exec(select(CandidateRecord).where(CandidateRecord.candidate_id == cand.id)
                        .order_by(CandidateRecord.source, CandidateRecord.record_id)))
    data: dict[tuple[str, str], dict] = {}
    for source in {link.source for link in links}:
        ids = [link.record_id for link in links if link.source == source]
        for rec in s.exec(select(SourceRecord).where(SourceRecord.source == source, SourceRecord.record_id.in_(ids))):
            data[(rec.source, rec.record_id)] = rec.data
    out = []
    for link in links:
        fields = data.get((link.source, link.record_id), {})
        shown = [(k, v) for k, v in fields.items() if k not in ADDRESS_FIELDS and k != "record_id" and v not in
                 (None, "")]
        out.append({"source": link.source, "record_id": link.record_id, "weight": link.weight, "fields": shown})
    return out


# --------------------------------------------------------------------------------------------
# Genogram and network growth (laid out here, drawn as SVG by the template)
# --------------------------------------------------------------------------------------------

_GENERATION = {"grandmother": 0, "grandfather": 0, "mother": 1, "father": 1, "aunt": 1, "uncle": 1,
               "sister": 2, "brother": 2, "half_sister": 2, "half_brother": 2, "cousin": 2}
_FEMALE = {"grandmother", "mother", "aunt", "sister", "half_sister"}
_MALE = {"grandfather", "father", "uncle", "brother", "half_brother"}
SPACING, ROW_HEIGHT, NODE, MARGIN, MAX_COUSINS = 120, 140, 40, 70, 3


def _short_name(name: str) -> str:
    """First forename and surname, short enough to sit under a genogram symbol."""
    words = name.split()
    short = f"{words[0]} {words[-1]}" if len(words) > 2 else name
    return short if len(short) <= 18 else short[:17] + "…"


def _base(relationship: str) -> str:
    return relationship.removeprefix("maternal_").removeprefix("paternal_")


def genogram(child: Child | None, items: list[dict]) -> dict[str, Any]:
    """Lay out the child and their (not rejected) candidates as a three-generation genogram."""
    people = [c for c in items if c["status"] != "rejected" and _base(c["relationship"]) in _GENERATION]
    others = [c for c in items if c["status"] != "rejected" and _base(c["relationship"]) not in _GENERATION]

    def node(c: dict) -> dict[str, Any]:
        base = _base(c["relationship"])
        sex = "F" if base in _FEMALE else "M" if base in _MALE else "X"
        return {"id": c["id"], "name": _short_name(c.get("name") or c["id"]), "relationship": c["relationship"],
                "sex": sex, "deceased": c["deceased"], "status": c["status"], "blocked": c["blocked"],
                "gen": _GENERATION[base], "child": False, "score": c["score"]}

    nodes = [node(c) for c in people]
    me = {"id": "child", "name": _short_name(_child_name(child)) or "the child", "relationship": "the child",
          "sex": (child.sex if child and child.sex in ("M", "F") else "X"), "deceased": False, "status": "child",
          "blocked": False, "gen": 2, "child": True}

    def pick(*relationships: str) -> list[dict]:
        # The verified, then the likeliest, person in a role is the one the lines join.
        return sorted((n for n in nodes if n["relationship"] in relationships),
                      key=lambda n: (n["status"] != "verified", -n["score"]))

    def cousins(relationship: str, side: str) -> list[dict]:
        # Cousins are many and mostly uncertain: show the verified and the likeliest few, count the rest.
        found = sorted(pick(relationship), key=lambda n: (n["status"] != "verified", -n["score"]))
        shown = [n for i, n in enumerate(found) if i < MAX_COUSINS or n["status"] == "verified"]
        rest = len(found) - len(shown)
        if rest:
            shown.append({"id": None, "more": True, "name": f"+{rest} more", "relationship": relationship + "s",
                          "sex": "X", "deceased": False, "status": "more", "blocked": False, "gen": 2,
                          "child": False, "side": side})
        return shown

    mgp = pick("maternal_grandfather") + pick("maternal_grandmother")
    pgp = pick("paternal_grandfather") + pick("paternal_grandmother")
    gp_other = pick("grandfather", "grandmother")
    m_sibs = pick("maternal_aunt", "maternal_uncle")
    p_sibs = pick("paternal_aunt", "paternal_uncle")
    mothers, fathers = pick("mother"), pick("father")
    other_aunts = pick("aunt", "uncle")
    siblings = pick("sister", "brother", "half_sister", "half_brother")
    m_cousins, p_cousins = cousins("maternal_cousin", "maternal"), cousins("paternal_cousin", "paternal")
    other_cousins = cousins("cousin", "none")
    half = len(siblings) // 2
    rows = [
        (mgp, gp_other + pgp),
        (m_sibs + mothers[1:] + mothers[:1], fathers + p_sibs + other_aunts),
        (m_cousins + siblings[:half], [me] + siblings[half:] + p_cousins + other_cousins),
    ]
    # Left groups end just left of the centre line, right groups start on it: the child sits on it.
    for gen, (left, right) in enumerate(rows):
        offset = SPACING // 2 if gen < 2 else 0
        for i, n in enumerate(reversed(left)):
            n["x"] = -offset - SPACING * (i + (1 if gen == 2 else 0))
        for i, n in enumerate(right):
            n["x"] = offset + SPACING * i
        for n in left + right:
            n["y"] = MARGIN // 2 + gen * ROW_HEIGHT
    everyone = [n for left, right in rows for n in left + right]
    shift = MARGIN - min(n["x"] for n in everyone)
    for n in everyone:
        n["x"] += shift
    width = max(n["x"] for n in everyone) + MARGIN
    lines: list[dict[str, Any]] = []

    def family(parents: list[dict], children: list[dict], dashed: bool = False) -> None:
        # Parents joined by a couple line; children hang from one sibship bar; either side may be missing.
        half_size = NODE // 2
        if len(parents) == 2:
            a, b = sorted(parents, key=lambda n: n["x"])
            lines.append({"x1": a["x"] + half_size, "y1": a["y"], "x2": b["x"] - half_size, "y2": b["y"],
                          "kind": "couple"})
            anchor = ((a["x"] + b["x"]) / 2, a["y"])
        elif parents:
            anchor = (sum(p["x"] for p in parents) / len(parents), parents[0]["y"] + half_size)
        else:
            anchor = None
        if not children or (anchor is None and len(children) < 2):
            return
        bar_y = children[0]["y"] - half_size - 22
        xs = [c["x"] for c in children] + ([anchor[0]] if anchor else [])
        kind = "dashed" if dashed else "line"
        if anchor:
            lines.append({"x1": anchor[0], "y1": anchor[1], "x2": anchor[0], "y2": bar_y, "kind": kind})
        lines.append({"x1": min(xs), "y1": bar_y, "x2": max(xs), "y2": bar_y, "kind": kind})
        for c in children:
            c_kind = "dashed" if dashed or c["relationship"].startswith("half_") else "line"
            lines.append({"x1": c["x"], "y1": bar_y, "x2": c["x"], "y2": c["y"] - half_size, "kind": c_kind})

    family(mgp[:1] + mgp[-1:] if len(mgp) > 1 else mgp, mothers + m_sibs)
    family(pgp[:1] + pgp[-1:] if len(pgp) > 1 else pgp, fathers + p_sibs)
    parents = mothers[:1] + fathers[:1]
    family(parents, [me] + siblings)
    family(m_sibs, m_cousins, dashed=True)
    family(p_sibs, p_cousins, dashed=True)
    height = MARGIN // 2 + 2 * ROW_HEIGHT + 70
    return {"nodes": everyone, "members": nodes, "lines": lines, "width": width, "height": height, "node": NODE,
            "others": others}


def growth(s: Session, case: Case, items: list[dict]) -> list[dict[str, Any]]:
    """The network as it grew: known at intake, found by the search, verified by a coordinator."""
    known = s.exec(select(func.count()).select_from(SeedPerson).where(SeedPerson.case_id == case.id)).one()
    found = [c for c in items if c["status"] != "rejected"]
    bars = [
        {"label": "Known at intake", "value": int(known), "kind": "known"},
        {"label": "Found by searching", "value": len(found), "kind": "found"},
        {"label": "Of whom newly found", "value": sum(c["seed_person"] is None for c in found), "kind": "new"},
        {"label": "Verified", "value": sum(c["status"] == "verified" for c in found), "kind": "verified"},
    ]
    most = max([b["value"] for b in bars] + [1])
    for b in bars:
        b["w"] = round(b["value"] / most * 360, 1)
    return bars


# --------------------------------------------------------------------------------------------
# The app
# --------------------------------------------------------------------------------------------


def _download(body: str, media_type: str, reference: str, suffix: str) -> Response:
    """An export as an attachment named after the case reference (made filename-safe)."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", reference)
    return Response(body, media_type=media_type,
                    headers={"Content-Disposition": f'attachment; filename="{name}-{suffix}"'})


def create_app() -> FastAPI:
    """The coordinator web app."""
    prefect_defaults()  # searches run as Prefect flows in this process
    app = FastAPI(title="tracing", docs_url=None, redoc_url=None, openapi_url=None)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    csrf = [Depends(require_csrf)]

    @app.middleware("http")
    async def security_headers(request: Request, call_next):  # noqa: ANN001, ANN202
        token = request.cookies.get(CSRF_COOKIE) or ""
        fresh = not _TOKEN.fullmatch(token)
        request.state.csrf = secrets.token_urlsafe(32) if fresh else token
        request.state.user = None
        path = request.url.path
        if not path.startswith("/static/"):
            with db.session_scope() as s:
                request.state.user = auth.session_user(s, request.cookies.get(SESSION_COOKIE))
            if request.state.user is None and path not in PUBLIC_PATHS:
                if request.method in ("GET", "HEAD"):
                    response = RedirectResponse("/login", status_code=303)
                else:
                    response = render(request, "error.html", {"message": "Sign in first."}, status_code=401)
                response.delete_cookie(SESSION_COOKIE, path="/")
                if fresh:
                    response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict", path="/",
                                        secure=_cookie_secure(request))
                _headers(response)
                return response
        response: Response = await call_next(request)
        _headers(response)
        if fresh and not getattr(request.state, "csrf_set", False):
            response.set_cookie(CSRF_COOKIE, request.state.csrf, httponly=True, samesite="strict", path="/",
                                secure=_cookie_secure(request))
        return response

    def _headers(response: Response) -> None:
        # Pages carry personal data: never cache them, never frame them.
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = CSP
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"

    @app.exception_handler(TracingError)
    async def tracing_error(request: Request, exc: TracingError) -> HTMLResponse:
        return render(request, "error.html", {"message": str(exc)}, status_code=_error_status(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> HTMLResponse:
        message = exc.detail if exc.status_code == 403 else "There is no such page."
        if not hasattr(request.state, "csrf"):
            request.state.csrf = ""
        return render(request, "error.html", {"message": message}, status_code=exc.status_code)

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request) -> HTMLResponse:
        return render(request, "login.html", {"error": None})

    @app.post("/login", dependencies=csrf)
    async def login(request: Request) -> Response:
        form = await request.form()
        username = (_text(form, "username") or "")[:64]
        password = form.get("password") if isinstance(form.get("password"), str) else ""
        code = (_text(form, "code") or "").replace(" ", "")
        client = request.client.host if request.client else "?"
        where = get_settings().database_url
        keys = (f"{where}|user:{username.lower()}", f"{where}|client:{client}")
        if any(auth.login_locked(k) for k in keys):
            return render(request, "login.html", {"error": "Too many failed attempts. Wait 15 minutes and try "
                                                   "again."}, status_code=429)
        with db.session_scope() as s:
            user = auth.authenticate(s, username, password[:1024], code)
            if user is None:
                known = auth.get_user(s, username)
                audit.record(s, known.username if known else "unknown", "login_failed")
            else:
                audit.record(s, user.username, "login")
                cookie = auth.make_session_cookie(user)
        if user is None:
            for k in keys:
                auth.login_failed(k)
            return render(request, "login.html", {"error": "The username, password or code is wrong."},
                          status_code=401)
        for k in keys:
            auth.login_succeeded(k)
        response = RedirectResponse("/", status_code=303)
        secure = _cookie_secure(request)
        response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict", path="/", secure=secure,
                            max_age=auth.SESSION_MAX_AGE)
        # A fresh CSRF token with the fresh session.
        response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(32), httponly=True, samesite="strict", path="/",
                            secure=secure)
        request.state.csrf_set = True
        return response

    @app.post("/logout", dependencies=csrf)
    def logout(request: Request) -> Response:
        with db.session_scope() as s:
            user = s.merge(_user(request))
            auth.end_sessions(s, user)
            audit.record(s, user.username, "logout")
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get("/account/password", response_class=HTMLResponse)
    def password_form(request: Request) -> HTMLResponse:
        return render(request, "password.html", {"error": None})

    @app.post("/account/password", dependencies=csrf)
    async def password_change(request: Request) -> Response:
        form = await request.form()
        old, new, again = (form.get(k) if isinstance(form.get(k), str) else "" for k in
                           ("current_password", "new_password", "confirm_password"))
        if new != again:
            return render(request, "password.html", {"error": "The new passwords do not match."}, status_code=400)
        try:
            with db.session_scope() as s:
                user = s.merge(_user(request))
                auth.change_password(s, user, old, new)
                audit.record(s, user.username, "password_change")
                cookie = auth.make_session_cookie(user)
        except TracingError as exc:
            return render(request, "password.html", {"error": str(exc)}, status_code=_error_status(exc))
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(SESSION_COOKIE, cookie, httponly=True, samesite="strict", path="/",
                            secure=_cookie_secure(request), max_age=auth.SESSION_MAX_AGE)
        return response

    @app.get("/", response_class=HTMLResponse)
    def cases(request: Request) -> HTMLResponse:
        with db.session_scope() as s:
            rows = []
            for case in visible_cases(s, _user(request)):
                child = s.exec(select(Child).where(Child.case_id == case.id)).first()
                counts = Counter(s.exec(select(Candidate.status).where(
                    Candidate.case_id == case.id, Candidate.active == True)).all())  # noqa: E712
                last = s.exec(select(SearchRun).where(SearchRun.case_id == case.id)
                              .order_by(SearchRun.id.desc())).first()
                rows.append({"reference": case.reference, "status": case.status, "child": _child_name(child),
                             "consent_problem": _consent_problem(s, case), "pending": counts["pending"],
                             "verified": counts["verified"], "network": counts["pending"] + counts["verified"],
                             "last": last})
        return render(request, "cases.html", {"cases": rows})

    def new_case_page(request: Request, form: FormData | None, errors: dict[str, str],
                      import_errors: list[str] | None = None, status_code: int = 200) -> HTMLResponse:
        form = form or FormData()
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return render(request, "new_case.html", {
            "v": values, "errors": errors, "import_errors": import_errors or [],
            "people_rows": _count(form, "people_rows", PEOPLE_ROWS, 20),
            "restriction_rows": _count(form, "restriction_rows", RESTRICTION_ROWS, 10),
            "place_rows": PLACE_ROWS, "family": FAMILY_RELATIONSHIPS, "non_family": NON_FAMILY_RELATIONSHIPS,
            "restriction_kinds": RESTRICTION_KINDS, "label": field_label,
        }, status_code=status_code)

    @app.get("/cases/new", response_class=HTMLResponse)
    def new_case_form(request: Request) -> HTMLResponse:
        return new_case_page(request, None, {})

    @app.post("/cases/new", dependencies=csrf)
    async def new_case(request: Request) -> Response:
        form = await request.form()
        people_rows = _count(form, "people_rows", PEOPLE_ROWS, 20)
        restriction_rows = _count(form, "restriction_rows", RESTRICTION_ROWS, 10)
        more = _text(form, "more")
        if more in ("person", "restriction"):
            # Without JavaScript the form grows by posting back to itself; nothing is stored.
            grown = {k: v for k, v in form.multi_items() if k not in ("people_rows", "restriction_rows")}
            grown["people_rows"] = str(people_rows + (more == "person"))
            grown["restriction_rows"] = str(restriction_rows + (more == "restriction"))
            return new_case_page(request, FormData(grown), {})
        raw, rows = seed_from_form(form, people_rows, restriction_rows)
        seed, errors = validate_form(raw, rows)
        if seed is not None:
            try:
                with db.session_scope() as s:
                    case = add_case(s, seed)
                    on_case_created(s, _user(request), case)
                    audit.record(s, _user(request).username, "case_add", case.reference)
            except BadInput as exc:
                errors = {"reference": str(exc)}
        if errors:
            return new_case_page(request, form, errors, status_code=400)
        return RedirectResponse(f"/cases/{seed.reference}", status_code=303)

    @app.post("/cases/import", dependencies=csrf)
    async def import_case(request: Request) -> Response:
        upload = (await request.form()).get("seed_file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return new_case_page(request, None, {}, ["Choose a seed case JSON file to import."], 400)
        content = await upload.read(MAX_UPLOAD + 1)
        try:
            if len(content) > MAX_UPLOAD:
                raise BadInput(f"{upload.filename}: larger than {MAX_UPLOAD // 1000} kB")
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise BadInput(f"{upload.filename}: not UTF-8 text") from exc
            seed = parse_seed_case(text, origin=Path(upload.filename).name)
            with db.session_scope() as s:
                case = add_case(s, seed)
                on_case_created(s, _user(request), case)
                audit.record(s, _user(request).username, "case_add", case.reference)
        except BadInput as exc:
            problems = [str(exc).splitlines()[0], *exc.problems]
            return new_case_page(request, None, {}, problems, 400)
        return RedirectResponse(f"/cases/{seed.reference}", status_code=303)

    @app.get("/cases/{reference:path}/queue.csv")
    def queue_export(request: Request, reference: str) -> Response:
        from tracing.cli import queue_csv

        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            items = queue(s, case)
            audit.record(s, _user(request).username, "export", case.reference, format="csv", candidates=len(items))
        return _download(queue_csv(items), "text/csv; charset=utf-8", reference, "queue.csv")

    @app.get("/cases/{reference:path}/network.ged")
    def network_export(request: Request, reference: str) -> Response:
        from tracing.network import gedcom

        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            items = queue(s, case)
            child = s.exec(select(Child).where(Child.case_id == case.id)).first()
            text = gedcom(case.reference, child, items)
            audit.record(s, _user(request).username, "export", case.reference, format="gedcom")
        return _download(text, "text/plain; charset=utf-8", reference, "network.ged")

    @app.get("/cases/{reference:path}/queue", response_class=HTMLResponse)
    def case_queue(request: Request, reference: str) -> HTMLResponse:
        params = {k: request.query_params.get(k, opts[0]) for k, opts in QUEUE_FILTERS.items()}
        params = {k: v if v in QUEUE_FILTERS[k] else QUEUE_FILTERS[k][0] for k, v in params.items()}
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            items = queue(s, case)
            audit.record(s, _user(request).username, "view_queue", case.reference, candidates=len(items))
        shown = filter_queue(items, params)
        return render(request, "queue.html", {"reference": reference, "items": shown, "total": len(items),
                                              "params": params, "filters": QUEUE_FILTERS})

    @app.get("/cases/{reference:path}/candidates/{label}", response_class=HTMLResponse)
    def candidate(request: Request, reference: str, label: str) -> HTMLResponse:
        return candidate_page(request, reference, label)

    def candidate_page(request: Request, reference: str, label: str, error: str | None = None,
                       status_code: int = 200) -> HTMLResponse:
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            cand = get_candidate(s, case, label)
            audit.record(s, _user(request).username, "view_candidate", case.reference, candidate_label(cand))
            item = next(i for i in queue(s, case, include_inactive=True) if i["id"] == f"c{cand.id}")
            decisions = list(s.exec(select(Decision).where(Decision.candidate_id == cand.id)
                                    .order_by(Decision.id.desc())))
            chain = list(cand.chain)
            # Why no contact is offered, when the records disagree about where they live (pipelines.enqueue).
            withheld = chain[-1].removeprefix(WITHHELD) if chain and chain[-1].startswith(WITHHELD) else ""
            context = {"reference": reference, "c": item, "chain": chain, "active": cand.active,
                       "withheld": withheld[:1].upper() + withheld[1:],
                       "records": linked_records(s, cand), "waterfall": waterfall(item["evidence"]),
                       "decisions": decisions, "error": error}
        return render(request, "candidate.html", context, status_code=status_code)

    @app.post("/cases/{reference:path}/candidates/{label}/decision", dependencies=csrf)
    async def decision(request: Request, reference: str, label: str) -> Response:
        form = await request.form()
        action, reason = _text(form, "action"), _text(form, "reason")
        if action not in ("verify", "reject"):
            return candidate_page(request, reference, label, "Choose verify or reject.", 400)
        if action == "reject" and not reason:
            return candidate_page(request, reference, label, "Give a reason to reject this candidate.", 400)
        try:
            with db.session_scope() as s:
                user = _user(request)
                decide_as(s, user, require_case(s, user, reference), label, action == "verify", reason)
        except RefusedByPolicy as exc:
            return candidate_page(request, reference, label, str(exc), 403)
        return RedirectResponse(f"/cases/{reference}/candidates/{label}", status_code=303)

    @app.post("/cases/{reference:path}/search", dependencies=csrf)
    def search(request: Request, reference: str) -> Response:
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            problem = _consent_problem(s, case)
            audit.record(s, _user(request).username, "search_refused" if problem else "search", case.reference)
            if problem:
                context = case_context(s, case)
                return render(request, "case.html", {**context, "refused": problem}, status_code=403)
            last = s.exec(select(func.max(SearchRun.id)).where(SearchRun.case_id == case.id)).one() or 0
            case_id = case.id
        start_search(case_id, last)
        return RedirectResponse(f"/cases/{reference}/search", status_code=303)

    @app.get("/cases/{reference:path}/search/status", response_class=HTMLResponse)
    def search_progress_fragment(request: Request, reference: str) -> HTMLResponse:
        with db.session_scope() as s:
            status = search_status(s, require_case(s, _user(request), reference))
        return render(request, "_search_status.html", {"reference": reference, "status": status})

    @app.get("/cases/{reference:path}/search", response_class=HTMLResponse)
    def search_progress(request: Request, reference: str) -> HTMLResponse:
        with db.session_scope() as s:
            status = search_status(s, require_case(s, _user(request), reference))
        return render(request, "search.html", {"reference": reference, "status": status})

    @app.get("/cases/{reference:path}/network", response_class=HTMLResponse)
    def network(request: Request, reference: str) -> HTMLResponse:
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            audit.record(s, _user(request).username, "view_network", case.reference)
            child = s.exec(select(Child).where(Child.case_id == case.id)).first()
            items = queue(s, case)
            context = {"reference": reference, "g": genogram(child, items), "growth": growth(s, case, items)}
        return render(request, "network.html", context)

    @app.get("/cases/{reference:path}/summary", response_class=HTMLResponse)
    def summary(request: Request, reference: str) -> HTMLResponse:
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            audit.record(s, _user(request).username, "view_summary", case.reference)
            context = case_context(s, case)
            items = queue(s, case)
        context.update(verified=[c for c in items if c["status"] == "verified"],
                       blocked=[c for c in items if c["blocked"]],
                       pending=[c for c in items if c["status"] == "pending" and not c["blocked"]],
                       printed=datetime.now(UTC))
        return render(request, "summary.html", context)

    @app.post("/cases/{reference:path}/consent/withdraw", dependencies=csrf)
    async def consent_withdraw(request: Request, reference: str) -> Response:
        reason = _text(await request.form(), "reason")
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            if not reason:
                context = case_context(s, case)
                return render(request, "case.html", {**context, "withdraw_error": "Give a reason."}, 400)
            withdraw_consent(s, case, reason, _user(request).username)
        return RedirectResponse(f"/cases/{reference}", status_code=303)

    @app.get("/cases/{reference:path}", response_class=HTMLResponse)
    def case_page(request: Request, reference: str) -> HTMLResponse:
        with db.session_scope() as s:
            case = require_case(s, _user(request), reference)
            audit.record(s, _user(request).username, "case_view", case.reference)
            context = case_context(s, case)
        return render(request, "case.html", context)

    return app
