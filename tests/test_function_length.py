"""House rule: every function of the library reads at once (under 60 lines), so the next person can change it."""

from __future__ import annotations

import ast
from pathlib import Path

LIBRARY = Path(__file__).resolve().parents[1] / "piwik_resources"
MAX_LINES = 60


def long_functions(root: Path) -> list[str]:
    """`path:line name (N lines)` for every function of 60 lines or more below ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length >= MAX_LINES:
                    found.append(f"{path.relative_to(root)}:{node.lineno} {node.name} ({length} lines)")
    return found


def test_no_library_function_reaches_60_lines() -> None:
    assert long_functions(LIBRARY) == []


def test_the_check_finds_a_long_function_and_passes_a_short_one(tmp_path: Path) -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_LINES))
    (tmp_path / "long.py").write_text(f"def too_long():\n{body}\n\n\ndef short():\n    return 1\n")
    assert long_functions(tmp_path) == [f"long.py:1 too_long ({MAX_LINES + 1} lines)"]
