"""Tests of the CNIL CrossGuard policy pack (policy/)."""
