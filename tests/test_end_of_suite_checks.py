"""The end-of-suite checks (tests/zz_leaks) read every pytest-xdist worker's files and fail when they should:
`make test` runs them after the suite, in a pytest run of their own given the suite's base temp dir
(``--suite-basetemp``, tests/fixtures/suite_material.py). Here they run in a child pytest on material made up in a
scratch dir laid out as `make test` lays it out (``popen-gw0``, ``popen-gw1``): a secret one worker registered and
the other wrote to disk fails the leak scan, an invalid request in a worker's capture file fails the request
contract; run alone they fail for lack of material, and on an xdist worker they refuse to run at all.

The scratch dir lies outside this session's base temp dir: the planted secret and token are made up, and the real
leak scan reads everything under that dir."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fixtures.engine import CLI_LOG, SECRET_REGISTRY
from tests.fixtures.request_contract import WINDOWS_FILE
from tests.fixtures.suite_material import SESSION_RECORD, SuiteMaterial, session_roots

pytestmark = pytest.mark.emulator  # runs the checks in a child pytest

REPO = Path(__file__).resolve().parents[1]
PLANTED_SECRET = "planted-secret-5e0c2a91"
PLANTED_TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbGFudGVkIn0.c2lnbmF0dXJl"
TEST = "tests/api/test_integration_apps.py::test_a_planted_request"


@pytest.fixture
def material() -> Iterator[Path]:
    """Two workers' base temp dirs, as `pytest -n 2 --basetemp=DIR` leaves them, with made-up files."""
    made = Path(tempfile.mkdtemp(prefix="suite-material-"))
    for worker in ("popen-gw0", "popen-gw1"):
        (made / worker / SESSION_RECORD).mkdir(parents=True)
        (made / worker / SESSION_RECORD / CLI_LOG).write_text("=== up\n--- stdout\nok\n")
    yield made
    shutil.rmtree(made, ignore_errors=True)


def checks(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "tests/zz_leaks"]
    command += [f"--basetemp={tmp_path / 'checks'}", *args]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300, check=False)


def test_the_sessions_are_the_workers_base_temp_dirs_else_the_dir_itself(material: Path, tmp_path: Path) -> None:
    assert session_roots(material) == [material / "popen-gw0", material / "popen-gw1"]
    assert session_roots(tmp_path) == [tmp_path]
    both = SuiteMaterial(material, session_roots(material))
    assert both.records(CLI_LOG) == [material / w / SESSION_RECORD / CLI_LOG for w in ("popen-gw0", "popen-gw1")]


def test_a_secret_one_worker_registered_and_the_other_wrote_fails_the_scan(material: Path, tmp_path: Path) -> None:
    (material / "popen-gw0" / SESSION_RECORD / SECRET_REGISTRY).write_text(f"emulator-secret\n{PLANTED_SECRET}\n")
    (material / "popen-gw1" / "engine" / "backend").mkdir(parents=True)
    (material / "popen-gw1" / "engine" / "backend" / "stack.json").write_text(f'{{"secret": "{PLANTED_SECRET}"}}')
    (material / "popen-gw0" / "emulator-default.db.1.stdout").write_text(f"Authorization: Bearer {PLANTED_TOKEN}\n")
    result = checks(tmp_path, "-k", "no_secret", f"--suite-basetemp={material}")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "secrets or tokens written to disk" in result.stdout, result.stdout[-3000:]
    assert f"popen-gw1/engine/backend/stack.json @ 12: secret '{PLANTED_SECRET}'" in result.stdout
    assert "popen-gw0/emulator-default.db.1.stdout @ 22: bearer token eyJhbGciOiJIUzI1NiJ9.eyJ" in result.stdout


def test_an_invalid_request_in_one_workers_captures_fails_the_contract(material: Path, tmp_path: Path) -> None:
    body = {"data": {"type": "ppms/app", "attributes": {"name": "x" * 91, "urls": ["https://a.example"]}}}
    entry = {
        "ts": 10.5,
        "status": 400,
        "method": "POST",
        "path": "/api/apps/v2",
        "query": "",
        "content_type": "application/vnd.api+json",
        "user_agent": "piwik-resources/0.0 httpx",
        "authorization": True,
        "body": json.dumps(body),
        "response": None,
    }
    (material / "popen-gw1" / "emulator-default.db.requests.jsonl").write_text(json.dumps(entry) + "\n")
    (material / "popen-gw1" / WINDOWS_FILE).write_text(json.dumps({"test": TEST, "start": 10, "end": 11}) + "\n")
    result = checks(tmp_path, "-k", "client_sent", f"--suite-basetemp={material}")
    assert result.returncode == 1, result.stdout[-3000:]
    assert "invalid requests refused, but on no test's expected list" in result.stdout, result.stdout[-3000:]
    assert "is too long" in result.stdout and f"(answered 400; test {TEST})" in result.stdout
    assert "from 1 emulator capture files of 2 pytest sessions" in result.stdout


def test_run_alone_they_fail_and_on_an_xdist_worker_they_refuse(tmp_path: Path) -> None:
    alone = checks(tmp_path)
    assert alone.returncode == 1, alone.stdout[-3000:]
    assert "2 failed" in alone.stdout, alone.stdout[-3000:]
    assert "run this module after the whole suite (`make test`), not alone" in alone.stdout
    assert "run this module after the engine tests" in alone.stdout
    worker = checks(tmp_path, "-n", "1")
    assert worker.returncode == 1, worker.stdout[-3000:]
    assert "2 errors" in worker.stdout, worker.stdout[-3000:]
    assert "the end-of-suite checks run on a pytest-xdist worker" in worker.stdout
    missing = checks(tmp_path, f"--suite-basetemp={tmp_path / 'nowhere'}")
    assert missing.returncode == 1 and "no such directory" in missing.stdout, missing.stdout[-3000:]
