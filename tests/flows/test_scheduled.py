"""A real `prefect server start`: a schedule triggers searches by itself; alerts appear only on change."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from tests.pipelines.test_kin import RECORDS, _birth
from tests.tracing.test_alerts import load
from tests.tracing.test_cases import SEED
from tracing import db
from tracing.cases import add_case, parse_seed_case
from tracing.models import CaseSchedule, Consent, SearchRun

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("prefect-server")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`prefect server start` on a free port with its own PREFECT_HOME; yields the env for clients."""
    home = tmp_path_factory.mktemp("prefect-server")
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "TRACING_"))}
    env.update({
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_WORKER_QUERY_SECONDS": "1",
        "PREFECT_WORKER_PREFETCH_SECONDS": "2",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    })
    log = open(home / "server.log", "w")  # noqa: SIM115
    proc = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.time() + 90
        while True:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None or time.time() > deadline:
                raise RuntimeError("prefect server did not start:\n" + (home / "server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield {**env, "PREFECT_API_URL": api}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture
def world(prefect_server: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A tracing home with the kin records and the contract case; env for the CLI subprocesses."""
    home = tmp_path / "home"
    monkeypatch.setenv("TRACING_HOME", str(home))
    monkeypatch.delenv("TRACING_DATABASE_URL", raising=False)
    db.migrate()
    with db.session_scope() as s:
        load(s, RECORDS, "first")
        add_case(s, parse_seed_case(json.dumps(SEED)))
    return {**prefect_server, "TRACING_HOME": str(home), "PYTHONPATH": str(ROOT)}


def tracing(env: dict[str, str], *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the `tracing` CLI in a subprocess and require success."""
    done = subprocess.run([str(BIN / "tracing"), *args], env=env, capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    """`tracing worker --limit 1` in its own process group."""
    fh = open(log, "w")  # noqa: SIM115
    return subprocess.Popen([str(BIN / "tracing"), "worker", "--limit", "1"], env=env, cwd=ROOT, stdout=fh,
                            stderr=subprocess.STDOUT, start_new_session=True)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (read from /proc), deepest last."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def kill_tree(proc: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
    """Signal a worker and every process it started (flow runs may sit in sessions of their own)."""
    for pid in [proc.pid, *descendants(proc.pid)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=20)


def wait_for(check: Callable[[], object], timeout: float, what: str, log: Path | None = None) -> object:
    """Poll until `check()` is truthy."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if value := check():
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{log.read_text()[-4000:]}" if log else ""))


def runs(state: str | None = None) -> list[SearchRun]:
    with db.session_scope() as s:
        query = select(SearchRun).order_by(SearchRun.id)
        return list(s.exec(query.where(SearchRun.state == state) if state else query))


def alerts(env: dict[str, str]) -> dict:
    return json.loads(tracing(env, "alerts", SEED["reference"], "--format", "json").stdout)


def test_schedule_runs_by_itself_and_alerts_only_on_change(world: dict[str, str], tmp_path: Path) -> None:
    ref = SEED["reference"]
    tracing(world, "schedule", ref, "--every", "5s")
    with db.session_scope() as s:
        row = s.exec(select(CaseSchedule)).one()
        assert row.active and row.deployment_id and row.ends_on.isoformat() == "2032-05-07"
    from prefect.client.orchestration import SyncPrefectClient

    with SyncPrefectClient(world["PREFECT_API_URL"]) as client:
        deployment = client.read_deployment_by_name(f"trace-case/{ref}")
    assert deployment.parameters == {"case_id": 1} and deployment.work_pool_name == "tracing"
    assert deployment.schedules and deployment.schedules[0].schedule.interval.total_seconds() == 5

    log = tmp_path / "worker.log"
    worker = start_worker(world, log)
    try:
        wait_for(lambda: len(runs("completed")) >= 2, 90, "two scheduled searches", log)
        assert alerts(world)["alerts"] == []  # the first search and an unchanged re-search: quiet
        with db.session_scope() as s:
            load(s, [_birth("B12", "HUNTER", "Lily", "DAVIES", "Newham", "2010-01-01")], "second")
        last = max(r.id for r in runs())
        wait_for(lambda: [r for r in runs("completed") if r.id > last], 60, "a search after the new record", log)
        data = alerts(world)
        assert [(a["kind"], a["what"]) for a in data["alerts"]] == [("new", [])]
        assert set(data) == {"case", "run", "alerts"} and data["alerts"][0]["candidate"].startswith("c")

        # Consent withdrawn behind the schedule's back (no stop_for_case call): the worker stops it by itself.
        with db.session_scope() as s:
            consent = s.exec(select(Consent)).one()
            consent.withdrawn_on = date.today()
            s.add(consent)
        wait_for(lambda: runs_stopped(), 30, "the schedule to stop itself", log)
    finally:
        kill_tree(worker, signal.SIGTERM)
    assert all(r.state == "completed" for r in runs() if r.finished_at)
    with db.session_scope() as s:
        assert s.exec(select(CaseSchedule)).one().stopped_reason == "consent_withdrawn"
    from prefect.exceptions import ObjectNotFound

    with SyncPrefectClient(world["PREFECT_API_URL"]) as client, pytest.raises(ObjectNotFound):
        client.read_deployment_by_name(f"trace-case/{ref}")
    assert "no active schedule" in tracing(world, "unschedule", ref).stdout


def runs_stopped() -> bool:
    with db.session_scope() as s:
        return not s.exec(select(CaseSchedule)).one().active
