"""Pay's declaration: on Canadian instances only, under ``/pay``; a U.S. instance refuses every /pay path."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product
from finstance.pay import api, events, settlement, tables, widget
from finstance.pay.forget import forget
from finstance.pay.web import routes

PRODUCT = Product(
    name="pay",
    title="Pay",
    countries=frozenset({Country.CA}),
    paths=("/pay",),
    routers=(api.router, routes.router),
    events=(*events.EVENTS, widget.GUARANTEE_ISSUED),
    forget=forget,
    tick=settlement.tick,
    minted=(
        (tables.PaySession, "id"),
        (tables.PaySession, "login_id"),
        (tables.PaySession, "file_id"),
        (tables.PayFile, "id"),
    ),
)
