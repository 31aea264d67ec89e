"""The acceptance cycle of every resource through the real Pulumi engine, against the emulator.

create → refresh shows no change → update → out-of-band change → refresh shows the drift → up repairs it →
out-of-band delete → refresh drops it → up recreates it → destroy. Plus, per resource, a bad input that
fails before any request; adoption of an existing app and its tag; `preview --diff` for an update and a
replace. Each program lives in tests/programs/<resource>/ and takes its knobs from stack config.
"""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from pulumi import automation as auto

from tests.fixtures.emulator import IN_MAKE_TEST, VARIANTS, Emulator, variant_matrix
from tests.fixtures.engine import StackFactory, set_config

pytestmark = pytest.mark.engine

PROGRAMS = Path(__file__).resolve().parents[1] / "programs"

# Under the variant switches (docs/emulator.md, "Variants"): every cycle runs on the default emulator in `make test`;
# the TagConsentType cycle (publishing, the delayed Piwik PRO tag, and its Site: what the variants change) also with
# all variants at once: the one cycle of `make test` under them. The rest of the matrix — the tag cycle under each
# variant alone, the Site cycle under refused client ids, every other cycle and the local stack under all variants —
# is marked `variants` and runs in `make test-variants`.
# GlobalTrackerSettings touches no app and no tag: no variant changes its path.
TAG_VARIANTS = list(VARIANTS)
SITE_VARIANTS = ["default", "refuse-client-app-ids", "all-variants"]
ALL_AT_ONCE = ["default", "all-variants"]


def variants(names: list[str], in_make_test: tuple[str, ...] = ("default",)) -> pytest.MarkDecorator:
    return variant_matrix(*names, in_make_test=in_make_test)


@pytest.fixture
def emulator(variant_emulator: Emulator) -> Emulator:
    """The emulator of these tests: with the variant switches of the test's parameter."""
    return variant_emulator


Outputs = dict[str, Any]


def _outs(st: auto.Stack) -> Outputs:
    return {k: v.value for k, v in st.outputs().items()}


def _ok(resp: Any, *expected: int) -> Any:
    assert resp.status_code in (expected or (200,)), (resp.status_code, resp.text)
    return resp.json() if resp.content else None


def _patch_app(emulator: Emulator, app_id: str, **attrs: Any) -> None:
    _ok(
        emulator.api(
            "PATCH", f"/api/apps/v2/{app_id}", json={"data": {"type": "ppms/app", "id": app_id, "attributes": attrs}}
        ),
        204,
    )


def _app(emulator: Emulator, app_id: str) -> dict[str, Any]:
    return dict(_ok(emulator.api("GET", f"/api/apps/v2/{app_id}"))["data"]["attributes"])


def _delete_app(emulator: Emulator, outs: Outputs) -> None:
    _ok(emulator.api("DELETE", f"/api/apps/v2/{outs['site_id']}"), 204)


def _app_gone(emulator: Emulator, app_id: str) -> bool:
    return bool(emulator.api("GET", f"/api/apps/v2/{app_id}").status_code == 404)


def expect_bad_input(
    st: auto.Stack, emulator: Emulator, config: dict[str, Any], message: str, *, up: bool = False
) -> None:
    """A bad input fails (preview, or up) with an error naming the property; not one request is sent."""
    set_config(st, config)
    emulator.clear_requests()
    with pytest.raises(auto.CommandError) as info:
        if up:
            st.up()
        else:
            st.preview()
    assert message in str(info.value), str(info.value)[-3000:]
    assert emulator.requests()["total"] == 0, emulator.requests()["counts"]


@dataclass
class Cycle:
    """The acceptance cycle for one program; ``resources`` counts the program's resources (not the stack)."""

    st: auto.Stack
    emulator: Emulator
    resources: int

    def up(self, **expected: int) -> Outputs:
        res = self.st.up()
        assert res.summary.result == "succeeded"
        assert res.summary.resource_changes == expected, res.stdout[-3000:]
        return {k: v.value for k, v in res.outputs.items()}

    def refresh(self, **expected: int) -> str:
        lines: list[str] = []
        res = self.st.refresh(on_output=lines.append)
        assert res.summary.resource_changes == expected, "".join(lines)[-3000:]
        return "".join(lines)

    def run(
        self,
        *,
        update: dict[str, Any],
        check_created: Callable[[Outputs], None],
        check_updated: Callable[[Outputs], None],
        drift: Callable[[Outputs], None],
        drift_shows: str,
        check_repaired: Callable[[Outputs], None],
        delete: Callable[[Outputs], None] | None,
        dropped: int = 0,
        check_destroyed: Callable[[Outputs], None],
        before_update: Callable[[], None] | None = None,
        stack_exists: bool = False,
        before_destroy: Callable[[Outputs], Outputs] | None = None,
    ) -> None:
        n = self.resources + 1  # with the stack itself
        # A failed `up` (the bad-input check) has already registered the stack resource itself.
        outs = self.up(create=n - 1, same=1) if stack_exists else self.up(create=n)
        check_created(outs)
        self.refresh(same=n)
        assert self.st.preview().change_summary == {"same": n}

        set_config(self.st, update)
        if before_update is not None:
            before_update()
        outs = self.up(update=1, same=n - 1)
        check_updated(outs)
        self.refresh(same=n)

        drift(outs)
        text = self.refresh(update=1, same=n - 1)
        assert drift_shows in text, text[-3000:]
        assert self.st.preview().change_summary == {"update": 1, "same": n - 1}
        outs = self.up(update=1, same=n - 1)
        check_repaired(outs)
        self.refresh(same=n)

        if delete is not None:
            delete(outs)
            self.refresh(delete=dropped, same=n - dropped)
            outs = self.up(create=dropped, same=n - dropped)
            check_repaired(outs)
            self.refresh(same=n)

        if before_destroy is not None:
            outs = before_destroy(outs)
        res = self.st.destroy()
        assert res.summary.resource_changes == {"delete": n}
        check_destroyed(outs)


def check_state_files(st: auto.Stack, emulator: Emulator) -> None:
    """On disk, the state holds the client secret only encrypted, and each ``__provider`` is a small,
    unencrypted by-reference pickle (nothing secret is pickled, so it need not be a secret)."""
    backend = Path(urlparse(st.workspace.env_vars["PULUMI_BACKEND_URL"]).path)
    files = [f for f in backend.rglob("*.json") if "/stacks/" in f.as_posix()]
    assert files
    for f in files:
        text = f.read_text()
        assert emulator.client_secret not in text, f
        resources = json.loads(text)["checkpoint"]["latest"]["resources"]
        dynamic = [r for r in resources if r["type"].startswith("pulumi-python:dynamic/piwik:")]
        assert dynamic
        for r in dynamic:
            blob = r["outputs"]["__provider"]
            assert isinstance(blob, str), r["type"]  # a secret would be an object with a ciphertext
            pickled = base64.b64decode(blob)
            assert len(pickled) <= 400 and b"piwik_resources.providers." in pickled


# --- Site ----------------------------------------------------------------------------------------------


@variants(SITE_VARIANTS)
def test_site_acceptance_cycle_preview_diff_and_bad_input(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    st = pulumi_stack(PROGRAMS / "site", emulator=emulator, config={"piwik-site:name": "Shop"})
    # Site has no dependency, so even `up` fails in its check before sending anything.
    expect_bad_input(
        st,
        emulator,
        {"piwik-site:appType": "demo"},
        "app_type: 'demo' is not allowed (allowed: web, sharepoint)",
        up=True,
    )
    st.remove_config("piwik-site:appType")

    created: dict[str, str] = {}

    def check_created(outs: Outputs) -> None:
        created["id"] = outs["site_id"]
        assert _app(emulator, outs["site_id"])["name"] == "Shop"
        assert (outs["timezone"], outs["currency"], outs["app_type"]) == ("UTC", "USD", "web")

    def previews() -> None:
        # preview --diff of an update names the property and both values ...
        lines: list[str] = []
        preview = st.preview(diff=True, on_output=lines.append)
        text = "".join(lines)
        assert preview.change_summary == {"update": 1, "same": 1}
        assert re.search(r"~ pulumi-python:dynamic/piwik:Site: \(update\)", text), text
        assert re.search(r'~ name\s*: "Shop" => "Shop 2"', text), text
        assert "timezone" in text and not re.search(r"[-+~] timezone", text), text  # unchanged, shown plainly
        assert "__provider" not in text
        # ... and of a replace, the replace-on-change property.
        set_config(st, {"piwik-site:appType": "sharepoint"})
        lines.clear()
        preview = st.preview(diff=True, on_output=lines.append)
        text = "".join(lines)
        assert preview.change_summary == {"replace": 1, "same": 1}
        assert re.search(r"\+-pulumi-python:dynamic/piwik:Site: \(replace\)", text), text
        assert re.search(r'~ app_type\s*: "web" => "sharepoint"', text), text
        st.remove_config("piwik-site:appType")

    def check_updated(outs: Outputs) -> None:
        assert outs["name"] == "Shop 2" and outs["site_id"] == created["id"]
        assert _app(emulator, outs["site_id"])["name"] == "Shop 2"

    def drift(outs: Outputs) -> None:
        _patch_app(emulator, outs["site_id"], name="Renamed by hand")

    def check_repaired(outs: Outputs) -> None:
        assert _app(emulator, outs["site_id"])["name"] == "Shop 2"

    Cycle(st, emulator, resources=1).run(
        update={"piwik-site:name": "Shop 2"},
        check_created=check_created,
        check_updated=check_updated,
        drift=drift,
        drift_shows="name",
        check_repaired=check_repaired,
        delete=lambda outs: _delete_app(emulator, outs),
        dropped=1,
        check_destroyed=lambda outs: _app_gone(emulator, outs["site_id"]) or pytest.fail("app not deleted"),
        before_update=previews,
        stack_exists=True,
    )


# --- SitePrivacy ------------------------------------------------------------------------------------------


@variants(ALL_AT_ONCE)
def test_site_privacy_acceptance_cycle(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    ns = "piwik-site-privacy"
    st = pulumi_stack(
        PROGRAMS / "site_privacy",
        emulator=emulator,
        config={f"{ns}:gdpr": "true", f"{ns}:anonymization": "true", f"{ns}:cookieSeconds": "31536000"},
    )
    expect_bad_input(
        st,
        emulator,
        {f"{ns}:anonymizationMode": "cookies"},
        "gdpr_data_anonymization_mode: 'cookies' is not allowed (allowed: no_device_storage, session_cookie_id)",
    )
    set_config(st, {f"{ns}:anonymizationMode": "no_device_storage"})

    def check_created(outs: Outputs) -> None:
        app = _app(emulator, outs["site_id"])
        assert app["gdprDataAnonymizationMode"] == "no_device_storage" and app["cnil"] is False
        assert outs["previous"]["gdpr_data_anonymization_mode"] == "session_cookie_id"

    Cycle(st, emulator, resources=2).run(
        update={f"{ns}:cnil": "true"},
        check_created=check_created,
        check_updated=lambda outs: _app(emulator, outs["site_id"])["cnil"] is True or pytest.fail("cnil"),
        drift=lambda outs: _patch_app(
            emulator, outs["site_id"], cnil=False, gdprDataAnonymizationMode="session_cookie_id"
        ),
        drift_shows="cnil",
        check_repaired=lambda outs: _app(emulator, outs["site_id"])["cnil"] is True or pytest.fail("not repaired"),
        delete=lambda outs: _delete_app(emulator, outs),
        dropped=2,
        check_destroyed=lambda outs: _app_gone(emulator, outs["site_id"]) or pytest.fail("app left"),
    )


# --- TrackerSettings --------------------------------------------------------------------------------------


def _tracker(emulator: Emulator, app_id: str) -> dict[str, Any]:
    return dict(_ok(emulator.api("GET", f"/api/tracker/v2/settings/app/{app_id}"))["data"]["attributes"])


@variants(ALL_AT_ONCE)
def test_tracker_settings_acceptance_cycle(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    ns = "piwik-tracker-settings"
    st = pulumi_stack(
        PROGRAMS / "tracker_settings",
        emulator=emulator,
        config={f"{ns}:maskedIpForEnrichment": "true", f"{ns}:geolocationLevel": "City"},
    )
    expect_bad_input(
        st, emulator, {f"{ns}:ipMaskingLevel": "7"}, "ip_masking_level: 7 is not allowed (allowed: 0, 1, 2, 3, 4"
    )
    set_config(st, {f"{ns}:ipMaskingLevel": "2"})

    def level(outs: Outputs) -> int:
        return int(_tracker(emulator, outs["site_id"])["anonymize_visitor_ip_level"])

    def check_created(outs: Outputs) -> None:
        assert outs["ip_masking_level"] == 2 and level(outs) == 2
        assert _tracker(emulator, outs["site_id"])["fingerprint_based_on_anonymized_ip"] is True

    def drift(outs: Outputs) -> None:
        app_id = outs["site_id"]
        _ok(
            emulator.api(
                "PATCH",
                f"/api/tracker/v2/settings/app/{app_id}",
                json={
                    "data": {
                        "type": "tracker/settings/app",
                        "id": app_id,
                        "attributes": {"anonymize_visitor_ip_level": 0},
                    }
                },
            ),
            204,
        )

    Cycle(st, emulator, resources=2).run(
        update={f"{ns}:ipMaskingLevel": "3"},
        check_created=check_created,
        check_updated=lambda outs: level(outs) == 3 or pytest.fail("not updated"),
        drift=drift,
        drift_shows="ip_masking_level",
        check_repaired=lambda outs: level(outs) == 3 or pytest.fail("not repaired"),
        delete=lambda outs: _delete_app(emulator, outs),
        dropped=2,
        check_destroyed=lambda outs: _app_gone(emulator, outs["site_id"]) or pytest.fail("app left"),
    )


# --- GlobalTrackerSettings -------------------------------------------------------------------------------


def _global(emulator: Emulator) -> dict[str, Any]:
    return dict(_ok(emulator.api("GET", "/api/tracker/v2/settings/app/global"))["data"]["attributes"])


def test_global_tracker_settings_acceptance_cycle(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    """The account-wide singleton cannot be deleted, so its cycle has no out-of-band delete; destroy
    writes back the values found at create."""
    ns = "piwik-global-tracker-settings"
    before = _global(emulator)
    st = pulumi_stack(PROGRAMS / "global_tracker_settings", emulator=emulator, config={f"{ns}:ipMaskingLevel": "1"})
    expect_bad_input(
        st,
        emulator,
        {f"{ns}:geolocationLevel": "Street"},
        "geolocation_level: 'Street' is not allowed (allowed: none, City, Region, Country, Continent)",
    )
    set_config(st, {f"{ns}:geolocationLevel": "Region"})

    def drift(outs: Outputs) -> None:
        _ok(
            emulator.api(
                "PATCH",
                "/api/tracker/v2/settings/app/global",
                json={
                    "data": {
                        "type": "tracker/settings/app/global",
                        "id": "global",
                        "attributes": {"anonymize_visitor_ip_level": 0},
                    }
                },
            ),
            204,
        )

    def check_destroyed(outs: Outputs) -> None:
        after = _global(emulator)
        for key in (
            "anonymize_visitor_ip_level",
            "fingerprint_based_on_anonymized_ip",
            "anonymize_visitor_geolocation_level",
        ):
            assert after[key] == before[key], key

    Cycle(st, emulator, resources=1).run(
        update={f"{ns}:maskedIpForEnrichment": "true"},
        check_created=lambda outs: (
            _global(emulator)["anonymize_visitor_geolocation_level"] == "Region" or pytest.fail("not set")
        ),
        check_updated=lambda outs: (
            _global(emulator)["fingerprint_based_on_anonymized_ip"] is True or pytest.fail("not updated")
        ),
        drift=drift,
        drift_shows="ip_masking_level",
        check_repaired=lambda outs: _global(emulator)["anonymize_visitor_ip_level"] == 1 or pytest.fail("no"),
        delete=None,
        check_destroyed=check_destroyed,
    )


# --- TagConsentType ----------------------------------------------------------------------------------------


def _piwik_tag(emulator: Emulator, app_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 30  # under the tag-delay variant a new app's tag comes a little later
    while True:
        tags = _ok(emulator.api("GET", f"/api/tag/v1/{app_id}/tags"))["data"]
        found = [t for t in tags if t["attributes"]["template"] == "piwik"]
        if found or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    [tag] = found
    full = _ok(emulator.api("GET", f"/api/tag/v1/{app_id}/tags/{tag['id']}"))["data"]
    return {"id": full["id"], **full["attributes"]}


def drift_consent_type(emulator: Emulator, outs: Outputs) -> None:
    """The change a person makes in the UI: the Piwik PRO tag's consent type set to remarketing."""
    tag_id = outs["tag_id"]
    body = {"data": {"type": "tag", "id": tag_id, "attributes": {"consent_type": "remarketing"}}}
    _ok(emulator.api("PATCH", f"/api/tag/v1/{outs['site_id']}/tags/{tag_id}", json=body), 204)


@variants(TAG_VARIANTS, in_make_test=IN_MAKE_TEST)
def test_tag_consent_type_acceptance_cycle(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    ns = "piwik-tag-consent-type"
    st = pulumi_stack(PROGRAMS / "tag_consent_type", emulator=emulator)
    expect_bad_input(
        st,
        emulator,
        {f"{ns}:consentType": "require_consent"},
        "consent_type: 'require_consent' is not allowed (allowed: not_require_consent, analytics",
    )
    set_config(st, {f"{ns}:consentType": "not_require_consent"})

    def consent(outs: Outputs) -> str:
        tag = _piwik_tag(emulator, outs["site_id"])
        assert tag["is_published"] is True, tag
        return str(tag["consent_type"])

    def drift(outs: Outputs) -> None:
        drift_consent_type(emulator, outs)

    def replace_site(outs: Outputs) -> Outputs:
        # Replacing the app replaces the tag's resource too: it finds the new app's own Piwik PRO tag.
        set_config(st, {f"{ns}:appType": "sharepoint"})
        res = st.up()
        assert res.summary.resource_changes == {"replace": 2, "same": 1}, res.stdout[-3000:]
        new = {k: v.value for k, v in res.outputs.items()}
        assert new["site_id"] != outs["site_id"] and _app_gone(emulator, outs["site_id"])
        assert _app(emulator, new["site_id"])["appType"] == "sharepoint"
        assert new["tag_id"] == _piwik_tag(emulator, new["site_id"])["id"] != outs["tag_id"]
        assert consent(new) == "analytics"
        return new

    Cycle(st, emulator, resources=2).run(
        before_destroy=replace_site,
        update={f"{ns}:consentType": "analytics"},
        check_created=lambda outs: consent(outs) == "not_require_consent" or pytest.fail("not set"),
        check_updated=lambda outs: consent(outs) == "analytics" or pytest.fail("not updated"),
        drift=drift,
        drift_shows="consent_type",
        check_repaired=lambda outs: consent(outs) == "analytics" or pytest.fail("not repaired"),
        # The tag lives in the app: deleting the app by hand drops both, and up makes both again.
        delete=lambda outs: _delete_app(emulator, outs),
        dropped=2,
        check_destroyed=lambda outs: _app_gone(emulator, outs["site_id"]) or pytest.fail("app left"),
    )


@variants(ALL_AT_ONCE)
def test_adopts_existing_app_and_its_tag_without_create(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    ns = "piwik-tag-consent-type"
    made = _ok(
        emulator.api(
            "POST",
            "/api/apps/v2",
            json={
                "data": {"type": "ppms/app", "attributes": {"name": "Made by hand", "urls": ["https://hand.example"]}}
            },
        ),
        201,
    )
    app_id = made["data"]["id"]
    tag = _piwik_tag(emulator, app_id)
    st = pulumi_stack(
        PROGRAMS / "tag_consent_type",
        emulator=emulator,
        config={
            f"{ns}:adoptId": app_id,
            f"{ns}:tagId": tag["id"],
            f"{ns}:siteName": "Made by hand",
            f"{ns}:urls": '["https://hand.example"]',
            f"{ns}:consentType": "not_require_consent",
            f"{ns}:retain": "true",
        },
    )
    emulator.clear_requests()

    res = st.up()
    assert res.summary.resource_changes == {"create": 3}
    assert res.outputs["site_id"].value == app_id and res.outputs["tag_id"].value == tag["id"]
    counts = emulator.requests()["counts"]
    creates = [k for k in counts if k.startswith("POST ") and "/publish" not in k and "/auth/" not in k]
    assert creates == [], counts
    assert "PATCH /api/apps/v2/{app_id}" not in counts  # the app already matched: not even an update
    assert counts["PATCH /api/tag/v1/{app_id}/tags/{tag_id}"] == 1
    assert _piwik_tag(emulator, app_id)["consent_type"] == "not_require_consent"

    assert st.refresh().summary.resource_changes == {"same": 3}
    assert st.preview().change_summary == {"same": 3}
    check_state_files(st, emulator)
    # retain_on_delete keeps the adopted app; the tag gets its previous consent type back.
    assert st.destroy().summary.resource_changes == {"delete": 3}
    assert _app(emulator, app_id)["name"] == "Made by hand"
    assert _piwik_tag(emulator, app_id)["consent_type"] == tag["consent_type"]


# --- ConsentTemplate ---------------------------------------------------------------------------------------


@variants(ALL_AT_ONCE)
def test_consent_template_acceptance_cycle(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    ns = "piwik-consent-template"
    st = pulumi_stack(PROGRAMS / "consent_template", emulator=emulator)
    expect_bad_input(
        st,
        emulator,
        {f"{ns}:language": "French"},
        "language: 'French' is not allowed (allowed: a language code such as fr or fr-FR)",
    )
    st.remove_config(f"{ns}:language")

    def path(outs: Outputs) -> str:
        return f"/api/consent-manager/v1/{outs['site_id']}/consent-form-templates/fr"

    def title(outs: Outputs) -> str:
        return str(_ok(emulator.api("GET", path(outs)))["data"]["attributes"]["title"])

    def drift(outs: Outputs) -> None:
        current = _ok(emulator.api("GET", path(outs)))["data"]["attributes"]
        _ok(
            emulator.api(
                "PUT",
                path(outs),
                json={
                    "data": {
                        "type": "consent-manager/consent-form-template",
                        "id": "fr",
                        "attributes": {
                            **{k: v for k, v in current.items() if v is not None},
                            "title": "Changé à la main",
                        },
                    }
                },
            )
        )

    Cycle(st, emulator, resources=2).run(
        update={f"{ns}:title": "Vos données, vos choix"},
        check_created=lambda outs: title(outs) == "Mesure d'audience" or pytest.fail("not created"),
        check_updated=lambda outs: title(outs) == "Vos données, vos choix" or pytest.fail("not updated"),
        drift=drift,
        drift_shows="title",
        check_repaired=lambda outs: title(outs) == "Vos données, vos choix" or pytest.fail("not repaired"),
        delete=lambda outs: _ok(emulator.api("DELETE", path(outs)), 204),
        dropped=1,
        check_destroyed=lambda outs: _app_gone(emulator, outs["site_id"]) or pytest.fail("app left"),
    )


# --- CustomDimension ---------------------------------------------------------------------------------------


def _dimension(emulator: Emulator, outs: Outputs) -> dict[str, Any]:
    path = f"/api/analytics/v1/manage/custom-dimensions/{outs['dimension_id']}/?website_id={outs['site_id']}"
    return dict(_ok(emulator.api("GET", path))["data"]["attributes"])


@variants(ALL_AT_ONCE)
def test_custom_dimension_acceptance_cycle(pulumi_stack: StackFactory, emulator: Emulator) -> None:
    ns = "piwik-custom-dimension"
    st = pulumi_stack(
        PROGRAMS / "custom_dimension", emulator=emulator, config={f"{ns}:description": "Consent state of the visit"}
    )
    expect_bad_input(
        st, emulator, {f"{ns}:scope": "product"}, "scope: 'product' is not allowed (allowed: session, event)"
    )
    st.remove_config(f"{ns}:scope")

    def drift(outs: Outputs) -> None:
        current = _dimension(emulator, outs)
        body = {
            "data": {
                "type": "CustomDimension",
                "id": outs["dimension_id"],
                "attributes": {**{k: v for k, v in current.items() if k != "tracking_id"}, "active": False},
            }
        }
        _ok(emulator.api("PUT", f"/api/analytics/v1/manage/custom-dimensions/{outs['dimension_id']}/", json=body))

    def repaired(outs: Outputs) -> None:
        dim = _dimension(emulator, outs)
        assert (dim["name"], dim["active"], dim["scope"]) == ("consent", True, "session")

    Cycle(st, emulator, resources=2).run(
        update={f"{ns}:name": "consent"},
        check_created=lambda outs: (
            (_dimension(emulator, outs)["name"], _dimension(emulator, outs)["description"])
            == ("consent_state", "Consent state of the visit")
            or pytest.fail("not created with its description")
        ),
        check_updated=repaired,
        drift=drift,
        drift_shows="active",
        check_repaired=repaired,
        delete=lambda outs: _delete_app(emulator, outs),
        dropped=2,
        check_destroyed=lambda outs: _app_gone(emulator, outs["site_id"]) or pytest.fail("app left"),
    )
