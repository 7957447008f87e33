"""Loading finstance's modules without the cyclic garbage collector walking through them.

Importing the server builds a few hundred thousand objects (classes, functions, pydantic's and FastAPI's
models, SQLAlchemy's tables), keeps every one of them, and makes no garbage. Their allocations trigger the
collector all the same, and each of its full passes walks the whole heap built so far: about a fifth of the
import (0.2 s of 1.1 s on a 2-core machine). Within :func:`loading` it does not run. What was loaded is then
left out of its later passes (``gc.freeze``), which would walk it again while the command starts (a region's
50 stores and apps: about 0.1 s more); the collector then runs as before on everything made afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def loading() -> Iterator[None]:
    """No collection within the block (imports); what exists when it ends is kept out of later collections,
    and the collector is left as it was found."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()
