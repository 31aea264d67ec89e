"""SitePrivacy: the consent and privacy attributes of a Piwik PRO app (the fields Site does not own)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site_privacy import SitePrivacyProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class SitePrivacyArgs:
    """Inputs of :class:`SitePrivacy`. Only the attributes you set are managed; the others are left alone.

    Creating the resource adopts the app's current values (nothing is created); deleting it writes back the
    values found at creation (``previous``). Changing ``site_id`` replaces the resource.
    """

    site_id: pulumi.Input[str]
    gdpr: pulumi.Input[bool] | None = None
    gdpr_data_anonymization: pulumi.Input[bool] | None = None
    gdpr_data_anonymization_mode: pulumi.Input[str] | None = None
    privacy_cookie_expiration_period: pulumi.Input[int] | None = None
    privacy_cookie_domains_enabled: pulumi.Input[bool] | None = None
    privacy_cookie_domains: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None
    privacy_use_cookies: pulumi.Input[bool] | None = None
    privacy_use_fingerprinting: pulumi.Input[bool] | None = None
    session_id_strict_privacy_mode: pulumi.Input[bool] | None = None
    gdpr_user_mode_enabled: pulumi.Input[bool] | None = None
    cnil: pulumi.Input[bool] | None = None


class SitePrivacy(pulumi.dynamic.Resource, module="piwik", name="SitePrivacy"):
    """Type token ``pulumi-python:dynamic/piwik:SitePrivacy``; id = the app UUID."""

    site_id: pulumi.Output[str]
    gdpr: pulumi.Output[bool | None]
    gdpr_data_anonymization: pulumi.Output[bool | None]
    gdpr_data_anonymization_mode: pulumi.Output[str | None]
    privacy_cookie_expiration_period: pulumi.Output[int | None]
    privacy_cookie_domains_enabled: pulumi.Output[bool | None]
    privacy_cookie_domains: pulumi.Output[list[str] | None]
    privacy_use_cookies: pulumi.Output[bool | None]
    privacy_use_fingerprinting: pulumi.Output[bool | None]
    session_id_strict_privacy_mode: pulumi.Output[bool | None]
    gdpr_user_mode_enabled: pulumi.Output[bool | None]
    cnil: pulumi.Output[bool | None]
    previous: pulumi.Output[dict[str, Any]]

    def __init__(self, resource_name: str, args: SitePrivacyArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(SitePrivacyProvider(), resource_name, props_of(args, ("previous",)), opts)
