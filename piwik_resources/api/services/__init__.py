"""Service groups of the client: one module per Piwik PRO API area (paths, bodies, models)."""
