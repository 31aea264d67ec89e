"""The bench's samples (bench/run.py): the real and the floor runs of a site count alternate, and the tables print
the median of each time. The harness (emulator, engine) is replaced by recorders here: what runs, and in which
order, is the bench's own logic; tests/bench/test_bench_smoke.py runs the real harness."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bench import run as bench


class FakeEmulator:
    def __init__(self, *args: Any) -> None:
        pass

    def start(self) -> FakeEmulator:
        return self

    def stop(self) -> None:
        pass


def test_real_and_floor_samples_alternate_and_the_median_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    order: list[str] = []
    walls = iter([5.0, 1.0, 9.0, 2.0, 7.0, 3.0] * 10)  # per engine: real, floor, real, floor, ...

    class FakeEngine:
        def __init__(self, root: Path, *args: Any, mode: str, **kwargs: Any) -> None:
            self.name, self.wall = root.name, next(walls)
            order.append(root.name)

    def phase(engine: FakeEngine, op: str, emulator: Any) -> Any:
        peaks = SimpleNamespace(cpu_s=lambda role: 1.0, peak_mib=lambda role: 60.0, provider={1: 1})
        counts = {"POST /api/apps/v2": 1} if emulator is not None and op == "up" else {}
        return SimpleNamespace(
            wall_s=engine.wall,
            requests=sum(counts.values()),
            writes=sum(counts.values()),
            counts=counts,
            statuses={},
            tokens=1,
            provider_processes=1,
            peaks=peaks,
            emulator_cpu_s=0.5,
            result=SimpleNamespace(summary=SimpleNamespace(result="succeeded", resource_changes={"create": 2})),
        )

    monkeypatch.setattr(bench, "Emulator", FakeEmulator)
    monkeypatch.setattr(bench, "Engine", FakeEngine)
    monkeypatch.setattr(bench, "run_phase", phase)
    monkeypatch.setattr(bench, "state_sizes", lambda engine: (1000, 900, ["urn:a", "urn:b"]))
    out = bench.bench_sites(1, 20, tmp_path, tmp_path, None, {}, samples=3)
    assert order == ["real-0", "noop-0", "real-1", "noop-1", "real-2", "noop-2"]
    assert out["real"]["up"]["wall_s_samples"] == [5.0, 9.0, 7.0] and out["real"]["up"]["wall_s"] == 7.0
    assert out["floor"]["up"]["wall_s_samples"] == [1.0, 2.0, 3.0] and out["floor"]["up"]["wall_s"] == 2.0
    assert out["real"]["up"]["same_requests_in_every_sample"] is True
    assert "state_per_site" not in out["checks"]  # the 20 KB/site target is gone (docs/bench.md says why)
    text = bench.render({"latency_ms": 20, "samples": 3, "results": [out], "rate_floor": None})
    assert "the median of 3 samples" in text
    assert "| 1 | 7.0 |" in text


def test_the_rate_floor_reports_the_median_of_its_samples(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    ups = iter([30.0, 10.0, 20.0])

    def one(**kwargs: Any) -> dict[str, Any]:
        up = next(ups)
        return {
            "sites": 2,
            "writes": 10,
            "up_s": up,
            "up_over_rate_floor": up / 10,
            "write_span_s": up,
            "write_rate_over_allowed": 10 / up,
            "steady_rate_over_allowed": 10 / up,
            "status_429_at_server": int(up == 30.0),
            "result": "succeeded",
            "error": None,
        }

    monkeypatch.setattr(bench, "bench_rate_floor", one)
    out = bench.bench_rate_floor_samples(3, tmp_path)
    assert out["up_s"] == 20.0 and out["up_s_samples"] == [30.0, 10.0, 20.0]
    assert out["write_rate_over_allowed"] == 0.5 and out["status_429_at_server"] == 1


def test_a_failed_site_count_is_reported_and_the_others_kept() -> None:
    output = "stdout: ...\n    error: Program failed with an unhandled exception:\n"
    output += "    RecursionError: too deep\n\nDuration: 2m\n"
    reason = bench._failure(output)
    assert reason == "error: Program failed with an unhandled exception: … RecursionError: too deep … Duration: 2m"
    text = bench.render(
        {"latency_ms": 20, "samples": 3, "results": [], "failed": [{"sites": 100, "error": reason}], "rate_floor": None}
    )
    assert "**100 sites: failed** — error: Program failed" in text
