"""Site: a Piwik PRO app (Apps API v2) — its identity and tracking scope, not its privacy settings.

Site owns ``name``, ``urls``, ``timezone``, ``currency`` and ``appType``; the consent and privacy attributes
of the same app belong to SitePrivacy (see site_privacy.py), so the two never write the same field.

Creation never makes a duplicate: the app's UUID is chosen here and sent with the POST, so when the answer is
lost (timeout, 5xx, dropped connection) the provider looks the app up by that UUID before trying again. The
UUID is derived from the account and the resource's identity in the program — project, stack and resource name,
the ``creation_key`` the Site resource sets (see :func:`app_id_for`) — so a create repeated after an interrupted
`pulumi up` (whose answer, and so whose id, never reached the state) finds the app it made, while two Sites
never share an app, whatever their names and URLs. An account that refuses a client-chosen id (400) gets apps
with a server-chosen id, recognised after a lost answer by name and URLs (docs/client.md, "Open variants").

Deleting an app erases every visit it ever collected, so delete never takes that lightly: an adopted app
(``adopt_id``) is only forgotten — left as it is, with its settings — and a created app is deleted only when its
state says ``deletion_protection: false`` (the default is true; a state written before the property existed counts
as protected). ``check`` refuses, at preview, a change that would replace (so delete) a protected app.
"""

from __future__ import annotations

import contextlib
import functools
import json
import re
import sys
import uuid
import zoneinfo
from collections.abc import Mapping
from typing import Annotated, Any, ClassVar

from pydantic import AfterValidator, BaseModel, Field

from piwik_resources.api import App, AppAttributes, NotFoundError, ServerError, UnavailableError, ValidationError
from piwik_resources.api.models import AppType

from ._fields import Out, api_names, max_length, prop
from ._validation import InputsModel
from ._values import contains_unknown, same
from .engine import Adapter, Context, PiwikProvider, ProviderError

#: Tries of the app POST whose answer is lost (each followed by a lookup of the id before the next).
CREATE_ATTEMPTS = 5
#: Namespace of the apps' UUIDs (uuid5): fixed, never change it (a changed id would duplicate apps whose
#: create is repeated after an interruption).
APP_ID_NAMESPACE = uuid.UUID("6f1d2c4e-8b0a-5e7f-9c3d-2a4b6c8d0e1f")

UUID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


@functools.cache
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _http_url(url: str) -> str:
    if not re.match(r"^https?://[^/\s]+", url):
        raise ValueError("not an absolute http(s) URL")
    return url


def _iana_timezone(tz: str) -> str:
    if tz not in _timezones():
        raise ValueError("not an IANA time zone such as Europe/Paris or UTC")
    return tz


# The values an app takes, as types: SiteInputs declares its properties with them, and CnilExemptSiteArgs its
# arguments, so that a limit of the Apps API is written once.
#: An app's name, as long as the Apps API's create takes it (its limit is the spec's: api/generated.py).
AppName = Annotated[str, Field(min_length=1, max_length=max_length(AppAttributes, "name"))]
#: One address of an app: an absolute http(s) URL.
AppUrl = Annotated[str, AfterValidator(_http_url)]
#: An IANA time zone such as Europe/Paris.
Timezone = Annotated[str, AfterValidator(_iana_timezone)]
#: An ISO 4217 currency code such as EUR.
Currency = Annotated[str, Field(pattern=r"^[A-Z]{3}$")]
#: The UUID of an app.
AppUuid = Annotated[str, Field(pattern=UUID_PATTERN)]


class SiteInputs(InputsModel):
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

    resource_type: ClassVar[str] = "Site"
    api_model: ClassVar[type[BaseModel] | None] = AppAttributes

    name: AppName = prop(api="name", doc="The app's name.")
    urls: list[AppUrl] = prop(
        api="urls",
        doc="The app's addresses (also the tracker's known URLs: see ``exclude_unknown_urls``).",
        allowed="a non-empty list of http(s) URLs",
        min_length=1,
    )
    timezone: Timezone | None = prop(
        None,
        api="timezone",
        doc="The time zone of the app's reports (a new app: ``UTC``).",
        allowed="an IANA time zone such as Europe/Paris",
        computed=True,
    )
    currency: Currency | None = prop(
        None,
        api="currency",
        doc="The default currency of goal revenues (a new app: ``USD``).",
        allowed="an ISO 4217 code such as EUR",
        computed=True,
    )
    app_type: AppType | None = prop(
        None,
        api="app_type",
        doc="The kind of app, fixed at creation (a new app: ``web``).",
        computed=True,
        replace=True,
    )
    adopt_id: AppUuid | None = prop(
        None,
        doc="An existing app to take under management instead of creating one.",
        allowed="the UUID of an existing app",
        computed=True,
        replace=True,
        nullable_output=True,
    )
    deletion_protection: bool = prop(
        True,
        doc="While true, destroying the resource or a change that replaces the app fails before anything is "
        "deleted (not an API attribute: nothing is sent).",
    )
    creation_key: str | None = prop(
        None,
        doc="``<project>/<stack>/<resource name>``, from which the new app's UUID is derived (set by the Site class).",
        allowed="project/stack/resource name",
        internal=True,
        nullable_output=False,
        min_length=1,
        max_length=1000,
    )

    outputs: ClassVar[dict[str, Out]] = {
        "site_id": Out(str, "The app's UUID."),
        "organization": Out(str, "The organization the app belongs to."),
        "added_at": Out(str, "When the app was created (ISO 8601)."),
    }


#: Pulumi property -> Apps API attribute (Python name of ``AppAttributes``).
FIELDS: dict[str, str] = api_names(SiteInputs)


def _outputs(app: App, adopt_id: str | None, creation_key: str | None, protection: bool) -> dict[str, Any]:
    return {
        "creation_key": creation_key,
        "deletion_protection": protection,
        "name": app.name,
        "urls": list(app.urls or []),
        "timezone": app.timezone,
        "currency": app.currency,
        "app_type": app.app_type,
        "adopt_id": adopt_id,
        "site_id": app.id,
        "organization": app.organization,
        "added_at": app.added_at.isoformat() if app.added_at else None,
    }


def app_id_for(base_url: str, inputs: SiteInputs) -> str:
    """The UUID a new app is created with: a uuid5 of the account, the resource's identity and the app type.

    `pulumi up` killed while a create was in flight leaves a pending create whose id the state never got;
    the next `up` creates the resource again and, with this id, meets the app of the interrupted run ("already
    exists"), looks it up and continues with it instead of making a second one. The identity is the resource's
    (project, stack, resource name), not the app's name or URLs: two Sites are never one app, and a resource
    renamed in the program (a replacement, without an alias) gets a new app rather than taking over the one its
    old self is about to delete. The app type is part of the key so that replacing a Site to change it makes a
    new app. An app made by hand (a random id) is never taken this way.
    """
    if inputs.creation_key is None:
        return str(uuid.uuid4())
    key = [base_url.rstrip("/"), inputs.creation_key, inputs.app_type or ""]
    return str(uuid.uuid5(APP_ID_NAMESPACE, json.dumps(key, ensure_ascii=False)))


class SiteAdapter(Adapter[SiteInputs]):
    resource_type = "Site"
    inputs_model = SiteInputs

    def computed_matches(self, key: str, new: object, old: object, id_: str) -> bool:
        if key == "adopt_id":
            # Adopting the app that is already managed changes nothing.
            return bool(new in (id_, old))
        return same(new, old)

    @staticmethod
    def _desired(inputs: SiteInputs) -> dict[str, Any]:
        values = {api: getattr(inputs, prop) for prop, api in FIELDS.items()}
        return {k: v for k, v in values.items() if v is not None}

    def _converge(self, ctx: Context, app: App, inputs: SiteInputs) -> App:
        """PATCH the fields that differ from ``app``; return the app as it now is."""
        desired = self._desired(inputs)
        wanted_type = desired.pop("app_type", None)
        if wanted_type is not None and app.app_type is not None and wanted_type != app.app_type:
            raise ProviderError(
                f"Site: app {app.id} is of type {app.app_type!r} but app_type asks {wanted_type!r}; "
                "the type is set when an app is created (omit app_type to adopt it as it is)"
            )
        changes = {k: v for k, v in desired.items() if not same(v, getattr(app, k))}
        if not changes:
            return app
        ctx.client.apps.update(app.id, changes)
        return ctx.client.apps.get(app.id)

    def create(self, ctx: Context, inputs: SiteInputs) -> tuple[str, dict[str, Any]]:
        if inputs.adopt_id is not None:
            try:
                app = ctx.client.apps.get(inputs.adopt_id)
            except NotFoundError:
                raise ProviderError(
                    f"Site: adopt_id: no app with id {inputs.adopt_id} exists "
                    f"(GET /api/apps/v2/{inputs.adopt_id} returned HTTP 404)"
                ) from None
            app = self._converge(ctx, app, inputs)
            return app.id, _outputs(app, inputs.adopt_id, inputs.creation_key, inputs.deletion_protection)
        app = self._create_once(ctx, inputs)
        return app.id, _outputs(app, None, inputs.creation_key, inputs.deletion_protection)

    def _create_once(self, ctx: Context, inputs: SiteInputs) -> App:
        app_id = app_id_for(ctx.client.base_url, inputs)
        attrs = self._desired(inputs)
        if ctx.client.apps.client_ids_refused:
            return self._create_server_chosen(ctx, inputs)
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                return ctx.client.apps.create(attrs, app_id=app_id)
            except (UnavailableError, ServerError, ValidationError) as exc:
                if isinstance(exc, ValidationError) and "already exists" not in str(exc):
                    # A 400 applies nothing: an account that refuses client-chosen ids gets a server-chosen one.
                    return self._create_server_chosen(ctx, inputs)
                # The POST may have been applied even though no answer came back: look for the app by the id
                # we chose before sending anything again.
                try:
                    app = ctx.client.apps.get(app_id)
                except NotFoundError:
                    if attempt == CREATE_ATTEMPTS:
                        raise exc from None
                    if isinstance(exc, ValidationError):
                        # The id is taken yet no app answers to it (a service that keeps deleted apps' ids).
                        app_id = str(uuid.uuid4())
                    continue
                return self._converge(ctx, app, inputs)
        raise AssertionError("unreachable")

    def _create_server_chosen(self, ctx: Context, inputs: SiteInputs) -> App:
        """Create without an id; after a lost answer, the app that appeared with this name and these URLs
        since just before the POST is the one it made (docs/client.md, "Open variants")."""
        apps = ctx.client.apps
        before = apps.ids_named(inputs.name)
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            try:
                app = apps.create(self._desired(inputs))
            except (UnavailableError, ServerError):
                found = apps.appeared(inputs.name, inputs.urls, before)
                if found is not None:
                    return self._converge(ctx, found, inputs)
                if attempt == CREATE_ATTEMPTS:
                    raise
                continue
            apps.client_ids_refused = True
            return app
        raise AssertionError("unreachable")

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        try:
            app = ctx.client.apps.get(id_)
        except NotFoundError:
            return None
        return _outputs(app, state.get("adopt_id"), state.get("creation_key"), is_protected(state))

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: SiteInputs) -> dict[str, Any]:
        desired = self._desired(inputs)
        desired.pop("app_type", None)  # replace-on-change, never patched
        changes = {k: v for k, v in desired.items() if not same(v, state.get(k))}
        if changes:
            ctx.client.apps.update(id_, changes)
        app = ctx.client.apps.get(id_)
        adopt_id = inputs.adopt_id or state.get("adopt_id")
        return _outputs(app, adopt_id, inputs.creation_key, inputs.deletion_protection)

    def refuse_replacement(
        self, old_inputs: Mapping[str, object], new_inputs: Mapping[str, object], forcing: str
    ) -> str | None:
        if old_inputs.get("adopt_id") or contains_unknown(new_inputs.get(forcing)):
            return None  # an adopted app is only forgotten; an unknown value is judged again at deployment
        if not (is_protected(old_inputs) or is_protected(new_inputs)):
            return None
        return (
            f"changing {forcing} replaces the app, and replacing deletes the old app with all its analytics "
            f"history; {protection_hint('this replacement', 'change ' + forcing)}"
        )

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        name = state.get("name") or id_
        if state.get("adopt_id"):
            # Adopted apps are never deleted: their history predates the stack. Said on the provider's stderr,
            # which the engine shows with the resource (docs/resources.md).
            print(
                f"Site {id_} ({name!r}): adopted app left in place with its current settings; "
                "the stack forgets it (adopted apps are never deleted)",
                file=sys.stderr,
                flush=True,
            )
            return
        if is_protected(state):
            raise ProviderError(
                f"Site {id_} ({name!r}): not deleted: deleting the app would erase all its analytics history; "
                + protection_hint("the deletion", "destroy again")
            )
        with contextlib.suppress(NotFoundError):
            ctx.client.apps.delete(id_)


def is_protected(values: Mapping[str, object]) -> bool:
    """Whether inputs or state protect the app; a state written before ``deletion_protection`` existed does."""
    return values.get("deletion_protection") is not False


def protection_hint(what: str, then: str) -> str:
    """How to allow ``what``: one wording for the replacement refusal and the deletion refusal."""
    return (
        f"deletion_protection is on. To allow {what}, set deletion_protection=False on this Site (CnilExemptSite: "
        "deletion_protection=False; stack config: `deletion_protection: false` on the site), run `pulumi up` "
        f"(it changes no value on the app), then {then}"
    )


class SiteProvider(PiwikProvider):
    adapter = SiteAdapter()


__all__ = ["FIELDS", "SiteAdapter", "SiteInputs", "SiteProvider", "app_id_for", "is_protected"]
