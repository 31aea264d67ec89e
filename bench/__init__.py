"""Benchmarks of the Pulumi program (`python -m bench`): wall times, API requests, state size, memory, floors.

See docs/bench.md for what is measured, how, and the results of a full run.
"""
