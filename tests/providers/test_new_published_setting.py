"""The must-show of issue 21: a tracker setting that Piwik PRO publishes and no file of the library or the emulator
knows yet takes exactly one hand-written line, its ``prop(...)``.

The setting is invented, added to a copy of the vendored OpenAPI files, and the generators run on a copy of the
repository: the client model (tools/gen_api_models.py), the typed ``…Args``, the docs row and the plugin schema
(tools/gen_resources.py). The emulator, unchanged, is pointed at the copied files (``PIWIK_OPENAPI_DIR``) and stores
and returns the setting; a real ``pulumi up`` of a program that imports the copy sends one PATCH carrying it.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory

ROOT = Path(__file__).resolve().parents[2]
#: The invented API attribute and its Pulumi property: no file of the library or the emulator names either.
SETTING = "drop_visitor_screen_resolution"
PROPERTY = "drop_screen_resolution"
#: The one hand-written line: the property's declaration, beside the settings of providers/tracker_settings.py.
DECLARATION = f'    {PROPERTY}: bool | None = prop(None, api="{SETTING}", doc="The screen resolution is not kept.")'
ANCHOR = '    exclude_crawlers: bool | None = prop(None, api="exclude_crawlers", doc="Crawler bots are not tracked.")\n'
SCHEMA = {
    "type": "boolean",
    "description": "When enabled, the screen resolution of the visitor is dropped.\n```\nInitial global value:\n"
    "  false\n```\n",
    "example": True,
}
TRACKER_FILES = (
    "api_tracker_v2_settings_app_global.json",
    "api_tracker_v2_settings_app_{app_id}.json",
    "api_tracker_v2_settings_app_url.json",
)
#: What the generators write (everything else in the copy but the spec files is hand-written).
GENERATED = {
    "piwik_resources/api/generated.py",
    "piwik_resources/resources/_gen/tracker_settings.py",
    "piwik_resources/plugin/schema.json",
    "docs/resources.md",
}


def _publish(openapi: Path) -> None:
    """Add the setting to the copied files as Piwik PRO would: in the attributes of every tracker settings read
    and write, and in the ``setting`` enum of the per-app DELETE."""
    for name in TRACKER_FILES:
        doc = json.loads((openapi / name).read_text())
        for operation in next(iter(doc["paths"].values())).values():
            bodies = [r.get("content", {}) for s, r in operation.get("responses", {}).items() if s.startswith("2")]
            bodies += [operation["requestBody"]["content"]] if "requestBody" in operation else []
            for media in (m for content in bodies for m in content.values()):
                media["schema"]["properties"]["data"]["properties"]["attributes"]["properties"][SETTING] = SCHEMA
        (openapi / name).write_text(json.dumps(doc))
    one = openapi / "api_tracker_v2_settings_app_{app_id}_{setting}.json"
    doc = json.loads(one.read_text())
    params = doc["paths"]["/api/tracker/v2/settings/app/{app_id}/{setting}"]["delete"]["parameters"]
    next(p for p in params if p["name"] == "setting")["schema"]["enum"].append(SETTING)
    one.write_text(json.dumps(doc))


def _copy(dest: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__")
    for tree in ("piwik_resources", "piwik_emulator", "tools"):
        shutil.copytree(ROOT / tree, dest / tree, ignore=ignore)
    (dest / "docs").mkdir()
    shutil.copy(ROOT / "docs" / "resources.md", dest / "docs" / "resources.md")
    return dest


def _run(copy: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(copy)}
    proc = subprocess.run([sys.executable, *args], cwd=copy, env=env, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _changed(copy: Path) -> dict[str, list[str]]:
    """Each file of the copy that differs from the repository (spec files aside): its added and removed lines."""
    changes: dict[str, list[str]] = {}
    for path in sorted(p for p in copy.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = path.relative_to(copy).as_posix()
        if rel.startswith("piwik_emulator/openapi/"):
            continue
        old = (ROOT / rel).read_text().splitlines() if (ROOT / rel).exists() else []
        diff = difflib.unified_diff(old, path.read_text().splitlines(), lineterm="", n=0)
        lines = [d for d in diff if d[:1] in "+-" and not d.startswith(("+++", "---"))]
        if lines:
            changes[rel] = lines
    return changes


def _attributes(emulator: Emulator, path: str) -> dict[str, Any]:
    response = emulator.api("GET", path)
    assert response.status_code == 200, response.text
    return dict(response.json()["data"]["attributes"])


def _patches(emulator: Emulator) -> list[dict[str, Any]]:
    """The client's PATCH bodies of per-app tracker settings, as the emulator received them."""
    entries = [json.loads(line) for line in emulator.capture_file.read_text().splitlines() if line.strip()]
    return [
        json.loads(e["body"])["data"]["attributes"]
        for e in entries
        if e["method"] == "PATCH"
        and e["path"].startswith("/api/tracker/v2/settings/app/")
        and e["user_agent"].startswith("piwik-resources/")
    ]


PROGRAM = f'''import pulumi

from piwik_resources.resources import TrackerSettings, TrackerSettingsArgs

tracker = TrackerSettings(
    "tracker", TrackerSettingsArgs(site_id=pulumi.Config().require("siteId"), {PROPERTY}=True)
)
pulumi.export("{PROPERTY}", tracker.{PROPERTY})
'''


@pytest.fixture
def scratch() -> Iterator[Path]:
    """Where the repository is copied: outside the session's base temp dir, whose every file the leak scan reads
    (tests/zz_leaks) — the copy holds the emulator's public default secret and the spec's example token, which
    are sources, not what the session wrote. Removed afterwards."""
    made = Path(tempfile.mkdtemp(prefix="new-setting-"))
    yield made
    shutil.rmtree(made, ignore_errors=True)


@pytest.mark.engine
def test_a_new_published_setting_takes_one_hand_written_line(
    tmp_path: Path, scratch: Path, monkeypatch: pytest.MonkeyPatch, pulumi_stack: StackFactory
) -> None:
    for tree in ("piwik_resources", "piwik_emulator", "tools", "docs"):
        for path in (ROOT / tree).rglob("*"):
            if path.is_file() and path.suffix in (".py", ".json", ".md"):
                assert SETTING not in path.read_text() and PROPERTY not in path.read_text(), path

    copy = _copy(scratch / "repo")
    _publish(copy / "piwik_emulator" / "openapi")

    # The client model, from the copied files.
    _run(copy, "-m", "tools.gen_api_models")
    client_model = (copy / "piwik_resources" / "api" / "generated.py").read_text()
    assert f"    {SETTING}: bool | None = None\n" in client_model

    # The one hand-written line; then the Args, the docs row and the plugin schema are generated.
    providers = copy / "piwik_resources" / "providers" / "tracker_settings.py"
    source = providers.read_text()
    assert source.count(ANCHOR) == 1
    providers.write_text(source.replace(ANCHOR, ANCHOR + DECLARATION + "\n"))
    _run(copy, "-m", "tools.gen_resources")
    args = (copy / "piwik_resources" / "resources" / "_gen" / "tracker_settings.py").read_text()
    assert f"    {PROPERTY}: pulumi.Input[bool] | None = None\n" in args
    docs = (copy / "docs" / "resources.md").read_text()
    assert f"| `{PROPERTY}` | `{SETTING}` | a boolean: true or false |" in docs
    assert (
        PROPERTY
        in json.loads((copy / "piwik_resources" / "plugin" / "schema.json").read_text())["resources"][
            "piwik:index:TrackerSettings"
        ]["inputProperties"]
    )

    changed = _changed(copy)
    hand_written = {rel: lines for rel, lines in changed.items() if rel not in GENERATED}
    assert hand_written == {"piwik_resources/providers/tracker_settings.py": [f"+{DECLARATION}"]}
    assert set(changed) == GENERATED | set(hand_written)

    # The emulator as it is, reading the copied files: it knows the setting, stores it and returns it.
    monkeypatch.setenv("PIWIK_OPENAPI_DIR", str(copy / "piwik_emulator" / "openapi"))
    emulator = Emulator(tmp_path / "emulator.db", ["--no-rate-limit"]).start()
    try:
        assert _attributes(emulator, "/api/tracker/v2/settings/app/global")[SETTING] is False
        body = {"data": {"type": "ppms/app", "attributes": {"name": "Shop", "urls": ["https://shop.example"]}}}
        app_id = emulator.api("POST", "/api/apps/v2", json=body).json()["data"]["id"]

        # One PATCH through the engine: a real `pulumi up` of a program that imports the copy.
        program = tmp_path / "program"
        program.mkdir()
        (program / "Pulumi.yaml").write_text("name: new-setting\nruntime: python\n")
        (program / "__main__.py").write_text(PROGRAM)
        stack = pulumi_stack(
            program, emulator=emulator, config={"new-setting:siteId": app_id}, env={"PYTHONPATH": str(copy)}
        )
        result = stack.up()
        assert result.outputs[PROPERTY].value is True
        assert _patches(emulator) == [{SETTING: True}]
        assert _attributes(emulator, f"/api/tracker/v2/settings/app/{app_id}")[SETTING] is True
    finally:
        emulator.stop()
