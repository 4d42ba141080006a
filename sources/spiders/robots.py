"""robots.txt with RFC 9309 semantics, checked before a crawl and enforced per request.

RFC 9309 section 2.3.1: a robots.txt that is 4xx ("unavailable") means no rules, crawl anything;
5xx or no answer at all ("unreachable") means assume complete disallow. Scrapy's own
RobotsTxtMiddleware treats a failed fetch as allow-all, so we replace it with this one.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
from protego import Protego
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured

RULES, ALLOW_ALL, UNREACHABLE = "rules", "allow_all", "unreachable"


@dataclass(frozen=True)
class RobotsVerdict:
    """What robots.txt said: parsed rules, allow everything (4xx), or crawl nothing (5xx / no answer)."""

    state: str
    status: int | None = None
    body: str = ""

    def allows(self, url: str, user_agent: str) -> bool:
        """May `user_agent` fetch `url`?"""
        if self.state == ALLOW_ALL:
            return True
        if self.state == UNREACHABLE:
            return False
        return Protego.parse(self.body).can_fetch(url, user_agent)

    def crawl_delay(self, user_agent: str) -> float | None:
        """The Crawl-delay asked for our user agent, if any."""
        if self.state != RULES:
            return None
        delay = Protego.parse(self.body).crawl_delay(user_agent)
        return float(delay) if delay is not None else None


def verdict_for(status: int | None, body: str) -> RobotsVerdict:
    """RFC 9309 reading of one robots.txt answer (status None = no answer)."""
    if status is None or status >= 500:
        return RobotsVerdict(UNREACHABLE, status)
    if 400 <= status < 500:
        return RobotsVerdict(ALLOW_ALL, status)
    if 200 <= status < 300:
        return RobotsVerdict(RULES, status, body)
    return RobotsVerdict(UNREACHABLE, status)  # 1xx/3xx left over after redirects: be safe


def check_robots(base_url: str, user_agent: str, timeout: float = 10.0) -> RobotsVerdict:
    """Fetch `base_url`'s /robots.txt (following up to 5 redirects) and read it per RFC 9309."""
    parts = urlsplit(base_url)
    url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=5,
                          headers={"User-Agent": user_agent}) as client:
            response = client.get(url)
    except httpx.HTTPError:
        return RobotsVerdict(UNREACHABLE)
    body = response.content[:500 * 1024].decode("utf-8", "replace")  # RFC 9309: parse at least 500 KiB
    return verdict_for(response.status_code, body)


class Rfc9309RobotsMiddleware:
    """Downloader middleware enforcing a verdict fetched before the crawl (setting TRACING_ROBOTS)."""

    def __init__(self, verdict: RobotsVerdict, user_agent: str, crawler: Crawler) -> None:
        self.verdict, self.user_agent, self.crawler = verdict, user_agent, crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Rfc9309RobotsMiddleware:
        """Configured from ROBOTSTXT_OBEY and TRACING_ROBOTS ({"state", "status", "body"})."""
        if not crawler.settings.getbool("ROBOTSTXT_OBEY"):
            raise NotConfigured
        raw = crawler.settings.getdict("TRACING_ROBOTS") or {"state": UNREACHABLE}
        verdict = RobotsVerdict(raw["state"], raw.get("status"), raw.get("body", ""))
        return cls(verdict, crawler.settings.get("USER_AGENT"), crawler)

    def process_request(self, request: Request) -> None:
        """Drop requests robots.txt does not allow."""
        if not self.verdict.allows(request.url, self.user_agent):
            self.crawler.stats.inc_value("tracing/robots_disallowed")
            raise IgnoreRequest(f"forbidden by robots.txt ({self.verdict.state})")
        return None
