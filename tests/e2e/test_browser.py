"""The coordinator's journey in a real browser: intake -> search -> review -> verify -> genogram.

Drives Debian's Chromium through Playwright against `uvicorn` serving a small synthetic world,
checks every page with a small in-page accessibility checker (no axe download is possible
offline), and saves screenshots of the main pages to docs/screenshots/.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from sources.kinds import KINDS
from tracing.synthetic import build_world, write_world

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]
ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FORM_CASE, UPLOAD_CASE = "LL-2026-0002", "LL-2026-0003"  # searchable with restrictions; without PR consent

# WCAG 2.2 AA basics that can be checked mechanically; returns one line per violation.
A11Y_CHECK = r"""
() => {
  const out = [];
  const add = (rule, el) => out.push(rule + (el ? ": " + el.outerHTML.slice(0, 140) : ""));
  const byIds = (list) => (list || "").split(/\s+/).filter(Boolean).map(i => document.getElementById(i));
  const text = (el) => (el.textContent || "").replace(/\s+/g, " ").trim();
  const accName = (el) => (el.getAttribute("aria-label") || "").trim()
      || byIds(el.getAttribute("aria-labelledby")).filter(Boolean).map(text).join(" ").trim()
      || (el.labels ? [...el.labels].map(text).join(" ").trim() : "")
      || text(el) || (el.value || "").trim() || (el.getAttribute("title") || "").trim()
      || [...el.querySelectorAll("img[alt]")].map(i => i.alt).join(" ").trim();
  if (!document.documentElement.lang) add("html-has-lang");
  if (!document.title.trim()) add("document-title");
  const h1s = document.querySelectorAll("h1");
  if (h1s.length !== 1) add("page-has-one-h1 (found " + h1s.length + ")");
  let level = 0;
  document.querySelectorAll("h1, h2, h3, h4, h5, h6").forEach(h => {
    const l = Number(h.tagName[1]);
    if (level && l > level + 1) add("heading-order", h);
    level = l;
  });
  if (document.querySelectorAll("main").length !== 1) add("one-main-landmark");
  if (!document.querySelector("body > header")) add("banner-landmark");
  if (!document.querySelector("nav")) add("navigation-landmark");
  if (!document.querySelector("body > footer")) add("contentinfo-landmark");
  const skip = document.querySelector("a[href]");
  if (!skip || skip.getAttribute("href") !== "#main") add("skip-link-first");
  const seen = new Set();
  document.querySelectorAll("[id]").forEach(e => {
    if (seen.has(e.id)) add("duplicate-id " + e.id, e);
    seen.add(e.id);
  });
  document.querySelectorAll("[aria-describedby], [aria-labelledby]").forEach(e => {
    const refs = (e.getAttribute("aria-describedby") || "") + " " + (e.getAttribute("aria-labelledby") || "");
    byIds(refs).forEach(t => { if (!t) add("aria-reference-exists", e); });
  });
  document.querySelectorAll("img").forEach(i => { if (!i.hasAttribute("alt")) add("image-alt", i); });
  document.querySelectorAll("svg").forEach(s => {
    if (s.parentElement.closest("svg") || s.getAttribute("aria-hidden") === "true") return;
    if (s.getAttribute("role") !== "img" || !accName(s)) add("svg-img-alt", s);
  });
  document.querySelectorAll("input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea")
    .forEach(el => {
      if (!(el.labels && [...el.labels].some(l => text(l))) && !el.getAttribute("aria-label")) add("label", el);
    });
  document.querySelectorAll("button, input[type=submit], input[type=button], [role=button]")
    .forEach(b => { if (!accName(b)) add("button-name", b); });
  document.querySelectorAll("a[href]").forEach(a => { if (!accName(a)) add("link-name", a); });
  document.querySelectorAll("table").forEach(t => {
    if (!t.querySelector("th")) add("table-has-headers", t);
    t.querySelectorAll("thead th").forEach(th => { if (th.getAttribute("scope") !== "col") add("th-scope-col", th); });
    t.querySelectorAll("tbody th").forEach(th => { if (th.getAttribute("scope") !== "row") add("th-scope-row", th); });
  });
  document.querySelectorAll("[aria-invalid=true]").forEach(e => {
    if (!byIds(e.getAttribute("aria-describedby")).some(t => t && /error/.test(t.id))) add("error-described", e);
  });
  // Colour contrast of visible HTML text against the first opaque background behind it.
  const rgba = (c) => { const m = c.match(/[\d.]+/g) || [0, 0, 0, 0]; return m.map(Number).concat([1]).slice(0, 4); };
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
  const lum = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c[3] > 0.5) return c;
    }
    return [255, 255, 255, 1];
  };
  document.querySelectorAll("body *").forEach(el => {
    if (el.closest("svg, .visually-hidden, option, script, style, noscript")) return;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width < 2 || box.height < 2) return;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none") return;
    const fg = rgba(style.color), bg = background(el);
    const [a, b] = [lum(fg) + 0.05, lum(bg) + 0.05];
    const ratio = Math.max(a, b) / Math.min(a, b);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) add("color-contrast " + ratio.toFixed(2), el);
  });
  return out;
}
"""


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """A synthetic world loaded into a fresh TRACING_HOME and served by uvicorn on a free port."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    base = tmp_path_factory.mktemp("browser")
    world = build_world(families=60, seed=5, cases=3)
    paths = write_world(world, base / "world")
    env = {**os.environ, "TRACING_HOME": str(base / "home"), "PREFECT_HOME": str(base / "prefect"),
           "TRACING_USER": "browser-test"}
    env.pop("TRACING_DATABASE_URL", None)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACING_HOME", env["TRACING_HOME"])
        mp.delenv("TRACING_DATABASE_URL", raising=False)
        from sources.files import load_file
        from tracing import db

        db.migrate()
        for kind in KINDS:
            with db.session_scope() as s:
                load_file(s, kind, kind, Path(paths[kind]))
    port = _free_port()
    log = base / "server.log"  # a file, not a pipe nobody reads: a full pipe would stall the server
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "--factory", "tracing.web:create_app", "--host", "127.0.0.1",
             "--port", str(port), "--log-level", "warning"],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the Prefect server the flow starts goes down with it
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 30
        while True:
            try:
                if httpx.get(url + "/login", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"uvicorn did not start: {server_log(base)}")
            time.sleep(0.2)
        cases = {c["reference"]: c for c in world.cases}
        yield {"url": url, "cases": cases, "base": base, "env": env}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        time.sleep(0.5)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)  # anything of the group still running


@pytest.fixture(scope="module")
def browser(site: dict) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, site: dict) -> Iterator[object]:  # noqa: ANN001
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=site["url"],
                                  locale="en-GB", timezone_id="Europe/London")
    pg = context.new_page()
    pg.console_errors = []
    # A CSP violation (inline script or style) shows up as a console error; a missing asset as a failed response.
    # Pages answered 4xx on purpose (form errors, refusals) are documents and are not counted.
    pg.on("console", lambda m: m.type == "error" and not m.text.startswith("Failed to load resource")
          and pg.console_errors.append(m.text))
    pg.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
          and pg.console_errors.append(f"{r.status} {r.url}"))
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    sign_in(pg, site)
    yield pg
    context.close()


PASSWORD = "browser test password 1"


def server_log(base: Path) -> str:
    """The end of the web server's output (the flow's and the temporary Prefect server's too)."""
    return (base / "server.log").read_text(errors="replace")[-4000:]


def wait_for_search(page, site: dict) -> None:  # noqa: ANN001
    """Wait until the background search has finished (its status stops polling); fail saying how it ended."""
    status = page.locator("#search-status:not([data-poll])")
    status.wait_for(timeout=300_000)  # a busy CI machine: the first flow run starts a temporary Prefect server
    state = status.get_attribute("data-state")
    assert state == "completed", f"the search ended {state}: {status.inner_text()}\n{server_log(site['base'])}"


def sign_in(page, site: dict) -> None:  # noqa: ANN001
    """A fresh coordinator-journey user (an administrator, so every case is theirs), signed in with a TOTP code."""
    from tracing import auth, db

    username = f"browser{int(time.time() * 1000) % 10_000_000}"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACING_HOME", site["env"]["TRACING_HOME"])
        mp.delenv("TRACING_DATABASE_URL", raising=False)
        with db.session_scope() as s:
            _, secret = auth.create_user(s, username, "administrator", None, PASSWORD)
    page.goto("/login")
    check(page)
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.fill("#code", auth.totp(secret))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site["url"] + "/")


def check(page, shot: str | None = None) -> None:  # noqa: ANN001
    """No accessibility violations, no console (CSP) errors; optionally save a screenshot."""
    page.wait_for_load_state("load")
    violations = page.evaluate(A11Y_CHECK)
    assert violations == [], f"{page.url}:\n" + "\n".join(violations)
    assert page.console_errors == [], page.console_errors
    if shot:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{shot}.png"), full_page=True)


def fill_seed_form(page, seed: dict) -> None:  # noqa: ANN001
    """Type a seed case into the new-case form, growing it as a coordinator would."""
    while page.locator("fieldset.person").count() < len(seed["people"]):
        page.get_by_role("button", name="Add another person").click()
    while page.locator("fieldset.restriction").count() < len(seed["restrictions"]):
        page.get_by_role("button", name="Add another restriction").click()
    page.fill("#reference", seed["reference"])
    for key, value in seed["child"].items():
        if key == "sex":
            page.select_option("#child_sex", value)
        else:
            page.fill(f"#child_{key}", str(value))
    for key, value in seed["consent"].items():
        page.fill(f"#consent_{key}", str(value))
    for i, person in enumerate(seed["people"]):
        assert person["id"] == f"s{i + 1}"
        page.select_option(f"#p{i}_relationship", person["relationship"])
        for key in ("forenames", "surname", "date_of_birth", "birth_year", "approx_age"):
            if key in person:
                page.fill(f"#p{i}_{key}", str(person[key]))
        if person.get("former_surnames"):
            page.fill(f"#p{i}_former_surnames", ", ".join(person["former_surnames"]))
        for k, place in enumerate(person.get("places", [])):
            for key, value in place.items():
                page.fill(f"#p{i}_place{k}_{key}", str(value))
    for i, restriction in enumerate(seed["restrictions"]):
        page.select_option(f"#r{i}_kind", restriction["kind"])
        if restriction.get("person"):
            page.select_option(f"#r{i}_person", restriction["person"])
        for key in ("place", "reason"):
            if restriction.get(key):
                page.fill(f"#r{i}_{key}", restriction[key])


def stored_seed(site: dict, reference: str) -> dict:
    """The case as the database holds it, in the seed JSON's shape (for comparing with the input)."""
    from sqlmodel import select

    from tracing import db
    from tracing.cases import get_case
    from tracing.models import Child, Consent, Restriction, SeedPerson

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACING_HOME", site["env"]["TRACING_HOME"])
        with db.session_scope() as s:
            case = get_case(s, reference)
            child = s.exec(select(Child).where(Child.case_id == case.id)).one()
            consent = s.exec(select(Consent).where(Consent.case_id == case.id)).one()
            people = s.exec(select(SeedPerson).where(SeedPerson.case_id == case.id).order_by(SeedPerson.key)).all()
            restrictions = s.exec(select(Restriction).where(Restriction.case_id == case.id)).all()

            def clean(d: dict) -> dict:
                def value(v: object) -> object:
                    if isinstance(v, list):
                        return [clean(x) if isinstance(x, dict) else x for x in v]
                    return v.isoformat() if hasattr(v, "isoformat") else v

                return {k: value(v) for k, v in d.items() if v not in (None, [], "")}

            return {
                "reference": case.reference,
                "child": clean(child.model_dump(exclude={"id", "case_id"})),
                "consent": clean(consent.model_dump(exclude={"id", "case_id", "withdrawn_on"})),
                "people": [clean({"id": p.key, **p.model_dump(exclude={"id", "case_id", "key"})}) for p in people],
                "restrictions": [clean({"kind": r.kind, "person": r.person_key, "place": r.place, "reason": r.reason})
                                 for r in restrictions],
            }


def address_of(site: dict, source: str, record_id: str) -> str:
    from sqlmodel import select

    from tracing import db
    from tracing.models import SourceRecord

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACING_HOME", site["env"]["TRACING_HOME"])
        with db.session_scope() as s:
            rec = s.exec(select(SourceRecord).where(SourceRecord.source == source,
                                                    SourceRecord.record_id == record_id)).one()
            return rec.data["address"]


def test_coordinator_journey_intake_search_review_verify_genogram(page, site: dict) -> None:  # noqa: ANN001
    seed = site["cases"][FORM_CASE]

    page.goto("/")
    check(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"

    # Intake: an incomplete form is refused with errors beside the fields, then completed.
    page.get_by_role("link", name="New case").first.click()
    check(page)
    page.select_option("#p0_relationship", "mother")
    page.fill("#p0_birth_year", "1980")
    page.fill("#p0_approx_age", "40")
    page.get_by_role("button", name="Save case").click()
    # The refusal re-renders the same address, so wait on the page itself (the focus is moved by app.js
    # once the document has loaded), not on a URL change.
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.locator(".error-summary")).to_be_focused()
    assert page.get_attribute("#p0_date_of_birth", "aria-invalid") == "true"
    check(page, "new-case-errors")
    page.fill("#p0_birth_year", "")
    page.fill("#p0_approx_age", "")
    page.select_option("#p0_relationship", "")
    fill_seed_form(page, seed)
    check(page, "new-case-form")
    page.get_by_role("button", name="Save case").click()
    page.wait_for_url(f"**/cases/{FORM_CASE}")
    assert stored_seed(site, FORM_CASE) == json.loads(json.dumps(seed))  # the form is the JSON contract
    assert "Brook Street" not in page.content()  # undisclosable places are never shown
    check(page, "case")

    # Search in the background with live progress.
    page.get_by_role("button", name="Start search").click()
    page.wait_for_url(f"**/cases/{FORM_CASE}/search")
    check(page, "search-progress")
    wait_for_search(page, site)
    expect(page.get_by_text("Search complete")).to_be_visible()
    check(page)
    page.get_by_role("link", name="Open the review queue").click()
    check(page, "queue")
    rows = page.locator("table.queue tbody tr")
    assert rows.count() > 5

    # Filters and sorting.
    page.select_option("#f-side", "maternal")
    page.select_option("#f-sort", "score")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**side=maternal**")
    sides = page.locator("table.queue tbody td:nth-child(4)").all_inner_texts()
    assert sides and set(sides) == {"maternal"}
    page.select_option("#f-flag", "blocked")
    page.select_option("#f-side", "all")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**flag=blocked**")
    blocked_links = page.locator("table.queue tbody th a")
    assert blocked_links.count() >= 1  # the do-not-contact father is recognised
    blocked_links.first.click()
    expect(page.get_by_text("can never be verified")).to_be_visible()
    assert page.get_by_role("button", name="Verify — this is the relative").count() == 0
    expect(page.get_by_text("No contact details are ever shown for a blocked person.")).to_be_visible()
    check(page)

    # Review: the best-ranked candidate with an address held; the address appears only after verifying.
    page.goto(f"/cases/{FORM_CASE}/queue?flag=clear")
    links = [a.get_attribute("href") for a in page.locator("table.queue tbody th a").all()]
    for href in links:
        page.goto(href)
        held = page.get_by_text("An address is held")
        if held.count():
            break
    else:
        pytest.fail("no verifiable candidate with an address")
    source, record_id = held.inner_text().split("(")[1].split(")")[0].split()
    address = address_of(site, source, record_id)
    assert address not in page.content()
    assert page.locator("table.waterfall tbody tr").count() >= 1
    assert page.locator("table.records tbody tr").count() >= 1
    check(page, "candidate")
    page.get_by_role("button", name="Verify — this is the relative").click()
    page.locator(".contact").wait_for()
    assert address in page.locator(".contact").inner_text()
    check(page, "candidate-verified")

    # Network: the verified relative is emphasised in the genogram.
    page.get_by_role("link", name="Review queue").first.click()
    page.locator("nav.case-nav").get_by_role("link", name="Network").click()
    page.wait_for_url(f"**/cases/{FORM_CASE}/network")
    assert page.locator("svg.genogram g.person.verified").count() == 1
    assert page.locator("svg.genogram g.person.child").count() == 1
    assert page.locator("svg.growth").is_visible()
    check(page, "network")

    page.locator("nav.case-nav").get_by_role("link", name="Printable summary").click()
    page.wait_for_url(f"**/cases/{FORM_CASE}/summary")
    assert address in page.content()
    check(page, "summary")
    page.goto("/")
    check(page, "cases")


def test_imported_case_without_consent_cannot_be_searched(page, site: dict, tmp_path: Path) -> None:  # noqa: ANN001
    seed = site["cases"][UPLOAD_CASE]
    assert "parental_responsibility_consent_on" not in seed["consent"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps(seed), encoding="utf-8")
    page.goto("/cases/new")
    page.set_input_files("#seed_file", str(path))
    page.get_by_role("button", name="Import").click()
    page.wait_for_url(f"**/cases/{UPLOAD_CASE}")
    page.get_by_role("button", name="Start search").click()
    expect(page.get_by_role("heading", name="The search was refused")).to_be_visible()
    expect(page.get_by_text("parental-responsibility consent").first).to_be_visible()
    check(page, "search-refused")

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**seed, "reference": "LL-X", "people": [{"id": "s1", "relationship": "grandma"}]}))
    page.goto("/cases/new")
    page.set_input_files("#seed_file", str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("$.people[0].relationship")).to_be_visible()
    check(page)


def test_the_accessibility_checker_catches_what_it_claims_to(page) -> None:  # noqa: ANN001
    page.goto("/cases/new")
    assert page.evaluate(A11Y_CHECK) == []
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.append(document.createElement("input"));
      const h1 = document.createElement("h1"); h1.textContent = "Second heading"; main.append(h1);
      const faint = document.createElement("p"); faint.textContent = "faint"; faint.style.color = "#bbbbbb";
      main.append(faint);
      main.append(document.createElement("button"));
    }""")
    found = " | ".join(page.evaluate(A11Y_CHECK))
    for rule in ("label", "page-has-one-h1", "color-contrast", "button-name"):
        assert rule in found, (rule, found)
