"""TagConsentType: the consent type of a Tag Manager tag (by default the app's Piwik PRO tag), published."""

from __future__ import annotations

from dataclasses import dataclass

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
    """

    site_id: pulumi.Input[str]
    consent_type: pulumi.Input[str]
    tag_id: pulumi.Input[str] | None = None
    template: pulumi.Input[str] | None = None
    publish: pulumi.Input[bool] | None = None


class TagConsentType(pulumi.dynamic.Resource, module="piwik", name="TagConsentType"):
    """Type token ``pulumi-python:dynamic/piwik:TagConsentType``; id = the tag id."""

    site_id: pulumi.Output[str]
    consent_type: pulumi.Output[str]
    tag_id: pulumi.Output[str]
    template: pulumi.Output[str]
    publish: pulumi.Output[bool | None]
    tag_name: pulumi.Output[str]
    previous_consent_type: pulumi.Output[str]

    def __init__(
        self, resource_name: str, args: TagConsentTypeArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, ("tag_name", "previous_consent_type"))
        super().__init__(TagConsentTypeProvider(), resource_name, props, opts)
