"""A fake adapter over an in-memory dict, to test the engine's semantics without any HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from piwik_resources.api import NotFoundError, ValidationError
from piwik_resources.providers import _connection
from piwik_resources.providers._fields import Out, prop
from piwik_resources.providers._validation import InputsModel
from piwik_resources.providers.engine import Adapter, Context, PiwikProvider

STORE: dict[str, dict[str, Any]] = {}
CALLS: list[str] = []


class WidgetInputs(InputsModel):
    resource_type: ClassVar[str] = "Widget"

    name: str = prop(doc="A name.", min_length=1, max_length=10)
    size: int | None = prop(None, doc="A size.", allowed="0, 1, 2, 3, 4", ge=0, le=4)
    color: str | None = prop(None, doc="A colour.", pattern="^(red|blue)$")
    kind: str | None = prop(None, doc="A kind.")
    tags: list[str] | None = prop(None, doc="Tags.")
    ref: str | None = prop(None, doc="A lookup key: the provider fills it in when unset.")

    outputs: ClassVar[dict[str, Out]] = {"widget_id": Out(str, "The widget's id.")}


class WidgetAdapter(Adapter[WidgetInputs]):
    resource_type = "Widget"
    inputs_model = WidgetInputs
    replace_on_change = frozenset({"kind", "ref"})
    computed_keys = frozenset({"ref"})

    def create(self, ctx: Context, inputs: WidgetInputs) -> tuple[str, dict[str, Any]]:
        CALLS.append("create")
        if inputs.name == "boom":
            raise ValidationError(
                method="POST", path="/widgets", status=400, detail="name boom refused; secret=s3cr3t-value"
            )
        id_ = f"w{len(STORE) + 1}"
        obj = inputs.model_dump(exclude_none=True)
        obj.setdefault("ref", f"ref-{id_}")
        STORE[id_] = obj
        return id_, {**obj, "widget_id": id_}

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        CALLS.append("read")
        obj = STORE.get(id_)
        if obj is None:
            return None
        keys = [k for k in state if k in WidgetInputs.model_fields]
        return {**{k: obj.get(k) for k in keys}, "widget_id": id_}

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: WidgetInputs) -> dict[str, Any]:
        CALLS.append("update")
        if id_ not in STORE:
            raise NotFoundError(method="PATCH", path=f"/widgets/{id_}", status=404, detail="no such widget")
        obj = STORE[id_]
        for k, v in inputs.model_dump(exclude_none=True).items():
            obj[k] = v
        keys = [k for k, v in inputs.model_dump().items() if v is not None]
        return {**{k: obj[k] for k in keys}, "ref": obj["ref"], "widget_id": id_}

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        CALLS.append("delete")
        assert ctx.client is not None  # builds (or fails to build) the connection like a real adapter
        STORE.pop(id_, None)


class WidgetProvider(PiwikProvider):
    adapter = WidgetAdapter()


@pytest.fixture
def fake_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """An empty store, no PIWIK_* connection in the environment, and no real client built by anyone."""
    STORE.clear()
    CALLS.clear()
    for var in ("PIWIK_BASE_URL", "PIWIK_CLIENT_ID", "PIWIK_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)
    # The fake adapter never touches the client; make sure nothing builds a real one.
    _connection.set_client_factory(lambda conn: object())  # type: ignore[arg-type,return-value]
    yield
    _connection.set_client_factory(None)
