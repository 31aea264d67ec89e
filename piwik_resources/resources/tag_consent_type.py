"""TagConsentType: the consent type of a Tag Manager tag (by default the app's Piwik PRO tag), published."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi.dynamic

from piwik_resources.providers.tag_consent_type import TagConsentTypeProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class TagConsentTypeArgs:
    """Inputs of :class:`TagConsentType`.

    ``tag_id`` names the tag; when unset, the app's only tag made from ``template`` (default ``piwik``, the
    "Piwik PRO" tag) is used. Create records the consent type found (``previous_consent_type``) and delete
    writes it back. Each change is followed by publishing the Tag Manager draft (unless ``publish`` is false).
    Changing ``site_id``, ``tag_id`` or ``template`` replaces the resource.

    The Piwik PRO tag's privacy settings, each managed only when set (delete writes back the value found):
    ``respect_visitors_privacy`` (respect the visitor's opt-out and Do Not Track), and the ``piwik`` template's
    options ``visitor_cookie_timeout`` (the visitor cookie's lifetime in seconds) and ``cross_domain_tracking``.
    """

    site_id: pulumi.Input[str]
    consent_type: pulumi.Input[str]
    tag_id: pulumi.Input[str] | None = None
    template: pulumi.Input[str] | None = None
    publish: pulumi.Input[bool] | None = None
    respect_visitors_privacy: pulumi.Input[bool] | None = None
    visitor_cookie_timeout: pulumi.Input[int] | None = None
    cross_domain_tracking: pulumi.Input[bool] | None = None


class TagConsentType(pulumi.dynamic.Resource, module="piwik", name="TagConsentType"):
    """Type token ``pulumi-python:dynamic/piwik:TagConsentType``; id = the tag id."""

    site_id: pulumi.Output[str]
    consent_type: pulumi.Output[str]
    tag_id: pulumi.Output[str]
    template: pulumi.Output[str]
    publish: pulumi.Output[bool | None]
    tag_name: pulumi.Output[str]
    previous_consent_type: pulumi.Output[str]
    respect_visitors_privacy: pulumi.Output[bool | None]
    visitor_cookie_timeout: pulumi.Output[int | None]
    cross_domain_tracking: pulumi.Output[bool | None]
    previous_settings: pulumi.Output[dict[str, Any]]

    def __init__(
        self, resource_name: str, args: TagConsentTypeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, ("tag_name", "previous_consent_type", "previous_settings"))
        super().__init__(TagConsentTypeProvider(), resource_name, props, opts)
