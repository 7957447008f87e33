"""The Connect API routes under ``/v3/{customerId}/BankingServices``: parse, call a service, serialize."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Header, Path, Query
from pydantic import BaseModel
from starlette.responses import Response

from finstance.connect import cards, data, sessions, tokens, wire
from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.http.deps import Ctx, require_api_key
from finstance.core.http.responses import (
    AGGREGATION,
    BAD_REQUEST,
    COMMON,
    DISABLED,
    PENDING,
    UNAUTHORIZED,
    json_response,
)
from finstance.sandbox import bank
from finstance.sandbox.institutions import by_routing_number, catalogue, to_wire

ENDPOINTS = (
    "GenerateAuthorizeToken",
    "Authorize",
    "GetAccountsSummary",
    "GetAccountsSummaryAsync",
    "GetAccountsDetail",
    "GetAccountsDetailAsync",
    "GetStatements",
    "GetStatementsAsync",
    "DeleteCard",
    "SetScheduledRefresh",
    "GetMFAQuestions",
    "AnswerMFAQuestions",
    "Institutions",
)


AuthKey = Annotated[
    str | None,
    Header(alias="flinks-auth-key", description="Secret key, or the authorize token on /Authorize"),
]
ApiKey = Annotated[str | None, Header(alias="x-api-key", description="The instance's x-api-key")]


F = TypeVar("F", bound=Callable[..., Response])

router = APIRouter(prefix="/v3/{customerId}/BankingServices", tags=["Connect"])


@router.post(
    "/GenerateAuthorizeToken",
    response_model=None,
    responses={200: {"model": wire.TokenResponse}, **UNAUTHORIZED},
    summary="Mint a single-use authorize token (30 minutes) with the secret key",
)
def generate_authorize_token(ctx: Ctx, auth_key: AuthKey = None) -> Response:
    token = tokens.generate(ctx, auth_key)
    return json_response({"HttpStatusCode": 200, "Token": token})


@router.post(
    "/Authorize",
    response_model=None,
    responses={
        200: {"model": wire.AuthorizeResponse, "description": "Session open"},
        203: {
            "model": wire.AuthorizeResponse,
            "description": "Security challenge: answer with SecurityResponses",
        },
        **COMMON,
        **DISABLED,
    },
    summary="Open a session: cached by LoginId, live by LoginId or credentials, or answer a challenge",
)
def authorize(ctx: Ctx, body: wire.AuthorizeRequest, auth_key: AuthKey = None) -> Response:
    outcome = sessions.authorize(
        ctx,
        auth_key,
        sessions.AuthorizeInput(
            login_id=body.login_id,
            most_recent_cached=body.most_recent_cached,
            institution=body.institution,
            username=body.username,
            password=body.password,
            language=body.language,
            tag=body.tag,
            request_id=body.request_id,
            security_responses=body.security_responses,
            save=body.save,
            schedule_refresh=body.schedule_refresh,
        ),
    )
    if outcome.error is not None:
        if outcome.prompts:  # the challenge still stands: show it again beside the error
            outcome.error.extra["SecurityChallenges"] = _challenges(outcome.prompts)
        raise outcome.error
    session = outcome.session
    if outcome.prompts:
        body_203: dict[str, Any] = {
            "Links": sessions.AUTHORIZE_LINKS,
            "HttpStatusCode": 203,
            "SecurityChallenges": _challenges(outcome.prompts),
            "Institution": session.institution,
            "RequestId": session.id,
        }
        if session.tag is not None:
            body_203["Tag"] = session.tag
        return json_response(body_203, 203)
    assert outcome.login is not None
    return json_response(authorized(session.id, session.institution, session.tag, outcome.login))


def authorized(
    request_id: str, institution: str, tag: str | None, login: sessions.LoginLike
) -> dict[str, Any]:
    """The 200 answer of an Authorize that opened a session (this route's, and the fast lane's)."""
    result: dict[str, Any] = {
        "HttpStatusCode": 200,
        "Links": [
            {"rel": "AccountsDetail", "href": "/GetAccountsDetail", "example": None},
            {"rel": "AccountsSummary", "href": "/GetAccountsSummary", "example": None},
            {"rel": "Statements", "href": "/GetStatements", "example": None},
        ],
        "InstitutionName": institution,
        "Login": data.login_info(login),
        "InstitutionId": bank.INSTITUTION_ID,
        "Institution": institution,
        "RequestId": request_id,
    }
    if tag is not None:
        result["Tag"] = tag
    return result


def _challenges(prompts: list[str]) -> list[dict[str, str]]:
    return [{"Type": "QuestionAndAnswer", "Prompt": p} for p in prompts]


DATA_RESPONSES: dict[int | str, dict[str, Any]] = {**PENDING, **COMMON, **AGGREGATION}


def _data(ctx: InstanceContext, api_key: str | None, operation: str, request_id: str, body: Any) -> Response:
    require_api_key(ctx, api_key)
    return json_response(data.fetch(ctx, operation, request_id, body))


RequestIdPath = Annotated[str, Path(alias="requestId", max_length=100)]


def poll_route(path: str, model: type[BaseModel], summary: str) -> Callable[[F], F]:
    """Register a poll for GET and POST as two routes, so each method gets its own operationId."""

    def register(endpoint: F) -> F:
        for method in ("GET", "POST"):
            router.add_api_route(
                path,
                endpoint,
                methods=[method],
                response_model=None,
                responses={200: {"model": model}, **DATA_RESPONSES},
                summary=summary,
            )
        return endpoint

    return register


@router.post(
    "/GetAccountsSummary",
    response_model=None,
    responses={200: {"model": wire.AccountsSummaryResponse}, **DATA_RESPONSES},
    summary="Accounts with balances and holder, without transactions",
)
def accounts_summary(ctx: Ctx, body: wire.AccountsSummaryRequest, api_key: ApiKey = None) -> Response:
    return _data(ctx, api_key, data.SUMMARY, body.request_id, body)


@poll_route(
    "/GetAccountsSummaryAsync/{requestId}", wire.AccountsSummaryResponse, "Poll a summary that answered 202"
)
def accounts_summary_async(ctx: Ctx, request_id: RequestIdPath, api_key: ApiKey = None) -> Response:
    return _data(ctx, api_key, data.SUMMARY, request_id, None)


@router.post(
    "/GetAccountsDetail",
    response_model=None,
    responses={200: {"model": wire.AccountsDetailResponse}, **DATA_RESPONSES},
    summary="Accounts with transactions, balances, identity, KYC and statements as asked",
)
def accounts_detail(ctx: Ctx, body: wire.AccountsDetailRequest, api_key: ApiKey = None) -> Response:
    return _data(ctx, api_key, data.DETAIL, body.request_id, body)


@poll_route(
    "/GetAccountsDetailAsync/{requestId}",
    wire.AccountsDetailResponse,
    "Poll an accounts detail that answered 202 (same options as the original call)",
)
def accounts_detail_async(ctx: Ctx, request_id: RequestIdPath, api_key: ApiKey = None) -> Response:
    return _data(ctx, api_key, data.DETAIL, request_id, None)


@router.post(
    "/GetStatements",
    response_model=None,
    responses={200: {"model": wire.StatementsResponse}, **DATA_RESPONSES},
    summary="Monthly PDF statements per account (Canadian instances)",
)
def statements(ctx: Ctx, body: wire.StatementsRequest, api_key: ApiKey = None) -> Response:
    return _data(ctx, api_key, data.STATEMENTS, body.request_id, body)


@poll_route("/GetStatementsAsync/{requestId}", wire.StatementsResponse, "Poll statements that answered 202")
def statements_async(ctx: Ctx, request_id: RequestIdPath, api_key: ApiKey = None) -> Response:
    return _data(ctx, api_key, data.STATEMENTS, request_id, None)


LoginIdPath = Annotated[str, Path(alias="loginId", max_length=100)]


@router.delete(
    "/DeleteCard/{loginId}",
    response_model=None,
    responses={200: {"model": wire.DeleteCardResponse}, **COMMON},
    summary="Delete a loginId and every piece of data held for it",
)
def delete_card(ctx: Ctx, login_id: LoginIdPath, api_key: ApiKey = None) -> Response:
    require_api_key(ctx, api_key)
    removed = cards.delete_card(ctx, login_id)
    message = f"All of the information about LoginId {removed} has been removed"
    return json_response({"StatusCode": 200, "Message": message})


@router.patch(
    "/SetScheduledRefresh",
    response_model=None,
    responses={200: {"model": wire.ScheduledRefreshResponse}, **COMMON},
    summary="Turn the nightly refresh of a loginId on or off",
)
def set_scheduled_refresh(ctx: Ctx, body: wire.ScheduledRefreshRequest, api_key: ApiKey = None) -> Response:
    require_api_key(ctx, api_key)
    return json_response(cards.set_scheduled_refresh(ctx, body))


@router.get(
    "/GetMFAQuestions/{loginId}",
    response_model=None,
    responses={200: {"model": wire.MFAQuestionsResponse}, **COMMON},
    summary="The security questions the institution may ask this login (Canada)",
)
def get_mfa_questions(ctx: Ctx, login_id: LoginIdPath, api_key: ApiKey = None) -> Response:
    require_api_key(ctx, api_key)
    return json_response(cards.mfa_questions(ctx, login_id))


@router.patch(
    "/AnswerMFAQuestions",
    response_model=None,
    responses={200: {"model": wire.MessageResponse}, **COMMON},
    summary="Store answers used by unattended refreshes (Canada)",
)
def answer_mfa_questions(ctx: Ctx, body: wire.AnswerMFAQuestionsRequest, api_key: ApiKey = None) -> Response:
    require_api_key(ctx, api_key)
    return json_response(cards.answer_mfa_questions(ctx, body))


@router.get(
    "/Institutions",
    response_model=None,
    responses={200: {"model": wire.InstitutionsResponse}, **COMMON},
    summary="The institutions this instance's country offers, paged with skip and take (at most 1000)",
)
def institutions(
    ctx: Ctx,
    skip: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    take: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> Response:
    found = catalogue(ctx.spec.country)
    page = [to_wire(i) for i in found[skip : skip + take]]
    return json_response({"HttpStatusCode": 200, "Count": len(found), "Institutions": page})


@router.get(
    "/Institutions/RoutingNumber/{routingNumber}",
    response_model=None,
    responses={200: {"model": wire.InstitutionOut}, **COMMON, 404: BAD_REQUEST[400]},
    summary="A U.S. institution by one of its routing numbers",
)
def institution_by_routing_number(
    ctx: Ctx, routing_number: Annotated[str, Path(alias="routingNumber", max_length=32)]
) -> Response:
    found = by_routing_number(routing_number.strip())
    if found is None or found.country is not ctx.spec.country:
        raise errors.NotFound("No institution of this instance's country has that routing number.")
    return json_response(to_wire(found))
