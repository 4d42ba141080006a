"""The polite API client against the replicas: retries, Retry-After, ETag caching, rate limit, garbage."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from sources import companies_house, gazette
from sources.client import SourceClient, SourceFailed, retry_after_seconds
from sources.outbound import OutboundLog, ProtectedSet

pytestmark = pytest.mark.slow


def _client(fresh, name: str, tmp_path: Path, sleeps: list[float] | None = None, **entry_changes) -> SourceClient:  # noqa: ANN001
    registry = fresh.registry()
    entry = replace(registry.get(name), **entry_changes)
    sleep = sleeps.append if sleeps is not None else time.sleep
    return SourceClient(entry, registry, ProtectedSet(), OutboundLog(), cache_dir=tmp_path / "cache",
                        sleep=sleep, use_prefect_limit=False)


def _ch(fresh):  # noqa: ANN001, ANN202
    return fresh.replicas["companies_house"].control


@pytest.fixture(autouse=True)
def _api_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACING_REPLICA_API_KEY", "synthetic-key")


def test_fetch_returns_contract_records_with_user_agent_and_basic_auth(fresh, world, tmp_path: Path) -> None:  # noqa: ANN001
    officer = world.records["company_officers"].iloc[0]
    surname, forenames = officer["name"].split(", ", 1)
    first = forenames.split(" ")[0]
    with _client(fresh, "company_officers", tmp_path) as client:
        records = companies_house.fetch({"surname": surname, "forename": first}, client,
                                        birth_year=int(officer["birth_year"]))
    assert records and all(r["name"].startswith(f"{surname}, {first}") for r in records)
    first = _ch(fresh).requests[0]
    assert first.headers["user-agent"].startswith("tracing-family-finding/0.1 (+https://")
    assert first.headers["authorization"].startswith("Basic ")


def test_missing_api_key_fails_before_anything_is_sent(fresh, tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.delenv("TRACING_REPLICA_API_KEY")
    with _client(fresh, "company_officers", tmp_path) as client, pytest.raises(SourceFailed, match="not set"):
        companies_house.fetch({"surname": "PAYNE"}, client)
    assert _ch(fresh).requests == []


def test_server_errors_are_retried_with_exponential_backoff(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    _ch(fresh).fail_next = 2
    sleeps: list[float] = []
    with _client(fresh, "company_officers", tmp_path, sleeps) as client:
        found = client.get(companies_house.SEARCH_PATH, {"q": "Stephen PAYNE"})
    assert found.status == 200 and sleeps == [0.5, 1.0]
    assert [r.status for r in _ch(fresh).requests] == [503, 503, 200]


def test_server_errors_beyond_the_retries_fail_the_source(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    _ch(fresh).fail_next = 10
    sleeps: list[float] = []
    with _client(fresh, "company_officers", tmp_path, sleeps) as client, pytest.raises(SourceFailed, match="503"):
        client.get(companies_house.SEARCH_PATH, {"q": "Stephen PAYNE"})
    assert sleeps == [0.5, 1.0, 2.0] and len(_ch(fresh).requests) == 4


def test_429_waits_as_long_as_retry_after_asks(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    control = _ch(fresh)
    control.throttle_next, control.retry_after = 1, "1"
    with _client(fresh, "company_officers", tmp_path) as client:
        found = client.get(companies_house.SEARCH_PATH, {"q": "Stephen PAYNE"})
    first, second = control.requests
    assert found.status == 200 and (first.status, second.status) == (429, 200)
    assert second.at - first.at >= 0.95


def test_429_asking_for_too_long_fails_the_source(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    control = _ch(fresh)
    control.throttle_next, control.retry_after = 1, "3600"
    with _client(fresh, "company_officers", tmp_path, []) as client, pytest.raises(SourceFailed, match="429"):
        client.get(companies_house.SEARCH_PATH, {"q": "Stephen PAYNE"})


def test_retry_after_reads_seconds_and_http_dates() -> None:
    from datetime import UTC, datetime

    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Thu, 01 Jan 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("soon") is None


def test_etag_is_sent_back_and_a_304_reuses_the_cached_body(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    with _client(fresh, "probate", tmp_path) as client:
        first = client.get(gazette.FEED_PATH, {"text": "GALLAGHER"})
        second = client.get(gazette.FEED_PATH, {"text": "GALLAGHER"})
    a, b = fresh.replicas["gazette"].control.requests
    assert "if-none-match" not in a.headers and b.headers["if-none-match"]
    assert b.status == 304 and second.from_cache and second.content == first.content


def test_garbage_fails_the_source(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    fresh.replicas["gazette"].control.garbage = True
    with _client(fresh, "probate", tmp_path) as client, pytest.raises(SourceFailed, match="not JSON"):
        gazette.fetch({"surname": "GALLAGHER"}, client)


def test_slow_source_times_out_and_fails(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    fresh.replicas["gazette"].control.slow_seconds = 0.6
    client = _client(fresh, "probate", tmp_path, [], timeout=0.2)
    with client, pytest.raises(SourceFailed, match="no answer"):
        client.get(gazette.FEED_PATH, {"text": "GALLAGHER"})


def test_requests_keep_to_the_rate_limit(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    with _client(fresh, "probate", tmp_path, rate_limit=5.0) as client:
        for n in range(4):
            client.get(gazette.FEED_PATH, {"text": f"NAME{n}"})
    times = [r.at for r in fresh.replicas["gazette"].control.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 4 and min(gaps) >= 0.18, gaps


def test_links_off_the_registered_host_are_refused(fresh, tmp_path: Path) -> None:  # noqa: ANN001
    with _client(fresh, "probate", tmp_path) as client, pytest.raises(SourceFailed, match="registered host"):
        client.get("http://example.org/elsewhere")
