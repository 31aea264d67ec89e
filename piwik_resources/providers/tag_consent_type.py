"""TagConsentType: the consent type of one Tag Manager tag, published so that it takes effect.

The tag is ``tag_id`` when given, otherwise the app's tag made from ``template`` (default ``piwik``, the
"Piwik PRO" tracking tag every app gets); exactly one such tag must exist. The resource id is the tag id.
Create records the tag's consent type as found (``previous_consent_type``); delete writes it back. After every
change the Tag Manager draft is published (``publish: false`` leaves it as a draft) and the publication is
awaited, because tag changes only reach the website once published.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from piwik_resources.api import NotFoundError, Tag
from piwik_resources.api.models import ConsentType
from piwik_resources.api.services.tag_manager import TagWaitTimeoutError

from ._validation import InputsModel
from ._values import same
from .engine import Adapter, Context, PiwikProvider, ProviderError
from .site import UUID_PATTERN

DEFAULT_TEMPLATE = "piwik"


class TagConsentTypeInputs(InputsModel):
    resource_type: ClassVar[str] = "TagConsentType"

    site_id: str = Field(pattern=UUID_PATTERN, json_schema_extra={"allowed": "the UUID of an app"})
    consent_type: ConsentType = Field(
        json_schema_extra={
            "allowed": "not_require_consent, analytics, ab_testing_and_personalization, conversion_tracking, "
            "marketing_automation, remarketing, user_feedback, custom_consent"
        }
    )
    tag_id: str | None = Field(
        None, pattern=UUID_PATTERN, json_schema_extra={"allowed": "the UUID of a tag of the app"}
    )
    template: str | None = Field(None, min_length=1, json_schema_extra={"allowed": "a tag template such as piwik"})
    publish: bool | None = None


def _outputs(
    site_id: str, tag: Tag, previous: Any, inputs: TagConsentTypeInputs | None, state: dict[str, Any] | None
) -> dict[str, Any]:
    publish = inputs.publish if inputs is not None else (state or {}).get("publish")
    return {
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
    replace_on_change = frozenset({"site_id", "tag_id", "template"})
    computed_keys = frozenset({"tag_id", "template"})

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
    def _set(ctx: Context, site_id: str, tag: Tag, consent_type: str, publish: bool) -> Tag:
        """Set the consent type if it differs; publish when something is unpublished; return the tag now."""
        changed = not same(tag.consent_type, consent_type)
        if changed:
            ctx.client.tags.update(site_id, tag.id, {"consent_type": consent_type})
        if publish and (changed or tag.is_published is False):
            ctx.client.versions.publish_draft(site_id)
        return ctx.client.tags.get(site_id, tag.id) if changed else tag

    def create(self, ctx: Context, inputs: TagConsentTypeInputs) -> tuple[str, dict[str, Any]]:
        tag = self._find(ctx, inputs)
        previous = tag.consent_type
        tag = self._set(ctx, inputs.site_id, tag, inputs.consent_type, inputs.publish is not False)
        return tag.id, _outputs(inputs.site_id, tag, previous, inputs, None)

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        site_id = str(state["site_id"])
        try:
            tag = ctx.client.tags.get(site_id, id_)
        except NotFoundError:
            return None
        return _outputs(site_id, tag, state.get("previous_consent_type"), None, state)

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: TagConsentTypeInputs) -> dict[str, Any]:
        try:
            tag = ctx.client.tags.get(inputs.site_id, id_)
        except NotFoundError:
            raise ProviderError(
                f"TagConsentType {id_}: update failed: app {inputs.site_id} has no tag {id_} any more "
                "(run `pulumi refresh` to drop it from the state, then `pulumi up` to set it again)"
            ) from None
        tag = self._set(ctx, inputs.site_id, tag, inputs.consent_type, inputs.publish is not False)
        return _outputs(inputs.site_id, tag, state.get("previous_consent_type"), inputs, None)

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        previous = state.get("previous_consent_type")
        if previous is None:
            return
        site_id = str(state["site_id"])
        try:
            tag = ctx.client.tags.get(site_id, id_)
            self._set(ctx, site_id, tag, str(previous), state.get("publish") is not False)
        except NotFoundError:
            pass  # the tag (or the whole app) is gone


class TagConsentTypeProvider(PiwikProvider):
    adapter = TagConsentTypeAdapter()


__all__ = ["ConsentType", "TagConsentTypeAdapter", "TagConsentTypeInputs", "TagConsentTypeProvider"]
