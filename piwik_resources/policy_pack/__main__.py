"""The CNIL consent-exemption policy pack; the engine runs it as `python -u -m pulumi.policy <engine> <this folder>`."""

from __future__ import annotations

import sys
from pathlib import Path


def wrong_python() -> str | None:
    """Why this Python cannot run this folder's pack, or None: it must import pulumi-policy and *this* library."""
    try:
        import pulumi_policy  # noqa: F401

        from piwik_resources.policy_pack import PACK_DIR
    except ImportError as exc:
        return f"cannot import {exc.name}"
    if Path(__file__).resolve().parent != PACK_DIR:
        return f"imports another piwik_resources, from {PACK_DIR.parent}"
    return None


def main() -> None:
    problem = wrong_python()
    if problem is not None:
        sys.exit(
            f"cnil-exemption policy pack: {sys.executable} {problem}. Run the pack with the Python where "
            "piwik-resources is installed: activate its virtualenv, or set PULUMI_PYTHON_CMD to its python "
            "(`piwik-cnil policy-pack --json` prints it)."
        )
    from pulumi_policy import PolicyPack

    from piwik_resources.policy_pack.cnil_policies import PACK_DESCRIPTION, PACK_NAME, build_policies

    # Constructing the pack starts the analyzer's gRPC server and blocks until the engine is done with it.
    PolicyPack(name=PACK_NAME, description=PACK_DESCRIPTION, policies=build_policies())


if __name__ == "__main__":
    main()
