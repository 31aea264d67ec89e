"""`from piwik_resources import CnilExemptSite, Site, ...`: lazy at run time, complete for type checkers.

The client (`piwik_resources.api`) must stay free of Pulumi, so the top-level names are loaded on first use
(PEP 562 ``__getattr__``); ``TYPE_CHECKING`` imports give mypy and IDEs the same names.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest
from mypy import api as mypy_api

import piwik_resources

INIT = Path(piwik_resources.__file__)
#: The names the issue asks for, each with its Args (and Attestations).
REQUIRED = {
    "CnilExemptSite",
    "CnilAccount",
    "Site",
    "SitePrivacy",
    "TrackerSettings",
    "GlobalTrackerSettings",
    "TagConsentType",
    "ConsentTemplate",
    "CustomDimension",
    "OptOutForm",
}


def typed_imports() -> dict[str, str]:
    """Name → module of the ``if TYPE_CHECKING:`` block of piwik_resources/__init__.py."""
    tree = ast.parse(INIT.read_text())
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    found: dict[str, str] = {}
    for node in block.body:
        assert isinstance(node, ast.ImportFrom) and node.module is not None
        for alias in node.names:
            assert alias.asname == alias.name, f"{alias.name} must be re-exported as itself (`X as X`)"
            found[alias.name] = node.module
    return found


def test_every_required_name_and_its_args_is_exported() -> None:
    exported = set(piwik_resources.__all__)
    assert {*REQUIRED, *(f"{n}Args" for n in REQUIRED), "Attestations"} <= exported


def test_the_typed_imports_and_the_runtime_table_name_the_same_objects() -> None:
    typed = typed_imports()
    assert typed == {name: f"piwik_resources.{home}" for name, home in piwik_resources._EXPORTS.items()}
    for name, module in typed.items():
        assert getattr(piwik_resources, name) is getattr(import_module(module), name)
    assert set(piwik_resources.__all__) == {"__version__", *typed}
    assert set(piwik_resources.__all__) <= set(dir(piwik_resources))


def test_star_import_and_unknown_names() -> None:
    namespace: dict[str, object] = {}
    exec("from piwik_resources import *", namespace)
    assert namespace["CnilExemptSite"] is piwik_resources.CnilExemptSite
    with pytest.raises(AttributeError, match="'piwik_resources' has no attribute 'NoSuchThing'"):
        _ = piwik_resources.NoSuchThing  # type: ignore[attr-defined]


@pytest.mark.emulator  # a fresh interpreter (tests/fixtures/tiers.py)
def test_the_client_and_the_package_import_without_pulumi() -> None:
    code = (
        "import sys, piwik_resources, piwik_resources.api; "
        "print(sorted(m for m in sys.modules if m == 'pulumi' or m.startswith('pulumi.')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert proc.stdout.strip() == "[]"


def test_mypy_strict_sees_the_top_level_classes(tmp_path: Path) -> None:
    user = tmp_path / "user_program.py"
    user.write_text(
        "from piwik_resources import CnilExemptSite, CnilExemptSiteArgs, Site\n"
        "reveal_type(Site)\n"
        "args: CnilExemptSiteArgs = CnilExemptSiteArgs(site_name=1)\n"
        "site: CnilExemptSite\n"
    )
    out, _err, status = mypy_api.run(["--strict", str(user)])
    assert status == 1, out
    assert (
        "args: piwik_resources.resources._gen.site.SiteArgs" in out and '-> piwik_resources.resources.site.Site"' in out
    )
    assert 'Argument "site_name" to "CnilExemptSiteArgs" has incompatible type "int"' in out
