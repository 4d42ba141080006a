"""Per-source rate limits: Prefect global concurrency limits inside runs, a token bucket outside.

Inside a Prefect flow or task the limit is shared by every worker through the Prefect server: a
global concurrency limit of one slot that decays at the source's rate (slots per second), taken
with `rate_limit(name, strict=True)`. Outside a run (tests, scripts) a plain in-process token
bucket keeps the same pace.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

LIMIT_PREFIX = "tracing-source-"
_ensured: dict[str, float] = {}
_ensured_lock = threading.Lock()


def limit_name(source: str) -> str:
    """The Prefect global concurrency limit name of a source."""
    return f"{LIMIT_PREFIX}{source}"


def ensure_limit(source: str, rate: float) -> str:
    """Create (or correct) the source's global concurrency limit through the Prefect client; returns its name."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
    from prefect.exceptions import ObjectNotFound

    name = limit_name(source)
    with _ensured_lock:
        if _ensured.get(name) == rate:
            return name
        with get_client(sync_client=True) as client:
            try:
                existing = client.read_global_concurrency_limit_by_name(name)
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=name, limit=1, slot_decay_per_second=rate, active=True)
                )
            else:
                if existing.slot_decay_per_second != rate or existing.limit != 1 or not existing.active:
                    client.update_global_concurrency_limit(
                        name, GlobalConcurrencyLimitUpdate(limit=1, slot_decay_per_second=rate, active=True)
                    )
        _ensured[name] = rate
    return name


def forget_ensured() -> None:
    """Forget which limits were ensured (a new Prefect server, e.g. in tests)."""
    with _ensured_lock:
        _ensured.clear()


class TokenBucket:
    """A blocking token bucket: at most `rate` acquisitions per second, bursts of `capacity`."""

    def __init__(self, rate: float, capacity: float = 1.0, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate, self.capacity = rate, capacity
        self._tokens = capacity
        self._clock, self._sleep = clock, sleep
        self._last = clock()
        self._lock = threading.Lock()

    def acquire(self) -> None:
        """Block until one token is available and take it."""
        with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return
                self._sleep((1 - self._tokens) / self.rate)


_buckets: dict[tuple[str, float], TokenBucket] = {}
_buckets_lock = threading.Lock()


def in_prefect_run() -> bool:
    """True inside a Prefect flow or task run."""
    from prefect.context import FlowRunContext, TaskRunContext

    return FlowRunContext.get() is not None or TaskRunContext.get() is not None


def acquire(source: str, rate: float, use_prefect: bool | None = None) -> str:
    """Wait for the source's next request slot; returns "prefect" or "bucket" (which limiter was used)."""
    if use_prefect is None:
        use_prefect = in_prefect_run()
    if use_prefect:
        from prefect.concurrency.sync import rate_limit

        rate_limit(ensure_limit(source, rate), strict=True)
        return "prefect"
    with _buckets_lock:
        bucket = _buckets.setdefault((source, rate), TokenBucket(rate))
    bucket.acquire()
    return "bucket"
