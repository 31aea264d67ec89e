"""ConsentTemplate: the texts of an app's consent form in one language.

Piwik PRO publishes no API for Consent Manager form templates (docs/cnil-exemption.md §3). Two modes:

* ``mode="api"`` (default) writes through the client's consent template adapter, whose paths are NOT part
  of Piwik PRO's published reference (the project's emulator serves them). Against a host that lacks them,
  create and update fail with a message that names the UI path and the exact text to paste — never a
  silent success.
* ``mode="manual"`` records the texts in the state without any API call; ``manual_instructions`` holds the
  step to do by hand and ``pending_manual_step`` is true (the compliance report lists it).

The resource id is ``<site_id>/<language>``.
"""

from __future__ import annotations

import contextlib
from typing import Any, ClassVar, Literal

from pydantic import BaseModel

from piwik_resources.api import (
    ConsentTemplate,
    ConsentTemplateApiUnavailable,
    ConsentTemplateAttributes,
    NotFoundError,
)

from ._fields import Out, api_names, prop
from ._validation import InputsModel
from .engine import Adapter, Context, PiwikProvider, ProviderError
from .site import UUID_PATTERN

UI_PATH = "Gestionnaire de consentement → Modèles de consentement → Choisir un formulaire → Modifier le modèle"
UI_PATH_EN = "Consent Manager → Consent form templates → Choose a form → Edit template"

#: Where the provider writes the texts: through the (unpublished) API, or nowhere (the user pastes them).
ConsentTemplateMode = Literal["api", "manual"]


class ConsentTemplateInputs(InputsModel):
    """Inputs of :class:`ConsentTemplate`.

    ``mode="api"`` (default) writes the template through the consent template API, which Piwik PRO does not
    publish (the emulator serves it); on a host without it, create/update fail with the UI path and the exact
    text to paste. ``mode="manual"`` makes no API call: the texts are kept in the state and
    ``manual_instructions`` says what to do by hand. Changing ``site_id`` or ``language`` replaces it.
    """

    resource_type: ClassVar[str] = "ConsentTemplate"
    api_model: ClassVar[type[BaseModel] | None] = ConsentTemplateAttributes

    site_id: str = prop(
        doc="The app whose consent form this is.", allowed="the UUID of an app", replace=True, pattern=UUID_PATTERN
    )
    language: str = prop(
        doc="The language of the texts.",
        allowed="a language code such as fr or fr-FR",
        replace=True,
        pattern=r"^[a-z]{2}(-[A-Z]{2})?$",
    )
    title: str = prop(api="title", doc="The consent form's title.", min_length=1, max_length=255)
    message: str = prop(api="message", doc="The consent form's message.", min_length=1, max_length=5000)
    accept_label: str | None = prop(
        None, api="accept_label", doc="The label of the accept button.", min_length=1, max_length=100
    )
    reject_label: str | None = prop(
        None, api="reject_label", doc="The label of the reject button.", min_length=1, max_length=100
    )
    privacy_policy_url: str | None = prop(
        None,
        api="privacy_policy_url",
        doc="The privacy policy the form links to.",
        allowed="an absolute http(s) URL",
        pattern=r"^https?://\S+$",
    )
    mode: ConsentTemplateMode | None = prop(
        None, doc="``api`` (default): written through the API; ``manual``: no API call."
    )

    outputs: ClassVar[dict[str, Out]] = {
        "pending_manual_step": Out(bool, "True in manual mode: the texts still have to be pasted in the UI."),
        "manual_instructions": Out(str | None, "In manual mode, the step to do by hand with the exact texts."),
    }


#: The texts: the properties that are ConsentTemplateAttributes fields.
TEXT_FIELDS = tuple(api_names(ConsentTemplateInputs))


def _texts(source: dict[str, Any] | ConsentTemplateInputs) -> dict[str, Any]:
    if isinstance(source, ConsentTemplateInputs):
        return {f: getattr(source, f) for f in TEXT_FIELDS if getattr(source, f) is not None}
    return {f: source[f] for f in TEXT_FIELDS if source.get(f) is not None}


def manual_instructions(language: str, texts: dict[str, Any]) -> str:
    """The step to do by hand in the Piwik PRO UI, with the exact texts to paste."""
    lines = [
        f"In Piwik PRO: {UI_PATH} ({UI_PATH_EN}), language {language!r}; paste:",
        *(f"  {name}: «{value}»" for name, value in texts.items()),
    ]
    return "\n".join(lines)


def _outputs(site_id: str, language: str, texts: dict[str, Any], mode: str | None) -> dict[str, Any]:
    manual = mode == "manual"
    return {
        "site_id": site_id,
        "language": language,
        **{f: texts.get(f) for f in TEXT_FIELDS},
        "mode": mode,
        "pending_manual_step": manual,
        "manual_instructions": manual_instructions(language, texts) if manual else None,
    }


def _from_api(template: ConsentTemplate) -> dict[str, Any]:
    return {f: getattr(template, f) for f in TEXT_FIELDS if getattr(template, f) is not None}


class ConsentTemplateAdapter(Adapter[ConsentTemplateInputs]):
    resource_type = "ConsentTemplate"
    inputs_model = ConsentTemplateInputs
    replace_on_change = frozenset({"site_id", "language"})

    @staticmethod
    def _put(ctx: Context, inputs: ConsentTemplateInputs) -> dict[str, Any]:
        texts = _texts(inputs)
        try:
            current = ctx.client.consent_templates.get(inputs.site_id, inputs.language)
            if current is not None and _from_api(current) == texts:
                return texts  # already as wanted (e.g. an adopted template): nothing to send
            return _from_api(ctx.client.consent_templates.put(inputs.site_id, inputs.language, texts))
        except ConsentTemplateApiUnavailable as exc:
            raise ProviderError(
                f"ConsentTemplate {inputs.site_id}/{inputs.language}: {exc}\n"
                f"{manual_instructions(inputs.language, texts)}\n"
                'Then set mode="manual" on this resource so that the state records the texts without any '
                "API call."
            ) from None
        except NotFoundError as exc:
            raise ProviderError(f"ConsentTemplate: site_id: app {inputs.site_id} does not exist ({exc})") from None

    def import_state(self, id_: str) -> dict[str, Any]:
        site_id, _, language = id_.partition("/")
        if not language:
            raise ProviderError(f"ConsentTemplate: import id {id_!r}: allowed: <site_id>/<language>")
        return {"site_id": site_id, "language": language}

    def create(self, ctx: Context, inputs: ConsentTemplateInputs) -> tuple[str, dict[str, Any]]:
        id_ = f"{inputs.site_id}/{inputs.language}"
        texts = _texts(inputs) if inputs.mode == "manual" else self._put(ctx, inputs)
        return id_, _outputs(inputs.site_id, inputs.language, texts, inputs.mode)

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        site_id, language = str(state["site_id"]), str(state["language"])
        mode = state.get("mode")
        if mode == "manual":
            return _outputs(site_id, language, _texts(state), mode)  # nothing to read: the UI holds it
        try:
            current = ctx.client.consent_templates.get(site_id, language)
        except NotFoundError:
            return None  # the app is gone, and its templates with it
        if current is None:
            return None
        return _outputs(site_id, language, _from_api(current), mode)

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: ConsentTemplateInputs) -> dict[str, Any]:
        texts = _texts(inputs) if inputs.mode == "manual" else self._put(ctx, inputs)
        return _outputs(inputs.site_id, inputs.language, texts, inputs.mode)

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        if state.get("mode") == "manual":
            return
        with contextlib.suppress(NotFoundError):
            ctx.client.consent_templates.delete(str(state["site_id"]), str(state["language"]))


class ConsentTemplateProvider(PiwikProvider):
    adapter = ConsentTemplateAdapter()


__all__ = [
    "UI_PATH",
    "ConsentTemplateAdapter",
    "ConsentTemplateInputs",
    "ConsentTemplateProvider",
    "manual_instructions",
]
