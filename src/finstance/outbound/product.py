"""Outbound's declaration: an OAuth 2.0 authorization server and the FDX API over the instance's own data,
on every instance, under ``/outbound`` (the instance's counterpart of Flinks' ``ob.flinksapp.com``)."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product
from finstance.outbound import api, fdx_api, tables
from finstance.outbound.forget import forget

PRODUCT = Product(
    name="outbound",
    title="Outbound",
    countries=frozenset(Country),
    paths=("/outbound",),
    routers=(api.router, fdx_api.router, api.pages),
    forget=forget,
    minted=(
        (tables.Consent, "id"),
        (tables.Consent, "login_id"),
        (tables.Consent, "subject"),
        (tables.AuthorizationCode, "consent_id"),
        (tables.ConsentFlow, "id"),
        (tables.ConsentFlow, "login_id"),
        (tables.ConsentFlow, "request_id"),
    ),
)
