"""The CNIL consent-exemption policy pack; the engine runs it as `python -u -m pulumi.policy <engine> policy`."""

from __future__ import annotations

from cnil_policies import PACK_DESCRIPTION, PACK_NAME, build_policies
from pulumi_policy import PolicyPack

# Constructing the pack starts the analyzer's gRPC server and blocks until the engine is done with it.
PolicyPack(name=PACK_NAME, description=PACK_DESCRIPTION, policies=build_policies())
