"""An electoral-register / directory style site: a name search listing people, and person pages with
address spells (address, town, postcode, first and last year seen, age band, others at the address).

Assumed page shape (see docs/sources.md): search results as `a.person` links with `rel="next"`
pagination and `.no-results` when empty; a person page with `h1.full-name` and `table.spells`
whose rows carry the entry reference in `data-record`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode, urljoin

from parsel import Selector
from scrapy import Request, Spider
from scrapy.http import Response

from sources.kinds import KIND_COLUMNS
from sources.spiders.index_search import PageNotUnderstood

SEARCH_PATH = "/people"
_HEADERS = {
    "address": "address", "town": "town", "postcode": "postcode", "from": "first_seen_year",
    "first seen": "first_seen_year", "to": "last_seen_year", "last seen": "last_seen_year",
    "age band": "age_band", "age": "age_band", "others at address": "other_occupants",
    "other occupants": "other_occupants",
}


def search_url(base_url: str, query: dict[str, str]) -> str:
    """The name search for one guarded query."""
    params = {"surname": query["surname"]}
    if query.get("forename"):
        params["forename"] = query["forename"]
    return f"{base_url.rstrip('/')}{SEARCH_PATH}?{urlencode(params)}"


def parse_search(html: str, page_url: str) -> tuple[list[str], str | None]:
    """Person page URLs on one search page, and the next page's URL (pure)."""
    sel = Selector(text=html)
    links = sel.css("a.person::attr(href)").getall()
    if not links and not sel.css(".no-results"):
        raise PageNotUnderstood("no people listed and no 'no results' notice")
    href = sel.css('a[rel="next"]::attr(href)').get()
    return [urljoin(page_url, h) for h in links], (urljoin(page_url, href) if href else None)


def _text(nodes: Any) -> str | None:
    value = " ".join("".join(nodes.css("::text").getall()).split())
    return value or None


def parse_person(html: str) -> list[dict]:
    """Contract-1 `directory` records, one per address spell on a person page (pure)."""
    sel = Selector(text=html)
    name = _text(sel.css("h1.full-name"))
    table = sel.css("table.spells")
    if not name or not table:
        raise PageNotUnderstood("not a person page")
    page_band = _text(sel.css(".age-band"))
    headers = [_HEADERS.get((_text(th) or "").casefold()) for th in table.css("thead th")]
    records = []
    for row in table.css("tbody tr"):
        record: dict[str, Any] = dict.fromkeys(KIND_COLUMNS["directory"])
        record["full_name"] = name
        for col, td in zip(headers, row.css("td"), strict=False):
            if col:
                record[col] = _text(td)
        record["age_band"] = record["age_band"] or page_band
        if record["other_occupants"]:
            record["other_occupants"] = ";".join(x.strip() for x in record["other_occupants"].split(";") if x.strip())
        record["record_id"] = row.attrib.get("data-record")
        if record["record_id"]:
            records.append(record)
    return records


class DirectorySiteSpider(Spider):
    """Search a directory site by name and read each person's address spells."""

    name = "directory_site"

    def __init__(self, base_url: str, kind: str, queries: list[dict[str, str]], max_pages: int = 3,
                 max_people: int = 30, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url, self.kind, self.queries = base_url, kind, queries
        self.max_pages, self.max_people = max_pages, max_people
        self.people_seen: set[str] = set()

    async def start(self) -> AsyncIterator[Request]:
        """One search request per query."""
        for query in self.queries:
            yield Request(search_url(self.base_url, query), callback=self.parse, errback=self.failed,
                          cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1) -> Iterator[Request]:
        """Follow person links (bounded) and the next search page."""
        try:
            people, next_url = parse_search(response.text, response.url)
        except (PageNotUnderstood, AttributeError, ValueError):
            self.crawler.stats.inc_value("tracing/garbage_pages")
            return
        for url in people:
            if url not in self.people_seen and len(self.people_seen) < self.max_people:
                self.people_seen.add(url)
                yield Request(url, callback=self.parse_person_page, errback=self.failed)
        if next_url and page < self.max_pages:
            yield Request(next_url, callback=self.parse, errback=self.failed, cb_kwargs={"page": page + 1})

    def parse_person_page(self, response: Response) -> Iterator[dict]:
        """The address spells of one person."""
        try:
            yield from parse_person(response.text)
        except (PageNotUnderstood, AttributeError, ValueError):
            self.crawler.stats.inc_value("tracing/garbage_pages")

    def failed(self, failure: Any) -> None:
        """Count requests that could not be fetched (robots refusals are counted apart)."""
        from scrapy.exceptions import IgnoreRequest
        from scrapy.spidermiddlewares.httperror import HttpError

        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            return
        self.crawler.stats.inc_value("tracing/failed_requests")
