"""Enrich's routes: parse, call a service, serialize.

A login's attributes and categories take the instance's ``x-api-key`` (as GetAccountsDetail does); the
libraries, the category trees and the uploads take the secret key as ``Authorization: Bearer {secret}``, as
Flinks documents them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Header, Path, Query, Request
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from finstance.core import errors
from finstance.core.country import Country
from finstance.core.http.deps import Ctx, require_api_key, require_secret
from finstance.core.http.responses import BAD_REQUEST, COMMON, PENDING, json_response
from finstance.enrich import attributes, categories, service, wire

ApiKey = Annotated[str | None, Header(alias="x-api-key", description="The instance's x-api-key")]
Bearer = Annotated[
    str | None, Header(alias="Authorization", description="Bearer {secret key} of the instance")
]
# A header is text or absent, never null: typed int (not int | None) so that the document says so; 0 is the
# default, "no limit" (a client cannot send it: 1 to 365).
LimitDays = Annotated[
    int,
    Header(alias="limitDays", ge=1, le=365, description="Compute over the last 1 to 365 days only"),
]
NO_LIMIT = 0
LoginIdPath = Annotated[str, Path(alias="loginId", max_length=100)]
RequestIdPath = Annotated[str, Path(alias="requestId", max_length=100)]

RESPONSES: dict[int | str, dict[str, Any]] = {**PENDING, **COMMON}
# The upload bodies are read as plain JSON and checked by ``uploads.parse`` (10,000 transactions would cost
# 150 ms as validation objects); the OpenAPI document still describes them (Product.schemas).
UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/UploadRequest"}}},
    }
}


async def read_json(request: Request) -> Any:
    try:
        return orjson.loads(await request.body())
    except orjson.JSONDecodeError:
        raise errors.InvalidRequest("The body must be a JSON object.") from None


insight = APIRouter(prefix="/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}", tags=["Enrich"])


WithDetail = Annotated[
    bool,
    Query(
        alias="attributesDetail",
        description="List the transactions behind each attribute in Card.AttributesDetail (off by default)",
    ),
]


def _package_route(endpoint: str) -> Callable[..., Response]:
    def route(
        ctx: Ctx,
        login_id: LoginIdPath,
        request_id: RequestIdPath,
        api_key: ApiKey = None,
        limit_days: LimitDays = NO_LIMIT,
        detail: WithDetail = False,
    ) -> Response:
        require_api_key(ctx, api_key)
        return json_response(service.package(ctx, login_id, request_id, endpoint, limit_days or None, detail))

    route.__name__ = endpoint
    return route


for _endpoint, _package in service.PACKAGES.items():
    insight.add_api_route(
        f"/{_endpoint}",
        _package_route(_endpoint),
        methods=["GET"],
        response_model=None,
        responses={200: {"model": wire.AttributesResponse}, **RESPONSES},
        summary=f"The attributes of the {_package} package, computed from the login's transactions",
    )


@insight.get("/{endpoint}", include_in_schema=False)
def package_any_case(
    ctx: Ctx,
    login_id: LoginIdPath,
    request_id: RequestIdPath,
    endpoint: Annotated[str, Path(max_length=100)],
    api_key: ApiKey = None,
    limit_days: LimitDays = NO_LIMIT,
    detail: WithDetail = False,
) -> Response:
    """Endpoint names match case-insensitively, as on Flinks."""
    name = {e.lower(): e for e in service.PACKAGES}.get(endpoint.lower())
    if name is None:
        raise errors.NotFound("No such Enrich endpoint.")
    return _package_route(name)(ctx, login_id, request_id, api_key, limit_days, detail)


@insight.post(
    "",
    response_model=None,
    responses={200: {"model": wire.AttributesResponse}, **RESPONSES},
    summary="A custom list of attributes, over some accounts, with the transactions behind chosen ones",
)
def custom_attributes(
    ctx: Ctx,
    login_id: LoginIdPath,
    request_id: RequestIdPath,
    body: wire.AttributesRequest,
    api_key: ApiKey = None,
    limit_days: LimitDays = NO_LIMIT,
) -> Response:
    require_api_key(ctx, api_key)
    return json_response(
        service.custom(
            ctx,
            login_id,
            request_id,
            names=body.attributes.card if body.attributes else None,
            detail_names=body.attributes_detail.card if body.attributes_detail else None,
            categories=body.filters.account_category if body.filters else None,
            account_ids=body.account_filter,
            days=limit_days or None,
        )
    )


categorization = APIRouter(prefix="/v3/{customerId}", tags=["Enrich"])


@categorization.get(
    "/categorization/login/{loginId}/requestid/{requestId}",
    response_model=None,
    responses={200: {"model": wire.CategorizationResponse}, **RESPONSES},
    summary="The login's transactions, each with its category and sub-category",
)
def get_categorization(
    ctx: Ctx,
    login_id: LoginIdPath,
    request_id: RequestIdPath,
    api_key: ApiKey = None,
    explain: Annotated[bool, Query(description="Add the rule and the counterparty of each")] = False,
) -> Response:
    require_api_key(ctx, api_key)
    return json_response(service.categorization(ctx, login_id, request_id, explain))


@categorization.post(
    "/Categorization/Upload",
    response_model=None,
    responses={200: {"model": wire.CategorizationResponse}, **COMMON},
    openapi_extra=UPLOAD_BODY,
    summary="Categorize transactions of the client's own (nothing is stored)",
)
async def upload_categorization(request: Request, ctx: Ctx, authorization: Bearer = None) -> Response:
    require_secret(ctx, authorization)
    body = await read_json(request)
    return json_response(await run_in_threadpool(service.upload_categorization, ctx, body))


@categorization.get(
    "/BankingServices/Categories/{countryCode}",
    response_model=None,
    responses={200: {"model": list[wire.CategoryOut]}, **COMMON, 404: BAD_REQUEST[400]},
    summary="The category tree of a country (CA or US)",
)
def categories_of(
    ctx: Ctx,
    country_code: Annotated[str, Path(alias="countryCode", description="CA or US")],
    authorization: Bearer = None,
) -> Response:
    require_secret(ctx, authorization)
    try:
        country = Country.parse(country_code)
    except ValueError:
        raise errors.NotFound("There is a category tree for CA and for US only.") from None
    return json_response(categories.document(country))


@categorization.get(
    "/BankingServices/Categories",
    response_model=None,
    responses={200: {"model": list[wire.CategoryOut]}, **COMMON},
    summary="The category tree of Canada (the default country)",
)
def categories_default(ctx: Ctx, authorization: Bearer = None) -> Response:
    require_secret(ctx, authorization)
    return json_response(categories.document(Country.CA))


library = APIRouter(prefix="/v3/{customerId}/attributes", tags=["Enrich"])


@library.get(
    "/library",
    response_model=None,
    responses={200: {"model": list[wire.LibraryCategory]}, **COMMON},
    summary="Every consumer attribute, by category",
)
def consumer_library(ctx: Ctx, authorization: Bearer = None) -> Response:
    require_secret(ctx, authorization)
    return json_response(attributes.library("consumer"))


@library.get(
    "/library/business",
    response_model=None,
    responses={200: {"model": list[wire.LibraryCategory]}, **COMMON},
    summary="Every business attribute, by category",
)
def business_library(ctx: Ctx, authorization: Bearer = None) -> Response:
    require_secret(ctx, authorization)
    return json_response(attributes.library("business"))


@library.post(
    "/upload",
    response_model=None,
    responses={200: {"model": wire.AttributesResponse}, **COMMON},
    openapi_extra=UPLOAD_BODY,
    summary="The attributes named in Card, computed from transactions of the client's own",
)
async def upload_attributes(
    request: Request, ctx: Ctx, authorization: Bearer = None, limit_days: LimitDays = NO_LIMIT
) -> Response:
    require_secret(ctx, authorization)
    body = await read_json(request)
    return json_response(
        await run_in_threadpool(service.upload_attributes, ctx, body, None, limit_days or None)
    )


@library.post(
    "/upload/{useCase}",
    response_model=None,
    responses={200: {"model": wire.AttributesResponse}, **COMMON, 404: BAD_REQUEST[400]},
    openapi_extra=UPLOAD_BODY,
    summary="A use case's attributes (AllAttributes, UserAnalysis, Income, Lending, CreditRisk, ...) "
    "from transactions of the client's own",
)
async def upload_use_case(
    request: Request,
    ctx: Ctx,
    use_case: Annotated[str, Path(alias="useCase", max_length=100)],
    authorization: Bearer = None,
    limit_days: LimitDays = NO_LIMIT,
) -> Response:
    require_secret(ctx, authorization)
    name = {u.lower(): u for u in service.UPLOAD_USE_CASES}.get(use_case.lower())
    if name is None:
        known = ", ".join(service.UPLOAD_USE_CASES)
        raise errors.NotFound(f"No such use case. Use one of: {known}.")
    body = await read_json(request)
    return json_response(
        await run_in_threadpool(service.upload_attributes, ctx, body, name, limit_days or None)
    )


ROUTERS = (insight, categorization, library)
