"""Fixtures of the provider tests: ``live`` (providers configured against the emulator)."""

from .live import live

__all__ = ["live"]
