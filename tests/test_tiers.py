"""The tiers tell the truth (tests/fixtures/tiers.py): a test that starts a process, opens a socket or installs
something without its marker fails; tests/acceptance never runs, and never contacts the account it names, unless
`make acceptance` asks for it; a failing test names its emulators' fault seeds."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.tiers import NOT_UNIT, needed_tiers

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("argv", "needs"),
    [
        (["/opt/pulumi/bin/pulumi", "up", "--yes"], {"engine"}),
        (["pulumi-language-python", "127.0.0.1:1"], {"engine"}),
        (["pulumi-resource-piwik"], {"engine"}),
        ([str(REPO / "tools" / "pulumi-toolchain")], {"engine", "network"}),
        ([sys.executable, "-m", "pip", "install", "x"], {"network"}),
        ([sys.executable, "-m", "build", "--outdir", "d", "."], {"network"}),
        (["apt-get", "install", "-y", "chromium"], {"network"}),
        (["go", "install", "example.com/tool@v1"], {"network"}),
        ([str(REPO / "tools" / "ensure-chromium")], {"network"}),
        (["bash", "-c", "python -m venv v && v/bin/pip install piwik.whl"], {"network"}),
        (["bash", "-c", "cd infra && pulumi preview"], {"engine"}),
        ([sys.executable, "-m", "piwik_emulator", "--port", "0"], set(NOT_UNIT)),
        ([sys.executable, "-c", "print(1)"], set(NOT_UNIT)),
        ("ls -l", set(NOT_UNIT)),
    ],
)
def test_what_each_command_needs(argv: list[str] | str, needs: set[str]) -> None:
    assert needed_tiers(argv) == needs


GUARDED = """
import socket
import subprocess
import sys

import pytest


def test_unmarked_starts_a_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_unmarked_swallows_the_refusal():
    try:
        subprocess.run([sys.executable, "-c", "pass"], check=True)
    except Exception:
        pass


def test_unmarked_opens_a_socket():
    socket.create_connection(("127.0.0.1", 9), timeout=1)


@pytest.mark.emulator
def test_emulator_tier_reaches_out():
    sock = socket.socket()
    sock.settimeout(1)
    sock.connect(("192.0.2.1", 80))


@pytest.mark.emulator
def test_emulator_tier_looks_up_a_name():
    socket.getaddrinfo("example.com", 443)


@pytest.mark.emulator
def test_emulator_tier_installs():
    subprocess.run([sys.executable, "-m", "pip", "--version"], check=True)


@pytest.mark.emulator
def test_emulator_tier_starts_a_process():
    subprocess.run([sys.executable, "-c", "pass"], check=True)


def test_unit_stays_in_process():
    assert sum(range(4)) == 6
"""


@pytest.fixture
def repo_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The child pytest of ``pytester`` imports this repository's plugins."""
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])))


def test_the_guard_fails_each_test_that_does_more_than_its_markers(
    pytester: pytest.Pytester, repo_on_path: None
) -> None:
    pytester.makepyfile(test_guarded=GUARDED)
    result = pytester.runpytest_subprocess("-p", "tests.fixtures.tiers", "-p", "no:cacheprovider", "-rA")
    result.assert_outcomes(failed=6, passed=2)
    text = result.stdout.str()
    for name in ("unmarked_starts_a_process", "unmarked_swallows_the_refusal", "unmarked_opens_a_socket"):
        assert f"test_guarded.py::test_{name} " in text and f"FAILED test_guarded.py::test_{name}" in text
    assert "connected to 192.0.2.1:80 but is marked ['emulator']: it needs one of ['network']" in text
    assert "looked up example.com but is marked ['emulator']: it needs one of ['network']" in text
    assert "-m pip --version` but is marked ['emulator']: it needs one of ['network']" in text
    assert "PASSED test_guarded.py::test_emulator_tier_starts_a_process" in text
    assert "PASSED test_guarded.py::test_unit_stays_in_process" in text


@pytest.mark.emulator  # collects the suite in a child process
def test_markers_come_from_the_fixtures_a_test_uses() -> None:
    # The collection of this repository's own suite, as `make test-fast` selects it.
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "unit", "tests"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    ids = [line for line in result.stdout.splitlines() if "::" in line]
    assert ids, result.stdout[-2000:]
    for forbidden in ("tests/acceptance/", "tests/engine/", "tests/plugin/test_plugin_engine.py"):
        assert not [i for i in ids if i.startswith(forbidden)], forbidden
    assert "tests/emulator/test_switches.py::test_reset_wipes_state_and_log" not in ids  # the emulator fixture
    assert "tests/components/test_cnil_tables.py::test_the_limits_are_the_deliberations" in ids


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A TCP port that writes down every connection and closes it at once."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    seen: list[str] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                conn, address = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            seen.append(f"{address[0]}:{address[1]}")
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1], seen
    finally:
        done.set()
        thread.join(timeout=5)
        server.close()


def _pytest(port: int, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PIWIK_ACCEPTANCE_BASE_URL": f"http://127.0.0.1:{port}",
        "PIWIK_ACCEPTANCE_CLIENT_ID": "acceptance-client",
        "PIWIK_ACCEPTANCE_CLIENT_SECRET": "acceptance-secret-4c1e",
    }
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=600, check=False)


@pytest.mark.emulator
def test_acceptance_is_never_collected_without_make_acceptance(listener: tuple[int, list[str]], tmp_path: Path) -> None:
    port, seen = listener
    # What `make test` runs (`pytest`, the testpaths) collects no acceptance test, even with the account set ...
    collected = _pytest(port, "--collect-only", f"--basetemp={tmp_path / 'a'}")
    assert collected.returncode == 0, collected.stdout[-3000:]
    assert "tests/acceptance" not in collected.stdout
    # ... and naming the directory runs nothing.
    named = _pytest(port, "tests/acceptance", f"--basetemp={tmp_path / 'b'}")
    assert named.returncode == 5 and "no tests ran" in named.stdout, named.stdout[-3000:]
    assert seen == []
    # The control: with --acceptance (only `make acceptance` passes it) the run does go to that account.
    control = _pytest(port, "tests/acceptance", "--acceptance", "-x", f"--basetemp={tmp_path / 'c'}")
    assert control.returncode == 1, control.stdout[-3000:]
    assert seen, "with --acceptance the run did not contact the account: the control proves nothing"


FAILING = """
def test_fails_with_an_emulator(emulator):
    assert emulator.api("GET", "/api/apps/v2").status_code == 418
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2", "--dist", "loadfile"]], ids=["serial", "xdist"])
def test_a_failure_names_the_fault_seed_of_each_running_emulator(
    pytester: pytest.Pytester, repo_on_path: None, workers: list[str]
) -> None:
    # Also as `make test` runs the suite: the report a pytest-xdist worker sends back keeps the section.
    pytester.makeconftest("pytest_plugins = ['tests.fixtures.tiers', 'tests.fixtures.emulator']\n")
    pytester.makepyfile(test_failing=FAILING)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", *workers)
    result.assert_outcomes(failed=1)
    result.stdout.re_match_lines(
        [r".*emulator fault seeds.*", r"http://127\.0\.0\.1:\d+ \(emulator-default\.db\): --fault-seed \d+"]
    )
    result.stdout.fnmatch_lines(
        ["replay: PIWIK_EMULATOR_FAULT_SEED=<seed> *test_failing.py::test_fails_with_an_emulator"]
    )
