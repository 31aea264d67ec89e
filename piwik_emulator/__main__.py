"""Command line: `python -m piwik_emulator --port N --state FILE [...]` (see docs/emulator.md)."""

from __future__ import annotations

import argparse
import ipaddress
import os
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import FrameType

from .config import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_ORGANIZATION, ApiClient, Config
from .server import EmulatorServer
from .store import Store
from .switches import (
    DEFAULT_READ_LIMIT,
    DEFAULT_TOKEN_TTL,
    DEFAULT_WRITE_LIMIT,
    PUBLISH_MODES,
    Switches,
    new_fault_seed,
)

#: Seconds between two checks of the serve loop and of the stop signal (the standard library's default is 0.5).
POLL_S = 0.02


def _rate(text: str) -> float:
    value = float(text)
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be within 0..1, got {text}")
    return value


def _loopback(text: str) -> str:
    host = "127.0.0.1" if text == "localhost" else text
    try:
        if ipaddress.ip_address(host).is_loopback and ipaddress.ip_address(host).version == 4:
            return host
    except ValueError:
        pass
    raise argparse.ArgumentTypeError(f"the emulator binds loopback IPv4 addresses only, not {text!r}")


def _email(text: str) -> str:
    local, at, domain = text.partition("@")
    if not (local and at and "." in domain) or any(c.isspace() for c in text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an e-mail address (name@example.com)")
    return text


def _extra_client(text: str) -> ApiClient:
    client_id, _, rest = text.partition(":")
    secret, _, email = rest.rpartition(":")
    if not (client_id and secret and email):
        raise argparse.ArgumentTypeError(f"{text!r}: expected CLIENT_ID:CLIENT_SECRET:AUTHOR_EMAIL")
    return ApiClient.extra(client_id, secret, _email(email))


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m piwik_emulator", description="Piwik PRO API emulator")
    p.add_argument("--port", type=int, required=True, help="TCP port; 0 picks a free one")
    p.add_argument("--state", type=Path, required=True, help="SQLite state file (created if missing)")
    p.add_argument("--host", type=_loopback, default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    p.add_argument("--client-id", default=os.environ.get("PIWIK_EMULATOR_CLIENT_ID", DEFAULT_CLIENT_ID))
    p.add_argument("--client-secret", default=os.environ.get("PIWIK_EMULATOR_CLIENT_SECRET", DEFAULT_CLIENT_SECRET))
    p.add_argument("--client-email", type=_email, default=None, help="the default client's e-mail (api@ORG.piwik.pro)")
    p.add_argument(
        "--extra-client",
        type=_extra_client,
        action="append",
        default=[],
        metavar="CLIENT_ID:CLIENT_SECRET:AUTHOR_EMAIL",
        help="one more accepted API client, acting as AUTHOR_EMAIL (repeatable)",
    )
    p.add_argument("--audit-log-forbidden", action="store_true", help="answer 403 on the audit log")
    p.add_argument("--organization", default=DEFAULT_ORGANIZATION, help="organization name (JWT `org` claim)")
    p.add_argument("--token-ttl", type=int, default=DEFAULT_TOKEN_TTL, help="token lifetime in seconds (1800)")
    p.add_argument("--latency-ms", type=int, default=0, help="delay added to every API request")
    p.add_argument("--read-limit", type=int, default=DEFAULT_READ_LIMIT, help="GET requests per minute (600)")
    p.add_argument("--write-limit", type=int, default=DEFAULT_WRITE_LIMIT, help="other requests per minute (60)")
    p.add_argument("--no-rate-limit", action="store_true", help="disable the per-minute buckets")
    p.add_argument("--error-rate", type=_rate, default=0.0, help="share of requests answered 503, not applied")
    p.add_argument("--drop-rate", type=_rate, default=0.0, help="share of connections closed, not applied")
    p.add_argument(
        "--drop-after-commit-rate",
        type=_rate,
        default=0.0,
        help="share of requests applied, then closed without a response",
    )
    p.add_argument("--throttle-rate", type=_rate, default=0.0, help="share of requests answered 429, Retry-After 1")
    p.add_argument("--apps-limit", type=int, default=None, help="number of apps after which create answers 409")
    p.add_argument(
        "--capture-requests",
        type=Path,
        default=None,
        metavar="FILE",
        help="append every API request as received to FILE (JSON lines, secrets redacted)",
    )
    p.add_argument(
        "--fault-seed",
        type=int,
        default=None,
        metavar="N",
        help="seed of the injected faults' draws (default: a new one); printed at start to replay a run",
    )
    _add_variants(p)
    return p


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0 seconds, got {text}")
    return value


def _add_variants(p: argparse.ArgumentParser) -> None:
    """The behaviours the published specs leave open (docs/emulator.md, "Variants")."""
    p.add_argument(
        "--publish-mode",
        choices=PUBLISH_MODES,
        default="async",
        help="publishing the Tag Manager draft answers 202 + operation (async) or 204 without one (sync)",
    )
    p.add_argument(
        "--republish-unchanged-error",
        action="store_true",
        help="publishing a draft with no change answers 400 (nothing to publish)",
    )
    p.add_argument(
        "--tag-delay",
        type=_seconds,
        default=0.0,
        metavar="SECONDS",
        help="the Piwik PRO tag of a new app appears only after this delay",
    )
    p.add_argument(
        "--refuse-client-app-ids",
        action="store_true",
        help="an app create with a client-chosen id answers 400",
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.token_ttl < 1:
        print("--token-ttl must be >= 1", file=sys.stderr)
        return 2
    ids = [args.client_id, *(c.client_id for c in args.extra_client)]
    if len(set(ids)) != len(ids):
        print(f"--extra-client: client ids must differ from each other and from --client-id: {ids}", file=sys.stderr)
        return 2
    switches = Switches(
        latency_ms=args.latency_ms,
        read_limit=args.read_limit,
        write_limit=args.write_limit,
        rate_limit_enabled=not args.no_rate_limit,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
        drop_after_commit_rate=args.drop_after_commit_rate,
        throttle_rate=args.throttle_rate,
        token_ttl=args.token_ttl,
        apps_limit=args.apps_limit,
        publish_mode=args.publish_mode,
        republish_unchanged_error=args.republish_unchanged_error,
        tag_delay=args.tag_delay,
        refuse_client_app_ids=args.refuse_client_app_ids,
        audit_log_forbidden=args.audit_log_forbidden,
    )
    config = Config(
        state_file=args.state,
        host=args.host,
        port=args.port,
        client_id=args.client_id,
        client_secret=args.client_secret,
        organization=args.organization,
        switches=switches,
        capture_file=args.capture_requests,
        client_email=args.client_email,
        extra_clients=tuple(args.extra_client),
        fault_seed=new_fault_seed() if args.fault_seed is None else args.fault_seed,
        initial_switches=replace(switches),
    )
    store = Store(args.state)
    server = EmulatorServer(config, store)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    # A short poll: `shutdown()` waits for the serve loop's next poll, and test fixtures stop emulators often.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": POLL_S}, name="piwik-emulator", daemon=True
    )
    thread.start()
    print(f"piwik-emulator fault seed {config.fault_seed} (replay with --fault-seed {config.fault_seed})", flush=True)
    print(f"piwik-emulator listening on http://{config.host}:{server.port}", flush=True)
    while not stop.wait(POLL_S):
        pass
    server.shutdown()
    server.server_close()
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
