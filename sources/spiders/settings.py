"""Scrapy settings for a crawl of one registered source: polite by default, all from the registry."""

from __future__ import annotations

from typing import Any

from sources.spiders.robots import RobotsVerdict

SPIDERS = {
    "index_search": "sources.spiders.index_search.IndexSearchSpider",
    "directory_site": "sources.spiders.directory_site.DirectorySiteSpider",
}


def crawl_settings(job: dict[str, Any], verdict: RobotsVerdict) -> dict[str, Any]:
    """Settings for `job` (see `sources.crawl`): robots per RFC 9309, one request at a time at the
    registered rate (or robots.txt's Crawl-delay if slower), AutoThrottle, an HTTP cache and our User-Agent."""
    delay = 1.0 / float(job["rate_limit"])
    asked = verdict.crawl_delay(job["user_agent"])
    if asked:
        delay = max(delay, min(asked, 60.0))
    return {
        "BOT_NAME": "tracing",
        "USER_AGENT": job["user_agent"],
        "ROBOTSTXT_OBEY": True,
        "TRACING_ROBOTS": {"state": verdict.state, "status": verdict.status, "body": verdict.body},
        "TRACING_PROTECTED": job["protected"],
        "TRACING_BASE_URL": job["base_url"],
        "TRACING_REQUESTS_LOG": job.get("requests_log"),
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
            "sources.spiders.guard.OutboundGuardMiddleware": 50,
            "sources.spiders.robots.Rfc9309RobotsMiddleware": 100,
        },
        "CONCURRENT_REQUESTS": 1,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": delay,
        "RANDOMIZE_DOWNLOAD_DELAY": False,  # the registered rate is a ceiling, not an average
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": delay,
        "AUTOTHROTTLE_MAX_DELAY": 60.0,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
        "HTTPCACHE_ENABLED": True,
        "HTTPCACHE_DIR": job["cache_dir"],
        "HTTPCACHE_EXPIRATION_SECS": 24 * 3600,
        "HTTPCACHE_IGNORE_HTTP_CODES": [408, 429, 500, 502, 503, 504, 522, 524],
        "DOWNLOAD_TIMEOUT": float(job.get("timeout", 10.0)),
        "RETRY_ENABLED": True,
        "RETRY_TIMES": 2,
        "REDIRECT_MAX_TIMES": 5,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": job.get("log_level", "WARNING"),
        "FEEDS": {job["out"]: {"format": "jsonlines", "encoding": "utf8", "overwrite": True}},
        "CLOSESPIDER_TIMEOUT": float(job.get("crawl_timeout", 300)),
    }
