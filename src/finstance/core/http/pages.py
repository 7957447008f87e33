"""What every product's HTML pages share: their templates, loaded once per folder with autoescaping, and JSON
that is safe inside a ``<script>`` element."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import orjson
from markupsafe import Markup


@lru_cache(maxsize=8)
def templates(folder: Path) -> jinja2.Environment:
    """The templates of ``folder``: autoescaped, and an unknown name in a template is an error."""
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
