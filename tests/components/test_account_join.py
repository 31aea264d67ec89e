"""How a site joins its account (components/cnil_account.py), under Pulumi mocks: the adopted apps reach the
account's kept_app_ids, a site that joins after they were sent is refused, one that joins none is warned."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pulumi
import pytest

from piwik_resources.components import CnilAccount, CnilAccountArgs, CnilExemptionError, CnilExemptSite, cnil_account
from piwik_resources.components.cnil_exempt_site import CnilExemptSiteArgs

ADOPTED = "22222222-2222-4222-8222-222222222222"
OTHER = "33333333-3333-4333-8333-333333333333"


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.inputs: dict[str, dict[str, Any]] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        self.inputs[args.name] = dict(args.inputs)
        return f"{args.name}-id", {k: v for k, v in args.inputs.items() if k != "__provider"}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


MOCKS = _Mocks()
WARNINGS: list[str] = []


@pytest.fixture(autouse=True)
def _mocked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # Installed here, not at import, so that other test modules do not run under them.
    pulumi.runtime.set_mocks(MOCKS, preview=False)
    monkeypatch.setattr(pulumi.log, "warn", lambda message, *a, **k: WARNINGS.append(message))
    try:
        yield
    finally:
        pulumi.runtime.settings.reset_options()
        cnil_account.DECLARED.clear()
        WARNINGS.clear()


def site(name: str, adopt: str | None = None) -> CnilExemptSiteArgs:
    return CnilExemptSiteArgs(site_name=name, urls=[f"https://{name.lower()}.example.fr"], adopt_site_id=adopt)


def test_adopted_apps_reach_the_account_and_a_late_site_is_refused() -> None:
    _program()


@pulumi.runtime.test
def _program() -> Any:
    account = CnilAccount("account", CnilAccountArgs())
    joined = pulumi.ResourceOptions(depends_on=[account])
    CnilExemptSite("blog", site("Blog", ADOPTED), joined)
    CnilExemptSite("shop", site("Shop"), joined)  # created: a destroy deletes it (or stops), nothing to keep
    CnilExemptSite("alone", site("Alone"))  # joins no account: warned

    def check(_: Any) -> None:
        assert MOCKS.inputs["account-global-tracker-settings"]["kept_app_ids"] == [ADOPTED]
        assert [w for w in WARNINGS if "CnilExemptSite 'alone' does not depend on CnilAccount 'account'" in w]
        assert not [w for w in WARNINGS if "'blog'" in w or "'shop'" in w]
        # The ids were sent: an adopting site declared now (inside an apply) is refused, before it declares anything.
        with pytest.raises(CnilExemptionError, match="after its settings were sent"):
            CnilExemptSite("late", site("Late", OTHER), joined)
        assert "late-site" not in MOCKS.inputs

    return account.global_tracker_settings.id.apply(check)
