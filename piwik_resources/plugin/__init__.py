"""The Pulumi provider plugin ``piwik``: the library's resources and components for programs in any language.

The wheel installs it as the console script ``pulumi-resource-piwik`` (pyproject.toml). The engine starts it when a
program uses a ``piwik:index:*`` type — found on PATH, or where a program's Pulumi.yaml says
(``plugins: providers: [{name: piwik, path: <dir holding pulumi-resource-piwik>}]``) — and talks to it over gRPC.
It serves the same adapters, through the same engine, as the dynamic providers (provider.py), the schema generated
from their declarations (schema.py) and the components CnilExemptSite and CnilAccount (components.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

#: The protocol methods whose errors reach the user (the SDK's server appends its own traceback to each).
_METHODS = ("CheckConfig", "Configure", "Check", "Diff", "Create", "Read", "Update", "Delete", "Construct", "GetSchema")


def _plain_errors(method: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Report a provider error by its message alone (``plain_message``), as the dynamic providers' plugin does
    (tools/pulumi-cli/launchers); a bug keeps the traceback the SDK adds. The SDK re-raises a new exception from
    within its handler, so the error raised by our code is that exception's context."""

    async def call(self: Any, request: Any, context: Any) -> Any:
        try:
            return await method(self, request, context)
        except Exception as exc:
            cause = exc if getattr(exc, "plain_message", False) else exc.__context__
            if getattr(cause, "plain_message", False):
                import grpc

                await context.abort(grpc.StatusCode.UNKNOWN, str(cause))
            raise

    return call


def _watch_engine() -> None:
    """End the plugin when the engine that started it is gone (a killed `pulumi up` cannot stop its plugins)."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def main() -> None:
    """``pulumi-resource-piwik <engine address>``: serve the provider and print the port (the plugin handshake)."""
    import grpc.aio
    from pulumi.provider.experimental.server import ProviderServicer
    from pulumi.runtime._grpc_settings import _GRPC_CHANNEL_OPTIONS
    from pulumi.runtime.proto import provider_pb2_grpc

    from piwik_resources import __version__

    from .provider import PiwikPlugin

    if len(sys.argv) < 2 or sys.argv[1] in ("-h", "--help"):
        print("usage: pulumi-resource-piwik ENGINE_ADDRESS  (started by the Pulumi engine, not by hand)")
        sys.exit(0 if len(sys.argv) >= 2 else 2)
    engine = next(a for a in sys.argv[1:] if not a.startswith("-"))
    servicer_class = type(
        "PiwikServicer", (ProviderServicer,), {m: _plain_errors(getattr(ProviderServicer, m)) for m in _METHODS}
    )
    _watch_engine()

    async def serve() -> None:
        # The SDK registers each child of a component from a thread of the default pool, which that registration
        # holds until the child is created: a pool as large as the engine's parallelism keeps the children of
        # several components being created at once (Python's default is cores + 4 threads).
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=64))
        server = grpc.aio.server(options=_GRPC_CHANNEL_OPTIONS)
        servicer = servicer_class(sys.argv[1:], __version__, PiwikPlugin(), engine_address=engine)
        provider_pb2_grpc.add_ResourceProviderServicer_to_server(servicer, server)
        port = server.add_insecure_port(address="127.0.0.1:0")
        await server.start()
        sys.stdout.write(f"{port}\n")
        sys.stdout.flush()
        await server.wait_for_termination()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


__all__ = ["main"]
