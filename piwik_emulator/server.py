"""The HTTP server: one pipeline per request (admin | latency, rate limit, faults, auth, handler, log)."""

from __future__ import annotations

import contextlib
import socket
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from . import __version__, admin, auth
from .config import Config
from .errors import ApiError, Family, family_for, generic, unauthorized
from .messages import Request, Response
from .request_capture import RequestCapture
from .request_log import RequestLog
from .router import PUBLIC_PATHS, ROUTER
from .store import Store
from .switches import Faults, RateLimiter

#: The header by which every answer says it comes from this emulator, not from a Piwik PRO account (docs/emulator.md).
EMULATOR_HEADER = "X-Piwik-Emulator"


class EmulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Benchmarks open many connections at once; the default backlog of 5 would refuse some.
    request_queue_size = 128

    def __init__(self, config: Config, store: Store) -> None:
        self.config = config
        self.store = store
        self.request_log = RequestLog()
        self.limiter = RateLimiter()
        self.faults = Faults() if config.fault_seed is None else Faults(config.fault_seed)
        self.capture = RequestCapture(config.capture_file) if config.capture_file is not None else None
        super().__init__((config.host, config.port), EmulatorHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])


class EmulatorHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorServer
    server_version = "piwik-emulator"
    sys_version = ""

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: object) -> None:
        pass  # the request log replaces the access log

    # ------------------------------------------------------------------ pipeline

    def _handle(self) -> None:
        method = self.command
        parts = urlsplit(self.path)
        path, query = parts.path, parts.query
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        server = self.server
        if path.startswith(admin.PREFIX):
            self._send(admin.handle(server, method, path, body))
            return

        match = ROUTER.match(method, path)
        template = match.template if match is not None else path
        family = family_for(path)
        switches = server.config.switches

        def log(status: int | None, fault: str | None, response: Response | None = None) -> None:
            server.request_log.record(method, path, template, status, fault)
            if server.capture is not None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                server.capture.record(method, path, query, headers, body, status, response)

        if switches.latency_ms > 0:
            time.sleep(switches.latency_ms / 1000)
        if switches.rate_limit_enabled and path not in PUBLIC_PATHS:
            bucket, limit = ("read", switches.read_limit) if method == "GET" else ("write", switches.write_limit)
            retry_after = server.limiter.admit(bucket, limit)
            if retry_after is not None:
                response = generic(family, 429, "Too Many Requests").response
                response.headers["Retry-After"] = str(retry_after)
                log(429, "rate_limited", response)
                self._send(response)
                return
        plan = server.faults.plan(switches, method, path)
        if plan.throttle and path not in PUBLIC_PATHS:
            response = generic(family, 429, "Too Many Requests").response
            response.headers["Retry-After"] = str(switches.throttle_retry_after)
            log(429, "throttled", response)
            self._send(response)
            return
        if plan.drop:
            log(None, "drop")
            self._drop()
            return
        if plan.error:
            response = generic(family, 503, "Service temporarily unavailable (injected fault)").response
            log(503, "error", response)
            self._send(response)
            return

        response = self._dispatch(method, path, query, body, family)
        if plan.drop_after_commit:
            log(response.status, "drop_after_commit", response)
            self._drop()
            return
        log(response.status, None, response)
        self._send(response)

    def _dispatch(self, method: str, path: str, query: str, body: bytes, family: Family) -> Response:
        match = ROUTER.match(method, path)
        if match is None:
            return generic(family, 404, f"No route for {path}").response
        if match.handler is None:
            return generic(family, 405, f"Method {method} is not allowed for {match.template}").response
        headers = {k.lower(): v for k, v in self.headers.items()}
        try:
            with self.server.store.transaction() as tx:
                request = Request(
                    method,
                    path,
                    query,
                    headers,
                    body,
                    match.params,
                    tx,
                    self.server.config,
                    time.time(),
                    ip=str(self.client_address[0]),
                )
                if path not in PUBLIC_PATHS:
                    claims = auth.verify_bearer(request)
                    if claims is None:
                        return unauthorized(family)
                    request.claims = claims
                return match.handler(request)
        except ApiError as error:  # the transaction was rolled back
            return error.response
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return generic(family, 500, "Internal emulator error").response

    # ------------------------------------------------------------------ wire

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        # Every answer says it comes from the emulator, which a Piwik PRO account never does (docs/emulator.md).
        self.send_header(EMULATOR_HEADER, f"piwik-emulator {__version__}")
        if response.content_type is not None:
            self.send_header("Content-Type", response.content_type)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(response.body)))
        self.end_headers()
        if response.body:
            self.wfile.write(response.body)

    def _drop(self) -> None:
        """Close the connection without a byte of response (the client sees a disconnect)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
