"""Enrich's declaration. Its routes, tables, jobs and events are not built yet: the room and its paths are."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product

PRODUCT = Product(
    name="enrich",
    title="Enrich",
    countries=frozenset(Country),
    paths=("/v3/{customerId}/insight", "/v3/{customerId}/attributes", "/v3/{customerId}/categorization"),
)
