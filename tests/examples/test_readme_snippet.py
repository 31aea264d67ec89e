"""The README's library example works when copied: it is run as a program through the real engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import REPO, StackFactory

pytestmark = pytest.mark.engine


def readme_program() -> str:
    text = (REPO / "README.md").read_text()
    section = text.split("## Using the library in your own program", 1)[1]
    match = re.search(r"```python\n(.*?)```", section, re.S)
    assert match, "the README lost its library example"
    return match.group(1)


def test_readme_library_example_runs(pulumi_stack: StackFactory, emulator: Emulator, tmp_path: Path) -> None:
    program = tmp_path / "readme-example"
    program.mkdir()
    (program / "Pulumi.yaml").write_text("name: readme-example\nruntime: python\n")
    (program / "__main__.py").write_text(readme_program())

    st = pulumi_stack(program, emulator=emulator)
    up = st.up()
    assert up.summary.result == "succeeded"
    site_id = up.outputs["site_id"].value
    assert emulator.api("GET", f"/api/apps/v2/{site_id}").json()["data"]["attributes"]["name"] == "Shop"
    assert "| 1 | Mask IP addresses" in up.outputs["report"].value
    # The example keeps the default deletion protection: a destroy is refused and the app stays.
    with pytest.raises(auto.CommandError, match="deletion_protection"):
        st.destroy()
    assert emulator.api("GET", f"/api/apps/v2/{site_id}").status_code == 200
    # ... and the account-wide settings are not written back under it (the site joins the account).
    account = emulator.api("GET", "/api/tracker/v2/settings/app/global").json()["data"]["attributes"]
    assert account["anonymize_visitor_ip_level"] == 2
