"""Every parser of client input, fed anything: the documented error or a value, never another exception.

Below the web stack: the request models of ``wire.py`` (only ``pydantic.ValidationError``), the identifier
functions (``None`` or an ``Origin``, nothing raised), the Connect URL parameters (always a ``Parsed``, bad
values named in ``problems``). Over TCP, against the running server: every request body, path parameter
and query parameter answers a documented status with a Flinks body, never a 5xx.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import quote, urlencode

import httpx
import pydantic
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from finstance.connect import wire
from finstance.connect.web import options
from finstance.core import identifiers
from finstance.core.identifiers import IdMinter, Origin
from tests.hardening.conftest import Served, Server, assert_flinks_error

FAST = settings(max_examples=200, deadline=None, database=None)
OVER_TCP = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
)
JSON = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
REQUESTS: list[type[pydantic.BaseModel]] = [
    wire.AuthorizeRequest,
    wire.AccountsSummaryRequest,
    wire.AccountsDetailRequest,
    wire.StatementsRequest,
    wire.ScheduledRefreshRequest,
    wire.AnswerMFAQuestionsRequest,
    wire.RefreshDeltaItem,
    wire.MFAQuestionAnswer,
]


def _names(model: type[pydantic.BaseModel]) -> list[str]:
    """Each field's wire name, as documented and in the other cases clients send."""
    out = []
    for name, field in model.model_fields.items():
        alias = field.alias or name
        out += [alias, alias.lower(), alias.upper()]
    return out


def near_valid(model: type[pydantic.BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Objects whose keys are the model's own (in any case) and whose values are anything JSON."""
    return st.dictionaries(st.sampled_from(_names(model)) | st.text(max_size=12), JSON, max_size=8)


# -- request models ---------------------------------------------------------------------------------


@pytest.mark.parametrize("model", REQUESTS, ids=lambda m: m.__name__)
@given(data=st.data())
@FAST
def test_request_models_accept_or_raise_validation_error_only(
    model: type[pydantic.BaseModel], data: st.DataObject
) -> None:
    value = data.draw(JSON | near_valid(model))
    try:
        parsed = model.model_validate(value)
    except pydantic.ValidationError as exc:
        problems = exc.errors()
        assert problems and all(p["type"] and p["msg"] for p in problems)  # each says what is wrong
        return
    assert isinstance(value, dict)
    dumped = parsed.model_dump(by_alias=True)
    assert model.model_validate(dumped) == parsed  # what was accepted is a stable value


@pytest.mark.parametrize("model", REQUESTS, ids=lambda m: m.__name__)
@given(raw=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
@example(raw=b"[" * 5000)
@example(raw=b'{"RequestId": "\\ud800"}')
@example(raw=b"\xef\xbb\xbf{}")
@FAST
def test_request_models_parse_any_bytes_or_raise_validation_error_only(
    model: type[pydantic.BaseModel], raw: bytes
) -> None:
    try:
        parsed = model.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        problems = exc.errors()
        assert problems and all(p["type"] and p["msg"] for p in problems)
        return
    assert isinstance(parsed, model) and raw.strip().startswith((b"{", b"\xef\xbb\xbf{"))


@given(value=near_valid(wire.AuthorizeRequest))
@FAST
def test_accepted_authorize_bodies_hold_only_typed_values(value: dict[str, Any]) -> None:
    try:
        body = wire.AuthorizeRequest.model_validate(value)
    except pydantic.ValidationError:
        return
    for text in (body.login_id, body.institution, body.username, body.password, body.tag, body.request_id):
        assert text is None or isinstance(text, str)
    assert body.language in ("en", "fr")
    assert isinstance(body.save, bool) and isinstance(body.schedule_refresh, bool)
    assert body.username is None or len(body.username) <= 200
    assert body.password is None or len(body.password) <= 200
    for prompt, answers in (body.security_responses or {}).items():
        assert isinstance(prompt, str) and all(isinstance(a, str) for a in answers)


@given(value=near_valid(wire.AccountsDetailRequest))
@FAST
def test_accepted_detail_bodies_have_dates_in_order(value: dict[str, Any]) -> None:
    try:
        body = wire.AccountsDetailRequest.model_validate(value)
    except pydantic.ValidationError:
        return
    assert isinstance(body.request_id, str)
    assert not (body.date_from and body.date_to and body.date_from > body.date_to)
    assert body.days_of_transactions in ("Days90", "Days365", "Days360")


# -- identifiers ------------------------------------------------------------------------------------

CUSTOMER = "43387ca6-0391-4c82-857d-70d95f087ecb"
OTHER = "615d9e39-b026-43fb-b06c-e50cf7bc1251"
MINTER = IdMinter(CUSTOMER, b"derive-key-for-property-tests!!")


@given(value=st.text(max_size=80) | st.uuids().map(str) | st.uuids().map(lambda u: u.hex.upper()))
@example(value="\x00")
@example(value="{" + "a" * 32 + "}")
@example(value="urn:uuid:" + str(uuid.UUID(int=0)))
@FAST
def test_identifier_functions_never_raise(value: str) -> None:
    parsed = identifiers.parse_guid(value)
    assert parsed is None or isinstance(parsed, uuid.UUID)
    assert identifiers.canonical(value) == (None if parsed is None else str(parsed))
    origin = identifiers.classify(value, CUSTOMER)
    assert isinstance(origin, Origin)
    assert (origin is Origin.MALFORMED) == (parsed is None)
    assert identifiers.is_finstance_id(value) == (origin in (Origin.THIS_INSTANCE, Origin.OTHER_INSTANCE))


@given(value=st.one_of(st.none(), st.integers(), st.binary(), st.lists(st.text())))
@FAST
def test_identifier_parsing_of_non_text_is_none(value: Any) -> None:
    assert identifiers.parse_guid(value) is None


@given(parts=st.lists(st.text(max_size=20), max_size=4), flip=st.integers(min_value=0, max_value=127))
@FAST
def test_minted_identifiers_are_recognised_and_any_altered_bit_is_not(parts: list[str], flip: int) -> None:
    for minted in (MINTER.random(), MINTER.derived(*parts)):
        assert MINTER.origin(minted) is Origin.THIS_INSTANCE
        assert identifiers.classify(minted.upper(), CUSTOMER) is Origin.THIS_INSTANCE
        assert identifiers.classify(minted, OTHER) is Origin.OTHER_INSTANCE
        raw = uuid.UUID(minted).int ^ (1 << flip)
        altered = str(uuid.UUID(int=raw))
        assert identifiers.classify(altered, CUSTOMER) is not Origin.THIS_INSTANCE
    assert MINTER.derived(*parts) == MINTER.derived(*parts)


# -- Connect URL parameters -------------------------------------------------------------------------

PARAM_NAMES = [*options._PARAMS, *options._DISPLAY.values(), "authorizeToken", "AUTHORIZETOKEN"]


@given(
    query=st.dictionaries(
        st.sampled_from(PARAM_NAMES) | st.text(max_size=20), st.text(max_size=600), max_size=12
    )
)
@example(query={"redirectUrl": "javascript:alert(1)", "termsUrl": "http://x\u2028y"})
@example(query={"tag": "a\r\nSet-Cookie: x=1", "customerName": "<script>", "maximumRetry": "٣"})
@FAST
def test_connect_parameters_parse_anything_into_options_or_named_problems(query: dict[str, str]) -> None:
    parsed = options.parse(query)
    assert isinstance(parsed, options.Parsed)
    known = set(options._DISPLAY.values()) | set(options._PARAMS)
    assert set(parsed.problems) <= known
    o = parsed.options
    assert o.language in options.LANGUAGES and o.theme in options.THEMES
    for text in (o.tag, o.customer_name):
        assert text is None or (len(text) <= options.MAX_TEXT and text.isprintable())
    for url in (o.redirect_url, o.terms_url):
        assert url is None or (url.startswith(("http://", "https://")) and url.isprintable())
    assert o.maximum_retry is None or 1 <= o.maximum_retry <= 20
    assert o.days_of_transactions in (None, 90, 365)
    assert options.ConnectOptions.from_json(o.to_json()) == o  # what is stored in a flow reloads unchanged


# -- over TCP: bodies, path and query parameters ------------------------------------------------------

BODIES = {
    "Authorize": wire.AuthorizeRequest,
    "GetAccountsSummary": wire.AccountsSummaryRequest,
    "GetAccountsDetail": wire.AccountsDetailRequest,
    "GetStatements": wire.StatementsRequest,
    "SetScheduledRefresh": wire.ScheduledRefreshRequest,
    "AnswerMFAQuestions": wire.AnswerMFAQuestionsRequest,
}
METHOD = {"SetScheduledRefresh": "PATCH", "AnswerMFAQuestions": "PATCH"}


def _headers(served: Served) -> dict[str, str]:
    return {"x-api-key": served.api_key, "flinks-auth-key": served.secret_key}


@pytest.fixture(scope="module")
def http(server: Server) -> Any:
    with httpx.Client(timeout=30) as client:
        yield client


@pytest.mark.slow
@pytest.mark.parametrize("endpoint", list(BODIES))
@given(data=st.data())
@OVER_TCP
def test_every_request_body_answers_a_flinks_error_never_a_5xx(
    server: Server, http: httpx.Client, endpoint: str, data: st.DataObject
) -> None:
    served = server.instances[data.draw(st.sampled_from(sorted(server.instances)))]
    body = data.draw(JSON | near_valid(BODIES[endpoint]))
    response = http.request(
        METHOD.get(endpoint, "POST"), f"{served.api}/{endpoint}", json=body, headers=_headers(served)
    )
    assert_flinks_error(response)


PATHS = [
    "GetAccountsSummaryAsync/{}",
    "GetAccountsDetailAsync/{}",
    "GetStatementsAsync/{}",
    "DeleteCard/{}",
    "GetMFAQuestions/{}",
    "Institutions/RoutingNumber/{}",
]
PATH_METHOD = {"DeleteCard/{}": "DELETE"}


@pytest.mark.slow
@pytest.mark.parametrize("template", PATHS)
@given(
    value=st.text(min_size=1, max_size=150) | st.uuids().map(str),
    served_name=st.sampled_from(["toolbox", "demo-us"]),
)
@OVER_TCP
def test_every_path_parameter_answers_a_flinks_error_never_a_5xx(
    server: Server, http: httpx.Client, template: str, value: str, served_name: str
) -> None:
    served = server.instances[served_name]
    url = f"{served.api}/{template.format(quote(value, safe=''))}"
    response = http.request(PATH_METHOD.get(template, "GET"), url, headers=_headers(served))
    assert_flinks_error(response)


@pytest.mark.slow
@given(value=st.text(min_size=1, max_size=150))
@OVER_TCP
def test_any_customer_id_in_the_path_answers_a_flinks_error(
    server: Server, http: httpx.Client, value: str
) -> None:
    served = server.instances["demo-ca"]
    url = f"{served.base}/v3/{quote(value, safe='')}/BankingServices/GenerateAuthorizeToken"
    response = http.post(url, headers=_headers(served))
    assert_flinks_error(response)


@pytest.mark.slow
@given(
    skip=st.none() | st.text(max_size=30) | st.integers(min_value=-(2**64), max_value=2**64).map(str),
    take=st.none() | st.text(max_size=30) | st.integers(min_value=-(2**64), max_value=2**64).map(str),
)
@OVER_TCP
def test_institutions_paging_answers_a_page_or_a_flinks_error(
    server: Server, http: httpx.Client, skip: str | None, take: str | None
) -> None:
    served = server.instances["toolbox"]
    query = {k: v for k, v in {"skip": skip, "take": take}.items() if v is not None}
    response = http.get(f"{served.api}/Institutions?{urlencode(query)}")
    valid = all(
        v.strip().lstrip("+").isdigit() or (v.strip().startswith("-") and v.strip()[1:].isdigit())
        for v in query.values()
    )
    if response.status_code == 200:
        assert valid
        page = response.json()
        skip_n = int(query.get("skip", "0"))
        take_n = int(query.get("take", "1000"))
        assert skip_n >= 0 and 1 <= take_n <= 1000
        assert len(page["Institutions"]) == max(0, min(take_n, page["Count"] - skip_n))
    else:
        assert_flinks_error(response, 400)


@pytest.mark.slow
@given(
    query=st.dictionaries(
        st.sampled_from(PARAM_NAMES) | st.text(max_size=20), st.text(max_size=300), max_size=8
    )
)
@OVER_TCP
def test_connect_pages_answer_any_url_parameters_with_a_page_never_a_5xx(
    server: Server, http: httpx.Client, query: dict[str, str]
) -> None:
    served = server.instances["demo-ca"]
    response = http.get(f"{served.base}/v2/?{urlencode(query)}")
    assert response.status_code in (200, 400, 401), response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
