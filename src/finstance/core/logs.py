"""Logging setup. Log lines name operations and identifiers of records, never secrets or personal data.

:func:`configure_logging` is what ``finstance serve`` and ``finstance worker`` (and each worker process of
``serve --workers N``) install: one handler on the root logger, one format for every line, and these rules
for the libraries underneath, whose lines we do not write ourselves:

- The HTTP clients (httpx, httpcore) log every request they send with its full URL: a webhook URL may carry
  a token in its query string. They are held at WARNING.
- The form parser logs field values at DEBUG: held at WARNING too.
- Below WARNING, only finstance's own loggers and uvicorn's server lines reach the handler; any other
  library's INFO or DEBUG line is dropped, whatever level it was set to.
- uvicorn's access log (off unless ``serve --access-log``) is written without query strings: the Connect
  page's URL carries an authorize token.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HANDLER_NAME = "finstance"
# Libraries that write URLs, headers or bodies below WARNING.
QUIET_LOGGERS = ("httpx", "httpcore", "hpack", "python_multipart", "multipart", "alembic")
# The loggers whose INFO and DEBUG lines are ours to vouch for.
OWN_LOGGERS = ("finstance", "uvicorn.error", "uvicorn.access")
ACCESS_LOGGER = "uvicorn.access"


def _is_under(name: str, parents: tuple[str, ...]) -> bool:
    return any(name == parent or name.startswith(parent + ".") for parent in parents)


class OwnLinesOnly(logging.Filter):
    """Lets through WARNING and above from anyone, and lower levels only from :data:`OWN_LOGGERS`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return record.name == "uvicorn" or _is_under(record.name, OWN_LOGGERS)


class WithoutQuery(logging.Filter):
    """Drops the query string from uvicorn's access line (its path argument), keeping the path."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str) and "?" in args[2]:
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def configure_logging(level: int = logging.INFO, stream: TextIO | None = None) -> logging.Handler:
    """Install finstance's handler on the root logger (replacing one installed before) and the rules above.

    ``stream`` defaults to standard error. Returns the handler, so that a caller can remove it."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(old)
        old.close()
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.set_name(HANDLER_NAME)
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(OwnLinesOnly())
    root.addHandler(handler)
    root.setLevel(level)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    access = logging.getLogger(ACCESS_LOGGER)
    if not any(isinstance(f, WithoutQuery) for f in access.filters):
        access.addFilter(WithoutQuery())
    return handler
