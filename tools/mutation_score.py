"""Print the mutation score of `make mutation`: killed / total per mutated module, then every survivor; then the
row of the module-level tables (tools/table_mutation.py, mutants/tables.json), with its survivors.

It reads the results mutmut leaves in mutants/<module>.meta (run from the repository root, after `mutmut run`)
and classifies exit codes with mutmut's own table. A mutant counts as killed when a test failed on it, it
timed out, or the type checker caught it; anything else (survived, no test, suspicious) is a survivor.
docs/mutation.md says why each listed survivor is harmless. Exit code 1 when a module has no results.
"""

from __future__ import annotations

import json
import sys
import tomllib
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = frozenset({"killed", "timeout", "caught by type check"})
TABLE_KILLED = frozenset({"killed", "killed at import", "timeout"})  # tools/table_mutation.py's STATUS


def modules(pyproject: Path = Path("pyproject.toml")) -> list[str]:
    return list(tomllib.loads(pyproject.read_text())["tool"]["mutmut"]["only_mutate"])


def results(module: str) -> dict[str, str] | None:
    meta = Path("mutants") / f"{module}.meta"
    if not meta.exists():
        return None
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return {key: status_by_exit_code[code] for key, code in codes.items()}


def main() -> int:
    missing = 0
    survivors: list[str] = []
    print("mutation score (killed / total):")
    for module in modules():
        found = results(module)
        if found is None:
            print(f"  {module}: no results (did `mutmut run` run?)")
            missing += 1
            continue
        killed = sum(status in KILLED for status in found.values())
        total = len(found)
        score = f"{100 * killed / total:.1f} %" if total else "n/a"
        print(f"  {module}: {killed} / {total} ({score})")
        survivors += [f"    {key}: {status}" for key, status in sorted(found.items()) if status not in KILLED]
    if survivors:
        print(f"survivors ({len(survivors)}; `mutmut show <name>` shows one):")
        print("\n".join(survivors))
    missing += tables_row()
    return 1 if missing else 0


def tables_row(path: Path = Path("mutants") / "tables.json") -> int:
    """The row of tools/table_mutation.py (the module-level tables mutmut cannot mutate); 1 if it did not run."""
    if not path.exists():
        print("  module-level tables (tools/table_mutation.py): no results (did it run?)")
        return 1
    found = json.loads(path.read_text())["mutants"]
    by_module: dict[str, list[str]] = {}
    for mutant in found:
        by_module.setdefault(mutant["module"], []).append(mutant["status"])
    print("module-level tables (tools/table_mutation.py; literals of the module-level statements):")
    for module, statuses in by_module.items():
        killed = sum(status in TABLE_KILLED for status in statuses)
        print(f"  {module} tables: {killed} / {len(statuses)} ({100 * killed / len(statuses):.1f} %)")
    left = [m for m in found if m["status"] not in TABLE_KILLED]
    if left:
        print(f"table survivors ({len(left)}):")
        print("\n".join(f"    {m['name']}: {m['status']}" for m in left))
    return 0


if __name__ == "__main__":
    sys.exit(main())
