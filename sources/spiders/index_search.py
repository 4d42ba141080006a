"""A FreeBMD/GRO-style index search site: a GET form (type, surname, forename, year range) and
paginated HTML result tables, one row per index entry.

Assumed page shape (see docs/sources.md): `table.results` whose header cells name the columns
(Surname, Forenames, Mother's maiden surname / Spouse surname, District, Year, Quarter, Month,
Date of birth, Age at death), rows carrying the entry reference in `data-entry`, a `rel="next"`
link for the next page, and `.no-results` when nothing matched.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any
from urllib.parse import urlencode, urljoin

from parsel import Selector
from scrapy import Request, Spider
from scrapy.http import Response

from sources.kinds import KIND_COLUMNS

SEARCH_PATH = "/search"
INDEX_TYPES = {"birth_index": "births", "marriage_index": "marriages", "death_index": "deaths"}
_HEADERS = {
    "surname": "surname", "forenames": "forenames", "forename(s)": "forenames", "given names": "forenames",
    "mother's maiden surname": "mother_maiden_surname", "mother": "mother_maiden_surname",
    "mother's maiden name": "mother_maiden_surname", "spouse surname": "spouse_surname",
    "spouse": "spouse_surname", "district": "district", "year": "year", "quarter": "quarter",
    "month": "month", "date of birth": "date_of_birth", "dob": "date_of_birth", "age at death": "age_at_death",
    "age": "age_at_death", "entry": "record_id", "reference": "record_id",
}


class PageNotUnderstood(ValueError):
    """The page is neither a results table nor a 'no results' page: the site changed or sent garbage."""


def year_range(kind: str, birth_year: int | None, today: date | None = None) -> tuple[int, int] | None:
    """The registration years worth searching for someone born in `birth_year`."""
    if not birth_year:
        return None
    this_year = (today or date.today()).year
    lo, hi = {"birth_index": (birth_year - 1, birth_year + 1), "marriage_index": (birth_year + 15, birth_year + 80),
              "death_index": (birth_year, birth_year + 110)}[kind]
    return lo, min(hi, this_year)


def search_url(base_url: str, kind: str, query: dict[str, str], today: date | None = None) -> str:
    """The form GET for one guarded query."""
    params = {"type": INDEX_TYPES[kind], "surname": query["surname"]}
    if query.get("forename"):
        params["forename"] = query["forename"]
    years = year_range(kind, int(query["birth_year"]) if query.get("birth_year") else None, today)
    if years:
        params["from"], params["to"] = str(years[0]), str(years[1])
    return f"{base_url.rstrip('/')}{SEARCH_PATH}?{urlencode(params)}"


def _cell(value: str) -> str | None:
    value = " ".join(value.split())
    return value or None


def parse_results(html: str, page_url: str, kind: str) -> tuple[list[dict], str | None]:
    """Contract-1 records of `kind` from one results page, and the next page's URL (pure)."""
    sel = Selector(text=html)
    table = sel.css("table.results")
    if not table:
        if sel.css(".no-results"):
            return [], None
        raise PageNotUnderstood("no results table and no 'no results' notice")
    headers = [_HEADERS.get(" ".join("".join(th.css("::text").getall()).split()).casefold())
               for th in table.css("thead th")]
    columns = KIND_COLUMNS[kind]
    records = []
    for row in table.css("tbody tr"):
        cells = [_cell("".join(td.css("::text").getall())) for td in row.css("td")]
        record: dict[str, Any] = dict.fromkeys(columns)
        for col, value in zip(headers, cells, strict=False):
            if col in columns:
                record[col] = value
        record["record_id"] = row.attrib.get("data-entry") or record.get("record_id")
        if record["record_id"]:
            records.append(record)
    href = sel.css('a[rel="next"]::attr(href)').get()
    return records, (urljoin(page_url, href) if href else None)


class IndexSearchSpider(Spider):
    """Search a BMD index site for each guarded query and follow result pages."""

    name = "index_search"

    def __init__(self, base_url: str, kind: str, queries: list[dict[str, str]], max_pages: int = 5,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url, self.kind, self.queries, self.max_pages = base_url, kind, queries, max_pages

    async def start(self) -> AsyncIterator[Request]:
        """One search request per query."""
        for query in self.queries:
            yield Request(search_url(self.base_url, self.kind, query), callback=self.parse,
                          errback=self.failed, cb_kwargs={"page": 1})

    def parse(self, response: Response, page: int = 1) -> Iterator[dict | Request]:
        """Records of one page, then the next page (up to max_pages)."""
        try:
            records, next_url = parse_results(response.text, response.url, self.kind)
        except (PageNotUnderstood, AttributeError, ValueError):
            self.crawler.stats.inc_value("tracing/garbage_pages")
            return
        yield from records
        if next_url and page < self.max_pages:
            yield Request(next_url, callback=self.parse, errback=self.failed, cb_kwargs={"page": page + 1})

    def failed(self, failure: Any) -> None:
        """Count requests that could not be fetched (robots refusals are counted apart)."""
        from scrapy.exceptions import IgnoreRequest
        from scrapy.spidermiddlewares.httperror import HttpError

        if failure.check(IgnoreRequest) and not failure.check(HttpError):
            return
        self.crawler.stats.inc_value("tracing/failed_requests")
