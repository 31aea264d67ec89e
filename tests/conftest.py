"""Shared fixtures: the emulator (a real HTTP server on 127.0.0.1) and the real Pulumi engine; the tiers and
their guard (tests/fixtures/tiers.py)."""

pytest_plugins = [
    "pytester",
    "tests.fixtures.tiers",
    # Before the plugins that import it, so that pytest registers it (and rewrites its asserts) first.
    "tests.fixtures.suite_material",
    "tests.fixtures.emulator",
    "tests.fixtures.engine",
    "tests.fixtures.request_contract",
]
