"""Enrich's attribute engine: every consumer and business attribute, its library entry and packages, and
its computation over a card's categorized transactions, in integer cents until the wire.

One registry (:mod:`.registry`) drives the library endpoints, the package endpoints, the custom
``/Attributes`` validation and ``AttributesDetail`` (each result carries the ids of the transactions behind
its value). Names follow the grammar ``{aggregate}_{subject}{window}`` (:mod:`.grammar`) over subjects
defined on the categorizer's categories (:mod:`.subjects`) and windows counted back from the card's
``as_of`` day (:mod:`.windows`); trends, balances and the rest are defined in :mod:`.trend`,
:mod:`.balances` and :mod:`.derived`.
"""

from __future__ import annotations

from finstance.enrich.attributes.attribute import (
    ALL,
    ALL_BUSINESS,
    BUSINESS_ANALYSIS,
    CREDIT_RISK,
    INCOME,
    LENDING,
    PACKAGES,
    USER_ANALYSIS,
    Attribute,
    Result,
    Unit,
    wire_value,
)
from finstance.enrich.attributes.registry import BUSINESS, CONSUMER, compute, get, library, package

__all__ = [
    "ALL",
    "ALL_BUSINESS",
    "BUSINESS",
    "BUSINESS_ANALYSIS",
    "CONSUMER",
    "CREDIT_RISK",
    "INCOME",
    "LENDING",
    "PACKAGES",
    "USER_ANALYSIS",
    "Attribute",
    "Result",
    "Unit",
    "compute",
    "get",
    "library",
    "package",
    "wire_value",
]
