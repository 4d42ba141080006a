"""Per-source rate limits: a token bucket outside runs, Prefect global concurrency limits inside."""

from __future__ import annotations

import time

import pytest

from sources import limits


def test_token_bucket_spaces_acquisitions_at_the_rate() -> None:
    clock = [0.0]
    taken: list[float] = []

    def sleep(seconds: float) -> None:
        clock[0] += seconds

    bucket = limits.TokenBucket(rate=4.0, clock=lambda: clock[0], sleep=sleep)
    for _ in range(5):
        bucket.acquire()
        taken.append(clock[0])
    assert taken == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])


def test_outside_a_run_the_bucket_is_used() -> None:
    assert limits.acquire("bucket-test", 50.0) == "bucket"


@pytest.mark.slow
def test_inside_a_flow_the_prefect_limit_is_created_and_respected(prefect_harness) -> None:  # noqa: ANN001
    from prefect import flow
    from prefect.client.orchestration import get_client

    limits.forget_ensured()

    @flow(persist_result=False)
    def three_calls() -> list[float]:
        stamps = []
        for _ in range(3):
            assert limits.acquire("prefect-test", 4.0) == "prefect"
            stamps.append(time.monotonic())
        return stamps

    stamps = three_calls()
    with get_client(sync_client=True) as client:
        limit = client.read_global_concurrency_limit_by_name(limits.limit_name("prefect-test"))
    assert limit.limit == 1 and limit.slot_decay_per_second == 4.0
    assert stamps[-1] - stamps[0] >= 0.4  # two waits of about 1/4 s at four per second
