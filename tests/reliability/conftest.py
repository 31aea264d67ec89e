"""Fixtures of the reliability tests (helpers in _support.py)."""

from ._support import reliability_stack

__all__ = ["reliability_stack"]
