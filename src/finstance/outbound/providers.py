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


# The FDX fields each data cluster fills (Flinks' ``data_inventory`` of a provider).
_INVENTORY: dict[str, tuple[str, list[str]]] = {
    ACCOUNT_BASIC: ("lightweight_accounts", [
        "accounts.depositAccount.accountId", "accounts.depositAccount.accountCategory",
        "accounts.depositAccount.accountType", "accounts.depositAccount.accountNumberDisplay",
        "accounts.depositAccount.productName", "accounts.depositAccount.status",
        "accounts.depositAccount.currency.currencyCode",
    ]),
    ACCOUNT_DETAILED: ("detailed_accounts", [
        "accounts.depositAccount.currentBalance", "accounts.depositAccount.availableBalance",
        "accounts.depositAccount.balanceAsOf", "accounts.locAccount.creditLine",
        "accounts.locAccount.availableCredit", "accounts.loanAccount.principalBalance",
    ]),
    ACCOUNT_PAYMENTS: ("payments", [
        "paymentNetworks.bankId", "paymentNetworks.identifier", "paymentNetworks.identifierType",
        "paymentNetworks.type", "paymentNetworks.transferIn", "paymentNetworks.transferOut",
    ]),
    TRANSACTIONS: ("transactions", [
        "page.nextOffset", "links.next.href", "transactions.depositTransaction.accountId",
        "transactions.depositTransaction.transactionId", "transactions.depositTransaction.postedTimestamp",
        "transactions.depositTransaction.description", "transactions.depositTransaction.amount",
        "transactions.depositTransaction.debitCreditMemo", "transactions.depositTransaction.status",
    ]),
    CUSTOMER_CONTACT: ("customers", [
        "name.first", "name.last", "emails", "addresses.line1", "addresses.city", "addresses.region",
        "addresses.postalCode", "addresses.country", "telephones.number",
    ]),
    STATEMENTS: ("statements", ["statements.statementId", "statements.statementDate", "statements.status"]),
}  # fmt: skip


def data_inventory(scopes: tuple[str, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {
        "account": [], "customers": [], "detailed_accounts": [], "lightweight_accounts": [], "payments": [],
        "transactions": [], "statements": [],
    }  # fmt: skip
    for scope in scopes:
        if scope in _INVENTORY:
            key, fields = _INVENTORY[scope]
            out[key] = list(fields)
    return out
