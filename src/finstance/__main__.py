"""The ``finstance`` command (and ``python -m finstance``).

The command runs instances, so it needs the ``server`` extra. With the base install (the SDK only) it says
so instead of failing with a traceback.
"""

from __future__ import annotations

import sys

SERVER_LIBRARIES = {
    "typer",
    "rich",
    "sqlalchemy",
    "fastapi",
    "starlette",
    "uvicorn",
    "alembic",
    "jinja2",
    "orjson",
}


def main() -> None:
    from finstance.core.loading import loading

    try:
        with loading():
            from finstance.cli import main as cli
    except ModuleNotFoundError as exc:
        if (exc.name or "").split(".")[0] not in SERVER_LIBRARIES:
            raise
        print(
            f"finstance: the finstance command needs the server extra ({exc.name} is not installed): "
            "pip install 'finstance[server]'",
            file=sys.stderr,
        )
        raise SystemExit(1) from None
    cli()


if __name__ == "__main__":
    main()
