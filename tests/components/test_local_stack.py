"""The repository's own program and local stack, through the real engine, against the emulator.

After `pulumi up` every API-settable requirement of docs/cnil-exemption.md holds in the emulator — read back
over HTTP, not from our outputs; a second `up` changes nothing and sends no write; `destroy` leaves no app.
"""

from __future__ import annotations

from typing import Any

import pytest
from pulumi import automation as auto

from piwik_resources.compliance import MAX_COOKIE_LIFETIME_SECONDS
from tests.fixtures.emulator import VARIANTS, Emulator, variant_matrix
from tests.fixtures.engine import StackFactory

pytestmark = pytest.mark.engine

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


@pytest.fixture
def emulator(variant_emulator: Emulator) -> Emulator:
    """The emulator of these tests: with the variant switches of the test's parameter (docs/emulator.md)."""
    return variant_emulator


def attributes(emulator: Emulator, path: str) -> dict[str, Any]:
    response = emulator.api("GET", path)
    assert response.status_code == 200, (path, response.status_code, response.text)
    data: dict[str, Any] = response.json()["data"]["attributes"]
    return data


def writes(log: dict[str, Any]) -> dict[str, int]:
    return {
        key: n for key, n in log["counts"].items() if key.split(" ", 1)[0] in WRITE_METHODS and "/auth/token" not in key
    }


# make test: the default emulator (the one cycle under all variants at once is the tag cycle's,
# tests/providers/test_acceptance_engine.py); the local stack under each variant and all at once: make test-variants.
@variant_matrix(*VARIANTS, in_make_test=("default",))
def test_local_stack_makes_every_site_exempt_and_is_idempotent(project_stack: StackFactory, emulator: Emulator) -> None:
    st = project_stack(emulator=emulator)
    up = st.up()
    assert up.summary.result == "succeeded"
    sites = up.outputs["sites"].value
    assert set(sites) == {"boutique", "blog"}

    global_settings = attributes(emulator, "/api/tracker/v2/settings/app/global")
    assert global_settings["anonymize_visitor_ip_level"] == 2  # 1: platform-level IP masking
    assert global_settings["fingerprint_based_on_anonymized_ip"] is True  # 2

    for key, out in sites.items():
        app_id = out["site_id"]
        app = attributes(emulator, f"/api/apps/v2/{app_id}")
        assert app["gdpr"] is True, key  # 3
        assert app["gdprDataAnonymization"] is True  # 4
        assert app["gdprDataAnonymizationMode"] == "no_device_storage"  # 4
        assert app["privacyCookieExpirationPeriod"] <= MAX_COOKIE_LIFETIME_SECONDS  # 16
        assert app["cnil"] is True

        tracker = attributes(emulator, f"/api/tracker/v2/settings/app/{app_id}")
        assert tracker["anonymize_visitor_ip_level"] >= 1  # 1: per app
        assert tracker["fingerprint_based_on_anonymized_ip"] is True  # 2
        assert tracker["exclude_unknown_urls"] is True  # 5
        assert tracker["enable_fingerprinting_across_websites"] is False  # 17
        assert tracker["anonymize_visitor_geolocation_level"] not in ("none", None)  # 18

        tags = emulator.api("GET", f"/api/tag/v1/{app_id}/tags", params={"filter[template]": "piwik"}).json()
        assert [t["attributes"]["consent_type"] for t in tags["data"]] == ["analytics"]  # 6
        assert [t["attributes"]["is_published"] for t in tags["data"]] == [True]
        assert attributes(emulator, f"/api/tag/v1/{app_id}/versions/draft")["has_changes"] is False

        opt_out = attributes(emulator, f"/api/container-settings/v1/organization/{emulator.organization}/opt-out-code")
        assert out["opt_out_code"] == opt_out["code"]  # 9
        installation = attributes(emulator, f"/api/container-settings/v1/app/{app_id}/installation-code")
        assert out["installation_code"] == installation["code"] and app_id in out["installation_code"]
        assert "Piwik PRO" in out["privacy_policy"]["fr"] and "25 mois" in out["privacy_policy"]["fr"]  # 8

    boutique = sites["boutique"]["site_id"]
    for language, message in sites["boutique"]["consent_message"].items():  # 7 (api mode)
        template = attributes(emulator, f"/api/consent-manager/v1/{boutique}/consent-form-templates/{language}")
        assert template["message"] == message
    dims = emulator.api("GET", "/api/analytics/v1/manage/custom-dimensions/", params={"website_id": boutique}).json()
    active_scopes = sorted(d["attributes"]["scope"] for d in dims["data"] if d["attributes"]["active"])
    assert active_scopes == ["event", "session"]  # 14
    blog = sites["blog"]["site_id"]
    blog_dims = emulator.api("GET", "/api/analytics/v1/manage/custom-dimensions/", params={"website_id": blog}).json()
    assert blog_dims["data"] == []  # no exports on the blog: no dimension at all

    statuses = {row["number"]: row["status"] for row in sites["boutique"]["compliance_report"]}
    assert [n for n in range(1, 21) if n not in statuses] == []
    assert {statuses[n] for n in (1, 2, 3, 4, 5, 6, 7, 14, 16, 17, 18)} == {"enforced by API"}
    assert statuses[10] == "attested"
    assert statuses[12] == "checked"  # the app's live dimensions were read and judged
    assert "broken" not in statuses.values() and "not read" not in statuses.values()
    blog_statuses = {row["number"]: row["status"] for row in sites["blog"]["compliance_report"]}
    assert blog_statuses[7] == "pending manual step" and blog_statuses[10] == "pending manual step"

    emulator.clear_requests()
    again = st.up()
    assert again.summary.resource_changes == {"same": sum(up.summary.resource_changes.values())}
    log = emulator.requests()
    assert writes(log) == {}, "a no-op up must send no write request"
    print(f"second up: {log['total']} requests in all ({log['counts']})")

    destroy = st.destroy()
    assert destroy.summary.result == "succeeded"
    assert emulator.api("GET", "/api/apps/v2").json()["meta"]["total"] == 0
    # The account-wide settings are written back to what CnilAccount found (the emulator's initial values).
    assert attributes(emulator, "/api/tracker/v2/settings/app/global")["anonymize_visitor_ip_level"] == 0


def test_a_non_compliant_stack_is_refused_before_any_request(project_stack: StackFactory, emulator: Emulator) -> None:
    st = project_stack(emulator=emulator)
    st.set_config("piwik-cnil:sites[1].ip_masking_level", auto.ConfigValue("0"), path=True)
    emulator.clear_requests()
    with pytest.raises(Exception) as failure:
        st.up()
    text = str(failure.value)
    assert "ip_masking_level" in text
    assert "seed requirement #1" in text
    assert "Traceback" not in text.split("ip_masking_level")[0][-500:]
    assert emulator.requests()["total"] == 0
