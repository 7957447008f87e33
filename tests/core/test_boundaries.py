"""The layout holds: the core imports no product, products import the core and not each other (other than
through a named read module), the sandbox bank sits behind the institution port, and the SDK stands alone.

Every ``import`` of every module is read with :mod:`ast`, those inside functions included, so a lazy import
cannot slip past.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import finstance

PACKAGE = Path(finstance.__file__).parent
PRODUCTS = ("connect", "enrich", "upload", "pay", "outbound")
# The modules of one product that another product may import: what it publishes for them.
NAMED_READS = {"finstance.connect.reads", "finstance.connect.provider", "finstance.connect.intake"}
# What the SDK may use of the rest: the core's pure modules and Connect's wire documents.
SDK_MAY_USE = {
    "finstance",
    "finstance.core.country",
    "finstance.core.identifiers",
    "finstance.core.instance",
    "finstance.core.keys",
    "finstance.core.wire",
    "finstance.connect.wire",
    "finstance.enrich.wire",
    "finstance.upload.wire",
    "finstance.pay.wire",
}
# Their packages, whose ``__init__`` import nothing.
SDK_PACKAGES = {
    "finstance.core",
    "finstance.connect",
    "finstance.enrich",
    "finstance.upload",
    "finstance.pay",
}
SERVER_LIBRARIES = ("sqlalchemy", "fastapi", "starlette", "uvicorn", "alembic", "typer", "jinja2", "psycopg")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> Iterator[tuple[int, str, bool]]:
    """(line, imported module, at module level?) for every import of a file, relative ones resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    top_level = {id(node) for node in tree.body}
    type_checking = {
        id(inner)
        for node in tree.body
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for inner in node.body
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from finstance.connect import wire` imports finstance.connect.wire: name the submodule.
            names = [
                f"{base}.{alias.name}" if _is_module(f"{base}.{alias.name}") else base for alias in node.names
            ]
        else:
            continue
        eager = id(node) in top_level
        for name in names:
            if id(node) not in type_checking:
                yield node.lineno, name, eager


def _is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (PACKAGE.parent / relative).with_suffix(".py").exists() or (PACKAGE.parent / relative).is_dir()


def room(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "finstance" else ""


def sources(under: str) -> list[Path]:
    return sorted((PACKAGE / under).rglob("*.py"))


def offences(under: str, allowed: Callable[[str], bool]) -> list[str]:
    found = []
    for path in sources(under):
        for line, name, _ in imports(path):
            if name.startswith("finstance") and not allowed(name):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line} imports {name}")
    return found


def test_the_core_imports_no_product_and_nothing_outside_itself() -> None:
    assert offences("core", lambda name: name == "finstance" or room(name) == "core") == []


@pytest.mark.parametrize("product", PRODUCTS)
def test_a_product_imports_the_core_and_itself_never_another_product(product: str) -> None:
    def allowed(name: str) -> bool:
        return (
            name == "finstance"
            or room(name) in {"core", product, "sandbox"}
            or any(name == read or name.startswith(read + ".") for read in NAMED_READS)
        )

    assert offences(product, allowed) == []


def test_the_check_finds_an_import_it_does_not_allow() -> None:
    """It can fail: with the sandbox bank not allowed, Connect's aggregation importing it is found."""
    found = offences("connect", lambda name: room(name) in {"core", "connect"})
    assert any("connect/product.py" in line and "finstance.sandbox" in line for line in found), found


def test_every_product_has_a_room_with_its_declaration() -> None:
    for product in PRODUCTS:
        declaration = PACKAGE / product / "product.py"
        assert declaration.exists(), f"{product} has no product.py"
        assert "PRODUCT" in declaration.read_text()


def test_the_sandbox_bank_imports_only_the_core() -> None:
    assert offences("sandbox", lambda name: name == "finstance" or room(name) in {"core", "sandbox"}) == []


def test_the_sdk_imports_no_server_module_at_module_level() -> None:
    found = []
    for path in sources("client"):
        for line, name, eager in imports(path):
            if not eager:
                continue  # a lazy import inside a function runs only when that function is used
            if name.startswith("finstance") and room(name) != "client" and name not in SDK_MAY_USE:
                found.append(f"{path.name}:{line} imports {name}")
            if name.split(".")[0] in SERVER_LIBRARIES:
                found.append(f"{path.name}:{line} imports {name}")
    assert found == []


def test_the_pure_core_modules_the_sdk_uses_need_nothing_of_the_server() -> None:
    for name in SDK_MAY_USE - {"finstance"}:
        path = PACKAGE.parent / Path(*name.split(".")).with_suffix(".py")
        for line, imported, _ in imports(path):
            top = imported.split(".")[0]
            assert top not in SERVER_LIBRARIES, f"{name}:{line} imports {imported}"
            if top == "finstance":
                assert imported in SDK_MAY_USE, f"{name}:{line} imports {imported}"


def test_the_packages_of_the_sdk_modules_import_nothing() -> None:
    for package in SDK_PACKAGES:
        path = PACKAGE.parent / Path(*package.split(".")) / "__init__.py"
        assert list(imports(path)) == [], package


def test_importing_the_sdk_loads_no_server_library() -> None:
    """Run in a fresh interpreter, so that modules the test session loaded do not count."""
    probe = (
        "import sys, finstance.client\n"
        f"loaded = sorted({{m.split('.')[0] for m in sys.modules}} & set({SERVER_LIBRARIES!r}))\n"
        "server = sorted(m for m in sys.modules if m.startswith('finstance.')"
        f" and m not in {sorted(SDK_MAY_USE | SDK_PACKAGES)!r} and not m.startswith('finstance.client'))\n"
        "print(loaded, server)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[] []", result.stdout


def test_the_probe_sees_a_server_module_when_one_is_loaded() -> None:
    """The check above can fail: importing the server's app is reported."""
    probe = (
        "import sys, finstance.client, finstance.app\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({SERVER_LIBRARIES!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "sqlalchemy" in result.stdout and "fastapi" in result.stdout


# Libraries a product needs only for some of its work: loaded when that work is done, not when a server,
# a worker or a CLI command starts (together about half a second of every start).
ON_DEMAND = ("pypdf", "pdfplumber", "pdfminer", "PIL", "pypdfium2", "holidays")


def test_starting_a_server_loads_no_document_or_calendar_library() -> None:
    probe = (
        "import sys, finstance.app, finstance.instances.serving, finstance.core.worker\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({ON_DEMAND!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]", result.stdout


def test_the_on_demand_libraries_load_when_their_work_is_done() -> None:
    """The probe above can fail: a statement read and a business day asked about load them."""
    probe = (
        "import sys, datetime\n"
        "from finstance.pay import calendar\n"
        "from finstance.upload.extract import pdf\n"
        "calendar.bank_holidays(2026)\n"
        "try:\n    pdf.extract_pdf(b'%PDF-1.4 not really')\nexcept Exception:\n    pass\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({ON_DEMAND!r})))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert {"holidays", "pdfplumber", "pdfminer"} <= set(eval(result.stdout)), result.stdout  # noqa: S307
