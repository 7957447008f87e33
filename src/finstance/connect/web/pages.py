"""HTML of the Connect screens: server-rendered, self-contained (no external fonts, scripts or images)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from finstance.connect.web.flow import Screen
from finstance.connect.web.text import error_text, text
from finstance.core.http.pages import embedded_headers, templates
from finstance.core.http.pages import script_json as script_json

if TYPE_CHECKING:
    import jinja2

# The page may be embedded by any site (it is an iframe widget); it loads nothing from elsewhere.
HEADERS = embedded_headers()


def environment() -> jinja2.Environment:
    return templates(Path(__file__).parent / "templates")


def money(cents: int, currency: str, language: str) -> str:
    amount = f"{abs(cents) / 100:,.2f}"
    if language == "fr":
        amount = amount.replace(",", "\u202f").replace(".", ",")
        return f"{'-' if cents < 0 else ''}{amount} $ {currency}"
    return f"{'-' if cents < 0 else ''}${amount} {currency}"


def flow_url(flow_id: str) -> str:
    """The one address of a flow: its forms post there, and its GET shows the current screen."""
    return f"/v2/flow/{flow_id}"


def render(screen: Screen, action: str, company: str) -> str:
    options = screen.options
    lang = options.language
    institution = screen.institution
    institution_name = ""
    if institution is not None:
        institution_name = (lang == "fr" and institution.name_fr) or institution.display_name
    navigation = {"stringify": options.stringify, "mode": screen.navigate, "url": screen.redirect_url}
    return (
        environment()
        .get_template("connect.html")
        .render(
            screen=screen,
            options=options,
            lang=lang,
            theme=options.theme,
            background=options.background_color,
            foreground=options.foreground_color,
            flow_id=screen.flow_id,
            flow_url=flow_url(screen.flow_id) if screen.flow_id else "",
            action=action,
            company=options.customer_name or company,
            institution_name=institution_name,
            error=error_text(lang, screen.error_code),
            events_json=script_json(screen.events),
            navigation_json=script_json(navigation),
            t=lambda key, **values: text(lang, key, **values),
            money=lambda cents, currency: money(cents, currency, lang),
        )
    )
