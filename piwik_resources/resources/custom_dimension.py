"""CustomDimension: an Analytics custom dimension (session or event scope); delete deactivates it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

import pulumi
import pulumi.dynamic

from piwik_resources.providers.custom_dimension import CustomDimensionProvider

from ._base import props_of


class Extraction(TypedDict):
    """A value extraction rule: ``target`` is page_title_regex, page_url_regex or page_query_parameter."""

    target: str
    pattern: str


@dataclass(frozen=True, kw_only=True)
class CustomDimensionArgs:
    """Inputs of :class:`CustomDimension`.

    ``scope`` (session or event) and ``slot`` are fixed once created: changing them replaces the resource.
    ``active`` defaults to true. ``case_sensitive``, ``extractions`` and ``slot`` keep the dimension's current
    value when unset, and so does ``description`` (not in the published schema; the vendor's client sends it).
    The API cannot delete a dimension: deleting the resource sets ``active: false``; creating
    one reactivates an inactive dimension of the same name and scope if there is one. ``adopt_id`` takes an
    existing dimension under management.
    """

    site_id: pulumi.Input[str]
    name: pulumi.Input[str]
    scope: pulumi.Input[str]
    active: pulumi.Input[bool] | None = None
    case_sensitive: pulumi.Input[bool] | None = None
    extractions: pulumi.Input[Sequence[pulumi.Input[Extraction]]] | None = None
    slot: pulumi.Input[int] | None = None
    description: pulumi.Input[str] | None = None
    adopt_id: pulumi.Input[str] | None = None


class CustomDimension(pulumi.dynamic.Resource, module="piwik", name="CustomDimension"):
    """Type token ``pulumi-python:dynamic/piwik:CustomDimension``; id = the dimension id."""

    site_id: pulumi.Output[str]
    name: pulumi.Output[str]
    scope: pulumi.Output[str]
    active: pulumi.Output[bool]
    case_sensitive: pulumi.Output[bool]
    extractions: pulumi.Output[list[dict[str, str]]]  # a TypedDict here breaks the SDK's output typing
    slot: pulumi.Output[int]
    description: pulumi.Output[str]
    adopt_id: pulumi.Output[str | None]
    dimension_id: pulumi.Output[str]
    tracking_id: pulumi.Output[int]

    def __init__(
        self, resource_name: str, args: CustomDimensionArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        props = props_of(args, ("dimension_id", "tracking_id"))
        super().__init__(CustomDimensionProvider(), resource_name, props, opts)
