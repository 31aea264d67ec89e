"""TagConsentType: the consent type of one Tag Manager tag, published so that it takes effect.

The tag is ``tag_id`` when given, otherwise the app's tag made from ``template`` (default ``piwik``, the
"Piwik PRO" tracking tag every app gets); exactly one such tag must exist. The resource id is the tag id.
Create records the tag's consent type as found (``previous_consent_type``); delete writes it back. The Piwik PRO
tag's privacy settings are managed too when set: ``respect_visitors_privacy`` (a tag attribute) and two of the
``piwik`` template's options, ``visitor_cookie_timeout`` and ``cross_domain_tracking``; the API replaces
``template_options`` as a whole on a PATCH, so the options read are sent back complete (less the read-only
``tracker_*`` ones) with the managed keys changed. ``dimension_values`` manages entries of the template's
``piwik_custom_dimensions`` by dimension id (the others are kept). Their values found at create are recorded
(``previous_settings``) and written back on delete. After every change the Tag Manager draft is published
(``publish: false`` leaves it as a draft) and the publication is awaited, because tag changes only reach the
website once published.

Read only, for the compliance rules: the template options that carry identifiers or extra event types or share the
cookie (``user_id``, ``piwik_custom_dimensions``, ``piwik_custom_variables``, ``content_tracking``,
``link_tracking``, ``js_error_tracking``, ``cookie_domain``), and ``published``: the values the website runs. The
API publishes no version's content, only each tag's ``is_published`` and the published version's id; so the values
are recorded whenever the tag has no unpublished change, with the id of the version then published, and kept while
that version stays the published one. When neither holds, ``published.values`` is false and the judge says it read
the draft (compliance/live.py, ``as_published``).
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, Field, field_validator

from piwik_resources.api import NotFoundError, Tag
from piwik_resources.api.models import ConsentType, TagAttributes
from piwik_resources.api.services.tag_manager import TagWaitTimeoutError

from ._fields import Out, prop
from ._validation import InputsModel
from ._values import same
from .engine import Adapter, Context, PiwikProvider, ProviderError
from .site import UUID_PATTERN

DEFAULT_TEMPLATE = "piwik"


#: The Piwik PRO tag's visitor cookie lifetime in seconds (CnilExemptSiteArgs.visitor_cookie_timeout).
VisitorCookieSeconds = Annotated[int, Field(ge=1)]


class TagConsentTypeInputs(InputsModel):
    """Inputs of :class:`TagConsentType`.

    ``tag_id`` names the tag; when unset, the app's only tag made from ``template`` (default ``piwik``, the
    "Piwik PRO" tag) is used. Create records the consent type found (``previous_consent_type``) and delete
    writes it back. Each change is followed by publishing the Tag Manager draft (unless ``publish`` is false).
    Changing ``site_id``, ``tag_id`` or ``template`` replaces the resource.
    """

    resource_type: ClassVar[str] = "TagConsentType"
    api_model: ClassVar[type[BaseModel] | None] = TagAttributes

    site_id: str = prop(
        doc="The app whose tag this is.", allowed="the UUID of an app", replace=True, pattern=UUID_PATTERN
    )
    consent_type: ConsentType = prop(api="consent_type", doc="The consent the tag needs before it fires.")
    tag_id: str | None = prop(
        None,
        doc="The tag (default: the app's only tag made from ``template``).",
        allowed="the UUID of a tag of the app",
        computed=True,
        replace=True,
        pattern=UUID_PATTERN,
    )
    template: str | None = prop(
        None,
        doc="The template the tag is found by when ``tag_id`` is unset (default ``piwik``).",
        allowed="a tag template such as piwik",
        computed=True,
        replace=True,
        min_length=1,
    )
    publish: bool | None = prop(None, doc="Publish the Tag Manager draft after each change (default true).")
    respect_visitors_privacy: bool | None = prop(
        None,
        api="respect_visitors_privacy",
        doc="The tag respects the visitor's privacy settings (Do Not Track, opt-out); delete writes back the "
        "value found.",
    )
    visitor_cookie_timeout: VisitorCookieSeconds | None = prop(
        None,
        doc="The ``piwik`` template's visitor cookie lifetime in seconds "
        "(``template_options.visitor_cookie_timeout``); delete writes back the value found.",
        allowed="a number of seconds ≥ 1",
    )
    cross_domain_tracking: bool | None = prop(
        None,
        doc="The ``piwik`` template's cross-domain tracking (``template_options.cross_domain_tracking``); delete "
        "writes back the value found.",
    )
    dimension_values: dict[str, str] | None = prop(
        None,
        doc="Entries of the ``piwik`` template's ``piwik_custom_dimensions``: dimension id (its tracking id) -> the "
        "value the tag sends, such as a Tag Manager variable reference ``{{ Name }}``; other entries are kept, and "
        "delete writes back the entries found.",
        allowed="dimension ids 1 to 400 (as text) and values of 1 to 255 characters",
    )

    @field_validator("dimension_values")
    @classmethod
    def _dimension_ids(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for key, text in (value or {}).items():
            if not key.isdigit() or not 1 <= int(key) <= 400 or not 1 <= len(text) <= 255:
                raise ValueError(
                    f"{key!r}: {text!r} is not allowed; allowed: dimension ids 1 to 400 (as text) and values of 1 to "
                    "255 characters"
                )
        return value

    outputs: ClassVar[dict[str, Out]] = {
        "tag_name": Out(str, "The tag's name."),
        "previous_consent_type": Out(str, "The consent type found at create (written back on delete)."),
        "previous_settings": Out(
            dict[str, Any],
            "The managed privacy settings found at create (``values``; ``absent`` options), written back on delete.",
        ),
        "user_id": Out(str, "The ``piwik`` template's user id option, as the draft holds it (empty: none)."),
        "cookie_domain": Out(str, "The ``piwik`` template's tracking cookie domain (empty: the site's host)."),
        "content_tracking": Out(str, "The ``piwik`` template's content impression tracking (empty: off)."),
        "link_tracking": Out(bool, "The ``piwik`` template's download and outlink tracking."),
        "js_error_tracking": Out(bool, "The ``piwik`` template's JavaScript error tracking."),
        "piwik_custom_dimensions": Out(
            list[dict[str, Any]], "The custom dimensions (id, value) the ``piwik`` template fills."
        ),
        "piwik_custom_variables": Out(
            list[dict[str, Any]], "The custom variables (id, name, value, scope) the ``piwik`` template sets."
        ),
        "published": Out(
            dict[str, Any],
            "The judged values of the published version (``version_id``, ``version``, ``values``); ``values`` is "
            "false when they cannot be read (unpublished changes since a version this resource did not see).",
        ),
    }


#: The managed template options of the ``piwik`` template, and the options a GET adds that a PATCH refuses.
PIWIK_OPTIONS = ("visitor_cookie_timeout", "cross_domain_tracking")
READ_ONLY_OPTIONS = frozenset({"tracker_domains", "tracker_php_url", "tracker_js_url", "tracker_site_id"})
DIMENSIONS = "dimension_values"
SETTINGS = ("respect_visitors_privacy", *PIWIK_OPTIONS, DIMENSIONS)
#: The ``piwik`` template's options read for the compliance rules, and what an absent one reads as.
READ_OPTIONS: dict[str, Any] = {
    "user_id": "",
    "cookie_domain": "",
    "content_tracking": "",
    "link_tracking": None,
    "js_error_tracking": None,
    "piwik_custom_dimensions": [],
    "piwik_custom_variables": [],
}
#: Every value of the tag the compliance rules judge: what ``published`` records of a version.
JUDGED = ("consent_type", "respect_visitors_privacy", *PIWIK_OPTIONS, *READ_OPTIONS)


def _live_setting(tag: Tag, key: str) -> Any:
    options = tag.template_options or {}
    if key == DIMENSIONS:
        return {str(e.get("id")): e.get("value") for e in options.get("piwik_custom_dimensions") or ()}
    if key in PIWIK_OPTIONS:
        return options.get(key)
    if key in READ_OPTIONS:
        return options.get(key, READ_OPTIONS[key])
    return getattr(tag, key)


def _found(tag: Tag, inputs: TagConsentTypeInputs) -> dict[str, Any]:
    """The managed settings' values found on the tag (of ``dimension_values``, only the managed ids')."""
    found = {key: _live_setting(tag, key) for key in _wanted(inputs)}
    if DIMENSIONS in found:
        live = found[DIMENSIONS]
        found[DIMENSIONS] = {i: live.get(i) for i in inputs.dimension_values or {}}
    return found


def _judged(tag: Tag) -> dict[str, Any]:
    return {key: _live_setting(tag, key) for key in JUDGED}


#: What ``published`` holds when the published values cannot be read (an output of None would be dropped).
NOT_READABLE: dict[str, Any] = {"values": False}


def _published(ctx: Context, site_id: str, tags: tuple[Tag, ...], recorded: Any) -> dict[str, Any]:
    """The judged values the website runs: those of the first of ``tags`` (the same tag, newest first) that has no
    unpublished change, else the ``recorded`` ones while their version is still the published one, else
    NOT_READABLE."""
    version = ctx.client.versions.get_published(site_id)
    for tag in tags:
        if tag.is_published:
            return {"version_id": version.id, "version": version.number, "values": _judged(tag)}
    if isinstance(recorded, dict) and recorded.get("version_id") == version.id:
        return recorded
    return dict(NOT_READABLE)


def _wanted(inputs: TagConsentTypeInputs) -> dict[str, Any]:
    """The managed settings and their declared values (unset ones are not managed)."""
    return {key: getattr(inputs, key) for key in SETTINGS if getattr(inputs, key) is not None}


def _outputs(
    site_id: str, tag: Tag, previous: object, inputs: TagConsentTypeInputs | None, state: dict[str, Any] | None
) -> dict[str, Any]:
    publish = inputs.publish if inputs is not None else (state or {}).get("publish")
    managed = _wanted(inputs) if inputs is not None else {k: v for k, v in (state or {}).items() if k in SETTINGS}
    values = {key: _live_setting(tag, key) for key in managed}
    if DIMENSIONS in values:  # only the managed ids: the tag's other entries are not this resource's
        values[DIMENSIONS] = {i: values[DIMENSIONS].get(i) for i in managed[DIMENSIONS] or {}}
    return {
        **values,
        **{key: _live_setting(tag, key) for key in READ_OPTIONS},
        "site_id": site_id,
        "tag_id": tag.id,
        "consent_type": tag.consent_type,
        "template": tag.template,
        "publish": publish,
        "tag_name": tag.name,
        "previous_consent_type": previous,
    }


class TagConsentTypeAdapter(Adapter[TagConsentTypeInputs]):
    resource_type = "TagConsentType"
    inputs_model = TagConsentTypeInputs

    def _find(self, ctx: Context, inputs: TagConsentTypeInputs) -> Tag:
        if inputs.tag_id is not None:
            try:
                return ctx.client.tags.get(inputs.site_id, inputs.tag_id)
            except NotFoundError:
                raise ProviderError(
                    f"TagConsentType: tag_id: app {inputs.site_id} has no tag {inputs.tag_id}"
                ) from None
        template = inputs.template or DEFAULT_TEMPLATE
        try:
            if template == DEFAULT_TEMPLATE:
                # A new app's container may get its Piwik PRO tag a little later: wait for it, bounded.
                tags = ctx.client.tags.wait_for_template(inputs.site_id, template)
            else:
                tags = [t for t in ctx.client.tags.list(inputs.site_id, template=template) if t.template == template]
        except NotFoundError:
            raise ProviderError(f"TagConsentType: site_id: app {inputs.site_id} does not exist") from None
        except TagWaitTimeoutError as err:
            raise ProviderError(f"TagConsentType: {err}") from None
        if len(tags) != 1:
            found = ", ".join(f"{t.id} ({t.name!r})" for t in tags) or "none"
            raise ProviderError(
                f"TagConsentType: app {inputs.site_id} must have exactly one tag made from template "
                f"{template!r} to find it by template (found: {found}); set tag_id to choose one"
            )
        return ctx.client.tags.get(inputs.site_id, tags[0].id)

    @staticmethod
    def _changes(
        tag: Tag, consent_type: str, settings: dict[str, Any], removed: tuple[str, ...] = ()
    ) -> dict[str, Any]:
        """The PATCH attributes that bring the tag to ``consent_type`` and ``settings`` (``removed``: options
        to drop); empty when it is there already."""
        changes: dict[str, Any] = {}
        if not same(tag.consent_type, consent_type):
            changes["consent_type"] = consent_type
        if "respect_visitors_privacy" in settings and not same(
            tag.respect_visitors_privacy, settings["respect_visitors_privacy"]
        ):
            changes["respect_visitors_privacy"] = settings["respect_visitors_privacy"]
        options = {k: v for k, v in (tag.template_options or {}).items() if k not in READ_ONLY_OPTIONS}
        wanted = {
            **{k: v for k, v in options.items() if k not in removed},
            **{k: v for k, v in settings.items() if k in PIWIK_OPTIONS},
        }
        if DIMENSIONS in settings or any(r.startswith("dimension:") for r in removed):
            wanted["piwik_custom_dimensions"] = _dimensions(options, settings.get(DIMENSIONS) or {}, removed)
        if any(not same(options.get(k), wanted.get(k)) for k in set(options) | set(wanted)):
            if tag.template != DEFAULT_TEMPLATE:
                keys = ", ".join(k for k in settings if k in (*PIWIK_OPTIONS, DIMENSIONS))
                raise ProviderError(
                    f"TagConsentType: {keys}: only the Piwik PRO tag (template piwik) has these options; "
                    f"tag {tag.id} is made from template {tag.template!r}"
                )
            changes["template_options"] = wanted
        return changes

    def _set(
        self,
        ctx: Context,
        site_id: str,
        tag: Tag,
        target: tuple[str, dict[str, Any]],
        publish: bool,
        removed: tuple[str, ...] = (),
    ) -> Tag:
        """Bring the tag to ``target`` (consent type, settings) if it differs; publish when something is
        unpublished; return the tag now."""
        changes = self._changes(tag, target[0], target[1], removed)
        if changes:
            ctx.client.tags.update(site_id, tag.id, changes)
        published = publish and (bool(changes) or tag.is_published is False)
        if published:
            ctx.client.versions.publish_draft(site_id)
        return ctx.client.tags.get(site_id, tag.id) if changes or published else tag

    def import_state(self, id_: str) -> dict[str, Any]:
        raise ProviderError(
            "TagConsentType cannot be imported: a tag is read within its app, which the tag id does not name; "
            "declare the resource with site_id (and tag_id): creating it adopts the tag and writes only what differs"
        )

    def create(self, ctx: Context, inputs: TagConsentTypeInputs) -> tuple[str, dict[str, Any]]:
        before = self._find(ctx, inputs)
        found = _found(before, inputs)
        target = (inputs.consent_type, _wanted(inputs))
        tag = self._set(ctx, inputs.site_id, before, target, inputs.publish is not False)
        outs = _outputs(inputs.site_id, tag, before.consent_type, inputs, None)
        published = _published(ctx, inputs.site_id, (tag, before), None)
        # Recorded only when a setting is managed: a consent-type-only resource keeps its small state.
        return tag.id, {**outs, "previous_settings": _previous(found) if found else None, "published": published}

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        site_id = str(state["site_id"])
        try:
            tag = ctx.client.tags.get(site_id, id_)
        except NotFoundError:
            return None
        outs = _outputs(site_id, tag, state.get("previous_consent_type"), None, state)
        published = _published(ctx, site_id, (tag,), state.get("published"))
        return {**outs, "previous_settings": state.get("previous_settings"), "published": published}

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: TagConsentTypeInputs) -> dict[str, Any]:
        try:
            tag = ctx.client.tags.get(inputs.site_id, id_)
        except NotFoundError:
            raise ProviderError(
                f"TagConsentType {id_}: update failed: app {inputs.site_id} has no tag {id_} any more "
                "(run `pulumi refresh` to drop it from the state, then `pulumi up` to set it again)"
            ) from None
        before = tag
        target = (inputs.consent_type, _wanted(inputs))
        tag = self._set(ctx, inputs.site_id, before, target, inputs.publish is not False)
        outs = _outputs(inputs.site_id, tag, state.get("previous_consent_type"), inputs, None)
        published = _published(ctx, inputs.site_id, (tag, before), state.get("published"))
        return {**outs, "previous_settings": state.get("previous_settings"), "published": published}

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        previous = state.get("previous_consent_type")
        if previous is None:
            return
        site_id = str(state["site_id"])
        settings, removed = _restore(state.get("previous_settings"))
        try:
            tag = ctx.client.tags.get(site_id, id_)
            self._set(ctx, site_id, tag, (str(previous), settings), state.get("publish") is not False, removed)
        except NotFoundError:
            pass  # the tag (or the whole app) is gone


def _dimensions(options: dict[str, Any], wanted: dict[str, str], removed: tuple[str, ...]) -> list[dict[str, Any]]:
    """The ``piwik_custom_dimensions`` list with the ``wanted`` ids' values set and the ``removed`` ids dropped
    (``removed`` names them ``dimension:<id>``), every other entry kept in its place."""
    dropped = {r.removeprefix("dimension:") for r in removed if r.startswith("dimension:")}
    out: list[dict[str, Any]] = []
    for entry in options.get("piwik_custom_dimensions") or ():
        key = str(entry.get("id"))
        if key in dropped:
            continue
        out.append({**entry, "value": wanted[key]} if key in wanted else dict(entry))
    present = {str(e.get("id")) for e in out}
    out += [{"id": int(k), "value": v} for k, v in wanted.items() if k not in present]
    return out


def _previous(found: dict[str, Any]) -> dict[str, Any]:
    """What delete writes back: the managed settings' values found at create; ``absent`` ones it removes (a
    dimension id absent at create is named ``dimension:<id>``)."""
    dims = found.pop(DIMENSIONS, None) or {}
    values = {k: v for k, v in found.items() if v is not None}
    if any(v is not None for v in dims.values()):
        values[DIMENSIONS] = {k: v for k, v in dims.items() if v is not None}
    absent = [k for k, v in found.items() if v is None] + [f"dimension:{k}" for k, v in dims.items() if v is None]
    return {"values": values, "absent": sorted(absent)}


def _restore(previous: object) -> tuple[dict[str, Any], tuple[str, ...]]:
    if not isinstance(previous, dict):
        return {}, ()
    values = dict(previous.get("values") or {})
    absent = tuple(k for k in previous.get("absent") or () if k in PIWIK_OPTIONS or k.startswith("dimension:"))
    return values, absent


class TagConsentTypeProvider(PiwikProvider):
    adapter = TagConsentTypeAdapter()


__all__ = ["ConsentType", "TagConsentTypeAdapter", "TagConsentTypeInputs", "TagConsentTypeProvider"]
