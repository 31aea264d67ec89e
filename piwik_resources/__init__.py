"""Piwik PRO Analytics Suite as code: a client, dynamic providers, resources and the CnilExemptSite component."""
