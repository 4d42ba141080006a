"""Bad input never crashes and never half-writes: seed JSON, record files and web forms."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlmodel import select

from tests.tracing.test_cases import SEED
from tests.tracing.test_web import signed_in
from tracing.cases import SeedCase, parse_seed_case
from tracing.errors import BadInput
from tracing.models import Case, SourceRecord

JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                max_size=4), max_leaves=12)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(value=JSON, key=st.sampled_from(["reference", "child", "consent", "people", "restrictions"]),
       whole=st.booleans())
def test_seed_json_gives_bad_input_or_a_seed_case(value, key: str, whole: bool) -> None:  # noqa: ANN001
    raw = value if whole else {**SEED, key: value}
    with contextlib.suppress(BadInput):
        assert isinstance(parse_seed_case(json.dumps(raw)), SeedCase)


@FUZZ
@given(body=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_record_files_load_whole_or_not_at_all(session, tmp_path_factory, body: bytes) -> None:  # noqa: ANN001
    from sources.files import load_file

    path = tmp_path_factory.mktemp("f") / "records.csv"
    path.write_bytes(b"record_id,surname,forenames,date_of_birth\n" + body)
    before = session.exec(select(func.count()).select_from(SourceRecord)).one()
    try:
        with session.begin_nested():
            load_file(session, "fuzz", "birth_index", path)
    except BadInput:
        assert session.exec(select(func.count()).select_from(SourceRecord)).one() == before


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fields=st.dictionaries(st.sampled_from(["reference", "child_date_of_birth", "child_sex", "people_rows",
                                               "restriction_rows", "p0_relationship", "p0_birth_year",
                                               "r0_kind", "r0_person", "more", "action", "reason", "code"]),
                              st.text(max_size=30), max_size=8))
def test_web_forms_answer_4xx_never_500(session, fields: dict) -> None:  # noqa: ANN001
    client = getattr(test_web_forms_answer_4xx_never_500, "client", None)
    if client is None:
        client = signed_in(session, "fuzzer")
        test_web_forms_answer_4xx_never_500.client = client
    data = {**fields, "csrf_token": client.cookies.get("tracing_csrf")}
    before = session.exec(select(func.count()).select_from(Case)).one()
    for url in ("/cases/new", "/cases/NO-SUCH/candidates/c1/decision", "/login"):
        response = client.post(url, data=data, follow_redirects=False)
        assert response.status_code < 500, (url, response.status_code)
    session.expire_all()
    assert session.exec(select(func.count()).select_from(Case)).one() >= before
