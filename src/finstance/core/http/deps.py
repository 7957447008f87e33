"""What a route of any product needs from its request: the instance's context, with its customerId checked."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from finstance.core import errors
from finstance.core.context import InstanceContext
from finstance.core.keys import key_matches


def context(request: Request) -> InstanceContext:
    ctx: InstanceContext = request.app.state.ctx
    return ctx


async def instance(
    request: Request,
    customer_id: Annotated[str, Path(alias="customerId", description="The instance's customerId (GUID)")],
) -> InstanceContext:
    """The context of a route under ``/v3/{customerId}/``, refusing another instance's customerId."""
    ctx = context(request)
    if customer_id.strip().lower() != ctx.spec.customer_id:
        raise errors.AccessDenied("The customerId is not valid for this instance.")
    return ctx


Ctx = Annotated[InstanceContext, Depends(instance)]


def require_api_key(ctx: InstanceContext, api_key: str | None) -> None:
    """The instance's x-api-key, as every data call of every product demands it."""
    if not key_matches(api_key, ctx.key_hashes()[1]):
        raise errors.AccessDenied("You must provide a valid x-api-key.")


def require_secret(ctx: InstanceContext, authorization: str | None) -> None:
    """The instance's secret key as ``Authorization: Bearer {secret}``, as Enrich's and Upload's reference
    calls take it."""
    token = (authorization or "").strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    if not key_matches(token, ctx.key_hashes()[0]):
        raise errors.AccessDenied(
            "You must provide the instance's secret key as Authorization: Bearer {secret}."
        )
