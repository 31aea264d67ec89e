"""Shared fixtures: the emulator (a real HTTP server on 127.0.0.1) and the real Pulumi engine."""

pytest_plugins = [
    "tests.fixtures.emulator",
    "tests.fixtures.engine",
]
