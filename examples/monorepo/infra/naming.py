"""Resource naming of the monorepo: every name carries the team prefix."""

TEAM = "web"


def site_key(name: str) -> str:
    return f"{TEAM}-{name}"
