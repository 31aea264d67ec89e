"""Bench rows of the provider plugin: its start time, and an N-site `up` of a YAML program against the Python one.

    .venv/bin/python -m bench.plugin --sites 10 --latency-ms 20

Start time: from spawning the plugin to its port line (the handshake the engine waits for), median of
``--starts`` runs, beside the dynamic providers' plugin (`pulumi-resource-pulumi-python`) measured the same way.
`up`: the same N CnilExemptSite (consent texts over the API in fr and en, exports needed: 9 resources each) and one
CnilAccount, once from the Python bench program (bench/program, dynamic providers) and once from a generated YAML
program (the plugin), each against a fresh emulator with the same latency and no rate limit; ``--samples`` ups of
each, alternating (python, yaml, python, ...), the median printed. Figures only.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from pulumi import automation as auto

from .harness import CLIENT_ID, CLIENT_SECRET, PASSPHRASE, Emulator, Engine, pulumi_bin_dir

VENV_BIN = Path(sys.executable).parent


def start_time(command: list[str], env: dict[str, str]) -> float:
    """Seconds from spawn to the plugin's port line."""
    began = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - began
    proc.terminate()
    proc.wait(timeout=10)
    if not line.strip().isdigit():
        raise RuntimeError(f"{command[0]} printed {line!r}, not a port")
    return elapsed


def site_yaml(i: int) -> dict[str, Any]:
    """One site, with the arguments of bench/program/__main__.py."""
    return {
        "type": "piwik:index:CnilExemptSite",
        "properties": {
            "site_name": f"Bench {i}",
            "urls": [f"https://site{i}.example.fr"],
            "timezone": "Europe/Paris",
            "currency": "EUR",
            "consent_template_mode": "api",
            "exports_needed": True,
            "privacy_policy_url": f"https://site{i}.example.fr/confidentialite",
            "deletion_protection": False,
            "consent_messages": {
                "fr": "Nous collecterons et agrégerons des données sur l'utilisation de ce site.",
                "en": "We will collect and aggregate data about the use of this website.",
            },
            "attestations": {
                "dpa_signed": True,
                "integrations_off": True,
                "no_export_credentials": True,
                "session_log_hidden": True,
                "retention_months": 25,
                "hosting_region": "FR",
            },
        },
        "options": {"dependsOn": ["${account}"]},
    }


def yaml_program(work_dir: Path, sites: int) -> None:
    resources: dict[str, Any] = {"account": {"type": "piwik:index:CnilAccount", "properties": {"ip_masking_level": 2}}}
    resources.update({f"site-{i}": site_yaml(i) for i in range(sites)})
    work_dir.mkdir(parents=True)
    program = {"name": "piwik-bench-yaml", "runtime": "yaml", "resources": resources}
    (work_dir / "Pulumi.yaml").write_text(json.dumps(program, ensure_ascii=False, indent=1), encoding="utf-8")


def yaml_stack(root: Path, bin_dir: Path, sites: int, emulator: Emulator) -> auto.Stack:
    work_dir = root / "program"
    yaml_program(work_dir, sites)
    (root / "backend").mkdir()
    env = {
        "PULUMI_BACKEND_URL": (root / "backend").as_uri(),
        "PULUMI_HOME": str(root / "home"),
        "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
        "PULUMI_SKIP_UPDATE_CHECK": "true",
        "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
        "PATH": f"{bin_dir}{os.pathsep}{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    stack = auto.create_or_select_stack(
        "bench",
        work_dir=str(work_dir),
        opts=auto.LocalWorkspaceOptions(
            work_dir=str(work_dir),
            pulumi_home=env["PULUMI_HOME"],
            env_vars=env,
            secrets_provider="passphrase",
            pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
        ),
    )
    stack.set_all_config(
        {
            "piwik:baseUrl": auto.ConfigValue(emulator.base_url),
            "piwik:clientId": auto.ConfigValue(CLIENT_ID),
            "piwik:clientSecret": auto.ConfigValue(CLIENT_SECRET, secret=True),
            "piwik:readsPerMinute": auto.ConfigValue("0"),
            "piwik:writesPerMinute": auto.ConfigValue("0"),
        }
    )
    return stack


def timed_up(stack: auto.Stack, emulator: Emulator) -> dict[str, float]:
    began = time.perf_counter()
    stack.up()
    elapsed = time.perf_counter() - began
    counts: dict[str, int] = emulator.requests()["counts"]
    writes = sum(v for k, v in counts.items() if not k.startswith("GET ") and "/auth/token" not in k)
    return {"up_s": round(elapsed, 1), "requests": sum(counts.values()), "writes": writes}


def one_up(program: str, root: Path, bin_dir: Path, sites: int, latency_ms: int) -> dict[str, float]:
    """One `up` of the Python or the YAML program against a fresh emulator."""
    root.mkdir(parents=True)
    emulator = Emulator(root / "emulator.sqlite", ["--no-rate-limit", "--latency-ms", str(latency_ms)]).start()
    try:
        if program == "python":
            engine = Engine(
                root / "run",
                bin_dir,
                sites=sites,
                mode="real",
                emulator=emulator,
                reads_per_minute=0,
                writes_per_minute=0,
            )
            stack = engine.stack
        else:
            stack = yaml_stack(root, bin_dir, sites, emulator)
        return timed_up(stack, emulator)
    finally:
        emulator.stop()


def run(sites: int, latency_ms: int, starts: int, workdir: Path, samples: int = 3) -> dict[str, Any]:
    """Plugin starts alternate (plugin, dynamic, plugin, ...); the ups alternate (python, yaml, python, ...)."""
    bin_dir = pulumi_bin_dir()
    env = {**os.environ, "PULUMI_PYTHON_CMD": sys.executable}
    plugin = [str(VENV_BIN / "pulumi-resource-piwik"), "127.0.0.1:1"]
    dynamic = [str(bin_dir / "pulumi-resource-pulumi-python"), "127.0.0.1:1"]
    times: dict[str, list[float]] = {"plugin": [], "dynamic": []}
    for _ in range(starts):
        times["plugin"].append(start_time(plugin, env))
        times["dynamic"].append(start_time(dynamic, env))
    figures: dict[str, Any] = {
        "plugin_start_s": round(statistics.median(times["plugin"]), 2),
        "dynamic_start_s": round(statistics.median(times["dynamic"]), 2),
        "samples": samples,
    }
    ups: dict[str, list[dict[str, float]]] = {"python": [], "yaml": []}
    for sample in range(samples):
        for program in ("python", "yaml"):
            ups[program].append(one_up(program, workdir / f"{program}-{sample}", bin_dir, sites, latency_ms))
    for program, runs in ups.items():
        walls = [r["up_s"] for r in runs]
        figures[program] = {**runs[0], "up_s": round(statistics.median(walls), 1), "up_s_samples": walls}
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.plugin", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, default=10, help="sites of the up (10)")
    parser.add_argument("--latency-ms", type=int, default=20, help="latency the emulator adds to every request (20)")
    parser.add_argument("--starts", type=int, default=5, help="plugin starts measured (5)")
    parser.add_argument("--samples", type=int, default=3, help="ups of each program; the median is printed (3)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="piwik-bench-plugin-") as tmp:
        figures = run(args.sites, args.latency_ms, args.starts, Path(tmp), args.samples)
    print(f"plugin start (spawn to port line, median of {args.starts}): piwik {figures['plugin_start_s']} s, ", end="")
    print(f"dynamic providers' plugin {figures['dynamic_start_s']} s")
    heading = f"| program ({args.sites} sites, {args.latency_ms} ms latency) | up s (median of {args.samples})"
    print(f"{heading} | requests | writes |")
    print("|---|---|---|---|")
    for program, label in (("python", "Python (dynamic providers)"), ("yaml", "YAML (provider plugin)")):
        row = figures[program]
        print(f"| {label} | {row['up_s']} | {row['requests']} | {row['writes']} |")
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
