"""The judge's input: one site's live values per resource type, built one way from the resources' outputs.

The program (CnilExemptSite, from its children's outputs) and the `piwik-cnil` commands (from a stack's state and
the adapters' reads) both hand :meth:`LiveSite.build` the (resource type, output properties) of each resource of
the site; the read-only listings become the lists the rules judge.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

#: One resource's output properties, in the resources' property names.
Props: TypeAlias = Mapping[str, Any]

#: Read-only listings: resource type -> (the type the judge takes, the output that holds the list).
LISTINGS: dict[str, tuple[str, str]] = {"SiteCustomDimensions": ("CustomDimension", "dimensions")}
#: Types the judge takes as a list of property bags, one per resource.
LISTED = frozenset({"ConsentTemplate"})
#: Judged through a listing only: a site's own dimensions are in its app's list, with every other one.
NOT_JUDGED = frozenset({"CustomDimension"})


@dataclass(frozen=True)
class LiveSite:
    """What was read of one site, per resource type; ``None`` = that type was not read."""

    tracker_settings: Props | None = None
    #: The account's global tracker settings (the account group of `piwik-cnil watch`).
    global_tracker_settings: Props | None = None
    site_privacy: Props | None = None
    tag_consent_type: Props | None = None
    site_tags: Props | None = None
    #: Every custom dimension of the app, as SiteCustomDimensions lists them.
    custom_dimensions: tuple[Props, ...] | None = None
    consent_templates: tuple[Props, ...] | None = None
    #: The app (Site): its live ``urls``.
    site: Props | None = None

    def of(self, kind: str) -> Props | tuple[Props, ...] | None:
        """The values of resource type ``kind`` (as rules name types); ``None`` for a type not read or not judged."""
        name = FIELD_OF.get(kind)
        return None if name is None else getattr(self, name)

    @classmethod
    def from_types(cls, values: Mapping[str, Props | Sequence[Props]]) -> LiveSite:
        """From values already keyed by the judge's type names (``{"TrackerSettings": {...}, ...}``)."""
        fields: dict[str, Any] = {}
        for kind, value in values.items():
            name = FIELD_OF.get(kind)
            if name is None:
                raise ValueError(f"LiveSite: {kind!r} is not a type the judge reads; known: {', '.join(FIELD_OF)}")
            if value is not None:  # an output nobody filled in (a provider that gives none): not read
                fields[name] = tuple(value) if kind in MANY else value
        return cls(**fields)

    @classmethod
    def build(cls, resources: Iterable[tuple[str, Props | None]]) -> LiveSite:
        """From each resource's (type, outputs) of one site; ``None`` outputs (a gone object) are left out."""
        values: dict[str, Any] = {}
        for kind, props in resources:
            if props is None or kind in NOT_JUDGED:
                continue
            if kind in LISTINGS:
                listed, key = LISTINGS[kind]
                values[listed] = list(props.get(key) or [])
            elif kind in LISTED:
                values.setdefault(kind, []).append(props)
            elif kind == "TagConsentType":
                values[kind] = as_published(props)
            elif kind in FIELD_OF:
                values[kind] = props
        return cls.from_types(values)


def as_published(props: Props) -> dict[str, Any]:
    """The Piwik PRO tag's values as the website runs them (#6, #12, #16, #24, #27, #28).

    TagConsentType's ``published`` output holds the values of the published version when they can be read (the
    tag has no unpublished change, or the version published when it last had none is still the published one);
    they replace the draft's, and ``version`` says which was read. ``published`` without values: the published values
    cannot be read (the API publishes no version's content), so the draft's are judged and ``version`` says "draft".
    Without a ``published`` output (a source that does not record it) the values are left as they are.
    """
    if "published" not in props:
        return dict(props)
    published = props.get("published")
    if not isinstance(published, Mapping) or not isinstance(published.get("values"), Mapping):
        return {**props, "version": "draft"}
    values: Mapping[str, Any] = published["values"]
    differs = sorted(k for k, v in values.items() if k in props and props[k] != v)
    return {**props, **values, "version": f"published version {published.get('version')}", "draft_differs": differs}


#: The judge's type names (as rules name resource types) -> the field of LiveSite that holds their values.
FIELD_OF: dict[str, str] = {
    "TrackerSettings": "tracker_settings",
    "GlobalTrackerSettings": "global_tracker_settings",
    "SitePrivacy": "site_privacy",
    "TagConsentType": "tag_consent_type",
    "SiteTags": "site_tags",
    "CustomDimension": "custom_dimensions",
    "ConsentTemplate": "consent_templates",
    "Site": "site",
}
#: Types given as a list (one property bag per object).
MANY = frozenset({"CustomDimension", "ConsentTemplate"})
