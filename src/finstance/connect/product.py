"""Connect's declaration: the BankingServices API and the Connect pages, on every instance."""

from __future__ import annotations

from collections.abc import Sequence

from finstance.connect import aggregation, api, cards, documents, fast, tables
from finstance.connect.sessions import AGGREGATE
from finstance.connect.web import demo, routes
from finstance.core.country import Country
from finstance.core.institution import Institution
from finstance.core.product import Product
from finstance.sandbox.capital import FlinksCapital


def product(institutions: Sequence[Institution] = (FlinksCapital(),)) -> Product:
    """Connect over the institutions its aggregations can reach (the sandbox bank by default)."""
    return Product(
        name="connect",
        title="Connect",
        countries=frozenset(Country),
        paths=("/v3/{customerId}/BankingServices", "/v2"),
        routers=(api.router, routes.router, demo.router),
        endpoints=api.ENDPOINTS,
        jobs={AGGREGATE: aggregation.Aggregation(institutions)},
        events=(aggregation.KYC, aggregation.ACCOUNTS_DETAIL),
        forget=cards.forget,
        tick=aggregation.enqueue_scheduled_refreshes,
        sweep=documents.sweep,
        fast=fast.ROUTES,
        minted=(
            (tables.Login, "id"),
            (tables.Session, "id"),
            (tables.Session, "login_id"),
            (tables.Session, "job_id"),
            (tables.Holder, "login_id"),
            (tables.Account, "login_id"),
            (tables.AuthorizeToken, "request_id"),
            (tables.ConnectFlow, "id"),
            (tables.ConnectFlow, "request_id"),
            (tables.ConnectFlow, "login_id"),
        ),
    )


PRODUCT = product()
