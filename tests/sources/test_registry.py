"""The source registry is the allowlist: defaults, validation naming file and key, refusal of the unregistered."""

from __future__ import annotations

from pathlib import Path

import pytest

from sources.registry import (
    REGISTRY_ENV,
    list_registry,
    load_registry,
    registry_path,
    require_source,
    validate_registry,
)
from tracing.errors import BadInput, RefusedByPolicy

GOOD = """
[registry]
contact = "https://example.org/contact"

[sources.ch]
kind = "company_officers"
type = "api"
adapter = "companies_house"
base_url = "https://api.example.org"
lawful_basis = "public task"
terms_reviewed_on = 2026-01-15
rate_limit = 2
may_send = ["surname", "forename"]
api_key_env = "CH_KEY"

[sources.old_births]
kind = "birth_index"
type = "file"
lawful_basis = "public task"
terms_reviewed_on = 2026-01-15
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(text)
    return path


def test_default_registry_is_created_on_first_use_with_live_sources_disabled(tracing_home: Path) -> None:
    registry = load_registry()
    assert registry_path() == tracing_home / "sources.toml" and registry_path().exists()
    assert {"companies_house", "gazette", "bmd_births", "people_directory"} <= set(registry.sources)
    assert registry.live() == []
    assert registry.user_agent.startswith("tracing-family-finding/0.1 (+https://")
    for entry in registry.sources.values():
        assert not {"address", "postcode", "date_of_birth"} & set(entry.may_send)


def test_unregistered_and_disabled_sources_are_refused(tracing_home: Path) -> None:
    with pytest.raises(RefusedByPolicy, match="not registered"):
        require_source("some_people_finder")
    with pytest.raises(RefusedByPolicy, match="not enabled"):
        require_source("gazette")


def test_registry_file_can_be_chosen_by_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(REGISTRY_ENV, str(_write(tmp_path, GOOD)))
    assert validate_registry() == ["ch", "old_births"]
    entry = require_source("ch", type="api")
    assert entry.min_interval == 0.5 and entry.may_send == ("surname", "forename")
    with pytest.raises(RefusedByPolicy, match="type api, not spider"):
        require_source("ch", type="spider")


@pytest.mark.parametrize(("change", "key"), [
    (('rate_limit = 2', 'rate_limit = 50'), "sources.ch.rate_limit"),
    (('may_send = ["surname", "forename"]', 'may_send = ["surname", "postcode"]'), "sources.ch.may_send"),
    (('kind = "company_officers"', 'kind = "gossip"'), "sources.ch.kind"),
    (('adapter = "companies_house"', 'adapter = "anything"'), "sources.ch.adapter"),
    (('api_key_env = "CH_KEY"', 'api_kee = "CH_KEY"'), "sources.ch.api_kee"),
    (('terms_reviewed_on = 2026-01-15\nrate', 'terms_reviewed_on = "soon"\nrate'), "sources.ch.terms_reviewed_on"),
    (('contact = "https://example.org/contact"', 'contact = "me"'), "registry.contact"),
])
def test_bad_registry_names_file_and_key(tmp_path: Path, change: tuple[str, str], key: str) -> None:
    path = _write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(BadInput) as exc:
        validate_registry(path)
    assert str(path) in str(exc.value) and f"key {key}" in str(exc.value)


def test_broken_toml_names_the_file(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD + "\n[sources.broken\n")
    with pytest.raises(BadInput, match="not valid TOML") as exc:
        validate_registry(path)
    assert str(path) in str(exc.value)


def test_list_rows_join_loaded_counts_and_show_unregistered_files(tmp_path: Path) -> None:
    registry = load_registry(_write(tmp_path, GOOD))
    rows = list_registry(registry, [{"source": "ch", "kind": "company_officers", "files": 1, "rows": 7},
                                    {"source": "adhoc", "kind": "directory", "files": 1, "rows": 3}])
    by_name = {r["source"]: r for r in rows}
    assert by_name["ch"]["records"] == 7 and by_name["ch"]["may_send"] == "surname, forename"
    assert by_name["adhoc"]["type"] == "file (unregistered)"
