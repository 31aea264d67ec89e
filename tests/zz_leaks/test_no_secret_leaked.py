"""After the whole suite: the client secrets and the bearer tokens appear in no file the session produced.

`make test` runs this module after the suite, in a pytest run of its own pointed at the suite's base temp dir
(``--suite-basetemp``: both pytest-xdist workers' files, once both have finished); in a serial run of the whole
suite it runs last (pytest collects directories alphabetically) and reads its own session's (see
tests/fixtures/suite_material.py). It scans EVERYTHING under that base temp dir: the file backends
(`.pulumi/stacks` state files and their `.bak`, `.pulumi/backups`, `.pulumi/history`), the copied programs with
their stack files, the PULUMI_HOME dirs, the emulators' stdout and stderr logs and state, the CLI output of every
Automation-API run (recorded by each session's fixture in tests/fixtures/engine.py), the logs of the CLI runs made
as plain subprocesses (tests/reliability), plus the Pulumi CLI's own log files in the system temp dir written
during the session. It looks for:

* every client secret the suite handed out (registered by each session's fixture in its
  ``session-record/secrets-registry.txt``: each emulator's `--client-secret`, each secret stack-config value — the
  wrong secret of the auth-failure run included), as text and base64-encoded;
* bearer tokens: any JWT-shaped string (`eyJ….eyJ….`) — every token the emulator issues has this shape, so
  any hit is a token (or another JWT) written where it must not be.

An encrypted config value (`secure: v1:…`, e.g. in stacks/Pulumi.local.yaml) is ciphertext, not a leak. It
fails naming file and offset, and refuses to pass vacuously: it needs a meaningful number of state files.
Run it with the engine tests (it is marked `engine`); alone, it has nothing to scan and says so.
"""

from __future__ import annotations

import base64
import re
import tempfile
import time
from pathlib import Path

import pytest

from tests.fixtures.engine import CLI_LOG, SECRET_REGISTRY, SessionRecord
from tests.fixtures.suite_material import SuiteMaterial

pytestmark = pytest.mark.engine

JWT = re.compile(rb"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*")
MIN_STATE_FILES = 20
SESSION_STARTED = time.time() - 4 * 3600  # generous: CLI logs are only taken if modified since then


def _needles(secrets: set[str]) -> dict[bytes, str]:
    """Each secret as bytes, and its base64 forms at the three alignments (the stable middle part)."""
    needles: dict[bytes, str] = {}
    for secret in secrets:
        raw = secret.encode()
        needles[raw] = secret
        for shift in range(3):
            encoded = base64.b64encode(b"\0" * shift + raw)
            core = encoded[4 if shift else 0 : len(encoded) - 4]
            if len(core) >= 8:
                needles[core] = f"{secret} (base64)"
    return needles


def _files(root: Path) -> list[Path]:
    found = [p for p in root.rglob("*") if p.is_file() and not p.is_symlink()]
    # Pulumi's own log files (glog writes them to the system temp dir) of this session, if any.
    found += [
        p for p in Path(tempfile.gettempdir()).glob("pulumi*") if p.is_file() and p.stat().st_mtime >= SESSION_STARTED
    ]
    return found


def _registered_secrets(material: SuiteMaterial) -> set[str]:
    """What every session of the suite registered (one registry per pytest-xdist worker)."""
    registries = material.records(SECRET_REGISTRY)
    return {line for path in registries for line in path.read_text(encoding="utf-8").splitlines() if line}


def test_no_secret_and_no_token_in_any_file(suite_material: SuiteMaterial, session_record: SessionRecord) -> None:
    root = suite_material.root
    secrets = set(session_record.secrets) | _registered_secrets(suite_material)
    assert "emulator-secret" in secrets
    needles = _needles(secrets)
    files = _files(root)
    scanned_bytes = 0
    hits: list[str] = []
    for path in files:
        if path.name == SECRET_REGISTRY:  # the list of what to look for
            continue
        data = path.read_bytes()
        scanned_bytes += len(data)
        for needle, what in needles.items():
            offset = data.find(needle)
            if offset >= 0:
                hits.append(f"{path} @ {offset}: secret {what!r}")
        for match in JWT.finditer(data):
            hits.append(f"{path} @ {match.start()}: bearer token {match.group()[:24].decode()}…")
    state_files = [
        p
        for p in files
        if "/.pulumi/stacks/" in str(p) or "/.pulumi/backups/" in str(p) or "/.pulumi/history/" in str(p)
    ]
    cli_logs = suite_material.records(CLI_LOG)
    print(
        f"\n[leaks] scanned {len(files)} files ({scanned_bytes / 1e6:.1f} MB) of {len(suite_material.sessions)} "
        f"pytest sessions under {root}, {len(state_files)} state, backup and history files, for {len(secrets)} "
        f"secrets and JWT-shaped tokens: {len(hits)} hits"
    )
    assert not hits, "secrets or tokens written to disk:\n" + "\n".join(hits[:50])
    # Not vacuous: the suite's engine tests left their backends, and their CLI output was recorded.
    assert len(state_files) > MIN_STATE_FILES, (
        f"only {len(state_files)} state files under {root}: run this module after the engine tests "
        "(`make test`; or `pytest tests/reliability tests/zz_leaks`), not alone"
    )
    assert sum(path.stat().st_size for path in cli_logs) > 10_000, "no CLI output was recorded"
    if "wrong-secret-4b1d9e7c" in secrets:  # tests/reliability ran: its auth-failure run is in the material
        assert any("check the client id and secret" in path.read_text(errors="replace") for path in cli_logs)
