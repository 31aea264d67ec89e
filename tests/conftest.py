"""Shared fixtures: the emulator (a real HTTP server on 127.0.0.1) and the real Pulumi engine; the tiers and
their guard (tests/fixtures/tiers.py)."""

pytest_plugins = [
    "pytester",
    "tests.fixtures.tiers",
    "tests.fixtures.emulator",
    "tests.fixtures.engine",
    "tests.fixtures.request_contract",
    "tests.fixtures.suite_material",
]
