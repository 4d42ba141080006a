"""Downloader middleware: the outbound guard inside a crawl subprocess, and its request log.

The crawl gets the case's canaries as keyed hashes only (see `sources.outbound.ProtectedSet`).
Every request is checked against them and against the registered host before it may leave, and
its URL is appended to the job's request log for the parent's outbound record.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from sources.outbound import ProtectedSet


class OutboundGuardMiddleware:
    """Refuse requests off the registered host or carrying a canary; log the rest."""

    def __init__(self, crawler: Crawler, protected: ProtectedSet, host: str, log_path: str | None) -> None:
        self.crawler, self.protected, self.host, self.log_path = crawler, protected, host, log_path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> OutboundGuardMiddleware:
        """Configured from TRACING_PROTECTED, TRACING_BASE_URL and TRACING_REQUESTS_LOG."""
        s = crawler.settings
        protected = ProtectedSet.from_json(s.getdict("TRACING_PROTECTED"))
        return cls(crawler, protected, urlsplit(s.get("TRACING_BASE_URL")).netloc, s.get("TRACING_REQUESTS_LOG"))

    def process_request(self, request: Request) -> None:
        """Check, then note, one request."""
        if urlsplit(request.url).netloc != self.host:
            self.crawler.stats.inc_value("tracing/offsite_refused")
            raise IgnoreRequest("off the registered host")
        body = request.body.decode("utf-8", "replace") if request.body else ""
        if self.protected.violations(f"{request.url} {body}"):
            self.crawler.stats.inc_value("tracing/outbound_refused")
            raise IgnoreRequest("outbound guard refused the request")
        if self.log_path:
            with open(self.log_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps({"method": request.method, "url": request.url, "body": body,
                                     "at": datetime.now(UTC).isoformat()}) + "\n")
        return None
