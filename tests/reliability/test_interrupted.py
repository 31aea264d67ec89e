"""`pulumi up` interrupted — first by SIGINT (Ctrl-C), then by SIGKILL (a crash) — and the user's way back.

The CLI runs as a plain subprocess (as a user runs it), in the copied program dir with the test's backend and
PULUMI_HOME, in a process group of its own so that the signal reaches what a terminal's Ctrl-C reaches (the
CLI, the language host, the program and the provider process). The emulator adds latency so that creates
are in flight when the signal lands. The test asserts that each signal hit a running update (the process was
alive, it exited failing, only part of the apps exist, the crash left pending operations in the state); then the
documented steps (docs/reliability.md) must converge: exactly the declared apps, none outside the state, no
pending operation, a second `up` that changes nothing.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv

from ._support import apps, assert_converged, assert_second_up_is_noop, pending_operations, wait_for

pytestmark = pytest.mark.engine

SITES = 10


def _app_posts(emulator: Emulator) -> int:
    return int(emulator.requests()["counts"].get("POST /api/apps/v2", 0))


def _pulumi(engine_env: EngineEnv, work_dir: Path, out: Path, *args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, **engine_env.env}
    with out.open("ab") as fh:
        return subprocess.Popen(
            [str(engine_env.cli.pulumi), *args, "--stack", "rel", "--non-interactive"],
            cwd=work_dir,
            env=env,
            stdout=fh,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _run(engine_env: EngineEnv, work_dir: Path, out: Path, *args: str) -> tuple[int, str]:
    proc = _pulumi(engine_env, work_dir, out, *args)
    code = proc.wait(timeout=300)
    return code, out.read_text(errors="replace")


def test_interrupted_up_then_refresh_and_up_converge(
    emulator: Emulator,
    engine_env: EngineEnv,
    reliability_stack: Callable[..., auto.Stack],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    st = reliability_stack(emulator, sites=SITES)
    work_dir = Path(st.workspace.work_dir)
    emulator.switches(latency_ms=300)

    # 1. Ctrl-C once a first app exists: the engine stops starting steps and lets the running ones finish.
    out1 = tmp_path / "up-sigint.log"
    proc = _pulumi(engine_env, work_dir, out1, "up", "--yes", "--skip-preview", "--parallel", "3")
    wait_for(lambda: _app_posts(emulator) >= 1, 120, "a first app POST")
    assert proc.poll() is None, "the up ended before the interrupt: nothing was interrupted"
    os.killpg(proc.pid, signal.SIGINT)
    code1 = proc.wait(timeout=180)
    after_sigint = len(apps(emulator))
    pending_after_sigint = pending_operations(st)

    # 2. Run again and crash it (SIGKILL of the whole process group) while apps are being created.
    out2 = tmp_path / "up-sigkill.log"
    posts = _app_posts(emulator)
    proc = _pulumi(engine_env, work_dir, out2, "up", "--yes", "--skip-preview", "--parallel", "3")
    wait_for(lambda: _app_posts(emulator) >= posts + 1 or proc.poll() is not None, 120, "an app POST of run 2")
    assert proc.poll() is None, "the second up ended before the crash: nothing was crashed"
    os.killpg(proc.pid, signal.SIGKILL)
    code2 = proc.wait(timeout=60)
    time.sleep(1.0)  # let the emulator finish the requests that were in flight
    after_sigkill = len(apps(emulator))
    pending = pending_operations(st)
    with capsys.disabled():
        print(
            f"\n[interrupt] SIGINT: exit {code1}, {after_sigint} apps, {len(pending_after_sigint)} pending ops; "
            f"SIGKILL: exit {code2}, {after_sigkill} apps, {len(pending)} pending ops "
            f"({[p['resource']['urn'].rsplit('::', 1)[-1] + ':' + p['type'] for p in pending]})"
        )

    # Each signal landed in a running update. Ctrl-C: the CLI fails, having created only part of the apps, and
    # leaves no pending operation (the running steps finished). The crash: killed, after creating more apps, with
    # the creates it had in flight left in the state as pending operations (what step 3 has to clear; the apps
    # of those in-flight requests may exist, answered to no one).
    text1 = out1.read_text(errors="replace")
    assert code1 != 0 and "error: update canceled" in text1, text1[-3000:]
    assert 1 <= after_sigint < SITES, after_sigint
    assert pending_after_sigint == []
    assert code2 == -signal.SIGKILL
    assert after_sigkill > after_sigint, (after_sigint, after_sigkill)
    assert pending and {p["type"] for p in pending} <= {"creating", "updating"}, pending

    # 3. The user's steps (docs/reliability.md): release the crashed run's lock, refresh (clearing the
    # pending creates, which non-interactive refresh refuses to leave), then up.
    emulator.switches(latency_ms=0)
    code_cancel, text_cancel = _run(engine_env, work_dir, tmp_path / "cancel.log", "cancel", "--yes")
    assert code_cancel == 0, text_cancel[-3000:]
    code3, text3 = _run(engine_env, work_dir, tmp_path / "refresh.log", "refresh", "--yes", "--clear-pending-creates")
    code4, text4 = _run(engine_env, work_dir, tmp_path / "up-after.log", "up", "--yes", "--skip-preview")
    assert code3 == 0, text3[-3000:]
    assert code4 == 0, text4[-3000:]
    assert not pending_operations(st)
    assert_converged(st, emulator, SITES)
    assert_second_up_is_noop(st, emulator)
