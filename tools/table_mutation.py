"""Mutation testing of the module-level tables that mutmut cannot reach (`make mutation`, docs/mutation.md).

mutmut mutates function bodies only; the compliance tables (template lists, identifier patterns, each rule's
requirement, flag and compliant value, each requirement's number, profiles, attestation, limits) are literals
evaluated once at import. This tool makes one mutant per literal of the module-level statements of the modules
listed under ``[tool.table_mutation]`` in pyproject.toml:

- an element of a tuple, list or set, or an entry of a dict, is removed;
- a string of at most four words is renamed (``"hub_spot"`` → ``"hub_spot_mutated"``); longer strings are prose
  (descriptions, messages), judged by the wording tests, not here;
- a boolean is flipped; a number is increased by one.

Each mutant runs the listed fast tests (``-m unit``, stopping at the first failure) in a child forked from a
process that has already imported the heavy dependencies; the child forgets this project's modules and imports
them again with the mutated module served from memory. A mutant is killed when a test fails (or the module no
longer imports), survives when every test passes. Results go to ``mutants/tables.json``; tools/mutation_score.py
prints them as their own row. ``--only NAME`` restricts to the statements assigning NAME (repeatable).
"""

from __future__ import annotations

import argparse
import ast
import importlib.abc
import importlib.util
import json
import os
import signal
import sys
import time
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "mutants" / "tables.json"
MAX_WORDS = 4
TIMEOUT_S = 300.0


@dataclass(frozen=True)
class Mutant:
    module: str  #: a file path relative to the repository
    table: str  #: the name the statement assigns
    line: int
    change: str
    path: tuple[Any, ...]  #: where the node is in the module's AST (fields and indexes)
    operation: str  #: "remove", "rename", "flip" or "increment"

    @property
    def name(self) -> str:
        return f"{self.module}:{self.line} {self.table}: {self.change}"


def config(pyproject: Path = REPO / "pyproject.toml") -> dict[str, Any]:
    table: dict[str, Any] = tomllib.loads(pyproject.read_text())["tool"]["table_mutation"]
    return table


def module_name(path: str) -> str:
    return path.removesuffix(".py").replace("/", ".")


# ------------------------------------------------------------------------------------------------ the mutants


def _children(node: ast.AST, path: tuple[Any, ...]) -> Iterator[tuple[ast.AST, tuple[Any, ...]]]:
    for field_name, value in ast.iter_fields(node):
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, ast.AST):
                    yield item, (*path, field_name, index)
        elif isinstance(value, ast.AST):
            yield value, (*path, field_name)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _constant_mutant(node: ast.Constant) -> tuple[str, str] | None:
    value = node.value
    if isinstance(value, bool):
        return "flip", f"{value} -> {not value}"
    if isinstance(value, int | float):
        return "increment", f"{value} -> {value + 1}"
    if isinstance(value, str) and value and len(value.split()) <= MAX_WORDS:
        return "rename", f"{_short(value)} -> {_short(value + '_mutated')}"
    return None


def _walk(node: ast.AST, path: tuple[Any, ...]) -> Iterator[tuple[str, str, tuple[Any, ...], int]]:
    """(operation, change, path, line) of every mutant inside ``node``."""
    if isinstance(node, ast.JoinedStr):
        return  # an f-string is prose
    if isinstance(node, ast.Constant):
        found = _constant_mutant(node)
        if found is not None:
            yield found[0], found[1], path, node.lineno
        return
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        for index, element in enumerate(node.elts):
            yield "remove", f"remove {_short(ast.unparse(element))}", (*path, "elts", index), element.lineno
    if isinstance(node, ast.Dict):
        for index, key in enumerate(node.keys):
            shown = ast.unparse(key) if key is not None else "**" + ast.unparse(node.values[index])
            yield "remove", f"remove entry {_short(shown)}", (*path, "keys", index), node.values[index].lineno
    for child, child_path in _children(node, path):
        yield from _walk(child, child_path)


def _target(statement: ast.stmt) -> str | None:
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
        target = statement.target
    else:
        return None
    return target.id if isinstance(target, ast.Name) else None


def mutants_of(module: str, only: Sequence[str] = (), skip: Sequence[str] = ()) -> list[Mutant]:
    tree = ast.parse((REPO / module).read_text(encoding="utf-8"))
    found: list[Mutant] = []
    for index, statement in enumerate(tree.body):
        name = _target(statement)
        if name is None or name in skip or (only and name not in only):
            continue
        value = statement.value  # type: ignore[attr-defined]
        for operation, change, path, line in _walk(value, ("body", index, "value")):
            found.append(Mutant(module, name, line, change, path, operation))
    return found


def _node_at(tree: ast.AST, path: tuple[Any, ...]) -> Any:
    node: Any = tree
    for step in path:
        node = node[step] if isinstance(step, int) else getattr(node, step)
    return node


def mutated_source(mutant: Mutant) -> str:
    tree = ast.parse((REPO / mutant.module).read_text(encoding="utf-8"))
    if mutant.operation == "remove":
        *parent_path, field_name, index = mutant.path
        parent = _node_at(tree, tuple(parent_path))
        if field_name == "keys":
            del parent.keys[index], parent.values[index]
        else:
            del getattr(parent, field_name)[index]
    else:
        node = _node_at(tree, mutant.path)
        if mutant.operation == "flip":
            node.value = not node.value
        elif mutant.operation == "increment":
            node.value += 1
        else:
            node.value += "_mutated"
    return ast.unparse(ast.fix_missing_locations(tree))


# ---------------------------------------------------------------------------------------------------- running


class _MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Serves one module's mutated source from memory (no bytecode cache can hand back the original)."""

    def __init__(self, name: str, path: Path, source: str) -> None:
        self.name, self.path, self.source = name, path, source

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> Any:
        if fullname != self.name:
            return None
        spec = importlib.util.spec_from_loader(fullname, self, origin=str(self.path))
        if spec is not None:
            spec.has_location = True
        return spec

    def create_module(self, spec: Any) -> ModuleType | None:
        return None

    def exec_module(self, module: ModuleType) -> None:
        module.__file__ = str(self.path)
        exec(compile(self.source, str(self.path), "exec"), module.__dict__)


def _forget_project_modules() -> None:
    for name in list(sys.modules):
        if name.split(".", 1)[0] in ("piwik_resources", "tests"):
            del sys.modules[name]


def _child(mutant: Mutant | None, tests: list[str], basetemp: Path) -> int:
    """In a forked child: import the project again (the mutant served from memory) and run the tests."""
    import pytest

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    _forget_project_modules()
    sys.dont_write_bytecode = True
    if mutant is not None:
        sys.meta_path.insert(0, _MutantFinder(module_name(mutant.module), REPO / mutant.module, mutated_source(mutant)))
    args = [*tests, "-m", "unit", "-x", "-q", "-p", "no:cacheprovider", f"--basetemp={basetemp}"]
    return int(pytest.main(args))


def _preload() -> None:
    """Import what every child needs, once, so that a child only re-imports this project's own modules."""
    import pytest  # noqa: F401

    import piwik_resources.compliance
    import piwik_resources.components
    import piwik_resources.policy_pack  # noqa: F401
    import tests.emulator.contract  # noqa: F401

    _forget_project_modules()


#: pytest's exit code in the child -> the mutant's status. 2: the tests could not even be collected (the mutated
#: module fails at import), which kills the mutant as surely as a failing test; anything else is an error of the run.
STATUS = {0: "survived", 1: "killed", 2: "killed at import", -signal.SIGKILL: "timeout"}
KILLED = frozenset({"killed", "killed at import", "timeout"})


@dataclass
class Outcome:
    mutant: Mutant
    status: str  #: "killed", "survived" or "timeout"
    seconds: float


def run_all(mutants: list[Mutant | None], tests: list[str], workers: int, root: Path) -> list[tuple[int, float]]:
    """Fork one child per mutant, ``workers`` at a time; (exit code, seconds) in the order of ``mutants``."""
    results: list[tuple[int, float]] = [(-1, 0.0)] * len(mutants)
    running: dict[int, tuple[int, float]] = {}
    queue = list(enumerate(mutants))
    while queue or running:
        while queue and len(running) < workers:
            index, mutant = queue.pop(0)
            pid = os.fork()
            if pid == 0:
                code = 3
                try:
                    code = _child(mutant, tests, root / f"m{index}")
                finally:
                    os._exit(code)
            running[pid] = (index, time.monotonic())
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid == 0:
            time.sleep(0.05)
            for child, (_index, started) in list(running.items()):
                if time.monotonic() - started > TIMEOUT_S:
                    os.kill(child, signal.SIGKILL)
            continue
        index, started = running.pop(pid)
        code = os.waitstatus_to_exitcode(status)
        results[index] = (code, time.monotonic() - started)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="only the statements assigning this name")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    args = parser.parse_args(argv)
    settings = config()
    mutants = [m for module in settings["modules"] for m in mutants_of(module, args.only, settings.get("skip", []))]
    if args.list:
        print("\n".join(m.name for m in mutants))
        return 0
    os.chdir(REPO)
    sys.path.insert(0, str(REPO))
    _preload()
    root = REPO / "mutants" / "tables-tmp"
    root.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    [(baseline, _)] = run_all([None], settings["tests"], 1, root)
    if baseline != 0:
        print(f"the tests fail without any mutant (exit {baseline}): fix them first", file=sys.stderr)
        return 2
    results = run_all(list(mutants), settings["tests"], args.workers, root)
    outcomes = [
        Outcome(m, STATUS.get(code, "error"), round(s, 2)) for m, (code, s) in zip(mutants, results, strict=True)
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "seconds": round(time.monotonic() - started, 1),
                "tests": settings["tests"],
                "mutants": [
                    {**asdict(o.mutant), "name": o.mutant.name, "status": o.status, "seconds": o.seconds}
                    for o in outcomes
                ],
            },
            indent=1,
        )
    )
    killed = sum(o.status in KILLED for o in outcomes)
    print(f"table mutants: {killed} / {len(outcomes)} killed in {time.monotonic() - started:.0f} s ({RESULTS})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
