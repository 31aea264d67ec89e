"""Long runs: the access token expires several times during one `up`; the emulator restarts during an `up`."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator

from ._support import assert_converged, assert_second_up_is_noop, wait_for, writes

pytestmark = pytest.mark.engine

TOKEN_TTL = 3


def test_token_expiring_during_the_run_is_refreshed(
    emulator_factory: Callable[..., Emulator],
    reliability_stack: Callable[..., auto.Stack],
    capsys: pytest.CaptureFixture[str],
) -> None:
    emulator = emulator_factory("--no-rate-limit", "--token-ttl", str(TOKEN_TTL), "--latency-ms", "400")
    st = reliability_stack(emulator, sites=4)
    before = emulator.tokens_issued()
    started = time.monotonic()
    st.up()
    duration = time.monotonic() - started
    issued = emulator.tokens_issued() - before
    log = emulator.requests()
    refused = sum(1 for e in log["entries"] if e["status"] == 401)
    api_requests = log["total"] - log["counts"].get("POST /auth/token", 0)
    with capsys.disabled():
        print(
            f"\n[token] up in {duration:.1f}s with a {TOKEN_TTL}s token: {issued} tokens issued for "
            f"{api_requests} API requests, {refused} answered 401"
        )
    # The latency makes the run outlive several token lifetimes, so the token was renewed...
    assert issued >= 2
    # ...but not per request: the client renews at half-life (one provider process calls the API during an up;
    # the program process never does), plus a few 401-driven renewals when a token dies in flight.
    assert issued <= duration / (TOKEN_TTL / 2) + 3, (issued, duration)
    assert issued < api_requests / 3
    assert_converged(st, emulator, 4)
    assert_second_up_is_noop(st, emulator)


def test_emulator_restart_during_the_run(
    emulator: Emulator, reliability_stack: Callable[..., auto.Stack], capsys: pytest.CaptureFixture[str]
) -> None:
    sites = 6
    st = reliability_stack(emulator, sites=sites, config={"exports": "true"})
    emulator.switches(latency_ms=100)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = st.up()
        except auto.CommandError as err:
            outcome["error"] = err

    thread = threading.Thread(target=run)
    thread.start()
    wait_for(lambda: sum(writes(emulator.requests()).values()) >= 15, 120, "15 writes before the restart")
    before = writes(emulator.requests())
    # Mid-run: the up is still going (the apps come first; their settings, tags and dimensions follow).
    assert thread.is_alive() and "result" not in outcome and "error" not in outcome
    emulator.restart()  # same port and state file; the switches (latency) return to the command line's
    thread.join(timeout=300)
    assert not thread.is_alive()
    # The new process's log starts at the restart: what the first up sent after it, before any second up.
    after_restart = emulator.requests()
    error = outcome.get("error")
    with capsys.disabled():
        print(
            f"\n[restart] {sum(before.values())} writes before the restart; first up: "
            + ("succeeded" if error is None else f"failed ({str(error).splitlines()[-1][:200]})")
            + f"; {after_restart['total']} requests reached the restarted emulator during it"
        )
    if error is None:
        # The first up went on against the restarted process: it wrote there what it had not written yet.
        assert writes(after_restart), after_restart["counts"]
    else:
        # A failure must say what failed and why, not be a bare traceback; then the next up converges.
        assert "failed" in str(error) and ("no answer" in str(error) or "HTTP" in str(error)), str(error)[-3000:]
        st.up()
    assert_converged(st, emulator, sites)
    assert_second_up_is_noop(st, emulator)
