"""The emulator's control endpoint under `/__emulator__/` (no auth; never rate-limited, faulted or logged).

GET    /__emulator__/requests   {"total", "counts": {"METHOD template": n}, "entries": [...]}
DELETE /__emulator__/requests   clear the log
POST   /__emulator__/reset      wipe all account state and the log (the token signing key stays); the switches
                                return to the command line's and the fault draws restart from the seed
GET    /__emulator__/switches   current switches
PATCH  /__emulator__/switches   update some switches (JSON object), answers the new switches
GET    /__emulator__/tokens     {"issued": n} tokens issued since start or the last reset
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import auth
from .messages import JSON, Response, json_response, no_content
from .switches import validate_update

if TYPE_CHECKING:
    from .server import EmulatorServer

PREFIX = "/__emulator__/"
_KEEP_META = ("token_secret",)


def _error(status: int, message: str) -> Response:
    return json_response(status, {"error": message}, JSON)


def handle(server: EmulatorServer, method: str, path: str, body: bytes) -> Response:
    name = path[len(PREFIX) :].strip("/")
    if name == "requests" and method == "GET":
        return json_response(200, server.request_log.snapshot(), JSON)
    if name == "requests" and method == "DELETE":
        server.request_log.clear()
        return no_content()
    if name == "reset" and method == "POST":
        server.store.wipe(keep_meta=_KEEP_META)
        server.request_log.clear()
        if server.config.initial_switches is not None:
            server.config.switches = replace(server.config.initial_switches)
        server.faults.reseed()
        server.limiter.reset()
        return no_content()
    if name == "switches" and method == "GET":
        return json_response(200, server.config.switches.to_json(), JSON)
    if name == "switches" and method == "PATCH":
        try:
            update: Any = json.loads(body or b"{}")
            clean = validate_update(update)
        except ValueError as exc:
            return _error(400, str(exc))
        server.config.switches = replace(server.config.switches, **clean)
        server.limiter.reset()
        return json_response(200, server.config.switches.to_json(), JSON)
    if name == "tokens" and method == "GET":
        with server.store.transaction() as tx:
            issued = int(tx.get_meta(auth.COUNT_META) or "0")
        return json_response(200, {"issued": issued}, JSON)
    return _error(404, f"no admin endpoint {method} {path}")
