"""The real Pulumi engine runs a program with a dynamic resource: up, preview, refresh, update, destroy."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.engine import PulumiCli, StackFactory, set_config

PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "trivial"


def test_cli_is_the_pinned_release(pulumi_cli: PulumiCli) -> None:
    pinned = (Path(__file__).resolve().parents[2] / "tools" / "pulumi-cli" / "VERSION").read_text().strip()
    print(f"pulumi version: {pulumi_cli.version} ({pulumi_cli.pulumi})")

    def parts(v: str) -> tuple[int, ...]:
        return tuple(int(p) for p in v.lstrip("v").split("-")[0].split("."))

    # A user's own newer CLI is accepted; the toolchain builds exactly the pinned one.
    assert parts(pulumi_cli.version) >= parts(pinned)


def test_up_preview_refresh_update_destroy(pulumi_stack: StackFactory) -> None:
    st = pulumi_stack(PROGRAM, config={"trivial:who": "CNIL"})

    up = st.up()
    assert up.summary.result == "succeeded"
    assert up.summary.resource_changes == {"create": 2}
    assert up.outputs["greeting"].value == "Bonjour, CNIL"

    preview = st.preview()
    assert preview.change_summary == {"same": 2}

    refresh = st.refresh()
    assert refresh.summary.result == "succeeded"
    assert refresh.summary.resource_changes == {"same": 2}

    set_config(st, {"trivial:who": "Piwik"})
    changed = st.preview(diff=True)
    assert changed.change_summary == {"same": 1, "update": 1}
    up2 = st.up()
    assert up2.summary.resource_changes == {"same": 1, "update": 1}
    assert up2.outputs["greeting"].value == "Bonjour, Piwik"

    destroy = st.destroy()
    assert destroy.summary.result == "succeeded"
    assert destroy.summary.resource_changes == {"delete": 2}
    assert st.export_stack().deployment.get("resources") in (None, [])
