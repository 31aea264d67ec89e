"""Tests of the pull-request preview renderer (tools/pr_preview)."""
