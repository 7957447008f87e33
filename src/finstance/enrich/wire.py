"""Enrich's wire format: request bodies and response documents, as on Flinks.

Request keys bind case-insensitively (``FlinksRequest``); the services check the values and answer with the
documented INVALID_REQUEST messages. Response models describe the documents in the OpenAPI document (the
services build dicts) and are what the SDK parses. Pure pydantic: the SDK shares this module.
"""

from __future__ import annotations

from typing import Any

from pydantic import AliasChoices, Field, StrictStr

from finstance.core.wire import FlinksRequest, FlinksResponse

Amount = StrictStr | float | int | None


# -- requests ---------------------------------------------------------------------------------------


class CardNames(FlinksRequest):
    card: list[StrictStr] | None = Field(default=None, description="Attribute names, as in the library")


class AttributeFilters(FlinksRequest):
    account_category: list[StrictStr] | None = Field(
        default=None, description='Account categories to keep; only "Operations" is accepted'
    )


class AttributesRequest(FlinksRequest):
    """``POST …/insight/login/{loginId}/attributes/{requestId}``: a custom list of attributes."""

    attributes: CardNames | None = None
    filters: AttributeFilters | None = None
    account_filter: list[StrictStr] | None = Field(
        default=None, description="AccountIds from GetAccountsDetail: compute over these accounts only"
    )
    attributes_detail: CardNames | None = Field(
        default=None,
        validation_alias=AliasChoices("AttributesDetail", "AttributeDetails", "AttributesDetails"),
        description="Attributes (also in Attributes.Card) whose transactions Card.AttributesDetail lists",
    )


class UploadTransaction(FlinksRequest):
    transaction_date: StrictStr | None = Field(default=None, description="YYYY/MM/DD")
    description: StrictStr | None = None
    debit: Amount = Field(default=None, description='A positive amount, e.g. "100.00"; null for a credit')
    credit: Amount = Field(default=None, description="A positive amount; null for a debit")
    balance: Amount = Field(default=None, description="The running balance after it (on all or none)")
    account_id: StrictStr | None = None
    transaction_id: StrictStr | None = None


class UploadOptions(FlinksRequest):
    most_recent_balance: Amount = None
    oldest_balance: Amount = None


class UploadRequest(FlinksRequest):
    """Transactions of the client's own, for ``/attributes/upload`` and ``/Categorization/Upload``."""

    origin_country: StrictStr | None = Field(
        default=None,
        validation_alias=AliasChoices("OriginCountry", "Origin Country"),
        description='"ca" or "us": the country of the end-user (the instance\'s own)',
    )
    transactions: list[UploadTransaction] | None = None
    card: list[StrictStr] | None = Field(
        default=None, description="Attribute names (the base endpoint; the use-case variants ignore it)"
    )
    attributes_detail: CardNames | list[StrictStr] | None = Field(
        default=None,
        validation_alias=AliasChoices("AttributesDetail", "AttributeDetails", "AttributesDetails"),
    )
    most_recent_balance: Amount = None
    oldest_balance: Amount = None
    options: UploadOptions | None = None
    user_identifier: StrictStr | None = Field(
        default=None, description="Replaces the random GUID given as LoginId in the answer"
    )


# -- responses --------------------------------------------------------------------------------------


class DetailTransaction(FlinksResponse):
    transaction_id: str
    account_id: str
    date: str
    description: str
    debit: float | None = None
    credit: float | None = None
    balance: float | None = None


class AttributeDetail(FlinksResponse):
    attribute: str
    transactions: list[DetailTransaction]


class AttributesResponse(FlinksResponse):
    """``Card`` holds ``Id`` (the loginId), one key per attribute and ``AttributesDetail``."""

    http_status_code: int = 200
    card: dict[str, Any]
    login: dict[str, Any] | None = None
    request_id: str | None = None


class CategorizedTransaction(FlinksResponse):
    transaction_id: str | None = None
    account_id: str | None = None
    description: str
    category: str
    sub_category: str = Field(alias="SubCategory")
    balance: float | None = None
    debit: float | None = None
    credit: float | None = None
    date: str
    rule: str | None = Field(default=None, description="With ?explain=true: the rule that decided it")
    counterparty: str | None = Field(default=None, description="With ?explain=true: whom it names")


class CategorizationResponse(FlinksResponse):
    http_status_code: int = 200
    login_id: str
    request_id: str
    transactions: list[CategorizedTransaction]


class SubCategoryOut(FlinksResponse):
    sub_category_name: str
    description: str


class CategoryOut(FlinksResponse):
    primary_category_name: str
    description: str
    sub_categories: list[SubCategoryOut]


class LibraryAttribute(FlinksResponse):
    name: str
    description: str


class LibraryCategory(FlinksResponse):
    category: str
    attributes: list[LibraryAttribute]
