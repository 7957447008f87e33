"""The ``finstance`` command."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from finstance.instance import (
    TOOLBOX_API_KEY,
    TOOLBOX_CUSTOMER_ID,
    TOOLBOX_SECRET_KEY,
    sqlite_url,
    toolbox_spec,
)

app = typer.Typer(
    name="finstance",
    help="Flinks-compatible bank-data instances with per-country data residency.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)


def default_data_dir() -> Path:
    if env := os.environ.get("FINSTANCE_DATA_DIR"):
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "finstance"


DataDir = Annotated[
    Path | None,
    typer.Option("--data-dir", help="Where the embedded default keeps its stores [env FINSTANCE_DATA_DIR]"),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port of the toolbox instance")] = 8000,
    data_dir: DataDir = None,
    access_log: Annotated[bool, typer.Option(help="Log each request line (paths carry identifiers)")] = False,
) -> None:
    """Serve the sandbox instance "toolbox" (Flinks Capital) on SQLite, until Ctrl-C."""
    import uvicorn

    from finstance.api import create_app
    from finstance.logs import configure_logging

    directory = (data_dir or default_data_dir()).expanduser()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        err.print(f"[red]error:[/red] cannot use data directory {directory}: {exc.strerror}")
        raise typer.Exit(2) from None
    configure_logging()
    spec = toolbox_spec(sqlite_url(directory / "toolbox.db"))
    application = create_app(spec)
    base = f"http://{host}:{port}"
    out = Console(soft_wrap=True)
    out.print(
        f"[bold]finstance[/bold] serving instance [bold]{spec.name}[/bold] ({spec.country.value}, sandbox)"
    )
    out.print(f"  API base URL   {base}/v3/{TOOLBOX_CUSTOMER_ID}/BankingServices")
    out.print(f"  customerId     {TOOLBOX_CUSTOMER_ID}")
    out.print(f"  secret key     {TOOLBOX_SECRET_KEY}   (header flinks-auth-key on /GenerateAuthorizeToken)")
    out.print(f"  x-api-key      {TOOLBOX_API_KEY}")
    out.print(f"  OpenAPI        {base}/openapi.json")
    out.print(f"  store          {directory / 'toolbox.db'}")
    out.print("  test user      Greatday / Everyday at FlinksCapital   (Ctrl-C to stop)")
    sys.stdout.flush()
    config = uvicorn.Config(
        application, host=host, port=port, log_level="info", access_log=access_log, lifespan="on"
    )
    server = uvicorn.Server(config)
    with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C after a clean shutdown
        server.run()
    if not server.started:
        err.print(f"[red]error:[/red] could not serve on {host}:{port} (is the port in use?)")
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the version."""
    import finstance

    typer.echo(finstance.__version__)


def main() -> None:
    app()
