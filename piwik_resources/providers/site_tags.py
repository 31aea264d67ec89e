"""SiteTags: every tag of an app's Tag Manager container, as read live (read-only).

Nothing is written: create and refresh list the tags (``GET /api/tag/v1/{app_id}/tags``, every page; the list
items carry ``template``, ``consent_type``, ``is_active`` and ``is_published``, which is all a compliance check
needs), delete only forgets them. A tag added by hand in the Tag Manager UI shows up at the next
``pulumi up --refresh`` (or ``pulumi refresh``), where the compliance rules judge it (piwik_resources/compliance/, rule
``cnil-no-marketing-without-consent``).

``triggers`` lists the triggers of every tag that fires for visitors who did not consent — an active tag of consent
type ``not_require_consent``, and the Piwik PRO tag, which measures them anonymously — with each condition's type
and the name of the variable it tests, so that rule ``cnil-no-cookie-setting-trigger`` (#4) can find the ones that
make Tag Manager set a cookie. The tag's trigger ids are published (``relationships.triggers`` of ``GET .../tags/
{tag_id}``); the triggers and variables themselves are not in the published OpenAPI files and are read at the paths
of Piwik PRO's archived API reference (api/services/tag_manager.py, TRIGGER): a host that answers them 404 or 405
leaves ``triggers`` null (not read), never empty.
"""

from __future__ import annotations

from typing import Any, ClassVar

from piwik_resources.api import NotFoundError, TriggersApiUnavailable
from piwik_resources.compliance import fires_without_consent

from ._fields import Out
from ._listing import AppListingAdapter, listed_app
from ._validation import InputsModel
from .engine import Context, PiwikProvider
from .tag_consent_type import DEFAULT_TEMPLATE

#: The fields of each tag the outputs keep (the list endpoint's summary fields that a rule may judge); the tag's
#: ``id`` is output as ``tag_id``, as TagConsentType names it.
TAG_FIELDS = ("name", "template", "consent_type", "is_active", "is_published")


class SiteTagsInputs(InputsModel):
    """Inputs of :class:`SiteTags`: the app (changing it replaces the resource). Nothing is written."""

    resource_type: ClassVar[str] = "SiteTags"

    site_id: str = listed_app("container's tags")

    outputs: ClassVar[dict[str, Out]] = {
        "tags": Out(
            list[dict[str, Any]],
            "One entry per tag of the app's container (tag_id, name, template, consent_type, is_active, "
            "is_published), made by this program or by hand.",
        ),
        "triggers": Out(
            list[dict[str, Any]],
            "The triggers of each tag that fires without consent (tag_id, tag_name, trigger_id, trigger_name, "
            "trigger_type, conditions: condition_type and variable name); null when the host does not serve the "
            "triggers or variables of the archived API reference.",
        ),
    }


class SiteTagsAdapter(AppListingAdapter[SiteTagsInputs]):
    resource_type = "SiteTags"
    inputs_model = SiteTagsInputs
    list_key = "tags"

    def items(self, ctx: Context, site_id: str) -> list[dict[str, Any]] | None:
        try:
            listed = ctx.client.tags.list(site_id)
        except NotFoundError:
            return None
        tags = [{"tag_id": tag.id, **{key: getattr(tag, key) for key in TAG_FIELDS}} for tag in listed]
        return sorted(tags, key=lambda t: (str(t["name"]), str(t["tag_id"])))

    def _outputs(self, ctx: Context, site_id: str) -> dict[str, Any] | None:
        outs = super()._outputs(ctx, site_id)
        if outs is not None:
            outs["triggers"] = triggers_of(ctx, site_id, outs[self.list_key])
        return outs


def without_consent(tag: dict[str, Any]) -> bool:
    """A tag that fires for visitors who did not consent (the Piwik PRO tag does too: it measures them
    anonymously)."""
    active_piwik = tag.get("template") == DEFAULT_TEMPLATE and tag.get("is_active") is not False
    return active_piwik or fires_without_consent(tag)


def triggers_of(ctx: Context, site_id: str, tags: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """The triggers of the tags that fire without consent, each condition with its variable's name; None when the
    host does not serve the archived triggers or variables paths."""
    names: dict[str, str | None] = {}
    read: dict[str, dict[str, Any] | None] = {}  # a trigger that fires several tags is read once
    entries: list[dict[str, Any]] = []
    try:
        for tag in (t for t in tags if without_consent(t)):
            for trigger_id in _trigger_ids(ctx, site_id, str(tag["tag_id"])):
                if trigger_id not in read:
                    read[trigger_id] = _trigger(ctx, site_id, trigger_id, names)
                if (trigger := read[trigger_id]) is not None:
                    entries.append({"tag_id": tag["tag_id"], "tag_name": tag["name"], **trigger})
    except TriggersApiUnavailable:
        return None
    return entries


def _trigger(ctx: Context, site_id: str, trigger_id: str, names: dict[str, str | None]) -> dict[str, Any] | None:
    """One trigger as the outputs keep it, each condition with its variable's name; None when it was deleted
    since its tag was read (it fires for nobody)."""
    try:
        trigger = ctx.client.triggers.get(site_id, trigger_id)
        conditions = [
            {"condition_type": c.get("condition_type"), "variable": _variable(ctx, site_id, c, names)}
            for c in trigger.conditions
        ]
    except NotFoundError:
        return None
    return {
        "trigger_id": trigger.id,
        "trigger_name": trigger.name,
        "trigger_type": trigger.trigger_type,
        "conditions": conditions,
    }


def _trigger_ids(ctx: Context, site_id: str, tag_id: str) -> list[str]:
    try:
        return ctx.client.tags.get(site_id, tag_id).trigger_ids
    except NotFoundError:
        return []  # deleted between the list and this read: it fires for nobody


def _variable(ctx: Context, site_id: str, condition: dict[str, Any], names: dict[str, str | None]) -> str | None:
    variable_id = condition.get("variable_id")
    if not variable_id:
        return None
    if variable_id not in names:
        names[variable_id] = ctx.client.triggers.variable(site_id, str(variable_id)).name
    return names[variable_id]


class SiteTagsProvider(PiwikProvider):
    adapter = SiteTagsAdapter()


__all__ = ["SiteTagsAdapter", "SiteTagsInputs", "SiteTagsProvider"]
