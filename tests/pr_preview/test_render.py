"""The renderer as a pure function: preview JSON (shaped as `pulumi preview --json` prints it) in, Markdown out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from piwik_resources.cli import main
from piwik_resources.pr_preview import compliance_delta, parse, render
from piwik_resources.pr_preview.model import (
    MASK,
    MISSING,
    SECRET_SIG,
    SECRET_SIG_VALUE,
    UNKNOWN,
    mask,
    property_changes,
)

PREFIX = "urn:pulumi:prod::piwik-cnil::"
STACK_URN = PREFIX + "pulumi:pulumi:Stack::piwik-cnil-prod"
PROVIDER_URN = PREFIX + "pulumi:providers:pulumi-python::default::1"
BLOB = "gASVUAAAAAAAAACMKnBpd2lr"
SIG_SECRET = {SECRET_SIG: SECRET_SIG_VALUE, "ciphertext": "[secret]"}


def piwik(kind: str, name: str) -> str:
    return f"{PREFIX}pulumi-python:dynamic/piwik:{kind}::{name}"


def state(urn: str, inputs: dict[str, Any] | None) -> dict[str, Any] | None:
    if inputs is None:
        return None
    kind = urn.split("::")[2]
    return {"urn": urn, "type": kind, "custom": True, "inputs": {"__provider": BLOB, **inputs}, "outputs": {}}


def step(
    op: str, urn: str, old: dict[str, Any] | None = None, new: dict[str, Any] | None = None, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"op": op, "urn": urn, "provider": PROVIDER_URN, "detailedDiff": None}
    if old is not None:
        out["oldState"] = state(urn, old)
    if new is not None:
        out["newState"] = state(urn, new)
    out.update(extra)
    return out


def preview(*steps: dict[str, Any], **extra: Any) -> dict[str, Any]:
    stack = {
        "op": "same",
        "urn": STACK_URN,
        "oldState": {"type": "pulumi:pulumi:Stack"},
        "newState": {"type": "pulumi:pulumi:Stack"},
    }
    return {"config": {"piwik:clientSecret": "[secret]"}, "steps": [stack, *steps], "duration": 1, **extra}


TRACKER = piwik("TrackerSettings", "shop-tracker")
PRIVACY = piwik("SitePrivacy", "shop-privacy")
DIMENSION = piwik("CustomDimension", "shop-category")
TAG = piwik("TagConsentType", "shop-piwik-tag")
SITE = piwik("Site", "shop")
SITE_ID = "3f1c2b8e-0000-4000-8000-000000000001"


def test_one_change_per_resource_and_replacement_steps_fold_into_one() -> None:
    data = preview(
        step("create", TAG, new={"site_id": SITE_ID, "consent_type": "analytics"}),
        step("update", TRACKER, old={"ip_masking_level": 2}, new={"ip_masking_level": 3}),
        step(
            "create-replacement", DIMENSION, old={"scope": "session"}, new={"scope": "event"}, replaceReasons=["scope"]
        ),
        step("replace", DIMENSION, old={"scope": "session"}, new={"scope": "event"}, replaceReasons=["scope"]),
        step("delete-replaced", DIMENSION, old={"scope": "session"}),
        step("delete", piwik("CustomDimension", "legacy"), old={"name": "Legacy"}),
        step("same", PRIVACY, old={"gdpr": True}, new={"gdpr": True}),
        {"op": "same", "urn": PROVIDER_URN, "newState": {"type": "pulumi:providers:pulumi-python"}},
    )
    parsed = parse(data)
    assert [(r.op, r.name) for r in parsed.resources] == [
        ("create", "shop-piwik-tag"),
        ("update", "shop-tracker"),
        ("replace", "shop-category"),
        ("delete", "legacy"),
        ("same", "shop-privacy"),
    ]
    assert parsed.counts == {"create": 1, "update": 1, "replace": 1, "delete": 1, "same": 1}
    md = render(data, stack="prod")
    assert "| 1 | 1 | 1 | 1 | 1 |" in md
    assert md.index("➕ create") < md.index("✏️ update") < md.index("🔁 replace") < md.index("➖ delete")
    assert '| `scope` 🔁 | `"session"` | `"event"` |' in md
    assert "<summary>1 resource(s) without changes</summary>" in md and "SitePrivacy `shop-privacy` (same)" in md


def test_update_lists_only_changed_properties_and_added_or_removed_ones() -> None:
    rows = property_changes("update", {"a": 1, "b": "x", "c": [1]}, {"a": 2, "b": "x", "d": True})
    assert [(r.name, r.old, r.new) for r in rows] == [("a", 1, 2), ("c", [1], MISSING), ("d", MISSING, True)]
    md = render(preview(step("update", TRACKER, old={"a": 1, "c": [1]}, new={"a": 2})), stack="s")
    assert "| `a` | `1` | `2` |" in md and "| `c` | `[1]` | — |" in md


@pytest.mark.parametrize("secret", [MASK, SIG_SECRET])
def test_engine_secrets_are_masked_and_flagged_when_they_alone_explain_an_update(secret: Any) -> None:
    data = preview(
        step(
            "update",
            SITE,
            old={"name": secret, "urls": ["https://a.fr"]},
            new={"name": secret, "urls": ["https://a.fr"]},
        )
    )
    md = render(data, stack="s")
    assert "| `name` | `[secret]` | `[secret]` _(hidden; may have changed)_ |" in md
    assert "ciphertext" not in md and SECRET_SIG not in md
    # With a visible change, an unchanged-looking secret is not listed.
    data = preview(
        step(
            "update",
            SITE,
            old={"name": secret, "urls": ["https://a.fr"]},
            new={"name": secret, "urls": ["https://b.fr"]},
        )
    )
    md = render(data, stack="s")
    assert "`name`" not in md and '| `urls` | `["https://a.fr"]` | `["https://b.fr"]` |' in md


def test_secret_named_properties_and_nested_secrets_are_masked() -> None:
    value = {"client_id": "id", "client_secret": "s3cr3t", "nested": {"api_token": "t0k", "x": SIG_SECRET}}
    assert mask(value) == {"client_id": "id", "client_secret": MASK, "nested": {"api_token": MASK, "x": MASK}}
    md = render(preview(step("create", SITE, new={"password": "hunter2", "auth": value})), stack="s")
    for plain in ("hunter2", "s3cr3t", "t0k"):
        assert plain not in md
    assert "| `password` | `[secret]` |" in md
    # A plaintext value masked only for its name still compares: unchanged means no row.
    rows = property_changes("update", {"password": "a", "x": 1}, {"password": "a", "x": 2})
    assert [r.name for r in rows] == ["x"]
    rows = property_changes("update", {"password": "a"}, {"password": "b"})
    assert [(r.name, r.old, r.new) for r in rows] == [("password", MASK, MASK)]


def test_pickled_provider_is_never_shown() -> None:
    md = render(preview(step("create", TAG, new={"consent_type": "analytics"})), stack="s")
    assert "__provider" not in md and BLOB not in md
    old = {"__provider": "old-blob", "x": 1}
    new = {"__provider": "new-blob", "x": 1}
    rows = property_changes("update", old, new)
    assert [(r.name, r.old, r.new) for r in rows] == [("__provider", MASK, MASK)]
    data = {
        "steps": [
            {
                "op": "update",
                "urn": TAG,
                "oldState": {"type": "x", "inputs": old},
                "newState": {"type": "x", "inputs": new},
            }
        ]
    }
    assert "old-blob" not in render(data, stack="s") and "new-blob" not in render(data, stack="s")


def test_unknown_values_are_known_after_apply() -> None:
    md = render(preview(step("create", TRACKER, new={"site_id": UNKNOWN, "urls": ["a", UNKNOWN]})), stack="s")
    assert "| `site_id` | _known after apply_ |" in md
    assert '| `urls` | `["a", "(known after apply)"]` |' in md


def test_detailed_diff_replacements_are_marked() -> None:
    data = preview(
        step(
            "replace",
            DIMENSION,
            old={"slot": 1, "scope": "event"},
            new={"slot": 2, "scope": "event"},
            detailedDiff={"slot": {"kind": "update-replace", "inputDiff": True}},
        )
    )
    md = render(data, stack="s")
    assert "Replaced because `slot` cannot change in place" in md and "| `slot` 🔁 | `1` | `2` |" in md


def test_compliance_delta_names_requirement_resource_property_and_rule() -> None:
    data = preview(
        step(
            "update",
            TRACKER,
            old={"ip_masking_level": 2, "fingerprinting_across_websites": False},
            new={"ip_masking_level": 0, "fingerprinting_across_websites": False},
        ),
        step("update", TAG, old={"consent_type": "analytics"}, new={"consent_type": "remarketing"}),
    )
    md = render(data, stack="prod")
    assert "**Exemption broken ❌**" in md
    assert (
        "- ❌ **#1 Mask IP addresses (at least 1 byte)**: compliant → **broken** by TrackerSettings "
        "`shop-tracker` `ip_masking_level` = `0` (rule `cnil-ip-masking`: "
    ) in md
    assert "#6 The Piwik PRO tag's consent type is Analytics**: compliant → **broken** by TagConsentType" in md
    delta = compliance_delta(parse(data))
    assert [(r.requirement.number, r.status_before, r.status_after) for r in delta.changed] == [
        (1, "compliant", "broken"),
        (6, "compliant", "broken"),
    ]


def test_fix_restores_the_exemption_and_unchanged_breaks_are_listed() -> None:
    data = preview(
        step("update", TRACKER, old={"ip_masking_level": 0}, new={"ip_masking_level": 1}),
        step("same", PRIVACY, old={"gdpr": False}, new={"gdpr": False}),
    )
    md = render(data, stack="s")
    assert "**Exemption still broken ❌**" in md
    assert "- ✅ **#1 Mask IP addresses (at least 1 byte)**: broken → **compliant** (was broken by" in md
    assert "Still broken (unchanged by this pull request):\n- ❌ #3 Ask visitors for consent: SitePrivacy" in md
    data = preview(step("update", TRACKER, old={"ip_masking_level": 0}, new={"ip_masking_level": 1}))
    assert "**Exemption restored ✅**" in render(data, stack="s")
    # Deleting the resource that broke a rule fixes the requirement too.
    data = preview(step("delete", piwik("CustomDimension", "uid"), old={"name": "User ID"}))
    assert "**Exemption restored ✅**" in render(data, stack="s")


def test_compliant_change_keeps_the_site_exempt() -> None:
    data = preview(step("update", TRACKER, old={"ip_masking_level": 2}, new={"ip_masking_level": 3}))
    md = render(data, stack="s")
    assert "**Site stays exempt ✅**" in md and "No requirement changes status" in md


def test_an_advisory_finding_is_listed_as_advice_and_breaks_nothing() -> None:
    """As the policy pack warns without stopping the update, an advisory rule's finding is advice, not a break."""
    data = preview(step("create", SITE, new={"name": "Shop", "urls": ["https://shop.example.fr"]}))
    delta = compliance_delta(parse(data))
    assert not delta.broken_after and delta.requirements == ()
    assert [f.rule for f in delta.advice] == ["cnil-site-urls-end-their-host"]
    md = render(data, stack="s")
    assert "**Site stays exempt ✅**" in md
    assert "Advisory (the policy pack warns; it does not stop the update):" in md
    assert "- ⚠️ #5 " in md and "rule `cnil-site-urls-end-their-host`" in md
    safe = preview(step("create", SITE, new={"name": "Shop", "urls": ["https://shop.example.fr/"]}))
    assert "Advisory" not in render(safe, stack="s")


def test_hidden_and_unknown_rule_properties_are_not_judged_but_listed() -> None:
    data = preview(
        step("create", TRACKER, new={"ip_masking_level": MASK}),
        step("create", PRIVACY, new={"gdpr": UNKNOWN}),
    )
    md = render(data, stack="s")
    assert "**Site stays exempt ✅**" in md
    assert "Not judged in this preview:" in md
    assert "TrackerSettings `shop-tracker` `ip_masking_level` (rule `cnil-ip-masking`): the value is secret" in md
    assert "SitePrivacy `shop-privacy` `gdpr` (rule `cnil-ask-consent`): the value is known only after apply" in md


def test_errors_and_empty_previews() -> None:
    data = preview(
        diagnostics=[
            {"message": "error: preview failed\n", "severity": "error"},
            {"message": "noise", "severity": "info#err"},
        ]
    )
    md = render(data, stack="s")
    assert "### Preview errors" in md and "error: preview failed" in md and "noise" not in md
    assert "No Piwik PRO resource changes." in md
    assert "No Piwik PRO resource changes." in render({}, stack="s")


def test_cells_are_escaped_and_long_values_cut() -> None:
    md = render(preview(step("create", SITE, new={"name": "a|b`c", "urls": ["x" * 500]})), stack="s")
    assert '| `name` | `` "a\\|b`c" `` |' in md
    row = next(line for line in md.splitlines() if line.startswith("| `urls`"))
    assert len(row) < 220 and "…" in row


def pr_preview(*args: str) -> Result:
    return CliRunner().invoke(main, ["pr-preview", *args])


def test_cli_renders_saved_json(tmp_path: Path) -> None:
    data = preview(step("update", TRACKER, old={"ip_masking_level": 2}, new={"ip_masking_level": 0}))
    saved = tmp_path / "preview.json"
    saved.write_text(json.dumps(data))
    out = tmp_path / "comment.md"
    result = pr_preview("--stack", "prod", "--from-json", str(saved), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text() == render(data, stack="prod") and result.output == ""
    result = pr_preview("--stack", "prod", "--from-json", str(saved), "--title", "Piwik PRO (prod)")
    assert result.exit_code == 0 and "## Piwik PRO (prod)" in result.output
    result = pr_preview("--stack", "prod", "--from-json", str(tmp_path / "missing.json"))
    assert result.exit_code == 2 and "pr-preview: error: " in result.output and "missing.json" in result.output


def test_cli_json_report_gives_the_verdict_and_the_comment(tmp_path: Path) -> None:
    data = preview(step("update", TRACKER, old={"ip_masking_level": 2}, new={"ip_masking_level": 0}))
    saved = tmp_path / "preview.json"
    saved.write_text(json.dumps(data))
    result = pr_preview("--stack", "prod", "--from-json", str(saved), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["stack"] == "prod" and report["preview_ok"] is True
    assert report["headline"] == "Exemption broken ❌"
    assert report["broken_before"] is False and report["broken_after"] is True
    assert report["changed_requirements"] == ["ip-masking"]
    assert report["markdown"] == render(data, stack="prod")


def test_cli_without_a_stack_is_a_usage_error_naming_the_option() -> None:
    result = pr_preview("--from-json", "x.json")
    assert result.exit_code == 2 and "--stack" in result.output


def test_components_are_listed_apart_and_not_counted() -> None:
    component = PREFIX + "piwik:cnil:CnilExemptSite::boutique"
    child = PREFIX + "piwik:cnil:CnilExemptSite$pulumi-python:dynamic/piwik:OptOutForm::boutique-opt-out"
    data = preview(
        {"op": "create", "urn": component, "newState": {"type": "piwik:cnil:CnilExemptSite", "custom": False}},
        step("create", child, new={}),
    )
    parsed = parse(data)
    assert [r.name for r in parsed.resources] == ["boutique-opt-out"]
    assert [c.name for c in parsed.components] == ["boutique"]
    md = render(data, stack="s")
    assert "| 1 | 0 | 0 | 0 | 0 |" in md
    assert "Components: ➕ create CnilExemptSite `boutique`" in md
    assert "#### ➕ create OptOutForm `boutique-opt-out`\n\n_No inputs._" in md


def test_large_previews_stay_under_the_comment_limit() -> None:
    steps = [
        step("create", piwik("CustomDimension", f"dim-{i}"), new={"name": f"Dimension {i}", "pattern": "x" * 150})
        for i in range(40)
    ]
    md = render(preview(*steps), stack="s", max_chars=3_000)
    assert len(md) < 3_000 + 1_000
    assert "| 40 | 0 | 0 | 0 | 0 |" in md
    assert "more change(s) not detailed (comment size limit)" in md and "`dim-39`" in md


def test_errors_mark_the_headline() -> None:
    md = render(preview(diagnostics=[{"message": "boom", "severity": "error"}]), stack="s")
    assert "**Site stays exempt ✅** (the preview is incomplete: see its errors)" in md


def test_planned_app_deletions_and_replacements_are_flagged_in_red() -> None:
    other = piwik("Site", "blog")
    adopted = piwik("Site", "legacy")
    site = {"name": "Shop", "urls": ["https://shop.example.fr"], "deletion_protection": False}
    new_type = {**site, "app_type": "sharepoint"}
    text = render(
        preview(
            step("delete", SITE, old=site),
            *(
                step(op, other, old={**site, "app_type": "web"}, new=new_type, replaceReasons=["app_type"])
                for op in ("create-replacement", "replace")
            ),
            step("delete-replaced", other, old={**site, "app_type": "web"}),
            step("delete", adopted, old={**site, "adopt_id": SITE_ID}),
            step("delete", TRACKER, old={"site_id": SITE_ID, "ip_masking_level": 2}),
        ),
        stack="prod",
    )
    alert = text.split("> [!CAUTION]\n", 1)[1].split("\n\n", 1)[0]
    assert "🔴 **This change deletes 2 Piwik PRO app(s) and all their analytics history**" in alert
    assert "> - 🔴 delete Site `shop`" in alert
    assert "> - 🔴 replace Site `blog` because `app_type` changes" in alert
    assert "legacy" not in alert and "TrackerSettings" not in alert  # adopted apps are only forgotten
    assert "#### 🔴 ➖ delete Site `shop`" in text and "#### 🔴 🔁 replace Site `blog`" in text
    assert "#### ➖ delete Site `legacy`" in text and "#### ➖ delete TrackerSettings" in text
    # Nothing to flag: no alert at all.
    calm = render(preview(step("delete", TRACKER, old={"site_id": SITE_ID, "ip_masking_level": 2})), stack="prod")
    assert "[!CAUTION]" not in calm and "🔴" not in calm


def test_the_2025_rules_are_in_the_compliance_delta() -> None:
    data = preview(
        step(
            "update",
            TAG,
            old={"consent_type": "analytics", "visitor_cookie_timeout": 31_536_000, "cross_domain_tracking": False},
            new={"consent_type": "analytics", "visitor_cookie_timeout": 63_072_000, "cross_domain_tracking": True},
        ),
        step("update", TRACKER, old={"campaign_id_params": []}, new={"campaign_id_params": ["utm_id"]}),
    )
    md = render(data, stack="prod")
    assert "#16 The analytics visitor cookie's lifetime is at most 13 months**: compliant → **broken**" in md
    assert "#27 First-party trackers only" in md and "cnil-no-cross-domain-tracking" in md
    assert "#23 No campaign identifiers taken from URLs" in md and "cnil-no-campaign-id-params" in md
