"""Our language host and dynamic-provider plugin end themselves when the engine that started them is gone.

A SIGKILLed `pulumi up` cannot stop its plugins; without this they would listen forever (seen in this project's
interrupted-run tests before the watchdogs existed).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fixtures.engine import PulumiCli


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in state


@pytest.mark.parametrize("plugin", ["pulumi-language-python", "pulumi-resource-pulumi-python"])
def test_plugin_exits_when_its_parent_dies(pulumi_cli: PulumiCli, plugin: str) -> None:
    env = {**os.environ, "PULUMI_PYTHON_CMD": sys.executable}
    # A parent shell starts the plugin (as the engine would), prints its pid, and dies when told to.
    parent = subprocess.Popen(
        ["sh", "-c", f'"{pulumi_cli.bin_dir / plugin}" 127.0.0.1:1 > /dev/null 2>&1 & echo $!; read _'],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert parent.stdout is not None and parent.stdin is not None
    pid = int(parent.stdout.readline().strip())
    try:
        time.sleep(3)
        assert alive(pid), f"{plugin} did not stay up while its parent lived"
        parent.stdin.close()  # the shell's `read` returns: the parent exits, the plugin is orphaned
        parent.wait(timeout=10)
        deadline = time.monotonic() + 15
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(pid), f"{plugin} outlived the process that started it"
    finally:
        if alive(pid):
            os.kill(pid, 9)
