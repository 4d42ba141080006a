"""Run one crawl in this process and exit: `python -m sources.spiders.run JOB.json`.

The job file (written by `sources.crawl`) names the spider, the registered source's base URL, kind
and rate, the guarded queries, the canary hashes and where to write records (JSON lines) and the
status. robots.txt is read first with RFC 9309 semantics: unreachable (5xx / no answer) means the
crawl does not start at all.
"""

from __future__ import annotations

import json
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

from sources.spiders.robots import UNREACHABLE, check_robots
from sources.spiders.settings import SPIDERS, crawl_settings


def _spider_class(adapter: str) -> type:
    module, _, cls = SPIDERS[adapter].rpartition(".")
    return getattr(import_module(module), cls)


def run_job(job: dict[str, Any]) -> dict[str, Any]:
    """Crawl per the job and return the status written to `job["status"]`."""
    verdict = check_robots(job["base_url"], job["user_agent"], float(job.get("timeout", 10.0)))
    status: dict[str, Any] = {"robots": verdict.state, "robots_status": verdict.status}
    if verdict.state == UNREACHABLE:
        Path(job["out"]).write_text("")
        status.update(items=0, crawled=False)
        return status
    from scrapy.crawler import CrawlerProcess

    process = CrawlerProcess(crawl_settings(job, verdict), install_root_handler=False)
    crawler = process.create_crawler(_spider_class(job["adapter"]))
    process.crawl(crawler, base_url=job["base_url"], kind=job["kind"], queries=job["queries"])
    process.start()
    stats = crawler.stats.get_stats()
    status.update(
        crawled=True,
        items=int(stats.get("item_scraped_count", 0)),
        failed_requests=int(stats.get("tracing/failed_requests", 0)),
        garbage_pages=int(stats.get("tracing/garbage_pages", 0)),
        robots_disallowed=int(stats.get("tracing/robots_disallowed", 0)),
        outbound_refused=int(stats.get("tracing/outbound_refused", 0)),
        spider_exceptions=int(sum(v for k, v in stats.items() if k.startswith("spider_exceptions/"))),
        finish_reason=str(stats.get("finish_reason")),
    )
    return status


def main(argv: list[str] | None = None) -> int:
    """Entry point: read the job, crawl, write the status; exit 0 when the status was written."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m sources.spiders.run JOB.json", file=sys.stderr)
        return 2
    job = json.loads(Path(args[0]).read_text(encoding="utf-8"))
    status = run_job(job)
    Path(job["status"]).write_text(json.dumps(status), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
