"""Replica servers over a small synthetic world, shared by the live-source tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def world():  # noqa: ANN201
    """A small deterministic synthetic world (synthetic people only)."""
    from tracing.synthetic import build_world

    return build_world(families=20, seed=3, cases=3)


@pytest.fixture(scope="module")
def replicas(world) -> Iterator:  # noqa: ANN001
    """The four replica servers on 127.0.0.1, fast rate limits, short timeouts."""
    from sources.replicas import running_replicas

    with running_replicas(world.records, rate_limit=50.0, timeout=1.0) as reps:
        yield reps


@pytest.fixture
def fresh(replicas):  # noqa: ANN001, ANN201
    """The replicas with every switch reset and their request logs emptied."""
    from sources.replicas import ReplicaControl

    for rep in replicas.replicas.values():
        c = rep.control
        defaults = ReplicaControl()
        c.robots, c.fail_next, c.throttle_next = defaults.robots, 0, 0
        c.retry_after, c.slow_seconds, c.garbage, c.etags = defaults.retry_after, 0.0, False, True
        c.requests.clear()
    return replicas
