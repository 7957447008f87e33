"""Outbound's declaration. Its routes, tables, jobs and events are not built yet: its room and paths are."""

from __future__ import annotations

from finstance.core.country import Country
from finstance.core.product import Product

PRODUCT = Product(
    name="outbound",
    title="Outbound",
    countries=frozenset(Country),
    paths=("/outbound",),
)
