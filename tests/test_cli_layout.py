"""The ``phoihop`` command's package stays on top (issue 14): the apps never import it, its modules
import no circle, and none of them starts Django when it is imported."""

import ast
import subprocess
import sys
from pathlib import Path

import phoihop

ROOT = Path(phoihop.__file__).resolve().parent
# The two modules outside the package that belong to the command: ``python -m phoihop`` and the
# bench's suites (``phoihop bench``; the backup suite quotes the demo's size from ``cli.server``).
COMMAND_MODULES = {"phoihop.__main__", "phoihop.bench"}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in ROOT.rglob("*.py") if "migrations" not in path.parts}


def imported(name: str) -> set[str]:
    """The phoihop modules ``name`` imports, at module level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            # ``from phoihop.cli import server`` imports the submodule, ``from phoihop.cli import
            # main`` the package.
            targets = [
                f"{node.module}.{alias.name}"
                if f"{node.module}.{alias.name}" in MODULES
                else node.module
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


GRAPH = {name: imported(name) for name in MODULES}


def is_cli(name: str) -> bool:
    return name == "phoihop.cli" or name.startswith("phoihop.cli.")


def reachable(start: str) -> set[str]:
    seen, todo = set(), [start]
    while todo:
        for target in GRAPH[todo.pop()] - seen:
            seen.add(target)
            todo.append(target)
    return seen


def test_the_graph_sees_the_commands_imports():
    # The walk itself: if it missed these, the tests below could not fail.
    assert "phoihop.cli.server" in GRAPH["phoihop.cli"]
    assert "phoihop.cli.documents" in GRAPH["phoihop.cli.schedule"]
    assert "phoihop.cli" in GRAPH["phoihop.__main__"]


def test_no_module_outside_the_package_imports_it():
    offenders = sorted(
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if not is_cli(name) and name not in COMMAND_MODULES
        for target in targets
        if is_cli(target)
    )
    assert not offenders, offenders


def test_no_import_circle_goes_through_the_command_modules():
    circles = sorted(name for name in MODULES if is_cli(name) and name in reachable(name))
    assert not circles, circles


def test_the_command_modules_only_import_their_package_from_main():
    # A command module that imported ``phoihop.cli`` itself would close a circle with
    # ``phoihop/cli/__init__.py``, which imports every command module.
    offenders = sorted(
        name for name in MODULES if name.startswith("phoihop.cli.") and "phoihop.cli" in GRAPH[name]
    )
    assert not offenders, offenders


def test_importing_every_command_module_starts_no_django():
    code = (
        "import importlib, pkgutil, sys\n"
        "import phoihop.cli\n"
        "for info in pkgutil.iter_modules(phoihop.cli.__path__):\n"
        "    importlib.import_module('phoihop.cli.' + info.name)\n"
        "print(len(phoihop.cli.REGISTER))\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 11
