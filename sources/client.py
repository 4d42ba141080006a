"""A polite HTTP client for one API source: guard, rate limit, retries, Retry-After and an ETag cache.

Every request goes through `outbound.guard_request` (canaries refused) and is recorded in the
`OutboundLog` before it is sent. 5xx answers and timeouts are retried with exponential backoff;
429 waits as long as Retry-After asks (up to a cap, beyond which the source is marked failed);
responses with an ETag or Last-Modified are cached on disk under `$TRACING_HOME/http-cache` and
revalidated with If-None-Match / If-Modified-Since, a 304 reusing the stored body.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx

from sources import limits
from sources.outbound import OutboundLog, ProtectedSet, guard_request
from sources.registry import Registry, SourceEntry
from tracing.errors import TracingError
from tracing.settings import get_settings


class SourceFailed(TracingError):
    """A live source could not give a usable answer (down, slow, refusing or garbage)."""


@dataclass(frozen=True)
class Fetched:
    """An answer: status, body, headers, and whether the body came from the cache (304)."""

    status: int
    content: bytes
    headers: Mapping[str, str]
    from_cache: bool = False

    def json(self) -> Any:
        """The body as JSON, or SourceFailed if it is not JSON."""
        try:
            return json.loads(self.content)
        except (ValueError, UnicodeDecodeError) as exc:
            raise SourceFailed("the source answered with something that is not JSON") from exc


class HttpCache:
    """A small on-disk cache keyed by a hash of the URL: body plus validators (ETag, Last-Modified)."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode()).hexdigest()
        return self.directory / f"{key}.meta.json", self.directory / f"{key}.body"

    def get(self, url: str) -> tuple[dict[str, str], bytes] | None:
        """Validators and body stored for `url`, if any."""
        meta, body = self._paths(url)
        try:
            return json.loads(meta.read_text()), body.read_bytes()
        except (OSError, ValueError):
            return None

    def put(self, url: str, headers: Mapping[str, str], content: bytes) -> None:
        """Store a 200 answer that carries a validator."""
        validators = {k: headers[k] for k in ("etag", "last-modified", "content-type") if k in headers}
        if "etag" not in validators and "last-modified" not in validators:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        meta, body = self._paths(url)
        tmp = body.with_suffix(".tmp")
        tmp.write_bytes(content)
        os.replace(tmp, body)
        meta.write_text(json.dumps(validators))


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: delta-seconds or an HTTP date; None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class SourceClient:
    """The HTTP side of one API source for one run."""

    def __init__(
        self,
        entry: SourceEntry,
        registry: Registry,
        protected: ProtectedSet,
        log: OutboundLog,
        *,
        http: httpx.Client | None = None,
        cache_dir: Path | None = None,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        use_prefect_limit: bool | None = None,
    ) -> None:
        self.entry, self.registry, self.protected, self.log = entry, registry, protected, log
        self.http = http or httpx.Client(timeout=entry.timeout, follow_redirects=False)
        self._own_http = http is None
        self.cache = HttpCache(cache_dir or get_settings().home / "http-cache" / entry.name)
        self.max_retries, self.backoff, self.max_retry_after = max_retries, backoff, max_retry_after
        self.sleep = sleep
        self.use_prefect_limit = use_prefect_limit

    def close(self) -> None:
        """Close the underlying connection pool if we opened it."""
        if self._own_http:
            self.http.close()

    def __enter__(self) -> SourceClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _headers(self, cached: dict[str, str] | None) -> dict[str, str]:
        headers = {"User-Agent": self.registry.user_agent, "Accept": "application/json"}
        if cached:
            if "etag" in cached:
                headers["If-None-Match"] = cached["etag"]
            if "last-modified" in cached:
                headers["If-Modified-Since"] = cached["last-modified"]
        return headers

    def _auth(self) -> httpx.BasicAuth | None:
        if not self.entry.api_key_env:
            return None
        key = os.environ.get(self.entry.api_key_env)
        if not key:
            raise SourceFailed(f"{self.entry.name}: API key variable {self.entry.api_key_env} is not set")
        # Companies House style: the key is the basic-auth user name, the password is empty.
        return httpx.BasicAuth(key, "")

    def get(self, path: str, params: Mapping[str, str] | None = None, fields: tuple[str, ...] = ()) -> Fetched:
        """GET `path` (relative to the base URL, or an absolute URL on the same host) politely."""
        base = httpx.URL(self.entry.base_url + "/")
        url = base.join(path.lstrip("/")) if not path.startswith(("http://", "https://")) else httpx.URL(path)
        if url.host != base.host or url.port != base.port:
            raise SourceFailed(f"{self.entry.name}: refusing to follow a link off the registered host")
        if params:
            url = url.copy_merge_params(dict(params))
        url_text = str(url)
        guard_request(self.protected, self.entry.name, url_text)
        auth = self._auth()
        cached = self.cache.get(url_text)
        attempt = 0
        while True:
            limits.acquire(self.entry.name, self.entry.rate_limit, self.use_prefect_limit)
            request = self.http.build_request("GET", url, headers=self._headers(cached[0] if cached else None))
            if auth is not None:
                request = next(auth.auth_flow(request))
            try:
                response = self.http.send(request)
            except (httpx.TimeoutException, httpx.TransportError) as exc:
                self.log.record(self.entry.name, "GET", url_text, fields=fields)
                if attempt >= self.max_retries:
                    raise SourceFailed(f"{self.entry.name}: no answer after {attempt + 1} tries "
                                       f"({type(exc).__name__})") from exc
                self.sleep(self.backoff * 2**attempt)
                attempt += 1
                continue
            self.log.record(self.entry.name, "GET", url_text, status=response.status_code, fields=fields)
            status = response.status_code
            if status == 304 and cached:
                return Fetched(200, cached[1], cached[0], from_cache=True)
            if status == 429:
                wait = retry_after_seconds(response.headers.get("retry-after"))
                wait = self.backoff * 2**attempt if wait is None else wait
                if attempt >= self.max_retries or wait > self.max_retry_after:
                    raise SourceFailed(f"{self.entry.name}: rate limited (429) and asked to wait {wait:.0f}s")
                self.sleep(wait)
                attempt += 1
                continue
            if status >= 500:
                if attempt >= self.max_retries:
                    raise SourceFailed(f"{self.entry.name}: server error {status} after {attempt + 1} tries")
                self.sleep(self.backoff * 2**attempt)
                attempt += 1
                continue
            if status in (401, 403):
                raise SourceFailed(f"{self.entry.name}: access refused ({status}); check the API key and terms")
            if status == 404:
                return Fetched(404, b"", response.headers)
            if status >= 400:
                raise SourceFailed(f"{self.entry.name}: request refused ({status})")
            content = response.content
            if status == 200:
                self.cache.put(url_text, response.headers, content)
            return Fetched(status, content, response.headers)
