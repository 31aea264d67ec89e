"""Print the mutation score of `make mutation`: killed / total per mutated module, then every survivor.

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
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
