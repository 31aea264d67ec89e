"""Tests of the CNIL CrossGuard policy pack (piwik_resources/policy_pack/)."""
