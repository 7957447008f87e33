"""The closed set of countries an instance can serve."""

from __future__ import annotations

import enum


class Country(enum.StrEnum):
    """A country an instance is hosted in and serves. Closed set: Flinks runs in Canada and the U.S."""

    CA = "CA"
    US = "US"

    @property
    def currency(self) -> str:
        return "CAD" if self is Country.CA else "USD"

    @classmethod
    def parse(cls, value: str) -> Country:
        try:
            return cls(value.strip().upper())
        except ValueError:
            allowed = ", ".join(c.value for c in cls)
            raise ValueError(f"unknown country {value!r}; expected one of {allowed}") from None
