"""`tracing serve`: a small server-rendered web app over the same functions as the CLI.

Cases, the ranked review queue, a candidate with its evidence, and verify/reject. Contact
details appear only after verification; nothing personal goes into a URL.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlmodel import func, select

from tracing import db
from tracing.cases import get_case
from tracing.errors import TracingError
from tracing.models import Candidate, Case, Child, SearchRun
from tracing.review import decide, get_candidate, queue
from tracing.settings import get_settings

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).with_name("templates")))
STATUS = {2: 400, 3: 403}


def create_app() -> FastAPI:
    """The coordinator web app."""
    app = FastAPI(title="tracing", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def no_store(request: Request, call_next):  # noqa: ANN001, ANN202
        response: Response = await call_next(request)
        # Pages carry personal data: never cache them, never frame them.
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self' 'unsafe-inline'"
        return response

    @app.exception_handler(TracingError)
    async def tracing_error(request: Request, exc: TracingError) -> HTMLResponse:
        return TEMPLATES.TemplateResponse(request, "error.html", {"message": str(exc)},
                                          status_code=STATUS.get(exc.exit_code, 404))

    @app.get("/", response_class=HTMLResponse)
    def cases(request: Request) -> HTMLResponse:
        with db.session_scope() as s:
            rows = []
            for case in s.exec(select(Case).order_by(Case.reference)):
                child = s.exec(select(Child).where(Child.case_id == case.id)).first()
                pending = s.exec(select(func.count()).select_from(Candidate).where(
                    Candidate.case_id == case.id, Candidate.status == "pending", Candidate.active == True)).one()  # noqa: E712
                last = s.exec(select(SearchRun).where(SearchRun.case_id == case.id)
                              .order_by(SearchRun.id.desc())).first()
                rows.append({"reference": case.reference, "status": case.status,
                             "child": f"{child.forenames or ''} {child.surname or ''}".strip() if child else "",
                             "pending": pending, "last_search": last.started_at.date() if last else None})
        return TEMPLATES.TemplateResponse(request, "cases.html", {"cases": rows})

    @app.get("/cases/{reference}", response_class=HTMLResponse)
    def case_queue(request: Request, reference: str) -> HTMLResponse:
        with db.session_scope() as s:
            items = queue(s, get_case(s, reference))
        return TEMPLATES.TemplateResponse(request, "queue.html", {"reference": reference, "items": items})

    @app.get("/cases/{reference}/candidates/{label}", response_class=HTMLResponse)
    def candidate(request: Request, reference: str, label: str) -> HTMLResponse:
        with db.session_scope() as s:
            case = get_case(s, reference)
            cand = get_candidate(s, case, label)
            item = next(i for i in queue(s, case, include_inactive=True) if i["id"] == f"c{cand.id}")
            chain = list(cand.chain)
        return TEMPLATES.TemplateResponse(request, "candidate.html",
                                          {"reference": reference, "c": item, "chain": chain})

    @app.post("/cases/{reference}/candidates/{label}/decision")
    def decision(reference: str, label: str, action: str = Form(...), reason: str = Form("")) -> Response:
        with db.session_scope() as s:
            decide(s, get_case(s, reference), label, action == "verify", reason, get_settings().user)
        return RedirectResponse(f"/cases/{reference}/candidates/{label}", status_code=303)

    return app
