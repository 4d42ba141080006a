"""Crawls in a subprocess against the replicas: RFC 9309 robots, disallow honoured, pace, garbage."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sources.client import SourceFailed
from sources.crawl import run_crawl
from sources.outbound import OutboundLog, ProtectedSet
from sources.spiders.robots import ALLOW_ALL, RULES, UNREACHABLE, verdict_for


def test_robots_verdicts_follow_rfc_9309() -> None:
    assert verdict_for(404, "").state == ALLOW_ALL and verdict_for(404, "").allows("http://h/x", "ua")
    assert verdict_for(503, "").state == UNREACHABLE and not verdict_for(503, "").allows("http://h/", "ua")
    assert verdict_for(None, "").state == UNREACHABLE
    rules = verdict_for(200, "User-agent: *\nDisallow: /person/\nCrawl-delay: 2\n")
    assert rules.state == RULES and rules.allows("http://h/people?s=x", "ua")
    assert not rules.allows("http://h/person/P1", "ua") and rules.crawl_delay("ua") == 2.0


def _crawl(fresh, name: str, queries: list[dict], tmp_path: Path, **changes) -> tuple[list[dict], OutboundLog]:  # noqa: ANN001
    registry = fresh.registry()
    entry = replace(registry.get(name), **changes)
    log = OutboundLog()
    records = run_crawl(entry, registry, queries, ProtectedSet(), log, timeout=60, cache_dir=tmp_path / "cache")
    return records, log


def _surname_with_births(world) -> str:  # noqa: ANN001
    counts = world.records["birth_index"]["surname"].value_counts()
    return str(counts.index[0])


@pytest.mark.slow
def test_robots_5xx_means_nothing_is_crawled(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    control = fresh.replicas["index_site"].control
    control.robots = "5xx"
    with pytest.raises(SourceFailed, match="robots.txt unreachable"):
        _crawl(fresh, "birth_index", [{"surname": "SMITH"}], tmp_path)
    assert [r.path for r in control.requests] == ["/robots.txt"]


@pytest.mark.slow
def test_robots_404_means_crawl_and_records_come_back(fresh, world, tmp_path: Path) -> None:  # noqa: ANN001
    control = fresh.replicas["index_site"].control
    control.robots = "404"
    surname = _surname_with_births(world)
    records, log = _crawl(fresh, "birth_index", [{"surname": surname}], tmp_path)
    expected = set(world.records["birth_index"].query("surname == @surname")["record_id"])
    assert {r["record_id"] for r in records} == expected  # every page followed
    assert any(r.path == "/search" for r in control.requests)
    assert all("/search" in r.url or r.url.endswith("/robots.txt") for r in log.requests)
    ua = {r.headers["user-agent"] for r in control.requests}
    assert ua == {fresh.registry().user_agent}


@pytest.mark.slow
def test_robots_disallow_is_honoured(fresh, world, tmp_path: Path) -> None:  # noqa: ANN001
    control = fresh.replicas["directory_site"].control
    control.robots = "disallow_people"
    surname = str(world.records["directory"]["full_name"].str.split().str[-1].value_counts().index[0])
    records, _ = _crawl(fresh, "directory", [{"surname": surname}], tmp_path)
    assert records == []
    assert any(r.path == "/people" for r in control.requests)
    assert not [r for r in control.requests if r.path.startswith("/person/")]
    control.robots = "allow"
    records, _ = _crawl(fresh, "directory", [{"surname": surname}], tmp_path / "again")
    assert records and all(r["full_name"].split()[-1].casefold() == surname.casefold() for r in records)


@pytest.mark.slow
def test_crawl_keeps_to_the_rate_limit(fresh, world, tmp_path: Path) -> None:  # noqa: ANN001
    control = fresh.replicas["index_site"].control
    surnames = list(world.records["death_index"]["surname"].unique()[:4])
    _crawl(fresh, "death_index", [{"surname": s} for s in surnames], tmp_path, rate_limit=5.0)
    times = [r.at for r in control.requests if r.path == "/search"]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) >= 4 and min(gaps) >= 0.18, gaps


@pytest.mark.slow
def test_garbage_pages_fail_the_crawl(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    fresh.replicas["index_site"].control.garbage = True
    with pytest.raises(SourceFailed, match="garbage_pages"):
        _crawl(fresh, "birth_index", [{"surname": "SMITH"}], tmp_path)
