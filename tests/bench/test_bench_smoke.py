"""The bench harness runs end to end on one site with tiny settings and prints its tables (no timing asserted)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MAIN_COLUMNS = [
    "sites",
    "up s",
    "preview s",
    "no-op up s",
    "refresh s",
    "destroy s",
    "requests/site (up)",
    "writes/site (up)",
    "writes/site (destroy)",
    "requests in preview + no-op up",
    "tokens / provider process",
    "state B/site",
    "provider peak RSS MiB",
    "engine floor up s",
    "up / floor",
    "critical path s",
    "target met?",
]


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


@pytest.mark.engine
def test_bench_runs_one_site_and_prints_every_figure(tmp_path: Path) -> None:
    out_json = tmp_path / "bench.json"
    # A rate-floor run too, at limits so high that it takes seconds: the code path runs, the figure is not judged.
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench",
            "--sites",
            "1",
            "--latency-ms",
            "0",
            "--json",
            str(out_json),
            "--rate-sites",
            "1",
            "--rate-write-limit",
            "6000",
            "--rate-read-limit",
            "60000",
            "--samples",
            "1",  # the medians of several samples and their order: tests/bench/test_bench_samples.py
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()

    header = next(line for line in lines if line.startswith("| sites | up s |"))
    assert _cells(header) == MAIN_COLUMNS
    row = _cells(lines[lines.index(header) + 2])
    assert len(row) == len(MAIN_COLUMNS)
    assert row[0] == "1"
    assert all(cell for cell in row), row
    assert row[MAIN_COLUMNS.index("requests in preview + no-op up")] == "0"
    assert any(line.startswith("| sites | resources | floor up s |") for line in lines)
    assert any(line.startswith("| sites | limits (writes/reads a minute) |") for line in lines)

    report = json.loads(out_json.read_text())
    (result,) = report["results"]
    real = result["real"]
    assert {name: real[name]["result"] for name in real} == dict.fromkeys(
        ("up", "preview", "noop_up", "refresh", "destroy"), "succeeded"
    )
    assert real["preview"]["requests"] == 0
    assert real["noop_up"]["requests"] == 0
    assert real["up"]["requests"] > 0 and real["up"]["writes"] > 0
    assert real["up"]["tokens"] == 1
    # The app's DELETE and the account-wide restore: the app's dependents die with it, unreverted (issue 16).
    assert real["destroy"]["writes"] == 2, real["destroy"]["requests_by_template"]
    assert real["up"]["provider_processes"] >= 1 and real["up"]["provider_peak_rss_mib"] > 0
    # The engine floor ran the very same graph: same resources, same URNs.
    assert result["noop_resources"] == result["state"]["resources"] > 0
    assert result["same_graph"] is True
    assert all(phase["result"] == "succeeded" for phase in result["floor"].values())
    assert result["state"]["export_bytes"] > 0 and result["critical_path"]["requests"] > 0
    assert report["samples"] == 1 and real["up"]["wall_s_samples"] == [real["up"]["wall_s"]]
    assert report["rate_floor"]["result"] == "succeeded"
    assert report["rate_floor"]["writes"] > 0
