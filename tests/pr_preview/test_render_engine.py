"""The renderer on real previews against the emulator: a first preview (all creates), then, after `pulumi up`,
a change that creates, updates (a secret too), replaces and deletes — rendered through the command itself.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from piwik_resources.pr_preview import render
from piwik_resources.pr_preview.cli import run_preview
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import EngineEnv, PulumiCli, StackFactory, set_config

REPO = Path(__file__).resolve().parents[2]
PROGRAM = REPO / "tests" / "programs" / "pr_preview"
STACK = "staging"

pytestmark = pytest.mark.engine


def section(markdown: str, heading_start: str) -> str:
    """The text of the first `#### ` section whose heading starts with ``heading_start``."""
    for part in markdown.split("\n#### ")[1:]:
        if part.startswith(heading_start):
            return part.split("\n### ", 1)[0]
    raise AssertionError(f"no section {heading_start!r} in:\n{markdown}")


def test_render_real_previews_create_then_update_replace_delete(
    pulumi_stack: StackFactory, emulator: Emulator, engine_env: EngineEnv, pulumi_cli: PulumiCli, tmp_path: Path
) -> None:
    st = pulumi_stack(PROGRAM, stack=STACK, emulator=emulator)
    work_dir = Path(st.workspace.work_dir)

    # 1. A new stack: everything is created; outputs of other resources are not known yet.
    first = run_preview(STACK, cwd=work_dir, pulumi=pulumi_cli.pulumi, env=engine_env.env)
    assert first.returncode == 0, first.stderr
    md = render(first.data, stack=STACK)
    assert md.startswith(f"<!-- pr-preview:{STACK} -->\n")
    assert "**Site stays exempt ✅**" in md
    assert "| 4 | 0 | 0 | 0 | 0 |" in md
    site = section(md, "➕ create Site `shop`")
    assert "| `name` | `[secret]` |" in site and "Shop" not in site.split("\n", 1)[1].replace("`shop`", "")
    tracker = section(md, "➕ create TrackerSettings `shop-tracker`")
    assert "| `ip_masking_level` | `2` |" in tracker
    assert "| `site_id` | _known after apply_ |" in tracker
    assert "No requirement changes status" in md

    st.up()
    set_config(st, {"pr_preview:stage": "change"})

    # 2. The change, through the command a workflow runs (the console script of the installed package).
    out = tmp_path / "comment.md"
    env = engine_env.env
    proc = subprocess.run(
        [
            str(Path(sys.executable).parent / "piwik-cnil"),
            "pr-preview",
            "--stack",
            STACK,
            "--cwd",
            str(work_dir),
            "--out",
            str(out),
            "--pulumi",
            str(pulumi_cli.pulumi),
        ],
        cwd=REPO,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    md = out.read_text()
    print(md)

    assert "**Exemption broken ❌**" in md
    assert "| 1 | 2 | 1 | 1 | 0 |" in md  # create, update, replace, delete, unchanged
    assert (
        "- ❌ **#1 Mask IP addresses (at least 1 byte)**: compliant → **broken** by TrackerSettings `shop-tracker` "
        "`ip_masking_level` = `0` (rule `cnil-ip-masking`" in md
    )
    assert "| `ip_masking_level` | `2` | `0` |" in section(md, "✏️ update TrackerSettings `shop-tracker`")
    assert "| `name` | `[secret]` | `[secret]` _(hidden; may have changed)_ |" in section(md, "✏️ update Site `shop`")
    replaced = section(md, "🔁 replace CustomDimension `shop-category`")
    assert '| `scope` 🔁 | `"session"` | `"event"` |' in replaced
    assert "Replaced because `scope`" in replaced
    deleted = section(md, "➖ delete CustomDimension `shop-legacy`")
    assert '| `name` | `"Legacy"` |' in deleted
    created = section(md, "➕ create TagConsentType `shop-piwik-tag`")
    assert '| `consent_type` | `"analytics"` |' in created

    # Secrets never show: the renamed site, the API secret, the pickled providers.
    for text in ("Shop (renamed)", emulator.client_secret, "__provider", "gASV"):
        assert text not in md
