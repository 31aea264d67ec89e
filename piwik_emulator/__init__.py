"""Offline emulator of the Piwik PRO Analytics Suite API, built from Piwik PRO's OpenAPI files.

Start it with ``python -m piwik_emulator --port N --state FILE``; see docs/emulator.md.
It shares no code with the ``piwik_resources`` client on purpose (the other side of the wire).
"""

__all__ = ["__version__"]
__version__ = "0.1.0"
