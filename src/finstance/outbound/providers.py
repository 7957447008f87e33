"""The data providers an instance offers recipients: its own institutions, reached through Connect.

Flinks Outbound numbers providers; Flinks' own samples number Flinks Capital 1000, and so does every
instance here. A provider's scopes are the FDX data clusters this instance can serve from its store.
"""

from __future__ import annotations

from dataclasses import dataclass

from finstance.core.country import Country

FLINKS_CAPITAL = 1000

ACCOUNT_BASIC = "ACCOUNT_BASIC"
ACCOUNT_DETAILED = "ACCOUNT_DETAILED"
ACCOUNT_PAYMENTS = "ACCOUNT_PAYMENTS"
INVESTMENTS = "INVESTMENTS"
TRANSACTIONS = "TRANSACTIONS"
STATEMENTS = "STATEMENTS"
CUSTOMER_CONTACT = "CUSTOMER_CONTACT"
CUSTOMER_PERSONAL = "CUSTOMER_PERSONAL"
ADMIN = "client:admin"  # the scope of a client-credentials token: the recipient's own administration

# Every data cluster Flinks names, in Flinks' order (the authorize page's list).
DATA_CLUSTERS = (
    ACCOUNT_BASIC,
    ACCOUNT_DETAILED,
    ACCOUNT_PAYMENTS,
    INVESTMENTS,
    TRANSACTIONS,
    STATEMENTS,
    CUSTOMER_CONTACT,
    CUSTOMER_PERSONAL,
)


@dataclass(frozen=True, slots=True)
class Provider:
    provider_id: int
    name: str
    country: Country
    url: str
    scopes: tuple[str, ...]

    def public(self) -> dict[str, object]:
        return {
            "provider_id": self.provider_id,
            "name": self.name,
            "country": self.country.value,
            "provider_url": self.url,
            "scopes": list(self.scopes),
        }


def providers(country: Country) -> dict[int, Provider]:
    """The providers of an instance of this country. Statements exist on Canadian instances only (as
    GetStatements); no institution here holds investment accounts."""
    scopes = tuple(
        s for s in DATA_CLUSTERS if s != INVESTMENTS and (s != STATEMENTS or country is Country.CA)
    )
    capital = Provider(FLINKS_CAPITAL, "Flinks Capital", country, "https://www.flinks.com/", scopes)
    return {capital.provider_id: capital}
