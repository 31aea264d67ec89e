"""Nothing lost: destroy and replace never erase an app's history unless the program allows it (issue 16).

Through the real engine against the emulator, with its request log as the witness of what was sent:

- destroy forgets an adopted app and leaves it, with every setting the stack made, as it is — and the account-wide
  settings too, which the app might inherit (issue 20);
- destroy of a protected app (the default) fails naming ``deletion_protection`` and sends no write at all;
  with protection off, destroy deletes the app with one request, and its dependents are not reverted one by one
  (``deleted_with``) — yet a dependent removed on its own from the program is still reverted;
- a change that replaces a protected app (``app_type``) is refused at preview, before any request.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory, set_config

pytestmark = pytest.mark.engine

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"
NS = "piwik-protect"
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
GLOBAL_RESTORE = "PATCH /api/tracker/v2/settings/app/global"


def writes(emulator: Emulator) -> dict[str, int]:
    counts: dict[str, int] = emulator.requests()["counts"]
    return {k: n for k, n in counts.items() if k.split(" ", 1)[0] in WRITE_METHODS and "/auth/token" not in k}


def ok(emulator: Emulator, path: str, **params: Any) -> dict[str, Any]:
    response = emulator.api("GET", path, params=params or None)
    assert response.status_code == 200, (path, response.status_code, response.text)
    body: dict[str, Any] = response.json()
    return body


def site_settings(emulator: Emulator, app_id: str) -> dict[str, Any]:
    """What the stack sets on one app, read back over HTTP."""
    app = ok(emulator, f"/api/apps/v2/{app_id}")["data"]["attributes"]
    tracker = ok(emulator, f"/api/tracker/v2/settings/app/{app_id}")["data"]["attributes"]
    tags = ok(emulator, f"/api/tag/v1/{app_id}/tags", **{"filter[template]": "piwik"})["data"]
    dims = ok(emulator, "/api/analytics/v1/manage/custom-dimensions/", website_id=app_id)["data"]
    templates = {
        lang: emulator.api("GET", f"/api/consent-manager/v1/{app_id}/consent-form-templates/{lang}").status_code
        for lang in ("fr", "en")
    }
    return {
        "cnil": (app["gdpr"], app["cnil"], app["gdprDataAnonymizationMode"]),
        "tracker": (tracker["exclude_unknown_urls"], tracker["fingerprint_based_on_anonymized_ip"]),
        "consent_type": [t["attributes"]["consent_type"] for t in tags],
        "active_dimensions": sorted(d["attributes"]["scope"] for d in dims if d["attributes"]["active"]),
        "templates": templates,
    }


CNIL_SETTINGS = {
    "cnil": (True, True, "no_device_storage"),
    "tracker": (True, True),
    "consent_type": ["analytics"],
    "active_dimensions": ["event", "session"],
    "templates": {"fr": 200, "en": 200},
}


def test_destroy_keeps_an_adopted_app_with_its_settings(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    made = emulator.api(
        "POST",
        "/api/apps/v2",
        json={
            "data": {"type": "ppms/app", "attributes": {"name": "Boutique", "urls": ["https://boutique.example.fr"]}}
        },
    )
    assert made.status_code == 201, made.text
    app_id = made.json()["data"]["id"]
    # With the account: the adopted app stays, so the account's restore must not run under it (issue 20).
    st = pulumi_stack(PROGRAMS / "protect", emulator=emulator, config={f"{NS}:adoptSiteId": app_id})
    assert st.up().outputs["site_id"].value == app_id
    assert site_settings(emulator, app_id) == CNIL_SETTINGS

    emulator.clear_requests()
    lines: list[str] = []
    destroy = st.destroy(on_output=lines.append)
    assert destroy.summary.result == "succeeded"
    # Not one write: the adopted app is neither deleted nor reverted, setting by setting, and the account-wide
    # settings are left as they are (the stack forgets them too, and says so).
    assert writes(emulator) == {}
    assert site_settings(emulator, app_id) == CNIL_SETTINGS
    output = "".join(lines)
    assert "adopted app left in place with its current settings" in output, output[-3000:]
    assert "account-wide values left as they are, not written back" in output and app_id in output, output[-3000:]
    assert ok(emulator, "/api/tracker/v2/settings/app/global")["data"]["attributes"]["anonymize_visitor_ip_level"] == 2
    assert st.export_stack().deployment.get("resources") in (None, [])


def test_protected_app_is_not_destroyed_and_unprotected_dies_in_one_request(
    pulumi_stack: StackFactory, emulator: Emulator
) -> None:
    st = pulumi_stack(PROGRAMS / "protect", emulator=emulator)
    app_id = st.up().outputs["site_id"].value
    assert site_settings(emulator, app_id) == CNIL_SETTINGS

    # The default: protected. The destroy fails at the app, naming the resource and the way out, and sends no
    # write at all (the dependents die with the app, so nothing before it is reverted; the account comes after).
    emulator.clear_requests()
    with pytest.raises(auto.CommandError) as failure:
        st.destroy()
    text = str(failure.value)
    assert "deletion_protection" in text and "shop-site" in text, text[-3000:]
    assert "deletion_protection=False" in text
    assert writes(emulator) == {}
    assert site_settings(emulator, app_id) == CNIL_SETTINGS
    # The engine dropped the dependents from the state without a request (deleted_with) before the Site refused;
    # the app and the account stay (docs/resources.md). The next up declares the dependents again.
    left = sorted(
        r["type"].rsplit(":", 1)[-1]
        for r in st.export_stack().deployment["resources"]
        if r["type"].startswith("pulumi-python:dynamic/piwik:")
    )
    assert left == ["GlobalTrackerSettings", "Site"]

    # The program allows it: an up, then the destroy deletes the app in one request.
    set_config(st, {f"{NS}:deletionProtection": "false"})
    emulator.clear_requests()
    again = st.up()
    # The 11 dependents the failed destroy dropped come back (adopting what is there), the Site is updated. The
    # two settings resources pin their values again (one write each): a new resource cannot tell the app's own
    # values from inherited ones (docs/resources.md, "Pinned values"); the others find their values and write none.
    assert again.summary.resource_changes == {"create": 11, "update": 1, "same": 4}, again.summary.resource_changes
    assert writes(emulator) == {"PATCH /api/apps/v2/{app_id}": 1, "PATCH /api/tracker/v2/settings/app/{app_id}": 1}

    # A dependent removed on its own is still reverted: the dimensions are deactivated, the en template deleted.
    set_config(st, {f"{NS}:exportsNeeded": "false", f"{NS}:languages": '["fr"]'})
    emulator.clear_requests()
    st.up()
    assert writes(emulator) == {
        "PUT /api/analytics/v1/manage/custom-dimensions/{id}/": 2,
        "DELETE /api/consent-manager/v1/{app_id}/consent-form-templates/{language}": 1,
    }
    after = site_settings(emulator, app_id)
    assert after["active_dimensions"] == [] and after["templates"] == {"fr": 200, "en": 404}

    emulator.clear_requests()
    assert st.destroy().summary.result == "succeeded"
    assert writes(emulator) == {"DELETE /api/apps/v2/{app_id}": 1, GLOBAL_RESTORE: 1}
    assert emulator.api("GET", f"/api/apps/v2/{app_id}").status_code == 404


def test_replacing_a_protected_app_is_refused_at_preview(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    st = pulumi_stack(
        PROGRAMS / "site",
        emulator=emulator,
        config={"piwik-site:name": "Shop", "piwik-site:deletionProtection": "true"},
    )
    old = st.up().outputs["site_id"].value

    set_config(st, {"piwik-site:appType": "sharepoint"})
    emulator.clear_requests()
    for run in (st.preview, st.up):
        with pytest.raises(auto.CommandError) as failure:
            run()
        text = str(failure.value)
        assert "changing app_type replaces the app" in text and "deletion_protection" in text, text[-3000:]
        assert "site" in text  # the engine names the resource (its URN)
    assert emulator.requests()["total"] == 0
    assert emulator.api("GET", f"/api/apps/v2/{old}").status_code == 200

    # Turning protection off and changing app_type in the same run is refused too: the state still protects
    # the old app, and the engine deletes it from the state's values.
    set_config(st, {"piwik-site:deletionProtection": "false"})
    with pytest.raises(auto.CommandError):
        st.preview()
    # Off first (an up without a write), then the replacement goes through: a new app, the old one deleted.
    st.remove_config("piwik-site:appType")
    emulator.clear_requests()
    assert st.up().summary.resource_changes == {"update": 1, "same": 1}
    assert writes(emulator) == {}
    set_config(st, {"piwik-site:appType": "sharepoint"})
    new = st.up().outputs["site_id"].value
    assert new != old
    assert emulator.api("GET", f"/api/apps/v2/{old}").status_code == 404
    st.destroy()
