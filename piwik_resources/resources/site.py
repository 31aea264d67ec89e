"""Site: a Piwik PRO app — name, URLs, time zone, currency and app type (privacy attributes: SitePrivacy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pulumi
import pulumi.dynamic

from piwik_resources.providers.site import SiteProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class SiteArgs:
    """Inputs of :class:`Site`.

    ``timezone``, ``currency`` and ``app_type`` take the app's current value when unset (``UTC``, ``USD`` and
    ``web`` for a new app). ``app_type`` is fixed at creation: changing it replaces the app. ``adopt_id`` takes an
    existing app (e.g. one made by hand) under management instead of creating one; only the fields that differ
    are changed.

    Deleting the resource never deletes an adopted app: the stack forgets it and leaves it, with its settings, as
    it is. A created app is deleted only when ``deletion_protection`` is false (default true): while it is on, a
    destroy of the resource or a change that replaces the app (``app_type``, ``adopt_id``) fails before anything
    is deleted. Give the resources that live on the app ``ResourceOptions(deleted_with=site)`` so that they are
    not reverted one by one when the app itself goes (docs/resources.md).
    """

    name: pulumi.Input[str]
    urls: pulumi.Input[Sequence[pulumi.Input[str]]]
    timezone: pulumi.Input[str] | None = None
    currency: pulumi.Input[str] | None = None
    app_type: pulumi.Input[str] | None = None
    adopt_id: pulumi.Input[str] | None = None
    deletion_protection: pulumi.Input[bool] | None = None


class Site(pulumi.dynamic.Resource, module="piwik", name="Site"):
    """A Piwik PRO app; type token ``pulumi-python:dynamic/piwik:Site``; id = the app UUID."""

    site_id: pulumi.Output[str]
    name: pulumi.Output[str]
    urls: pulumi.Output[list[str]]
    timezone: pulumi.Output[str]
    currency: pulumi.Output[str]
    app_type: pulumi.Output[str]
    adopt_id: pulumi.Output[str | None]
    deletion_protection: pulumi.Output[bool]
    organization: pulumi.Output[str]
    added_at: pulumi.Output[str]
    creation_key: pulumi.Output[str]

    def __init__(self, resource_name: str, args: SiteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        props = props_of(args, ("site_id", "organization", "added_at"))
        # The app's UUID is derived from this (see providers/site.py): a create repeated after an interrupted
        # `pulumi up` finds the app it made, and no two Sites ever share one.
        props["creation_key"] = f"{pulumi.get_project()}/{pulumi.get_stack()}/{resource_name}"
        super().__init__(SiteProvider(), resource_name, props, opts)
