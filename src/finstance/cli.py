"""The ``finstance`` command. User errors print one line on stderr and exit 1; never a traceback."""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer._click import Context as ClickContext
from typer._click import HelpFormatter
from typer.core import TyperArgument, TyperCommand
from typer.models import CommandFunctionType

from finstance.core.country import Country
from finstance.core.instance import settings_from_env
from finstance.core.states import DeliveryStatus
from finstance.instances.directory import Credentials, Directory, DirectoryError, Entry

if TYPE_CHECKING:
    from finstance.core.store import Store


class Command(TyperCommand):
    """A command whose usage line names its arguments plainly: ``finstance webhooks add [OPTIONS] URL``."""

    def collect_usage_pieces(self, ctx: ClickContext) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                pieces.append(name if param.required else f"[{name}]")
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: ClickContext, formatter: HelpFormatter) -> None:
        """Arguments by their metavar alone (``URL``, not ``URL <str>``), then the options."""
        args, opts = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                name = param.metavar or (param.name or "").upper()
                args.append((name, record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class Commands(typer.Typer):
    """A group of commands: plain help text (no markup to eat ``[...]``), :class:`Command` by default."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(rich_markup_mode=None, no_args_is_help=True, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Callable[[CommandFunctionType], CommandFunctionType]:
        kwargs.setdefault("cls", Command)
        return super().command(*args, **kwargs)


app = Commands(
    name="finstance",
    help="Flinks-compatible bank-data instances with per-country data residency.",
    add_completion=False,
    pretty_exceptions_enable=False,
)
instances_app = Commands(help="Create and manage instances (one per company and country).")
residency_app = Commands(help="Check that every instance's data stays its own.")
app.add_typer(instances_app, name="instances")
app.add_typer(residency_app, name="residency")


class _Console:
    """A rich console made on first use: most commands print without it, and importing rich costs a command's
    start some tens of milliseconds."""

    def __init__(self, *, stderr: bool = False) -> None:
        self._stderr = stderr
        self._console: Any = None

    def print(self, text: str) -> None:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=self._stderr, soft_wrap=True, highlight=False)
        self._console.print(text)

    def plain(self, text: str) -> None:
        """A line printed as is, with no markup read into it (a path may hold ``[``)."""
        stream = sys.stderr if self._stderr else sys.stdout
        stream.write(text + "\n")


def escape(text: str) -> str:
    """``text`` with rich's markup escaped."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


out = _Console()
err = _Console(stderr=True)

ENV_DATA_DIR = "FINSTANCE_DATA_DIR"


def user_data_dir() -> Path:
    """Where the data directory is when neither --data-dir nor FINSTANCE_DATA_DIR says otherwise: one per
    user (``$XDG_DATA_HOME/finstance``, else ``~/.local/share/finstance``), shared by every checkout."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "finstance"


def default_data_dir() -> Path:
    if env := os.environ.get(ENV_DATA_DIR):
        return Path(env)
    return user_data_dir()


def _shown_default() -> str:
    """The default data directory as --help shows it (``~/.local/share/finstance``)."""
    try:
        path, home = user_data_dir(), Path.home()
    except RuntimeError:  # no home directory to speak of
        return "$XDG_DATA_HOME/finstance, else ~/.local/share/finstance"
    return f"~/{path.relative_to(home)}" if path.is_relative_to(home) else str(path)


def _version(value: bool) -> None:
    if value:
        import finstance

        typer.echo(f"finstance {finstance.__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Flinks-compatible bank-data instances with per-country data residency."""


DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        metavar="DIR",
        envvar=ENV_DATA_DIR,
        show_envvar=True,
        show_default=_shown_default(),
        help="Home of the directory of instances and of the embedded stores",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON for scripts")]
InstanceName = Annotated[str, typer.Option("--instance", metavar="NAME", help="The instance, e.g. acme-ca")]
OnlyInstance = Annotated[
    str | None, typer.Option("--instance", metavar="NAME", help="Only this instance (default: every one)")
]
Name = Annotated[str, typer.Argument(metavar="NAME", help="The instance, e.g. acme-ca", show_default=False)]


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[red]error:[/red] {escape(message)}")
    return typer.Exit(code)


def open_directory(data_dir: Path | None, *, create: bool = False) -> Directory:
    """The directory of ``data_dir``. Only commands that create instances create it; for the others a
    directory that does not exist is an error, not an empty list."""
    directory = (data_dir or default_data_dir()).expanduser()
    if create:
        try:
            directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise fail(f"cannot use data directory {directory}: {exc.strerror}", 2) from None
    elif not directory.is_dir():
        what = "is not a directory" if directory.exists() else "does not exist"
        raise fail(
            f"data directory {directory} {what}: check --data-dir or {ENV_DATA_DIR} "
            "(`finstance instances create` and `finstance serve` create it)"
        )
    return Directory(directory)


@contextlib.contextmanager
def _store(entry: Entry, doing: str) -> Iterator[Store]:
    """An instance's store for one command; a store that cannot be opened or used is a one-line error
    saying why (a PostgreSQL server refusing, a missing database, a password refused...)."""
    from finstance.core.store import Store
    from finstance.core.store.engine import describe_store_error

    try:
        store = Store(entry.store_url)
    except Exception as exc:
        raise fail(
            f"cannot {doing} the store of {entry.name!r}: {describe_store_error(entry.store_url, exc)}"
        ) from None
    try:
        yield store
    except typer.Exit:
        raise
    except Exception as exc:
        raise fail(
            f"cannot {doing} the store of {entry.name!r}: {describe_store_error(entry.store_url, exc)}"
        ) from None
    finally:
        store.dispose()


def parse_country(value: str) -> Country:
    try:
        return Country.parse(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2) + "\n")


# -- serve ------------------------------------------------------------------------------------------


@app.command()
def serve(
    host: Annotated[str, typer.Option(metavar="HOST", help="Interface to listen on")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option(metavar="PORT", min=1, max=65533, help="First port (embedded: P, P+1, P+2)")
    ] = 8000,
    data_dir: DataDir = None,
    region: Annotated[
        str | None, typer.Option(metavar="CA|US", help="Serve only this country's instances, routed by Host")
    ] = None,
    instance: Annotated[
        str | None, typer.Option(metavar="NAME", help="Serve this one instance alone")
    ] = None,
    workers: Annotated[
        int, typer.Option(metavar="N", min=1, max=64, help="Worker processes (with --instance)")
    ] = 1,
    access_log: Annotated[bool, typer.Option(help="Log each request line (paths carry identifiers)")] = False,
    migrate: Annotated[
        bool, typer.Option(help="Upgrade each store's schema first; --no-migrate refuses a store behind")
    ] = True,
    ssl_certfile: Annotated[
        Path | None, typer.Option(metavar="FILE", help="Serve HTTPS with this certificate (PEM)")
    ] = None,
    ssl_keyfile: Annotated[
        Path | None, typer.Option(metavar="FILE", help="The certificate's key (PEM)")
    ] = None,
    ssl_ca_certs: Annotated[
        Path | None,
        typer.Option(metavar="FILE", help="Require client certificates signed by these CAs (mutual TLS)"),
    ] = None,
) -> None:
    """Serve instances until Ctrl-C. With no option: toolbox, demo-ca and demo-us on ports P, P+1, P+2."""
    from finstance.core.loading import loading
    from finstance.core.logs import configure_logging

    with loading():
        from finstance.instances import serving

    # Only the embedded default creates what it serves (the data directory included); a region or an
    # instance is served from a directory that has it.
    directory = open_directory(data_dir, create=instance is None and region is None)
    country = parse_country(region) if region else None
    if workers > 1 and instance is None:
        raise typer.BadParameter("--workers needs --instance", param_hint="--workers")
    tls = None
    if ssl_certfile or ssl_keyfile or ssl_ca_certs:
        if not (ssl_certfile and ssl_keyfile):
            raise typer.BadParameter(
                "HTTPS needs both --ssl-certfile and --ssl-keyfile", param_hint="--ssl-certfile"
            )
        tls = serving.Tls(str(ssl_certfile), str(ssl_keyfile), str(ssl_ca_certs) if ssl_ca_certs else None)
    try:
        if instance is not None:
            entries = [directory.get(instance)]
        elif country is not None:
            entries = [e for e in directory.entries() if e.country_code is country]
            if not entries:
                raise fail(
                    f"no {country.value} instance in {directory.path}; see `finstance instances create`"
                )
        else:
            entries = directory.ensure_embedded_defaults()
        settings_from_env()  # a FINSTANCE_<SETTING> that cannot be read stops here, with its name
        if tls is not None:
            tls.check()
        serving.preflight(entries, country, migrate=migrate)
    except (DirectoryError, serving.ServeError, ValueError) as exc:
        raise fail(str(exc)) from None
    configure_logging()
    out.print(f"data directory {directory.data_dir.resolve()}   (instances, keys and embedded stores)")
    scheme = f"{'https' if tls else 'http'}://{host}"
    if instance is not None or country is None:
        listeners = []
        for offset, entry in enumerate(entries):
            base = f"{scheme}:{port + offset}"
            _announce(entry, base, base)
            listeners.append(serving.Listener(serving.instance_app(directory, entry), host, port + offset))
        if workers > 1:
            assert instance is not None
            out.print(
                f"  workers        {workers} processes sharing the store of {instance}   (Ctrl-C to stop)"
            )
            sys.stdout.flush()
            serving.run_workers(directory.data_dir, instance, host, port, workers, country, tls)
            return
    else:
        for entry in entries:
            web = "https" if tls else "http"
            _announce(entry, f"{web}://{entry.api_host}:{port}", f"{web}://{entry.iframe_host}:{port}")
        out.print(f"  routing by Host header on {host}:{port}; other hosts get 404")
        listeners = [serving.Listener(serving.region_router(directory, entries), host, port)]
    out.print("  test user      Greatday / Everyday at FlinksCapital   (Ctrl-C to stop)")
    sys.stdout.flush()
    try:
        if tls is not None and tls.client_ca:
            out.print("  mutual TLS     clients must present a certificate signed by the --ssl-ca-certs CAs")
        started = serving.run_group(listeners, access_log=access_log, tls=tls)
    except serving.ServeError as exc:
        raise fail(str(exc)) from None
    if not started:
        raise fail(f"could not serve on {host}:{port}")


def _announce(entry: Entry, base: str, connect_base: str) -> None:
    kind = "sandbox" if entry.sandbox else "production"
    out.print(f"[bold]{entry.name}[/bold] ({entry.country}, {kind})")
    out.print(f"  API base URL   {base}/v3/{entry.customer_id}/BankingServices")
    out.print(f"  customerId     {entry.customer_id}")
    if entry.dev_keys:
        out.print(
            f"  secret key     {entry.dev_keys['secret_key']}   (flinks-auth-key on /GenerateAuthorizeToken)"
        )
        out.print(f"  x-api-key      {entry.dev_keys['api_key']}")
    else:
        out.print("  keys           shown when created (`finstance instances rotate-keys` issues new ones)")
    out.print(f"  Connect        {connect_base}/v2/")
    if entry.sandbox:
        out.print(f"  demo           {connect_base}/demo   (in a browser: Connect, its events, then the API)")
    out.print(f"  OpenAPI        {base}/openapi.json")


# -- instances --------------------------------------------------------------------------------------


def _credentials(entry: Entry, keys: Credentials) -> dict[str, Any]:
    return {
        "name": entry.name,
        "country": entry.country,
        "customer_id": keys.customer_id,
        "secret_key": keys.secret_key,
        "api_key": keys.api_key,
        "webhook_secret": keys.webhook_secret,
        "api_host": entry.api_host,
        "iframe_host": entry.iframe_host,
    }


@instances_app.command("create")
def instances_create(
    company: Annotated[
        str, typer.Option(metavar="NAME", help="Company name: the instance is NAME-ca or NAME-us")
    ],
    country: Annotated[str, typer.Option(metavar="CA|US", help="The instance's country")],
    store_url: Annotated[
        str | None, typer.Option(metavar="URL", help="Store URL (default: a SQLite file in the data dir)")
    ] = None,
    domain: Annotated[
        str, typer.Option(metavar="DOMAIN", help="Domain of the API and Connect hosts")
    ] = "localhost",
    sandbox: Annotated[bool, typer.Option(help="A sandbox instance (Flinks Capital only)")] = True,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Create an instance with a new customerId, secret key, x-api-key and webhook secret (shown once)."""
    directory = open_directory(data_dir, create=True)
    if store_url and not store_url.startswith(("sqlite:", "postgresql")):
        raise typer.BadParameter("use sqlite:///PATH or postgresql+psycopg://...", param_hint="--store-url")
    from finstance.instances import serving

    try:
        entry, keys = directory.create(
            company, parse_country(country), store_url=store_url, sandbox=sandbox, domain=domain
        )
    except DirectoryError as exc:
        raise fail(str(exc)) from None
    try:
        serving.preflight([entry])  # create, migrate and stamp its store now
    except serving.ServeError as exc:
        directory.delete(entry.name)
        raise fail(str(exc)) from None
    data = _credentials(entry, keys)
    if as_json:
        print_json(data)
        return
    out.print(f"created [bold]{entry.name}[/bold] ({entry.country})")
    for key, value in data.items():
        out.print(f"  {key:<15}{value}")
    out.print("[yellow]The keys are shown this once; only their hashes are kept.[/yellow]")


@instances_app.command("list")
def instances_list(data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """The instances of the directory."""
    directory = open_directory(data_dir)
    try:
        entries = directory.entries()
    except DirectoryError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json([e.public() for e in entries])
        return
    if not entries:
        out.plain(f"no instance in {directory.path}")
    for e in entries:
        out.plain(f"{e.name:<24} {e.country}  {'sandbox   ' if e.sandbox else 'production'}  {e.api_host}")


@instances_app.command("show")
def instances_show(name: Name, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """One instance: hosts, customerId, store (and keys of development instances)."""
    try:
        entry = open_directory(data_dir).get(name)
    except DirectoryError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(entry.public())
        return
    for key, value in entry.public().items():
        out.plain(f"{key:<16}{value}")


@instances_app.command("rotate-keys")
def instances_rotate(name: Name, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """New secret key and x-api-key (shown once); the old ones stop working, the data stays."""
    directory = open_directory(data_dir)
    try:
        keys = directory.rotate_keys(name)
        entry = directory.get(name)
    except DirectoryError as exc:
        raise fail(str(exc)) from None
    data = _credentials(entry, keys)
    if as_json:
        print_json(data)
        return
    out.print(f"new keys for [bold]{name}[/bold]")
    out.print(f"  secret_key     {keys.secret_key}\n  api_key        {keys.api_key}")


@instances_app.command("delete")
def instances_delete(
    name: Name,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation")] = False,
    data_dir: DataDir = None,
) -> None:
    """Delete an instance and every piece of data in its store."""
    directory = open_directory(data_dir)
    try:
        entry = directory.get(name)
    except DirectoryError as exc:
        raise fail(str(exc)) from None
    if not yes and not typer.confirm(f"Delete {name} and all of its data?", default=False):
        raise fail("not deleted")
    _drop_store(entry)
    directory.delete(name)
    out.print(f"deleted {name} and its data")


def _drop_store(entry: Entry) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(entry.store_url)
    if url.get_backend_name() == "sqlite":
        path = Path(url.database or "")
        for suffix in ("", "-wal", "-shm", "-wake"):
            candidate = path.with_name(path.name + suffix)
            if candidate.is_file() or candidate.is_fifo():
                candidate.unlink()
        return
    from finstance.app import schema

    # A PostgreSQL database may hold other things: empty our tables.
    with _store(entry, "empty") as store, store.write() as db:
        for table in reversed(schema().sorted_tables):
            db.execute(table.delete())


# -- residency --------------------------------------------------------------------------------------


@residency_app.command("audit")
def residency_audit(data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Check every instance: stamp, own identifiers only, no shared store, metadata-only directory."""
    from finstance.instances.residency import audit

    try:
        report = audit(open_directory(data_dir))
    except DirectoryError as exc:
        raise fail(str(exc)) from None
    if as_json:
        print_json(report.to_json())
    else:
        for problem in report.directory_violations:
            out.print(f"[red]FAIL[/red] directory: {problem}")
        for item in report.instances:
            status = "[green]ok[/green]  " if not item.violations else "[red]FAIL[/red]"
            out.print(f"{status} {item.name} ({item.country}): {item.rows_checked} identifiers checked")
            for problem in item.violations:
                out.print(f"       {problem}")
        out.print("residency audit passed" if report.ok else "[red]residency audit failed[/red]")
    if not report.ok:
        raise typer.Exit(1)


# -- webhooks and the worker -------------------------------------------------------------------------

webhooks_app = Commands(help="Webhook endpoints and deliveries of one instance.")
app.add_typer(webhooks_app, name="webhooks")


@contextlib.contextmanager
def _context(data_dir: Path | None, name: str) -> Iterator[Any]:
    """One instance's context for a command; its store is closed when the command ends."""
    from finstance.core.loading import loading

    with loading():
        from finstance.instances import serving

    try:
        ctx = serving.instance_context(open_directory(data_dir).get(name))
    except (DirectoryError, serving.ServeError) as exc:
        raise fail(str(exc)) from None
    try:
        yield ctx
    finally:
        ctx.store.dispose()


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(metavar="URL", help="Where to POST the events", show_default=False)],
    instance: InstanceName,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Send this instance's events to URL (kept in the instance's own store)."""
    from finstance.core import webhooks

    with _context(data_dir, instance) as ctx:
        try:
            endpoint = webhooks.add_endpoint(ctx, url)
        except webhooks.WebhookUrlError as exc:
            raise fail(str(exc)) from None
    data = {"id": endpoint.id, "url": endpoint.url, "instance": instance,
            "standard_webhooks_secret": webhooks.standard_secret(ctx.spec.signing_secret)}  # fmt: skip
    if as_json:
        print_json(data)
    else:
        out.print(f"added {endpoint.url} to {instance} (id {endpoint.id})")


@webhooks_app.command("list")
def webhooks_list(instance: InstanceName, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """The endpoints of an instance."""
    from finstance.core import webhooks

    with _context(data_dir, instance) as ctx:
        rows = [
            {"id": e.id, "url": e.url, "created_at": e.created_at.isoformat()}
            for e in webhooks.list_endpoints(ctx)
        ]
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print(f"{instance} has no webhook endpoint")
    for row in rows:
        out.print(f"{row['id']}  {row['url']}")


@webhooks_app.command("remove")
def webhooks_remove(
    id_or_url: Annotated[
        str, typer.Argument(metavar="ID|URL", help="The endpoint's id or URL", show_default=False)
    ],
    instance: InstanceName,
    data_dir: DataDir = None,
) -> None:
    """Stop sending to an endpoint (its pending deliveries are marked failed)."""
    from finstance.core import webhooks

    with _context(data_dir, instance) as ctx:
        removed = webhooks.remove_endpoint(ctx, id_or_url)
    if not removed:
        raise fail(f"{instance} has no endpoint {id_or_url!r}")
    out.print(f"removed {id_or_url} from {instance}")


@webhooks_app.command("test")
def webhooks_test(instance: InstanceName, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Queue a Test event to every endpoint and deliver it now."""
    from finstance.core import webhooks

    with _context(data_dir, instance) as ctx:
        event = webhooks.test_event(ctx)
        webhooks.deliver_due(ctx)
        rows = [d for d in webhooks.deliveries(ctx) if d["event_id"] == event.id]
    if as_json:
        print_json(rows)
    else:
        for row in rows:
            out.print(
                f"{row['status']:<10} {row['url']}  {row['last_status_code'] or row['last_error'] or ''}"
            )
    if not rows or any(r["status"] != "delivered" for r in rows):
        raise typer.Exit(1)


@webhooks_app.command("deliveries")
def webhooks_deliveries(
    instance: InstanceName,
    status: Annotated[DeliveryStatus | None, typer.Option(help="Only the deliveries in this state")] = None,
    limit: Annotated[int, typer.Option(metavar="N", min=1, max=10_000, help="At most N deliveries")] = 50,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Recent deliveries, newest first."""
    from finstance.core import webhooks

    with _context(data_dir, instance) as ctx:
        rows = webhooks.deliveries(ctx, status, limit)
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print(f"{instance} has no {status.value + ' ' if status else ''}delivery")
    for row in rows:
        kind, state = f"{row['event_type']:<18}", f"{row['status']:<10}"
        out.print(f"{row['id']}  {kind} {state} attempts {row['attempts']}  {row['url']}")


@webhooks_app.command("redeliver")
def webhooks_redeliver(
    delivery_id: Annotated[str, typer.Argument(metavar="ID", help="The delivery's id", show_default=False)],
    instance: InstanceName,
    data_dir: DataDir = None,
) -> None:
    """Queue a failed (or delivered) delivery again, with a new schedule."""
    from finstance.core import webhooks

    with _context(data_dir, instance) as ctx:
        queued = webhooks.redeliver(ctx, delivery_id)
    if not queued:
        raise fail(f"no failed or delivered delivery {delivery_id!r} on {instance}")
    out.print(f"queued {delivery_id} again")


@app.command()
def worker(instance: InstanceName, data_dir: DataDir = None) -> None:
    """Run an instance's background work (aggregation jobs, refreshes, webhooks) until Ctrl-C."""
    import signal

    from finstance.core.logs import configure_logging
    from finstance.core.worker import Worker

    with _context(data_dir, instance) as ctx:
        configure_logging()
        background = Worker(ctx)
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: background.request_stop())
        out.print(f"worker of {instance} started (Ctrl-C to stop)")
        sys.stdout.flush()
        background.run()


db_app = Commands(help="The schema of the instances' stores.")
app.add_typer(db_app, name="db")


def _db_entries(data_dir: Path | None, instance: str | None) -> list[Entry]:
    directory = open_directory(data_dir)
    try:
        return [directory.get(instance)] if instance else directory.entries()
    except DirectoryError as exc:
        raise fail(str(exc)) from None


@db_app.command("upgrade")
def db_upgrade(
    instance: OnlyInstance = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Bring each store to the newest schema: once, as a release step, before the new version serves."""
    from finstance.app import schema
    from finstance.core.store.engine import head_revision

    done = []
    for entry in _db_entries(data_dir, instance):
        with _store(entry, "upgrade") as store:
            before = store.revision()
            store.migrate(schema=schema())
        done.append({"instance": entry.name, "from": before, "to": head_revision()})
    if as_json:
        print_json(done)
        return
    if not done:
        out.print(f"no instance in {open_directory(data_dir).path}")
    for item in done:
        out.print(f"{item['instance']:<24} {item['from'] or 'empty'} -> {item['to']}")


@db_app.command("status")
def db_status(
    instance: OnlyInstance = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Each store's schema revision beside the newest; exits 1 when one is behind."""
    from finstance.core.store.engine import head_revision

    head, rows = head_revision(), []
    for entry in _db_entries(data_dir, instance):
        with _store(entry, "read") as store:
            rows.append({"instance": entry.name, "revision": store.revision(), "head": head})
    if as_json:
        print_json(rows)
    else:
        if not rows:
            out.print(f"no instance in {open_directory(data_dir).path}")
        for row in rows:
            state = "current" if row["revision"] == head else "BEHIND: run `finstance db upgrade`"
            out.print(f"{row['instance']:<24} {row['revision'] or 'empty'}  {state}")
    if any(row["revision"] != head for row in rows):
        raise typer.Exit(1)


# -- outbound ---------------------------------------------------------------------------------------

outbound_app = Commands(help="Outbound: the data recipients (OAuth clients) of one instance.")
recipients_app = Commands(help="Register data recipients and rotate their secrets.")
outbound_app.add_typer(recipients_app, name="recipients")
app.add_typer(outbound_app, name="outbound")


def _issued(issued: Any, instance: str, as_json: bool, verb: str) -> None:
    data = {"client_id": issued.client_id, "client_secret": issued.client_secret, "name": issued.name,
            "redirect_uris": issued.redirect_uris, "instance": instance}  # fmt: skip
    if as_json:
        print_json(data)
        return
    out.print(f"{verb} recipient {escape(issued.name)} on {instance}")
    out.print(f"client_id      {issued.client_id}")
    out.print(f"client_secret  {issued.client_secret}   (shown once: keep it now)")


@recipients_app.command("create")
def outbound_recipients_create(
    instance: InstanceName,
    name: Annotated[str, typer.Option(metavar="NAME", help="The recipient's name, shown to end-users")],
    redirect_uri: Annotated[
        list[str], typer.Option(metavar="URL", help="Where consents return (exact match; repeat for more)")
    ],
    contact: Annotated[list[str] | None, typer.Option(metavar="EMAIL", help="A contact e-mail")] = None,
    register: Annotated[
        bool, typer.Option(help="Register it, active, with Flinks Capital (provider 1000)")
    ] = True,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Register a data recipient; its client secret is printed once."""
    from finstance.outbound import recipients

    with _context(data_dir, instance) as ctx:
        try:
            issued = recipients.create(ctx, name, redirect_uri, contacts=contact, register=register)
        except recipients.RecipientError as exc:
            raise fail(str(exc)) from None
    _issued(issued, instance, as_json, "registered")


@recipients_app.command("list")
def outbound_recipients_list(
    instance: InstanceName, data_dir: DataDir = None, as_json: AsJson = False
) -> None:
    """The recipients of an instance (never their secrets)."""
    from finstance.outbound import recipients

    with _context(data_dir, instance) as ctx:
        rows = recipients.listed(ctx)
    if as_json:
        print_json(rows)
        return
    if not rows:
        out.print(f"{instance} has no recipient")
    for row in rows:
        out.print(f"{row['client_id']}  {escape(row['name'])}  {' '.join(row['redirect_uris'])}")


@recipients_app.command("rotate")
def outbound_recipients_rotate(
    client_id: Annotated[str, typer.Argument(metavar="CLIENT_ID", help="The recipient", show_default=False)],
    instance: InstanceName,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """A new client secret for a recipient; the old one stops working at once."""
    from finstance.outbound import recipients

    with _context(data_dir, instance) as ctx:
        try:
            issued = recipients.rotate(ctx, client_id)
        except recipients.RecipientError as exc:
            raise fail(str(exc)) from None
    _issued(issued, instance, as_json, "rotated the secret of")


clients_app = Commands(help="Client credentials of the server-to-server APIs (Pay, Upload) of one instance.")
app.add_typer(clients_app, name="clients")
ClientProduct = Annotated[
    str, typer.Option("--product", metavar="PRODUCT", help="The API the client calls: pay or upload")
]


def _client_issued(issued: Any, instance: str, as_json: bool, verb: str) -> None:
    data = {"client_id": issued.client_id, "client_secret": issued.client_secret, "product": issued.product,
            "name": issued.name, "instance": instance}  # fmt: skip
    if as_json:
        print_json(data)
        return
    out.print(f"{verb} {issued.product} client on {instance}")
    out.print(f"client_id      {issued.client_id}")
    out.print(f"client_secret  {issued.client_secret}   (shown once: keep it now)")


@clients_app.command("create")
def clients_create(
    instance: InstanceName,
    product: ClientProduct,
    name: Annotated[str | None, typer.Option(metavar="NAME", help="A name to recognise it by")] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Create an API client; its client secret is printed once."""
    from finstance.core import clients

    with _context(data_dir, instance) as ctx:
        try:
            issued = clients.create(ctx, product, name)
        except clients.ClientError as exc:
            raise fail(str(exc)) from None
    _client_issued(issued, instance, as_json, "created a")


@clients_app.command("list")
def clients_list(
    instance: InstanceName,
    product: Annotated[
        str | None, typer.Option("--product", metavar="PRODUCT", help="Only this API's clients")
    ] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """The API clients of an instance (never their secrets)."""
    from finstance.core import clients

    with _context(data_dir, instance) as ctx:
        rows = clients.listed(ctx, product)
    if as_json:
        print_json([row.to_json() for row in rows])
        return
    if not rows:
        out.print(f"{instance} has no API client")
    for row in rows:
        out.print(f"{row.client_id}  {row.product:<7} {escape(row.name or '')}")


@clients_app.command("rotate")
def clients_rotate(
    client_id: Annotated[str, typer.Argument(metavar="CLIENT_ID", help="The client", show_default=False)],
    instance: InstanceName,
    product: ClientProduct,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """A new client secret; the old one and the tokens issued with it stop working at once."""
    from finstance.core import clients

    with _context(data_dir, instance) as ctx:
        try:
            issued = clients.rotate(ctx, product, client_id)
        except clients.ClientError as exc:
            raise fail(str(exc)) from None
    _client_issued(issued, instance, as_json, "rotated the secret of a")


# -- Pay ---------------------------------------------------------------------------------------------

pay_app = Commands(help="Pay: settlement and the CPA-005 files of a Canadian instance.")
app.add_typer(pay_app, name="pay")


@contextlib.contextmanager
def _pay_context(data_dir: Path | None, instance: str) -> Iterator[Any]:
    with _context(data_dir, instance) as ctx:
        if not any(product.name == "pay" for product in ctx.products):
            raise fail(
                f"{instance} is a {ctx.spec.country.value} instance: Pay exists on Canadian instances only"
            )
        yield ctx


@pay_app.command("settle")
def pay_settle(instance: InstanceName, data_dir: DataDir = None, as_json: AsJson = False) -> None:
    """Move what the Pay clock made due and write the files due now (the worker does it on every pass)."""
    from finstance.pay import settlement

    with _pay_context(data_dir, instance) as ctx:
        done = settlement.run(ctx)
    written = [summary.wire() for summary in done.files]
    if as_json:
        print_json({"now": done.now.isoformat(), "moved": done.moved, "files": written})
        return
    out.print(f"{instance}: {done.moved} payment(s) moved, {len(written)} file(s) written")
    for made in written:
        out.print(f"{made['fileDate']}  file {made['fileCreationNumber']:04d}")


@pay_app.command("files")
def pay_files(
    instance: InstanceName,
    day: Annotated[
        str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="Only the file of this day")
    ] = None,
    to: Annotated[
        Path | None, typer.Option("--out", metavar="DIR", help="Write each file there as cpa005-DATE.txt")
    ] = None,
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """The CPA-005 files settlement wrote, with their totals; --out writes them as the bank receives them."""
    from datetime import date

    from sqlalchemy import select

    from finstance.pay import files, tables

    try:
        wanted = None if day is None else date.fromisoformat(day)
    except ValueError:
        raise fail(f"--date must be YYYY-MM-DD, got {day!r}") from None
    with _pay_context(data_dir, instance) as ctx, ctx.store.read() as db:
        found = files.summaries(db, wanted)
        days = [f.file_date for f in found]
        made = db.scalars(select(tables.PayFile).where(tables.PayFile.file_date.in_(days))) if to else []
        contents = {row.file_date: files.render(ctx, db, row) for row in made}
    if to is not None:
        to.mkdir(parents=True, exist_ok=True)
        for when, content in contents.items():
            (to / f"cpa005-{when.isoformat()}.txt").write_bytes(content.encode("ascii"))
    if as_json:
        print_json([summary.wire() for summary in found])
        return
    if not found:
        out.print(f"{instance} has written no file" + (f" for {day}" if day else ""))
    for summary in found:
        debits, credits = summary.debit_count, summary.credit_count
        out.print(
            f"{summary.file_date}  file {summary.creation_number:04d}  {debits} debit(s) "
            f"{summary.debit_total / 100:.2f}  {credits} credit(s) {summary.credit_total / 100:.2f}"
        )


# -- Upload ------------------------------------------------------------------------------------------


@app.command("upload")
def upload_files(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE...", help="Statements: PDF, JPEG, PNG, TIFF, OFX/QFX or CSV")
    ],
    instance: InstanceName,
    language: Annotated[str, typer.Option(metavar="LANG", help="The end-user's language: en or fr")] = "en",
    data_dir: DataDir = None,
    as_json: AsJson = False,
) -> None:
    """Upload an end-user's statements to an instance and read them now: prints the loginId and each
    document's status. Exits 1 when no document could be read as a complete statement."""
    from finstance.core import errors
    from finstance.upload import uploads

    if language not in ("en", "fr"):
        raise fail("--language must be en or fr")
    taken = []
    for path in files:
        try:
            taken.append(uploads.File(path.name, path.read_bytes()))
        except OSError as exc:
            raise fail(f"cannot read {path}: {exc.strerror or exc}") from None
    with _context(data_dir, instance) as ctx:
        try:
            created = uploads.create(ctx, taken, source="cli", language=language)
        except errors.FlinksError as exc:
            raise fail(exc.message) from None
        done = uploads.read_now(ctx, created.upload_id)
    if as_json:
        print_json(
            {
                "instance": instance,
                **done.model_dump(mode="json", by_alias=True, exclude={"http_status_code"}),
            }
        )
    else:
        out.print(f"loginId  {done.login_id}  ({instance}, upload {done.upload_id}: {done.status})")
        for d in done.documents:
            detail = (
                f"{d.accounts} account(s), {d.transactions} transaction(s)"
                if d.status == "Processed"
                else (d.reason.message if d.reason else "")
            )
            verdict = f"  fraud: {d.fraud_verdict}" if d.fraud_verdict else ""
            out.print(f"  {escape(d.file_name)}: {d.status}  {escape(detail)}{verdict}")
    if done.status != "Completed":
        raise typer.Exit(1)


@app.command()
def version() -> None:
    """Print the version."""
    import finstance

    typer.echo(finstance.__version__)


def main() -> None:
    app()
