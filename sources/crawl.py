"""Run a spider source's crawl in a subprocess and bring its records back.

A process never runs two crawls (Twisted's reactor cannot restart), so every crawl is
`python -m sources.spiders.run JOB.json` with a timeout. The job carries only guarded queries and
the canaries as keyed hashes; the crawl's request log is folded into the run's `OutboundLog`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from sources.client import SourceFailed
from sources.outbound import OutboundLog, ProtectedSet
from sources.registry import Registry, SourceEntry
from tracing.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]


def run_crawl(entry: SourceEntry, registry: Registry, queries: list[dict[str, str]], protected: ProtectedSet,
              log: OutboundLog, *, timeout: float = 300.0, cache_dir: Path | None = None) -> list[dict]:
    """Crawl `entry` for `queries` in a subprocess; its records, or SourceFailed (nothing partial)."""
    if not queries:
        return []
    cache_dir = cache_dir or get_settings().home / "http-cache" / "scrapy" / entry.name
    cache_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=f"crawl-{entry.name}-") as tmp:
        tmpdir = Path(tmp)
        os.chmod(tmpdir, 0o700)
        job = {
            "source": entry.name, "adapter": entry.adapter, "kind": entry.kind, "base_url": entry.base_url,
            "rate_limit": entry.rate_limit, "user_agent": registry.user_agent, "queries": queries,
            "protected": protected.to_json(), "out": str(tmpdir / "records.jsonl"),
            "status": str(tmpdir / "status.json"), "requests_log": str(tmpdir / "requests.jsonl"),
            "cache_dir": str(cache_dir), "timeout": entry.timeout, "crawl_timeout": max(timeout - 10, 5),
        }
        job_path = tmpdir / "job.json"
        job_path.write_text(json.dumps(job), encoding="utf-8")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        try:
            proc = subprocess.run([sys.executable, "-m", "sources.spiders.run", str(job_path)], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            raise SourceFailed(f"{entry.name}: crawl took longer than {timeout:.0f}s") from exc
        finally:
            requests_log = tmpdir / "requests.jsonl"
            if requests_log.exists():
                for line in requests_log.read_text(encoding="utf-8").splitlines():
                    r = json.loads(line)
                    log.record(entry.name, r["method"], r["url"], r.get("body", ""))
        status_path = tmpdir / "status.json"
        if proc.returncode != 0 or not status_path.exists():
            raise SourceFailed(f"{entry.name}: crawl process failed (exit {proc.returncode})")
        status = json.loads(status_path.read_text())
        if not status.get("crawled"):
            raise SourceFailed(f"{entry.name}: robots.txt unreachable (status {status.get('robots_status')}); "
                               "RFC 9309: crawled nothing")
        problems = [k for k in ("failed_requests", "garbage_pages", "spider_exceptions", "outbound_refused")
                    if status.get(k)]
        if problems:
            raise SourceFailed(f"{entry.name}: crawl incomplete ({', '.join(f'{k}={status[k]}' for k in problems)})")
        out = tmpdir / "records.jsonl"
        text = out.read_text(encoding="utf-8") if out.exists() else ""
        return [json.loads(line) for line in text.splitlines() if line.strip()]
