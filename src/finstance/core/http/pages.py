"""What every product's HTML pages share: their templates, loaded once per folder with autoescaping, JSON
that is safe inside a ``<script>`` element, and the headers of a page embedded by a client's site."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from markupsafe import Markup

if TYPE_CHECKING:  # Jinja is loaded by the first page served, not by every start
    import jinja2


@lru_cache(maxsize=8)
def templates(folder: Path) -> jinja2.Environment:
    """The templates of ``folder``: autoescaped, and an unknown name in a template is an error."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def script_json(value: Any) -> Markup:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' can close it."""
    raw = orjson.dumps(value).decode()
    return Markup(raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704


def embedded_headers(*, connect_self: bool = False) -> dict[str, str]:
    """Headers of a page any site may embed (an iframe widget) that loads nothing from elsewhere; with
    ``connect_self`` its script may also call its own origin."""
    connect = "connect-src 'self'; " if connect_self else ""
    policy = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
    return {
        "Content-Security-Policy": f"{policy}{connect}img-src 'self' data:; form-action 'self'; "
        "base-uri 'none'; frame-ancestors *",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
