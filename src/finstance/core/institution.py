"""The institution port: where an aggregation gets an end-user's data from.

An aggregation asks an :class:`Institution` for the profile of one login and saves what it yields; it never
knows how the profile was obtained. The sandbox bank Flinks Capital
(:class:`finstance.sandbox.capital.FlinksCapital`) is one implementation; uploaded statements and Outbound's
data providers are others that ingest the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from finstance.core.country import Country
from finstance.core.profile import BankProfile


@dataclass(frozen=True, slots=True)
class ProfileRequest:
    """What an aggregation asks an institution for."""

    username: str
    country: Country  # the country of the instance asking: an institution answers in its currency
    today: date
    login_id: str  # stable per login: the same login gets the same data
    history_days: int | None = None  # only the transactions of the last N days (None: all it has)


class Institution(Protocol):
    name: str  # as in the Institution field of the wire, e.g. "FlinksCapital"

    def profile(self, request: ProfileRequest) -> BankProfile:
        """The end-user's data, or a :class:`finstance.core.errors.FlinksError` saying why not."""
        ...
