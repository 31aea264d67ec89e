"""SitePrivacy: the consent and privacy attributes of an app (Apps API v2), managed apart from Site.

Ownership of the app's fields (so that two resources never write the same one):

* Site: ``name``, ``urls``, ``timezone``, ``currency``, ``appType``.
* SitePrivacy: ``gdpr``, ``gdprDataAnonymization``, ``gdprDataAnonymizationMode``,
  ``privacyCookieExpirationPeriod``, ``privacyCookieDomainsEnabled``, ``privacyCookieDomains``,
  ``privacyUseCookies``, ``privacyUseFingerprinting``, ``sessionIdStrictPrivacyMode``,
  ``gdprUserModeEnabled``, ``cnil``.
* TrackerSettings: the app's tracker settings, including ``exclude_unknown_urls`` (the Apps API's
  ``excludeUnknownUrls`` is the same stored value; only TrackerSettings writes it).

The resource id is the app id. Create writes every managed attribute (pinned, as every per-app settings adapter
does: _settings.py); the published Apps API has no account-level value these attributes could come from, so here
pinning only makes the app's own value explicit. Delete writes back the values found when the resource was
created.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field

from piwik_resources.api.models import AnonymizationMode, AppChanges

from ._fields import Out, api_names, prop
from ._settings import PINNED, PINNED_OUTPUT, SettingsAdapter
from ._validation import InputsModel
from .engine import Context, PiwikProvider
from .site import UUID_PATTERN

#: The privacy cookie's lifetime in seconds, as the Apps API takes it (CnilExemptSiteArgs.cookie_lifetime_seconds).
PrivacyCookieSeconds = Annotated[int, Field(ge=0)]


class SitePrivacyInputs(InputsModel):
    """Inputs of :class:`SitePrivacy`. Only the attributes you set are managed; the others are left alone.

    Creating the resource adopts the app's current values (nothing is created) and writes every managed
    attribute as the app's own, even where it already holds it (``pinned``); deleting it writes back the values
    found at creation (``previous``). Changing ``site_id`` replaces the resource.
    """

    resource_type: ClassVar[str] = "SitePrivacy"
    api_model: ClassVar[type[BaseModel] | None] = AppChanges

    site_id: str = prop(
        doc="The app whose privacy attributes these are.",
        allowed="the UUID of an app",
        replace=True,
        pattern=UUID_PATTERN,
    )
    gdpr: bool | None = prop(
        None,
        api="gdpr",
        doc="Collect privacy consent for full GDPR compliance (the consent form shows for tags that need it).",
    )
    gdpr_data_anonymization: bool | None = prop(
        None,
        api="gdpr_data_anonymization",
        doc="Track only the minimal data that needs no consent; identifying data only once consent is given.",
    )
    gdpr_data_anonymization_mode: AnonymizationMode | None = prop(
        None,
        api="gdpr_data_anonymization_mode",
        doc="How visitors without consent are tracked: nothing stored on the device, or a session cookie id.",
    )
    privacy_cookie_expiration_period: PrivacyCookieSeconds | None = prop(
        None,
        api="privacy_cookie_expiration_period",
        doc="Lifetime of the privacy (consent record) cookie, in seconds (the API's default: one year).",
        allowed="a number of seconds >= 0",
    )
    privacy_cookie_domains_enabled: bool | None = prop(
        None,
        api="privacy_cookie_domains_enabled",
        doc="The privacy cookie is set for the domains of ``privacy_cookie_domains``.",
    )
    privacy_cookie_domains: list[str] | None = prop(
        None, api="privacy_cookie_domains", doc="The domains the privacy cookie is set for."
    )
    privacy_use_cookies: bool | None = prop(
        None, api="privacy_use_cookies", doc="Cookies recognise new and returning visitors."
    )
    privacy_use_fingerprinting: bool | None = prop(
        None, api="privacy_use_fingerprinting", doc="Fingerprinting recognises new and returning visitors."
    )
    session_id_strict_privacy_mode: bool | None = prop(
        None,
        api="session_id_strict_privacy_mode",
        doc="No device data of the visitor is collected (the German TTDSG mode).",
    )
    gdpr_user_mode_enabled: bool | None = prop(None, api="gdpr_user_mode_enabled", doc="The app's GDPR user mode.")
    cnil: bool | None = prop(None, api="cnil", doc="The app's CNIL integration.")

    outputs: ClassVar[dict[str, Out]] = {
        "previous": Out(
            dict[str, Any], "The values found at create for the managed attributes (written back on delete)."
        ),
        PINNED: PINNED_OUTPUT,
    }


#: Pulumi property -> AppAttributes field.
FIELDS: dict[str, str] = api_names(SitePrivacyInputs)


class SitePrivacyAdapter(SettingsAdapter[SitePrivacyInputs]):
    resource_type = "SitePrivacy"
    inputs_model = SitePrivacyInputs
    restore_on_delete = True

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        app = ctx.client.apps.get(parent)
        return {f: getattr(app, f) for f in FIELDS.values()}

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        ctx.client.apps.update(parent, changes)


class SitePrivacyProvider(PiwikProvider):
    adapter = SitePrivacyAdapter()


__all__ = ["FIELDS", "SitePrivacyAdapter", "SitePrivacyInputs", "SitePrivacyProvider"]
