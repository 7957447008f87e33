"""The one registry of attributes: what the library lists, what each package holds, which names the custom
/Attributes call accepts, and the computation of a list of attributes over a card.

:func:`compute` builds the card's index once (:mod:`.index`) and runs each attribute's compute function
over it. ``limit_days`` (the ``limitDays`` header, 1 to 365) keeps only the transactions dated within the
last ``limit_days`` days up to ``as_of`` (from ``as_of - (limit_days - 1)``); the accounts' current balances
and the running balances of the transactions kept stay as they are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import timedelta
from types import MappingProxyType
from typing import Literal

from finstance.enrich.attributes import business, consumer
from finstance.enrich.attributes.attribute import PACKAGES, Attribute, Result
from finstance.enrich.attributes.index import current
from finstance.enrich.model import CardData

CONSUMER: Mapping[str, Attribute] = MappingProxyType(consumer.declare())
BUSINESS: Mapping[str, Attribute] = MappingProxyType(business.declare())

_clash = CONSUMER.keys() & BUSINESS.keys()
if _clash:
    raise ValueError(f"names both consumer and business: {sorted(_clash)}")


def get(name: str) -> Attribute | None:
    """The attribute of that exact name, consumer or business."""
    return CONSUMER.get(name) or BUSINESS.get(name)


def _packaged() -> dict[str, tuple[Attribute, ...]]:
    everything = (*CONSUMER.values(), *BUSINESS.values())
    return {name: tuple(a for a in everything if name in a.packages) for name in PACKAGES}


_PACKAGED = _packaged()


def package(name: str) -> tuple[Attribute, ...]:
    """The attributes of a package (``Income``, ``Lending``, ``CreditRisk``, ``UserAnalysis``,
    ``BusinessAnalysis``, ``All``, ``AllBusiness``), in library order; KeyError for another name."""
    return _PACKAGED[name]


def library(kind: Literal["consumer", "business"]) -> list[dict[str, object]]:
    """The body of ``GET /attributes/library`` (consumer) or its business twin: the categories in the order
    they first appear, each with its attributes' names and descriptions."""
    attributes = CONSUMER if kind == "consumer" else BUSINESS
    grouped: dict[str, list[dict[str, str]]] = {}
    for attribute in attributes.values():
        entry = {"Name": attribute.name, "Description": attribute.description}
        grouped.setdefault(attribute.category, []).append(entry)
    return [{"Category": category, "Attributes": entries} for category, entries in grouped.items()]


def limited(card: CardData, limit_days: int) -> CardData:
    """The card with only the transactions of the last ``limit_days`` days up to ``as_of``."""
    if not 1 <= limit_days <= 365:
        raise ValueError(f"limit_days must be 1 to 365, not {limit_days}")
    first = card.as_of - timedelta(days=limit_days - 1)
    kept = tuple(t for t in card.transactions if first <= t.txn.date <= card.as_of)
    return dataclasses.replace(card, transactions=kept)


def compute(
    card: CardData, attributes: Sequence[Attribute], limit_days: int | None = None
) -> dict[str, Result]:
    """Each attribute's result, by name, over the card (narrowed to ``limit_days`` when given)."""
    if limit_days is not None:
        card = limited(card, limit_days)
    with current(card):
        return {attribute.name: attribute.compute(card) for attribute in attributes}
