"""Enrich's requests, sans I/O: attributes and categories of a login, the libraries and category trees, and
attributes or categories of transactions the integrator sends. The clients in ``_client.py`` send them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

from pydantic import RootModel

from finstance.client._core import APIRequest, ClientCore
from finstance.enrich import wire

Package = Literal[
    "GetIncomeAttributes",
    "GetLendingAttributes",
    "GetCreditRiskAttributes",
    "GetUserAnalysisAttributes",
    "GetBusinessAnalysisAttributes",
    "GetAllAttributes",
    "GetAllBusinessAttributes",
]
PACKAGES: tuple[Package, ...] = (
    "GetIncomeAttributes",
    "GetLendingAttributes",
    "GetCreditRiskAttributes",
    "GetUserAnalysisAttributes",
    "GetBusinessAnalysisAttributes",
    "GetAllAttributes",
    "GetAllBusinessAttributes",
)
UseCase = Literal[
    "AllAttributes",
    "UserAnalysis",
    "Income",
    "Lending",
    "CreditRisk",
    "BusinessAnalysis",
    "AllBusinessAttributes",
]


class CategoryTree(RootModel[list[wire.CategoryOut]]):
    """``GET /BankingServices/Categories/{country}``: the primary categories, each with its sub-categories."""


class AttributeLibrary(RootModel[list[wire.LibraryCategory]]):
    """``GET /attributes/library``: every attribute, by category."""


Transaction = Mapping[str, Any] | wire.UploadTransaction


def upload_transaction(
    when: date,
    description: str,
    *,
    debit: float | str | None = None,
    credit: float | str | None = None,
    balance: float | str | None = None,
) -> wire.UploadTransaction:
    """One transaction of an upload, in Flinks' format (``YYYY/MM/DD``, amounts as strings)."""

    def text(value: float | str | None) -> str | None:
        return None if value is None else value if isinstance(value, str) else f"{value:.2f}"

    return wire.UploadTransaction(
        transaction_date=when.strftime("%Y/%m/%d"), description=description, debit=text(debit),
        credit=text(credit), balance=text(balance),
    )  # fmt: skip


def _headers(limit_days: int | None) -> dict[str, str]:
    return {} if limit_days is None else {"limitDays": str(limit_days)}


class EnrichRequests:
    """Builds Enrich's requests for one instance (its :class:`ClientCore`)."""

    def __init__(self, core: ClientCore) -> None:
        self.core = core

    def _checked(self, login_id: str, request_id: str) -> None:
        self.core.check_identifier("login", login_id)
        self.core.check_identifier("request", request_id)

    def _secret(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.core.config.secret_key}"}

    def package(
        self, login_id: str, request_id: str, package: Package, limit_days: int | None, with_detail: bool
    ) -> APIRequest:
        if package not in PACKAGES:
            raise ValueError(f"not an attributes package: {package!r}; one of {', '.join(PACKAGES)}")
        self._checked(login_id, request_id)
        return self.core._request(
            package, "GET", f"insight/login/{login_id}/attributes/{request_id}/{package}",
            headers={"x-api-key": self.core.config.api_key, **_headers(limit_days)},
            params={"attributesDetail": "true"} if with_detail else None, request_id=request_id, root=True,
        )  # fmt: skip

    def custom(
        self,
        login_id: str,
        request_id: str,
        names: Sequence[str],
        *,
        detail: Sequence[str] | None,
        account_category: Sequence[str] | None,
        account_filter: Sequence[str] | None,
        limit_days: int | None,
    ) -> APIRequest:
        self._checked(login_id, request_id)
        body: dict[str, Any] = {"Attributes": {"Card": list(names)}}
        if detail is not None:
            body["AttributesDetail"] = {"Card": list(detail)}
        if account_category is not None:
            body["Filters"] = {"AccountCategory": list(account_category)}
        if account_filter is not None:
            body["AccountFilter"] = list(account_filter)
        return self.core._request(
            "Attributes", "POST", f"insight/login/{login_id}/attributes/{request_id}",
            headers={"x-api-key": self.core.config.api_key, **_headers(limit_days)}, body=body,
            request_id=request_id, root=True,
        )  # fmt: skip

    def categorization(self, login_id: str, request_id: str, explain: bool) -> APIRequest:
        self._checked(login_id, request_id)
        return self.core._request(
            "GetCategorization", "GET", f"categorization/login/{login_id}/requestid/{request_id}",
            headers={"x-api-key": self.core.config.api_key}, params={"explain": "true"} if explain else None,
            request_id=request_id, root=True,
        )  # fmt: skip

    def categories(self, country: str) -> APIRequest:
        return self.core._request("Categories", "GET", f"Categories/{country}", headers=self._secret())

    def library(self, kind: Literal["consumer", "business"]) -> APIRequest:
        path = "attributes/library" if kind == "consumer" else "attributes/library/business"
        return self.core._request("AttributesLibrary", "GET", path, headers=self._secret(), root=True)

    def _upload_body(self, transactions: Sequence[Transaction], extra: Mapping[str, Any]) -> dict[str, Any]:
        items = [
            t.model_dump(by_alias=True, exclude_none=True)
            if isinstance(t, wire.UploadTransaction)
            else dict(t)
            for t in transactions
        ]
        body = {"OriginCountry": self.core.config.country.value.lower(), "Transactions": items}
        body.update({k: v for k, v in extra.items() if v is not None})
        return body

    def upload_attributes(
        self,
        transactions: Sequence[Transaction],
        *,
        names: Sequence[str] | None,
        use_case: UseCase | None,
        detail: Sequence[str] | None,
        most_recent_balance: float | None,
        oldest_balance: float | None,
        limit_days: int | None,
    ) -> APIRequest:
        if (names is None) == (use_case is None):
            raise ValueError("give the attribute names, or a use case, not both")
        extra = {
            "Card": list(names) if names is not None else None,
            "AttributesDetail": {"Card": list(detail)} if detail is not None else None,
            "MostRecentBalance": most_recent_balance, "OldestBalance": oldest_balance,
        }  # fmt: skip
        path = "attributes/upload" if use_case is None else f"attributes/upload/{use_case}"
        return self.core._request(
            "AttributesUpload", "POST", path, headers={**self._secret(), **_headers(limit_days)},
            body=self._upload_body(transactions, extra), root=True,
        )  # fmt: skip

    def upload_categorization(
        self,
        transactions: Sequence[Transaction],
        *,
        user_identifier: str | None,
        most_recent_balance: float | None,
        oldest_balance: float | None,
    ) -> APIRequest:
        extra = {
            "UserIdentifier": user_identifier, "MostRecentBalance": most_recent_balance,
            "OldestBalance": oldest_balance,
        }  # fmt: skip
        return self.core._request(
            "CategorizationUpload", "POST", "Categorization/Upload", headers=self._secret(),
            body=self._upload_body(transactions, extra), root=True,
        )  # fmt: skip
