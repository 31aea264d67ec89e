"""ConsentTemplate: the texts of an app's consent form in one language (API mode or manual mode)."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi.dynamic

from piwik_resources.providers.consent_template import ConsentTemplateProvider

from ._base import props_of


@dataclass(frozen=True, kw_only=True)
class ConsentTemplateArgs:
    """Inputs of :class:`ConsentTemplate`.

    ``mode="api"`` (default) writes the template through the consent template API, which Piwik PRO does not
    publish (the emulator serves it); on a host without it, create/update fail with the UI path and the exact
    text to paste. ``mode="manual"`` makes no API call: the texts are kept in the state and
    ``manual_instructions`` says what to do by hand. Changing ``site_id`` or ``language`` replaces it.
    """

    site_id: pulumi.Input[str]
    language: pulumi.Input[str]
    title: pulumi.Input[str]
    message: pulumi.Input[str]
    accept_label: pulumi.Input[str] | None = None
    reject_label: pulumi.Input[str] | None = None
    privacy_policy_url: pulumi.Input[str] | None = None
    mode: pulumi.Input[str] | None = None


class ConsentTemplate(pulumi.dynamic.Resource, module="piwik", name="ConsentTemplate"):
    """Type token ``pulumi-python:dynamic/piwik:ConsentTemplate``; id = ``<site_id>/<language>``."""

    site_id: pulumi.Output[str]
    language: pulumi.Output[str]
    title: pulumi.Output[str]
    message: pulumi.Output[str]
    accept_label: pulumi.Output[str | None]
    reject_label: pulumi.Output[str | None]
    privacy_policy_url: pulumi.Output[str | None]
    mode: pulumi.Output[str | None]
    pending_manual_step: pulumi.Output[bool]
    manual_instructions: pulumi.Output[str | None]

    def __init__(
        self, resource_name: str, args: ConsentTemplateArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, ("pending_manual_step", "manual_instructions"))
        super().__init__(ConsentTemplateProvider(), resource_name, props, opts)
