"""The public namespace of finstance.client: one flat, sorted ``__all__`` that names everything public."""

from __future__ import annotations

import inspect

import finstance.client
import finstance.testing


def test_all_is_sorted_and_has_no_duplicates() -> None:
    names = finstance.client.__all__
    assert names == sorted(names) and len(set(names)) == len(names)


def test_all_names_exactly_the_public_members_of_the_package() -> None:
    public = {
        name
        for name, value in vars(finstance.client).items()
        if not name.startswith("_") and not inspect.ismodule(value) and name != "annotations"
    }
    assert public == set(finstance.client.__all__)


def test_every_exported_member_is_defined_in_a_private_module() -> None:
    for name in finstance.client.__all__:
        member = getattr(finstance.client, name)
        module = getattr(member, "__module__", "")
        assert module.startswith("finstance.client._"), name


def test_testing_exports_resolve_lazily() -> None:
    for name in finstance.testing.__all__:
        assert getattr(finstance.testing, name) is not None
    assert sorted(finstance.testing.__all__) == finstance.testing.__all__
