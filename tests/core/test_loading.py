"""The collector is off while modules load, what was loaded is kept out of its later passes, and it is left as
it was found afterwards, even when loading fails."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from finstance.core.loading import loading


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_loading_pauses_the_collector_and_resumes_it_on_what_is_made_afterwards() -> None:
    gc.enable()
    with loading():
        assert not gc.isenabled()
        loaded: list[object] = []
        loaded.append(loaded)  # a module-level cycle: kept out of later passes
    assert gc.isenabled()
    kept = gc.get_freeze_count()
    assert kept > 0
    later: list[object] = []
    later.append(later)
    del later
    assert gc.collect() >= 1  # made afterwards: collected as before
    assert loaded[0] is loaded


def test_loading_resumes_the_collector_when_an_import_fails() -> None:
    gc.enable()
    with pytest.raises(ModuleNotFoundError), loading():
        import finstance.no_such_module  # type: ignore[import-not-found]  # noqa: F401
    assert gc.isenabled()


def test_loading_leaves_a_collector_that_was_off_off() -> None:
    gc.disable()
    with loading():
        assert not gc.isenabled()
    assert not gc.isenabled()
