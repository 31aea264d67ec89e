"""The bench itself: for each site count, the five operations against the emulator, the engine floor, the rate floor.

Figures only: nothing here asserts a timing. The smoke test (tests/bench) checks that every figure is produced.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from .harness import TOKEN_PATH, BenchError, Emulator, Engine, Phase, pulumi_bin_dir, run_phase, state_sizes

OPS = (("up", "up"), ("preview", "preview"), ("noop_up", "up"), ("refresh", "refresh"), ("destroy", "destroy"))
#: Targets of the issue.
FLOOR_FACTOR = 1.3
WRITE_RATE_MIN = 0.90
#: Samples of every timed run; the tables print their median (the JSON keeps each sample).
SAMPLES = 3
TOKEN_LIFETIME_S = 1800
#: The service's default write limit, for the rate floor of the wall-time runs (writes ÷ allowed writes a minute).
SERVICE_WRITES_PER_MINUTE = 60

#: Which resource sends a request, from its "METHOD /template" (docs/resources.md, piwik_resources/providers/).
#: Per site: one of each, but two ConsentTemplate (fr, en) and two CustomDimension (session, event).
KINDS: tuple[tuple[str, str], ...] = (
    ("/auth/token", "token"),
    ("/api/apps/v2/{app_id}", "SitePrivacy"),  # Site reads/patches it only on adoption or update
    ("/api/apps/v2", "Site"),
    ("/api/tracker/v2/settings/app/global", "GlobalTrackerSettings"),
    ("/api/tracker/v2/settings/app/", "TrackerSettings"),
    ("/api/tag/v1/", "TagConsentType"),
    ("/api/consent-manager/", "ConsentTemplate"),
    ("/api/analytics/v1/manage/custom-dimensions", "CustomDimension"),
    ("/api/container-settings/", "OptOutForm"),
)
INSTANCES_PER_SITE = {
    "Site": 1,
    "SitePrivacy": 1,
    "TrackerSettings": 1,
    "TagConsentType": 1,
    "ConsentTemplate": 2,
    "CustomDimension": 2,
    "OptOutForm": 1,
}


def kind_of(key: str) -> str:
    path = key.split(" ", 1)[-1]
    for prefix, kind in KINDS:
        if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
            return kind
    return "other"


def by_kind(counts: dict[str, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for key, n in counts.items():
        out[kind_of(key)] = out.get(kind_of(key), 0) + n
    return out


def critical_path(up_counts: dict[str, int], sites: int) -> dict[str, Any]:
    """The longest chain of sequential requests of one site's `up`, from the request log.

    Requests of one resource are sequential (one provider call runs them in order); the dependents of a Site wait
    for its id, then run side by side. So the chain is the token request (once per process, under a lock, before
    the first call goes out), the Site's requests, then the longest dependent's requests (per instance, rounded
    up). The sites themselves are independent, so the chain of the whole graph is that of one site.
    """
    kinds = by_kind(up_counts)
    per_instance = {
        kind: math.ceil(kinds.get(kind, 0) / (INSTANCES_PER_SITE[kind] * sites)) for kind in INSTANCES_PER_SITE
    }
    dependents = {k: v for k, v in per_instance.items() if k != "Site"}
    longest = max(dependents, key=lambda k: dependents[k])
    chain = min(1, kinds.get("token", 0)) + per_instance["Site"] + dependents[longest]
    return {"requests": chain, "longest_dependent": longest, "per_instance": per_instance}


def _summary(result: Any) -> dict[str, Any]:
    summary = getattr(result, "summary", None)
    if summary is not None:
        return {"result": summary.result, "changes": dict(summary.resource_changes or {})}
    return {"result": "succeeded", "changes": dict(getattr(result, "change_summary", {}) or {})}


def _cpu(phase: Phase) -> dict[str, float]:
    """CPU seconds used during the phase by each process of the run (sampled every 100 ms; see harness)."""
    return {
        "engine": phase.peaks.cpu_s("engine"),
        "program": phase.peaks.cpu_s("program"),
        "provider": phase.peaks.cpu_s("provider"),
        "emulator": round(phase.emulator_cpu_s, 2),
    }


def _phase_json(phase: Phase, sites: int) -> dict[str, Any]:
    return {
        "wall_s": round(phase.wall_s, 3),
        "requests": phase.requests,
        "writes": phase.writes,
        "requests_per_site": round(phase.requests / sites, 2),
        "writes_per_site": round(phase.writes / sites, 2),
        "requests_by_kind": by_kind(phase.counts),
        "requests_by_template": dict(sorted(phase.counts.items())),
        "statuses": phase.statuses,
        "tokens": phase.tokens,
        "provider_processes": phase.provider_processes,
        "provider_peak_rss_mib": phase.peaks.peak_mib("provider"),
        "program_peak_rss_mib": phase.peaks.peak_mib("program"),
        "engine_peak_rss_mib": phase.peaks.peak_mib("engine"),
        "cpu_s": _cpu(phase),
        **_summary(phase.result),
    }


def _median_phases(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Per operation: the first sample's figures (request counts do not depend on time), with the wall and CPU
    seconds replaced by their median over the samples, each sample's wall time kept beside it."""
    out: dict[str, Any] = {}
    for name in samples[0]:
        walls = [sample[name]["wall_s"] for sample in samples]
        cpu = {
            role: round(statistics.median(s[name]["cpu_s"][role] for s in samples), 2)
            for role in samples[0][name]["cpu_s"]
        }
        out[name] = {**samples[0][name], "wall_s": round(statistics.median(walls), 3), "wall_s_samples": walls}
        out[name]["cpu_s"] = cpu
        failed = [s[name]["result"] for s in samples if s[name]["result"] != "succeeded"]
        out[name]["result"] = failed[0] if failed else "succeeded"
        if "requests" in samples[0][name]:
            out[name]["same_requests_in_every_sample"] = all(
                s[name]["requests_by_template"] == samples[0][name]["requests_by_template"] for s in samples
            )
    return out


def bench_sites(
    sites: int,
    latency_ms: int,
    root: Path,
    bin_dir: Path,
    parallel: int | None,
    extra_env: dict[str, str],
    samples: int = SAMPLES,
) -> dict[str, Any]:
    """One site count: ``samples`` pairs of the real run (emulator, rate limits off, pacing off) and the engine
    floor (noop), interleaved (real, floor, real, floor, ...) so that a change of the machine's load during the
    bench touches both alike; medians of the wall times."""
    out: dict[str, Any] = {"sites": sites, "samples": samples}

    def unpaced(name: str, mode: str, emulator: Emulator | None) -> Engine:
        # Both runs: the same graph, client pacing off (the emulator's limits are off too).
        return Engine(
            root / name,
            bin_dir,
            sites=sites,
            mode=mode,
            emulator=emulator,
            reads_per_minute=0,
            writes_per_minute=0,
            parallel=parallel,
            extra_env=extra_env,
        )

    emulator = Emulator(root / "emulator.db", ["--latency-ms", str(latency_ms), "--no-rate-limit"])
    root.mkdir(parents=True, exist_ok=True)
    emulator.start()
    real_samples: list[dict[str, Any]] = []
    floor_samples: list[dict[str, Any]] = []
    try:
        for sample in range(samples):
            engine = unpaced(f"real-{sample}", "real", emulator)
            real: dict[str, Any] = {}
            for name, op in OPS:
                phase = run_phase(engine, op, emulator)
                real[name] = _phase_json(phase, sites)
                if name == "up" and sample == 0:
                    exported, checkpoint, real_urns = state_sizes(engine)
                    out["state"] = {
                        "export_bytes": exported,
                        "checkpoint_bytes": checkpoint,
                        "export_bytes_per_site": round(exported / sites),
                        "checkpoint_bytes_per_site": round(checkpoint / sites),
                        "resources": len(real_urns),
                    }
            real_samples.append(real)

            floor_engine = unpaced(f"noop-{sample}", "noop", None)
            floor: dict[str, Any] = {}
            for name, op in OPS:
                phase = run_phase(floor_engine, op, None)
                floor[name] = {"wall_s": round(phase.wall_s, 3), "cpu_s": _cpu(phase), **_summary(phase.result)}
                if name == "up" and sample == 0:
                    noop_exported, _, noop_urns = state_sizes(floor_engine)
                    out["noop_resources"] = len(noop_urns)
                    out["noop_state_export_bytes_per_site"] = round(noop_exported / sites)
                    out["same_graph"] = noop_urns == real_urns
            floor_samples.append(floor)
    finally:
        emulator.stop()
    out["real"] = _median_phases(real_samples)
    out["floor"] = _median_phases(floor_samples)

    cp = critical_path(out["real"]["up"]["requests_by_template"], sites)
    cp["seconds"] = round(cp["requests"] * latency_ms / 1000, 3)
    out["critical_path"] = cp
    out["checks"] = checks(out)
    return out


def checks(r: dict[str, Any]) -> dict[str, bool]:
    real, floor = r["real"], r["floor"]
    up_s = real["up"]["wall_s"]
    with_requests = [p for p in real.values() if p["requests"]]
    tokens_ok = all(
        p["tokens"] <= max(1, p["provider_processes"]) * math.ceil(max(p["wall_s"], 1) / TOKEN_LIFETIME_S)
        for p in with_requests
    )
    return {
        "ops_succeeded": all(p["result"] == "succeeded" for p in [*real.values(), *floor.values()]),
        "same_graph": bool(r["same_graph"]) and r["noop_resources"] == r["state"]["resources"],
        "zero_requests_preview_noop_up": real["preview"]["requests"] == 0 and real["noop_up"]["requests"] == 0,
        "one_token_per_process": tokens_ok,
        "up_within_floor": up_s <= FLOOR_FACTOR * floor["up"]["wall_s"] + r["critical_path"]["seconds"],
    }


def bench_rate_floor(
    sites: int, write_limit: int, read_limit: int, latency_ms: int, root: Path, bin_dir: Path
) -> dict[str, Any]:
    """`up` under the emulator's rate limits with the client paced at the same limits (scaled from 60/600)."""
    root.mkdir(parents=True, exist_ok=True)
    emulator = Emulator(
        root / "emulator.db",
        ["--latency-ms", str(latency_ms), "--write-limit", str(write_limit), "--read-limit", str(read_limit)],
    )
    emulator.start()
    try:
        engine = Engine(
            root / "real",
            bin_dir,
            sites=sites,
            mode="real",
            emulator=emulator,
            reads_per_minute=read_limit,
            writes_per_minute=write_limit,
        )
        try:
            phase = run_phase(engine, "up", emulator)
            error = None
        except Exception as exc:  # a 429 reaching the user fails the up: that is a result, not a crash
            return {"sites": sites, "write_limit": write_limit, "read_limit": read_limit, "error": str(exc)[-2000:]}
    finally:
        emulator.stop()
    times = phase.write_times
    burst = max(1, write_limit // 10)
    allowed_per_s = write_limit / 60
    span = times[-1] - times[0] if len(times) > 1 else 0.0
    steady = times[burst:]
    steady_span = steady[-1] - steady[0] if len(steady) > 1 else 0.0
    floor_s = phase.writes / write_limit * 60
    out = {
        "sites": sites,
        "write_limit": write_limit,
        "read_limit": read_limit,
        "up_s": round(phase.wall_s, 2),
        "writes": phase.writes,
        "reads": phase.requests - phase.writes - phase.counts.get(f"POST {TOKEN_PATH}", 0),
        "rate_floor_s": round(floor_s, 2),
        "up_over_rate_floor": round(phase.wall_s / floor_s, 3) if floor_s else None,
        "write_span_s": round(span, 2),
        # Writes per second from the first to the last write, over the allowed writes per second.
        "write_rate_over_allowed": round((len(times) - 1) / span / allowed_per_s, 3) if span else None,
        # The same once the initial burst is spent: the rate the pacing sustains.
        "steady_rate_over_allowed": round((len(steady) - 1) / steady_span / allowed_per_s, 3) if steady_span else None,
        "status_429_at_server": phase.statuses.get("429", 0),
        "result": _summary(phase.result)["result"],
        "error": error,
    }
    return out


#: Figures of a rate-floor run that depend on time: the median of the samples is reported.
RATE_TIMED = ("up_s", "up_over_rate_floor", "write_span_s", "write_rate_over_allowed", "steady_rate_over_allowed")


def bench_rate_floor_samples(samples: int, root: Path, **kwargs: Any) -> dict[str, Any]:
    """``samples`` rate-floor runs, each against a fresh emulator; the medians of the timed figures."""
    runs = [bench_rate_floor(root=root / f"sample-{i}", **kwargs) for i in range(samples)]
    failed = [r for r in runs if "writes" not in r]
    if failed:
        return failed[0]
    out = dict(runs[0])
    for key in RATE_TIMED:
        values = [r[key] for r in runs if r[key] is not None]
        out[key] = round(statistics.median(values), 3) if values else None
        out[f"{key}_samples"] = [r[key] for r in runs]
    out["samples"] = samples
    out["status_429_at_server"] = max(r["status_429_at_server"] for r in runs)
    out["result"] = next((r["result"] for r in runs if r["result"] != "succeeded"), "succeeded")
    out["met"] = bool(
        out["result"] == "succeeded"
        and out["write_rate_over_allowed"] is not None
        and out["write_rate_over_allowed"] >= WRITE_RATE_MIN
    )
    return out


# ----------------------------------------------------------------------------------------------------- tables


def _num(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _yes(ok: bool) -> str:
    return "yes" if ok else "no"


MISS_LABELS = {
    "ops_succeeded": "an operation failed",
    "same_graph": "noop graph differs",
    "zero_requests_preview_noop_up": "requests in preview/no-op up",
    "one_token_per_process": "tokens",
    "up_within_floor": "up > 1.3×floor + critical path",
}


def main_table(results: list[dict[str, Any]]) -> str:
    head = (
        "| sites | up s | preview s | no-op up s | refresh s | destroy s | requests/site (up) | writes/site (up) "
        "| writes/site (destroy) | requests in preview + no-op up | tokens / provider process | state B/site "
        "| provider peak RSS MiB "
        "| engine floor up s | up / floor | critical path s | target met? |"
    )
    lines = [head, "|" + "---|" * head.count(" | ") + "---|"]
    for r in results:
        real, floor = r["real"], r["floor"]
        up = real["up"]
        procs = max(1, up["provider_processes"])
        missed = [MISS_LABELS[k] for k, ok in r["checks"].items() if not ok]
        lines.append(
            f"| {r['sites']} | {up['wall_s']:.1f} | {real['preview']['wall_s']:.1f} | {real['noop_up']['wall_s']:.1f} "
            f"| {real['refresh']['wall_s']:.1f} | {real['destroy']['wall_s']:.1f} | {up['requests_per_site']:.1f} "
            f"| {up['writes_per_site']:.1f} | {real['destroy']['writes_per_site']:.1f} "
            f"| {real['preview']['requests'] + real['noop_up']['requests']} "
            f"| {up['tokens'] / procs:.0f} | {r['state']['export_bytes_per_site']} "
            f"| {max(p['provider_peak_rss_mib'] for p in real.values()):.0f} | {floor['up']['wall_s']:.1f} "
            f"| {up['wall_s'] / floor['up']['wall_s']:.2f} | {r['critical_path']['seconds']:.2f} "
            f"| {'yes' if not missed else 'no: ' + ', '.join(missed)} |"
        )
    return "\n".join(lines)


def floor_table(results: list[dict[str, Any]]) -> str:
    lines = [
        "| sites | resources | floor up s | floor preview s | floor no-op up s | floor refresh s | floor destroy s "
        "| up / floor | preview / floor | no-op up / floor | refresh / floor | destroy / floor "
        "| noop state B/site | rate floor of up at 60 writes/min |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        real, floor = r["real"], r["floor"]
        ratios = " | ".join(f"{real[n]['wall_s'] / floor[n]['wall_s']:.2f}" for n, _ in OPS)
        rate_floor_min = real["up"]["writes"] / SERVICE_WRITES_PER_MINUTE
        lines.append(
            f"| {r['sites']} | {r['state']['resources']} | "
            + " | ".join(f"{floor[n]['wall_s']:.1f}" for n, _ in OPS)
            + f" | {ratios} | {r['noop_state_export_bytes_per_site']} | {rate_floor_min:.1f} min |"
        )
    return "\n".join(lines)


def rate_table(rate: dict[str, Any]) -> str:
    lines = [
        "| sites | limits (writes/reads a minute) | writes | up s | rate floor s (writes ÷ allowed) | up / rate floor "
        "| write rate ÷ allowed (first→last write) | after the burst | 429 at the server | 429 reaching the user "
        "| target met? |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    if rate.get("error") and "writes" not in rate:
        limits = f"{rate['write_limit']}/{rate['read_limit']}"
        lines.append(f"| {rate['sites']} | {limits} | up failed: {rate['error'][:200]} |")
        return "\n".join(lines)
    lines.append(
        f"| {rate['sites']} | {rate['write_limit']}/{rate['read_limit']} | {rate['writes']} | {rate['up_s']:.1f} "
        f"| {rate['rate_floor_s']:.1f} | {_num(rate['up_over_rate_floor'], 2)} "
        f"| {_num(rate['write_rate_over_allowed'], 3)} "
        f"| {_num(rate['steady_rate_over_allowed'], 3)} | {rate['status_429_at_server']} "
        f"| {'none' if rate['result'] == 'succeeded' else 'yes'} | {_yes(rate['met'])} |"
    )
    return "\n".join(lines)


def kinds_table(r: dict[str, Any]) -> str:
    real, sites = r["real"], r["sites"]
    keys = sorted({k for p in real.values() for k in p["requests_by_template"]})
    lines = [
        f"| request ({sites} sites) | " + " | ".join(f"{n} /site" for n, _ in OPS) + " |",
        "|---|" + "---|" * len(OPS),
    ]
    for key in keys:
        cells = " | ".join(f"{real[n]['requests_by_template'].get(key, 0) / sites:.2f}" for n, _ in OPS)
        lines.append(f"| `{key}` | {cells} |")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------------- main


def _sites(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: expected a comma list of site counts such as 1,10,50") from None
    if not values or any(v < 1 for v in values):
        raise argparse.ArgumentTypeError(f"{text!r}: site counts must be >= 1")
    return values


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--sites", type=_sites, default=[1, 10, 50, 100], help="site counts (default 1,10,50,100)")
    p.add_argument("--latency-ms", type=int, default=20, help="latency the emulator adds to every request (20)")
    p.add_argument("--parallel", type=int, default=None, help="pulumi --parallel (default: the CLI's, 4×cores)")
    p.add_argument(
        "--skip-checkpoints",
        action="store_true",
        help="set PULUMI_SKIP_CHECKPOINTS=true for every run (no intermediate state writes; to measure their cost)",
    )
    p.add_argument(
        "--samples", type=int, default=SAMPLES, help=f"samples of every timed run; tables print the median ({SAMPLES})"
    )
    p.add_argument("--skip-rate-floor", action="store_true", help="skip the run under rate limits")
    p.add_argument("--rate-sites", type=int, default=20, help="sites of the rate-floor run (20)")
    p.add_argument("--rate-write-limit", type=int, default=120, help="writes a minute in the rate-floor run (120)")
    p.add_argument("--rate-read-limit", type=int, default=1200, help="reads a minute in the rate-floor run (1200)")
    p.add_argument("--json", type=Path, default=None, help="also write every figure to this JSON file")
    p.add_argument("--workdir", type=Path, default=None, help="keep the runs' files here (default: a temp dir)")
    return p


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": [round(x, 2) for x in os.getloadavg()],
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
    }


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    bin_dir = pulumi_bin_dir()
    extra_env = {"PULUMI_SKIP_CHECKPOINTS": "true"} if args.skip_checkpoints else {}
    report: dict[str, Any] = {
        "machine": machine(),
        "latency_ms": args.latency_ms,
        "parallel": args.parallel,
        "skip_checkpoints": args.skip_checkpoints,
        "samples": args.samples,
        "results": [],
        "failed": [],
        "rate_floor": None,
    }
    with tempfile.TemporaryDirectory(prefix="piwik-bench-") as tmp:
        root = args.workdir or Path(tmp)
        try:
            for sites in args.sites:
                started = time.perf_counter()
                try:
                    result = bench_sites(
                        sites, args.latency_ms, root / f"sites-{sites}", bin_dir, args.parallel, extra_env, args.samples
                    )
                except auto.CommandError as exc:  # a failed operation is a result: the other counts still run
                    report["failed"].append({"sites": sites, "error": _failure(str(exc))})
                    print(f"bench: {sites} sites FAILED after {time.perf_counter() - started:.0f} s", flush=True)
                    continue
                report["results"].append(result)
                print(f"bench: {sites} sites done in {time.perf_counter() - started:.0f} s", flush=True)
            if not args.skip_rate_floor:
                report["rate_floor"] = bench_rate_floor_samples(
                    args.samples,
                    root / "rate-floor",
                    sites=args.rate_sites,
                    write_limit=args.rate_write_limit,
                    read_limit=args.rate_read_limit,
                    latency_ms=args.latency_ms,
                    bin_dir=bin_dir,
                )
        except BenchError as exc:
            print(f"bench: {exc}")
            return 2
    report["machine"]["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    print(render(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")
    return 0


def _failure(text: str) -> str:
    """The part of a failed operation's output that says why: its diagnostics' last error line and the last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip() not in ("", "stdout:", "stderr:")]
    errors = [line for line in lines if "Error" in line or "error:" in line]
    return " … ".join(dict.fromkeys([*errors[-2:], *lines[-1:]]))[-600:]


def render(report: dict[str, Any]) -> str:
    samples = report.get("samples", 1)
    parts = [
        f"Every time is the median of {samples} samples; each sample of a site count runs the real operations, then "
        "the engine floor's (interleaved); the JSON keeps every sample.",
        "",
        f"## Pulumi operations at {report['latency_ms']} ms latency (emulator rate limits off, client pacing off)",
        "",
        main_table(report["results"]),
        "",
        "## Engine floor (same graph, no-op provider) and ratios",
        "",
        floor_table(report["results"]),
    ]
    if report["results"]:
        parts += ["", "## Requests per site by kind", "", kinds_table(report["results"][-1])]
    for failed in report.get("failed", []):
        parts += ["", f"**{failed['sites']} sites: failed** — {failed['error']}"]
    if report["rate_floor"] is not None:
        title = "## Rate floor (emulator and client at the same scaled limits)"
        parts += ["", title, "", rate_table(report["rate_floor"])]
    return "\n".join(parts)
