"""SitePrivacy: the consent and privacy attributes of an app (Apps API v2), managed apart from Site.

Ownership of the app's fields (so that two resources never write the same one):

* Site: ``name``, ``urls``, ``timezone``, ``currency``, ``appType``.
* SitePrivacy: ``gdpr``, ``gdprDataAnonymization``, ``gdprDataAnonymizationMode``,
  ``privacyCookieExpirationPeriod``, ``privacyCookieDomainsEnabled``, ``privacyCookieDomains``,
  ``privacyUseCookies``, ``privacyUseFingerprinting``, ``sessionIdStrictPrivacyMode``,
  ``gdprUserModeEnabled``, ``cnil``.
* TrackerSettings: the app's tracker settings, including ``exclude_unknown_urls`` (the Apps API's
  ``excludeUnknownUrls`` is the same stored value; only TrackerSettings writes it).

The resource id is the app id. Delete writes back the values found when the resource was created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field

from ._settings import SettingsAdapter
from ._validation import InputsModel
from .engine import Context, PiwikProvider
from .site import UUID_PATTERN

#: Pulumi property -> AppAttributes field.
FIELDS: dict[str, str] = {
    "gdpr": "gdpr",
    "gdpr_data_anonymization": "gdpr_data_anonymization",
    "gdpr_data_anonymization_mode": "gdpr_data_anonymization_mode",
    "privacy_cookie_expiration_period": "privacy_cookie_expiration_period",
    "privacy_cookie_domains_enabled": "privacy_cookie_domains_enabled",
    "privacy_cookie_domains": "privacy_cookie_domains",
    "privacy_use_cookies": "privacy_use_cookies",
    "privacy_use_fingerprinting": "privacy_use_fingerprinting",
    "session_id_strict_privacy_mode": "session_id_strict_privacy_mode",
    "gdpr_user_mode_enabled": "gdpr_user_mode_enabled",
    "cnil": "cnil",
}


class SitePrivacyInputs(InputsModel):
    resource_type: ClassVar[str] = "SitePrivacy"

    site_id: str = Field(pattern=UUID_PATTERN, json_schema_extra={"allowed": "the UUID of an app"})
    gdpr: bool | None = None
    gdpr_data_anonymization: bool | None = None
    gdpr_data_anonymization_mode: Literal["no_device_storage", "session_cookie_id"] | None = Field(
        None, json_schema_extra={"allowed": "no_device_storage, session_cookie_id"}
    )
    privacy_cookie_expiration_period: int | None = Field(
        None, ge=0, json_schema_extra={"allowed": "a number of seconds >= 0"}
    )
    privacy_cookie_domains_enabled: bool | None = None
    privacy_cookie_domains: list[str] | None = None
    privacy_use_cookies: bool | None = None
    privacy_use_fingerprinting: bool | None = None
    session_id_strict_privacy_mode: bool | None = None
    gdpr_user_mode_enabled: bool | None = None
    cnil: bool | None = None


class SitePrivacyAdapter(SettingsAdapter[SitePrivacyInputs]):
    resource_type = "SitePrivacy"
    inputs_model = SitePrivacyInputs
    replace_on_change = frozenset({"site_id"})
    fields = FIELDS
    restore_on_delete = True

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        app = ctx.client.apps.get(parent)
        return {f: getattr(app, f) for f in FIELDS.values()}

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        ctx.client.apps.update(parent, changes)


class SitePrivacyProvider(PiwikProvider):
    adapter = SitePrivacyAdapter()


__all__ = ["FIELDS", "SitePrivacyAdapter", "SitePrivacyInputs", "SitePrivacyProvider"]
