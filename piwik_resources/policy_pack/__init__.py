"""The CNIL CrossGuard policy pack shipped inside the wheel: `pulumi preview --policy-pack "$(piwik-cnil policy-pack)"`.

This folder is the pack (PulumiPolicy.yaml, __main__.py). The engine runs it with the Python that the language
host picks for a pack without a virtualenv: $PULUMI_PYTHON_CMD, else `python3` on PATH (docs/policy.md). Importing
this package loads nothing else; ``cnil_policies`` needs pulumi-policy.
"""

from __future__ import annotations

from pathlib import Path

#: The pack's folder: what `piwik-cnil policy-pack` prints and `pulumi --policy-pack` takes.
PACK_DIR = Path(__file__).resolve().parent
#: The pack's manifest, the file that makes a folder a policy pack for the engine.
MANIFEST = PACK_DIR / "PulumiPolicy.yaml"
