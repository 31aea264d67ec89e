"""The command line: listening line, loopback only, clean SIGTERM, start errors reported with stderr."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.fixtures.emulator import Emulator, EmulatorStartError


def test_sigterm_stops_cleanly(emulator: Emulator) -> None:
    assert emulator.port > 0
    emulator.stop()
    assert emulator.process is not None
    assert emulator.process.returncode == 0


def test_non_loopback_host_is_refused(emulator_factory: Callable[..., Emulator]) -> None:
    with pytest.raises(EmulatorStartError, match="binds loopback IPv4 addresses only"):
        emulator_factory("--host", "0.0.0.0")


def test_bad_flag_value_is_reported_with_stderr(emulator_factory: Callable[..., Emulator]) -> None:
    with pytest.raises(EmulatorStartError, match=r"must be within 0\.\.1"):
        emulator_factory("--error-rate", "5")
