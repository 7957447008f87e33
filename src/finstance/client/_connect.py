"""The Flinks Connect iframe URL: ``{connect_base_url}/v2/?authorizeToken=...&...`` (reference 3.1, 3.2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal
from urllib.parse import urlencode

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from finstance.client._instances import InstanceConfig


class ConnectOptions(BaseModel):
    """The documented query parameters of Connect, by their Python names (``redirect_url`` is sent as
    ``redirectUrl``). Unset options are not sent, so Connect applies its own defaults; booleans are sent
    as ``true``/``false``. Parameters not listed here go through ``extra``."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid", frozen=True)

    demo: bool | None = None
    demo_outbound: bool | None = None
    redirect_url: str | None = None
    inner_redirect: bool | None = None
    js_redirect: bool | None = None
    language: Literal["en", "fr"] | None = None
    theme: Literal["light", "dark", "system"] | None = None
    background_color: str | None = None
    foreground_color1: str | None = None
    desktop_layout: bool | None = None
    institution_filter_enable: bool | None = None
    close_enable: bool | None = None
    header_img_enable: bool | None = None
    header_enable: bool | None = None
    back_enable: bool | None = None
    remove_padding: bool | None = None
    consent_enable: bool | None = None
    customer_name: str | None = None
    terms_url: str | None = None
    features: str | None = None
    account_selector_enable: bool | None = None
    account_selector_multiple: bool | None = None
    account_selector_no_title: bool | None = None
    account_selector_currency: Literal["cad", "usd"] | None = None
    show_all_accounts: bool | None = None
    request_id: str | None = None
    schedule_refresh: bool | None = None
    days_of_transactions: Literal["Days90", "Days365"] | None = None
    details_and_statement_enable: bool | None = None
    months_of_statements: Literal["MostRecent", "Months3", "Months12"] | None = None
    product_type: Literal["banking", "investment"] | None = None
    institutions_location: str | None = None
    tag: str | None = None
    stringify: bool | None = None
    maximum_retry: int | None = None


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def connect_url(
    config: InstanceConfig,
    options: ConnectOptions,
    *,
    token: str | None = None,
    extra: Mapping[str, str | bool | int] | None = None,
) -> str:
    """The iframe URL of ``config``'s Connect, with ``authorizeToken`` first when a token is given."""
    params: dict[str, str] = {}
    if token is not None:
        params["authorizeToken"] = token
    dumped = options.model_dump(by_alias=True, exclude_none=True)
    params.update({name: _text(value) for name, value in dumped.items()})
    if extra:
        clash = sorted(set(extra) & (set(params) | {"authorizeToken"}))
        if clash:
            raise ValueError(f"extra repeats a typed Connect parameter: {', '.join(clash)}")
        params.update({name: _text(value) for name, value in extra.items()})
    return f"{config.connect_base_url}/v2/?{urlencode(params)}"
