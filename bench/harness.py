"""The bench's own small harness: an emulator process, a Pulumi engine with a file backend, and a process sampler.

It follows what tests/fixtures do (a real emulator on 127.0.0.1, the real CLI through the Automation API, a file
backend and a throw-away PULUMI_HOME) without importing from tests/.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pulumi import automation as auto

REPO = Path(__file__).resolve().parents[1]
PROGRAM = Path(__file__).resolve().parent / "program"
PASSPHRASE = "piwik-bench"
STACK = "bench"
LISTENING = "piwik-emulator listening on "
CLIENT_ID = "emulator-client"
CLIENT_SECRET = "emulator-secret"
MARKER_ENV = "PIWIK_BENCH_RUN"
TOKEN_PATH = "/auth/token"
TICKS = os.sysconf("SC_CLK_TCK")


class BenchError(RuntimeError):
    pass


# --------------------------------------------------------------------------------------------------- Pulumi CLI


def pulumi_bin_dir() -> Path:
    """The directory of the real Pulumi CLI (tools/pulumi-toolchain builds it once, then it is cached)."""
    proc = subprocess.run([str(REPO / "tools" / "pulumi-toolchain")], capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise BenchError("tools/pulumi-toolchain could not provide the Pulumi CLI:\n" + proc.stderr[-4000:])
    return Path(proc.stdout.strip().splitlines()[-1])


# ----------------------------------------------------------------------------------------------------- emulator


class Emulator:
    """One `python -m piwik_emulator` process with its own state file, plus its admin endpoint."""

    def __init__(self, state_file: Path, extra_args: list[str]) -> None:
        self.state_file = state_file
        self.extra_args = extra_args
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.http: httpx.Client | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 20.0) -> Emulator:
        out_path = self.state_file.with_suffix(".stdout")
        err_path = self.state_file.with_suffix(".stderr")
        args = [sys.executable, "-m", "piwik_emulator", "--port", "0", "--state", str(self.state_file)]
        args += ["--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, *self.extra_args]
        with out_path.open("wb") as out, err_path.open("wb") as err:
            self.process = subprocess.Popen(
                args, cwd=REPO, stdout=out, stderr=err, env={**os.environ, "PYTHONUNBUFFERED": "1"}
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = out_path.read_text(errors="replace")
            if LISTENING in text and text.endswith("\n"):
                self.port = int(text.split(LISTENING, 1)[1].splitlines()[0].rsplit(":", 1)[1])
                self.http = httpx.Client(base_url=self.base_url, timeout=60.0)
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise BenchError(f"the emulator did not start: {err_path.read_text(errors='replace')[-2000:]}")

    def stop(self) -> None:
        if self.http is not None:
            self.http.close()
            self.http = None
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def _admin(self) -> httpx.Client:
        if self.http is None:
            raise BenchError("the emulator is not running")
        return self.http

    def requests(self) -> dict[str, Any]:
        result: dict[str, Any] = self._admin().get("/__emulator__/requests").raise_for_status().json()
        return result

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the emulator process has used so far."""
        if self.process is None:
            return 0.0
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def clear_requests(self) -> None:
        self._admin().delete("/__emulator__/requests").raise_for_status()

    def tokens_issued(self) -> int:
        return int(self._admin().get("/__emulator__/tokens").raise_for_status().json()["issued"])


# ------------------------------------------------------------------------------------------------ process sampler


@dataclass
class ProcessPeaks:
    """Peak resident memory (VmHWM, kiB) per process of this run, by role."""

    provider: dict[int, int] = field(default_factory=dict)
    program: dict[int, int] = field(default_factory=dict)
    engine: dict[int, int] = field(default_factory=dict)
    #: CPU seconds (user + system) per process, as last sampled.
    cpu: dict[int, tuple[str, float]] = field(default_factory=dict)

    def peak_mib(self, role: str) -> float:
        values = getattr(self, role).values()
        return round(max(values) / 1024, 1) if values else 0.0

    def cpu_s(self, role: str) -> float:
        return round(sum(cpu for r, cpu in self.cpu.values() if r == role), 2)


def _role(cmdline: list[str]) -> str | None:
    # The provider plugin runs `python -u -c <serve pulumi.dynamic, with a watchdog>` (tools/pulumi-cli/launchers).
    if any("pulumi.dynamic" in part for part in cmdline[1:4]):
        return "provider"
    if any(part.endswith("pulumi-language-python-exec") for part in cmdline):
        return "program"
    if cmdline and Path(cmdline[0]).name == "pulumi":
        return "engine"
    return None


class ProcessSampler:
    """Every ``interval`` s, reads /proc/<pid>/status VmHWM (the kernel's peak RSS of the process) of this run's
    Pulumi processes: those whose environment carries this run's marker (other people's Pulumi runs on the same
    machine are ignored). VmHWM is a high-water mark kept by the kernel, so sampling only has to see the process
    alive once after its peak; a process that grows in its last ``interval`` is under-read by that growth."""

    def __init__(self, marker: str, interval: float = 0.1) -> None:
        self.needle = f"{MARKER_ENV}={marker}".encode()
        self.interval = interval
        self.peaks = ProcessPeaks()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._ours: set[int] = set()
        self._foreign: set[int] = set()

    def _sample(self) -> None:
        for entry in os.scandir("/proc"):
            if not entry.name.isdigit():
                continue
            pid = int(entry.name)
            if pid in self._foreign:
                continue
            try:
                if pid not in self._ours:
                    environ = Path(f"/proc/{pid}/environ").read_bytes()
                    if self.needle not in environ.split(b"\0"):
                        self._foreign.add(pid)
                        continue
                    self._ours.add(pid)
                # Read each time: pulumi-resource-pulumi-python is a shell script that `exec`s the provider, so the
                # same pid first shows the shell's command line, then python's.
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
                role = _role([c for c in cmdline if c])
                if role is None:
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.peaks.cpu[pid] = (role, (int(fields[11]) + int(fields[12])) / TICKS)
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        kib = int(line.split()[1])
                        table: dict[int, int] = getattr(self.peaks, role)
                        table[pid] = max(table.get(pid, 0), kib)
                        break
            except (OSError, ValueError):
                continue  # the process ended between listing and reading

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(self.interval)

    def __enter__(self) -> ProcessSampler:
        self._thread = threading.Thread(target=self._loop, name="bench-sampler", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)


# ------------------------------------------------------------------------------------------------------- engine


class Engine:
    """A stack of the bench program in a temp copy, with its own file backend; one per (sites, mode) run."""

    def __init__(
        self,
        root: Path,
        bin_dir: Path,
        *,
        sites: int,
        mode: str,
        emulator: Emulator | None,
        reads_per_minute: int,
        writes_per_minute: int,
        parallel: int | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.root = root
        self.marker = uuid.uuid4().hex
        self.parallel = parallel
        work_dir = root / "program"
        shutil.copytree(PROGRAM, work_dir, ignore=shutil.ignore_patterns("__pycache__", "Pulumi.*.yaml"))
        self.backend = root / "backend"
        self.backend.mkdir(parents=True)
        home = root.parent / "pulumi-home"  # shared by the runs of one bench: nothing in it is per stack
        home.mkdir(parents=True, exist_ok=True)
        rates = {"PIWIK_READS_PER_MINUTE": str(reads_per_minute), "PIWIK_WRITES_PER_MINUTE": str(writes_per_minute)}
        self.env = {
            "PULUMI_BACKEND_URL": self.backend.as_uri(),
            "PULUMI_HOME": str(home),
            "PULUMI_CONFIG_PASSPHRASE": PASSPHRASE,
            "PULUMI_SKIP_UPDATE_CHECK": "true",
            "PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION": "true",
            "PULUMI_PYTHON_CMD": sys.executable,
            "PATH": f"{bin_dir}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
            MARKER_ENV: self.marker,
            **rates,
            **(extra_env or {}),
        }
        self.stack = auto.create_or_select_stack(
            STACK,
            work_dir=str(work_dir),
            opts=auto.LocalWorkspaceOptions(
                work_dir=str(work_dir),
                pulumi_home=str(home),
                env_vars=self.env,
                secrets_provider="passphrase",
                pulumi_command=auto.PulumiCommand(root=str(bin_dir.parent)),
            ),
        )
        config: dict[str, auto.ConfigValue] = {
            "piwik-bench:sites": auto.ConfigValue(str(sites)),
            "piwik-bench:mode": auto.ConfigValue(mode),
            "piwik:readsPerMinute": auto.ConfigValue(str(reads_per_minute)),
            "piwik:writesPerMinute": auto.ConfigValue(str(writes_per_minute)),
        }
        if emulator is not None:
            config["piwik:baseUrl"] = auto.ConfigValue(emulator.base_url)
            config["piwik:clientId"] = auto.ConfigValue(CLIENT_ID)
            config["piwik:clientSecret"] = auto.ConfigValue(CLIENT_SECRET, secret=True)
        self.stack.set_all_config(config)

    def run(self, op: str) -> Any:
        kwargs: dict[str, Any] = {"parallel": self.parallel} if self.parallel else {}
        if op == "up":
            return self.stack.up(**kwargs)
        if op == "preview":
            return self.stack.preview(**kwargs)
        if op == "refresh":
            return self.stack.refresh(**kwargs)
        if op == "destroy":
            return self.stack.destroy(**kwargs)
        raise ValueError(op)

    def deployment(self) -> dict[str, Any]:
        exported: dict[str, Any] = self.stack.export_stack().deployment
        return exported

    def backend_file_bytes(self) -> int:
        """Size of the stack's checkpoint file in the file backend (where `pulumi` keeps it)."""
        files = [p for p in self.backend.rglob(f"{STACK}.json*") if ".history" not in p.parts and p.is_file()]
        return max((p.stat().st_size for p in files), default=0)


@dataclass
class Phase:
    op: str
    wall_s: float
    counts: dict[str, int]
    statuses: dict[str, int]
    tokens: int
    peaks: ProcessPeaks
    write_times: list[float]
    result: Any = None
    emulator_cpu_s: float = 0.0

    @property
    def requests(self) -> int:
        return sum(self.counts.values())

    @property
    def writes(self) -> int:
        """Requests other than GET/HEAD/OPTIONS, the token request excluded (the service does not limit it)."""
        return sum(
            n
            for key, n in self.counts.items()
            if not key.startswith(("GET ", "HEAD ", "OPTIONS ")) and key != f"POST {TOKEN_PATH}"
        )

    @property
    def provider_processes(self) -> int:
        return len(self.peaks.provider)


def run_phase(engine: Engine, op: str, emulator: Emulator | None) -> Phase:
    """Run one operation, timing it and reading the emulator's request log and token count around it."""
    tokens_before = 0
    emulator_cpu = 0.0
    if emulator is not None:
        emulator.clear_requests()
        tokens_before = emulator.tokens_issued()
        emulator_cpu = emulator.cpu_s()
    with ProcessSampler(engine.marker) as sampler:
        start = time.perf_counter()
        result = engine.run(op)
        wall = time.perf_counter() - start
    counts: dict[str, int] = {}
    statuses: dict[str, int] = {}
    tokens = 0
    write_times: list[float] = []
    if emulator is not None:
        log = emulator.requests()
        counts = {k: int(v) for k, v in log["counts"].items()}
        for entry in log["entries"]:
            key = str(entry.get("status"))
            statuses[key] = statuses.get(key, 0) + 1
            if (
                entry["method"] not in ("GET", "HEAD", "OPTIONS")
                and entry.get("template") != TOKEN_PATH
                and entry.get("status") not in (None, 429)
            ):
                write_times.append(float(entry["ts"]))
        tokens = emulator.tokens_issued() - tokens_before
        emulator_cpu = emulator.cpu_s() - emulator_cpu
    return Phase(op, wall, counts, statuses, tokens, sampler.peaks, sorted(write_times), result, emulator_cpu)


def state_sizes(engine: Engine) -> tuple[int, int, list[str]]:
    """(exported deployment JSON bytes, backend checkpoint file bytes, URNs of the resources)."""
    deployment = engine.deployment()
    exported = len(json.dumps(deployment, separators=(",", ":")).encode())
    urns = sorted(str(r["urn"]) for r in deployment.get("resources") or [])
    return exported, engine.backend_file_bytes(), urns
