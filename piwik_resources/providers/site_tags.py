"""SiteTags: every tag of an app's Tag Manager container, as read live (read-only).

Nothing is written: create and refresh list the tags (``GET /api/tag/v1/{app_id}/tags``, every page; the list
items carry ``template``, ``consent_type``, ``is_active`` and ``is_published``, which is all a compliance check
needs), delete only forgets them. A tag added by hand in the Tag Manager UI shows up at the next
``pulumi up --refresh`` (or ``pulumi refresh``), where the compliance rules judge it (piwik_resources/compliance/, rule
``cnil-no-marketing-without-consent``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from piwik_resources.api import NotFoundError

from ._fields import Out
from ._listing import AppListingAdapter, listed_app
from ._validation import InputsModel
from .engine import Context, PiwikProvider

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
        )
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


class SiteTagsProvider(PiwikProvider):
    adapter = SiteTagsAdapter()


__all__ = ["SiteTagsAdapter", "SiteTagsInputs", "SiteTagsProvider"]
