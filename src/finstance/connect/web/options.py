"""The Connect URL parameters (reference 3.2), validated once when the page loads.

Parameter names are matched case-insensitively; unknown parameters are ignored; a value that cannot be
understood is reported to the end-user by name instead of breaking the page.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.parse import urlsplit

LANGUAGES = ("en", "fr")
THEMES = ("light", "dark", "system")
DAYS = {"days90": 90, "days365": 365}
CURRENCIES = ("cad", "usd")
_COLOUR = re.compile(r"^(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
MAX_TEXT = 500


@dataclass(frozen=True, slots=True)
class ConnectOptions:
    language: str = "en"
    demo: bool = False
    redirect_url: str | None = None
    inner_redirect: bool = False
    js_redirect: bool = False
    tag: str | None = None
    theme: str = "light"
    background_color: str | None = None
    foreground_color: str | None = None
    consent_enable: bool = True
    customer_name: str | None = None
    terms_url: str | None = None
    account_selector_enable: bool = False
    account_selector_multiple: bool = False
    account_selector_no_title: bool = False
    account_selector_currency: str | None = None
    show_all_accounts: bool = False
    days_of_transactions: int | None = None
    institution_filter_enable: bool = False
    back_enable: bool = True
    header_enable: bool = True
    close_enable: bool = False
    schedule_refresh: bool = False
    stringify: bool = False
    maximum_retry: int | None = None

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def to_query(self) -> dict[str, str]:
        """The URL parameters that give these options again (those that differ from the defaults)."""
        query: dict[str, str] = {}
        default = ConnectOptions()
        for key, (target, kind) in _PARAMS.items():
            value = getattr(self, target)
            if value is None or value == getattr(default, target):
                continue
            if kind == "bool":
                query[_DISPLAY.get(key, key)] = "true" if value else "false"
            elif kind == "days":
                query[_DISPLAY.get(key, key)] = f"Days{value}"
            else:
                query[_DISPLAY.get(key, key)] = str(value)
        return query

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ConnectOptions:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known})


@dataclass(slots=True)
class Parsed:
    options: ConnectOptions
    authorize_token: str | None = None
    problems: list[str] = field(default_factory=list)  # parameter names whose values were not understood


# URL parameter (lower-cased) → (field, kind)
_PARAMS: dict[str, tuple[str, str]] = {
    "language": ("language", "language"),
    "demo": ("demo", "bool"),
    "redirecturl": ("redirect_url", "url"),
    "innerredirect": ("inner_redirect", "bool"),
    "jsredirect": ("js_redirect", "bool"),
    "tag": ("tag", "text"),
    "theme": ("theme", "theme"),
    "backgroundcolor": ("background_color", "colour"),
    "foregroundcolor1": ("foreground_color", "colour"),
    "consentenable": ("consent_enable", "bool"),
    "customername": ("customer_name", "text"),
    "termsurl": ("terms_url", "url"),
    "accountselectorenable": ("account_selector_enable", "bool"),
    "accountselectormultiple": ("account_selector_multiple", "bool"),
    "accountselectornotitle": ("account_selector_no_title", "bool"),
    "accountselectorcurrency": ("account_selector_currency", "currency"),
    "showallaccounts": ("show_all_accounts", "bool"),
    "daysoftransactions": ("days_of_transactions", "days"),
    "institutionfilterenable": ("institution_filter_enable", "bool"),
    "backenable": ("back_enable", "bool"),
    "headerenable": ("header_enable", "bool"),
    "closeenable": ("close_enable", "bool"),
    "schedulerefresh": ("schedule_refresh", "bool"),
    "stringify": ("stringify", "bool"),
    "maximumretry": ("maximum_retry", "retries"),
}
# Names from the original parameter table, for the messages.
_DISPLAY = {
    "redirecturl": "redirectUrl",
    "innerredirect": "innerRedirect",
    "jsredirect": "jsRedirect",
    "backgroundcolor": "backgroundColor",
    "foregroundcolor1": "foregroundColor1",
    "consentenable": "consentEnable",
    "customername": "customerName",
    "termsurl": "termsUrl",
    "accountselectorenable": "accountSelectorEnable",
    "accountselectormultiple": "accountSelectorMultiple",
    "accountselectornotitle": "accountSelectorNoTitle",
    "accountselectorcurrency": "accountSelectorCurrency",
    "showallaccounts": "showAllAccounts",
    "daysoftransactions": "daysOfTransactions",
    "institutionfilterenable": "institutionFilterEnable",
    "backenable": "backEnable",
    "headerenable": "headerEnable",
    "closeenable": "closeEnable",
    "schedulerefresh": "scheduleRefresh",
    "maximumretry": "maximumRetry",
    "authorizetoken": "authorizeToken",
}


def _convert(kind: str, raw: str) -> Any:
    """The value of one parameter, or raise ValueError."""
    value = raw.strip()
    if kind == "bool":
        if value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise ValueError
    if kind == "language":
        if value.lower() in LANGUAGES:
            return value.lower()
        raise ValueError
    if kind == "theme":
        if value.lower() in THEMES:
            return value.lower()
        raise ValueError
    if kind == "colour":
        if _COLOUR.match(value.lstrip("#")):
            return value.lstrip("#").lower()
        raise ValueError
    if kind == "currency":
        if value.lower() in CURRENCIES:
            return value.lower()
        raise ValueError
    if kind == "days":
        if value.lower() in DAYS:
            return DAYS[value.lower()]
        raise ValueError
    if kind == "retries":
        if value.isdigit() and 1 <= int(value) <= 20:
            return int(value)
        raise ValueError
    if kind == "url":
        parts = urlsplit(value)
        if parts.scheme in ("http", "https") and parts.netloc and len(value) <= 2000 and value.isprintable():
            return value
        raise ValueError
    if kind == "text":
        if len(value) <= MAX_TEXT and value.isprintable():
            return value
        raise ValueError
    raise AssertionError(kind)


def parse(query: Mapping[str, str]) -> Parsed:
    values: dict[str, Any] = {}
    token: str | None = None
    problems: list[str] = []
    for name, raw in query.items():
        key = name.lower()
        if key == "authorizetoken":
            token = raw.strip() or None
            continue
        known = _PARAMS.get(key)
        if known is None:
            continue  # unknown parameters are ignored, as Flinks does
        target, kind = known
        try:
            values[target] = _convert(kind, raw)
        except ValueError:
            problems.append(_DISPLAY.get(key, key))
    return Parsed(ConnectOptions(**values), token, problems)
