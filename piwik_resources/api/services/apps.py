"""Apps API v2 (``/api/apps/v2``): apps are the sites; attributes are camelCase on the wire.

The spec does not say whether a create may carry a client-chosen id. The providers send one (it makes a lost
answer harmless, see providers/site.py); an account that refuses it is remembered in :attr:`AppsService.
client_ids_refused`, and then apps are created with a server-chosen id, recognised after a lost answer by
:meth:`AppsService.appeared` (docs/client.md, "Open variants").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from ..jsonapi import document
from ..models import APP_EDITABLE_FIELDS, App, AppAttributes, AppSummary
from ._base import Service, paginate, to_wire

__all__ = ["AppsService"]

APPS = "/api/apps/v2"
APP = "/api/apps/v2/{app_id}"
APP_TYPE = "ppms/app"


class AppsService(Service):
    page_size = 100
    #: Set once this account answered 400 to a create with a client-chosen id (and took one without).
    client_ids_refused = False

    def list(self, search: str | None = None) -> Iterator[AppSummary]:
        """Every app visible to the credentials (name, addedAt, updatedAt), oldest first, page by page."""

        def fetch(offset: int, limit: int) -> tuple[list[AppSummary], int | None]:
            params: dict[str, Any] = {"offset": offset, "limit": limit, "sort": "addedAt"}
            if search:
                params["search"] = search
            return self._many(AppSummary, "GET", APPS, params=params)

        return paginate(fetch, self.page_size)

    def get(self, app_id: str) -> App:
        return self._one(App, "GET", APP, path_params={"app_id": app_id})

    def create(self, attrs: AppAttributes | Mapping[str, Any], app_id: str | None = None) -> App:
        """Create an app (``POST``, 201 with every attribute). ``app_id`` chooses the UUID."""
        model = attrs if isinstance(attrs, AppAttributes) else AppAttributes.model_validate(attrs)
        attributes = model.to_attributes()
        if app_id is not None:
            attributes["id"] = app_id
        return self._one(App, "POST", APPS, json=document(APP_TYPE, attributes))

    def update(self, app_id: str, changes: Mapping[str, Any] | AppAttributes) -> None:
        """PATCH only the given attributes (Python names or camelCase); nothing is sent when empty."""
        if isinstance(changes, AppAttributes):
            attributes = {k: v for k, v in changes.to_attributes().items() if k in APP_EDITABLE_FIELDS}
        else:
            attributes = to_wire(AppAttributes, changes, what="app")
            if "appType" in attributes:
                raise ValueError("app attribute 'appType' can only be set when the app is created")
        if not attributes:
            return
        self._call("PATCH", APP, path_params={"app_id": app_id}, json=document(APP_TYPE, attributes, id=app_id))

    def ids_named(self, name: str) -> set[str]:
        """Ids of the apps whose name is exactly ``name`` (the API's ``search`` is a substring match)."""
        return {a.id for a in self.list(search=name) if a.name == name}

    def appeared(self, name: str, urls: Sequence[str], before: set[str]) -> App | None:
        """The app named ``name`` with exactly ``urls`` that is not in ``before``: what a create whose answer
        was lost made (``before`` = :meth:`ids_named` taken just before that create)."""
        for app_id in sorted(self.ids_named(name) - before):
            app = self.get(app_id)
            if list(app.urls or []) == list(urls):
                return app
        return None

    def delete(self, app_id: str) -> None:
        self._call("DELETE", APP, path_params={"app_id": app_id})
