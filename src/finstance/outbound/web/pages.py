"""HTML of the consent pages: server-rendered, self-contained (no external fonts, scripts or images)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from finstance.core.http.pages import templates
from finstance.outbound.consent import Page, flow_url
from finstance.outbound.web.text import error_text, text

if TYPE_CHECKING:
    import jinja2


def headers(page: Page) -> dict[str, str]:
    """The page loads nothing from elsewhere and is never framed; its forms post to itself, and a decision
    leads (by redirect) to the recipient's origin only."""
    form_action = "'self'" + (f" {page.redirect_origin}" if page.redirect_origin else "")
    return {
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; "
        f"form-action {form_action}; base-uri 'none'; frame-ancestors 'none'",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }


def environment() -> jinja2.Environment:
    return templates(Path(__file__).parent / "templates")


def render(page: Page) -> str:
    lang = page.language
    names = {"recipient": page.recipient, "provider": page.provider}
    return (
        environment()
        .get_template("consent.html")
        .render(
            page=page,
            lang=lang,
            action=flow_url(page.flow_id) if page.flow_id else "",
            error=error_text(lang, page.error_code, page.provider),
            t=lambda key, **values: text(lang, key, **{**names, **values}),
        )
    )
