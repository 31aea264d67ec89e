"""What the read-only listings of an app's objects share (SiteCustomDimensions, SiteTags): read, never write.

Create, refresh and update list the objects (an adapter's ``items``); delete only forgets the list. A listing
whose app is gone is gone (read returns None); create fails then, naming ``site_id``.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from ._fields import prop
from ._validation import InputsModel
from .engine import Adapter, Context, ProviderError
from .site import UUID_PATTERN

In = TypeVar("In", bound=InputsModel)


def listed_app(listed: str) -> Any:
    """The ``site_id`` input every listing has: the app whose ``listed`` it reads (a new app replaces it)."""
    return prop(
        doc=f"The app whose {listed} are listed.",
        allowed="the UUID of an app",
        replace=True,
        pattern=UUID_PATTERN,
    )


class AppListingAdapter(Adapter[In]):
    """A subclass sets ``list_key`` (the output holding the list) and ``items``; inputs have ``site_id``."""

    list_key: ClassVar[str] = "items"

    def items(self, ctx: Context, site_id: str) -> list[dict[str, Any]] | None:
        """The app's objects as output entries, or None when the app does not exist."""
        raise NotImplementedError

    def _outputs(self, ctx: Context, site_id: str) -> dict[str, Any] | None:
        found = self.items(ctx, site_id)
        return None if found is None else {"site_id": site_id, self.list_key: found}

    def import_state(self, id_: str) -> dict[str, Any]:
        return {"site_id": id_}

    def create(self, ctx: Context, inputs: In) -> tuple[str, dict[str, Any]]:
        site_id = str(inputs.model_dump(include={"site_id"})["site_id"])
        outs = self._outputs(ctx, site_id)
        if outs is None:
            raise ProviderError(f"{self.resource_type}: site_id: app {site_id} does not exist")
        return site_id, outs

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        return self._outputs(ctx, str(state.get("site_id") or id_))

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: In) -> dict[str, Any]:
        site_id = str(inputs.model_dump(include={"site_id"})["site_id"])
        return self._outputs(ctx, site_id) or {"site_id": site_id, self.list_key: []}

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        """Nothing to delete: the resource only reads."""
