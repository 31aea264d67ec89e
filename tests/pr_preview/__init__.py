"""Tests of the pull-request preview renderer (piwik_resources/pr_preview/, `piwik-cnil pr-preview`)."""
