"""The settings adapter's semantics (adopt on create, pin every per-app value, remember what was there, restore or
reset on delete) over an in-memory object, fast enough for `make mutation`; tests/providers/test_settings_live.py
runs the real resources against the emulator."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, ClassVar

import pytest

from piwik_resources.api import NotFoundError
from piwik_resources.providers._fields import prop
from piwik_resources.providers._settings import PINNED, PREVIOUS, SettingsAdapter
from piwik_resources.providers._validation import InputsModel
from piwik_resources.providers.engine import Context, PiwikProvider, ProviderError

CTX = Context(lambda: None)  # type: ignore[arg-type,return-value]  # these adapters never use the client
OBJECTS: dict[str, dict[str, Any]] = {}
WRITES: list[tuple[str, dict[str, Any]]] = []
RESETS: list[tuple[str, list[str]]] = []


class KnobInputs(InputsModel):
    resource_type: ClassVar[str] = "Knobs"

    site_id: str | None = prop(None, doc="The owning object.")
    level: int | None = prop(None, doc="A level.", api="api_level")
    flag: bool | None = prop(None, doc="A flag.", api="api_flag")


class KnobAdapter(SettingsAdapter[KnobInputs]):
    resource_type = "Knobs"
    inputs_model = KnobInputs

    def fetch(self, ctx: Context, parent: str) -> Mapping[str, Any]:
        assert ctx is CTX  # the engine's context reaches every call
        if parent not in OBJECTS:
            raise NotFoundError(method="GET", path=f"/objects/{parent}", status=404, detail="gone")
        return dict(OBJECTS[parent])

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        assert ctx is CTX
        WRITES.append((parent, dict(changes)))
        OBJECTS[parent].update(changes)

    def reset(self, ctx: Context, parent: str, attributes: list[str]) -> None:
        assert ctx is CTX
        RESETS.append((parent, list(attributes)))
        for attribute in attributes:
            OBJECTS[parent][attribute] = "default"


class ResettingAdapter(KnobAdapter):
    restore_on_delete = False


class GlobalAdapter(KnobAdapter):
    parent_key = None


@pytest.fixture(autouse=True)
def _objects() -> Iterator[None]:
    OBJECTS.clear()
    WRITES.clear()
    RESETS.clear()
    OBJECTS["app"] = {"api_level": 1, "api_flag": False, "api_other": "x"}
    OBJECTS["global"] = {"api_level": 4, "api_flag": True}
    yield


def test_the_managed_fields_are_the_declared_api_names() -> None:
    assert KnobAdapter.fields == {"level": "api_level", "flag": "api_flag"}


def test_create_pins_every_managed_value_and_remembers_what_was_there() -> None:
    id_, outs = KnobAdapter().create(CTX, KnobInputs(site_id="app", level=2, flag=False))
    assert id_ == "app"
    # flag is False already, and is written all the same: per app, an equal value may only be inherited.
    assert WRITES == [("app", {"api_level": 2, "api_flag": False})]
    assert outs == {
        "level": 2,
        "flag": False,
        "site_id": "app",
        PREVIOUS: {"level": 1, "flag": False},
        PINNED: ["level", "flag"],
    }


def test_a_per_app_create_writes_even_an_equal_value_and_the_singleton_does_not() -> None:
    _, outs = KnobAdapter().create(CTX, KnobInputs(site_id="app", level=1))
    assert WRITES == [("app", {"api_level": 1})]
    assert outs == {"level": 1, "site_id": "app", PREVIOUS: {"level": 1}, PINNED: ["level"]}
    WRITES.clear()
    _, outs = GlobalAdapter().create(CTX, KnobInputs(level=4))
    assert WRITES == []  # the account's own value: nothing to inherit from
    assert outs == {"level": 4, PREVIOUS: {"level": 4}}


def test_create_with_nothing_managed_writes_nothing() -> None:
    _, outs = KnobAdapter().create(CTX, KnobInputs(site_id="app"))
    assert WRITES == []
    assert outs == {"site_id": "app", PREVIOUS: {}, PINNED: []}


def test_create_on_a_missing_parent_names_it() -> None:
    with pytest.raises(ProviderError) as info:
        KnobAdapter().create(CTX, KnobInputs(site_id="nope", level=2))
    assert str(info.value).startswith("Knobs: create failed: app nope does not exist (GET /objects/nope")


def test_the_parent_must_be_set() -> None:
    with pytest.raises(ProviderError, match=r"^Knobs: site_id is not set$"):
        KnobAdapter().create(CTX, KnobInputs(level=2))


def test_read_reports_the_managed_fields_only_and_none_when_gone() -> None:
    OBJECTS["app"]["api_level"] = 3
    state = {"site_id": "app", "level": 2, PREVIOUS: {"level": 1}, PINNED: ["level"]}
    assert KnobAdapter().read(CTX, "app", state) == {
        "level": 3,
        "site_id": "app",
        PREVIOUS: {"level": 1},
        PINNED: ["level"],
    }
    del OBJECTS["app"]
    assert KnobAdapter().read(CTX, "app", state) is None


def test_update_remembers_a_newly_managed_field_and_restores_a_dropped_one() -> None:
    OBJECTS["app"]["api_level"] = 2
    state = {"site_id": "app", "level": 2, PREVIOUS: {"level": 1}, PINNED: ["level"]}
    outs = KnobAdapter().update(CTX, "app", state, KnobInputs(site_id="app", flag=True))
    assert WRITES == [("app", {"api_flag": True, "api_level": 1})]
    assert outs == {"flag": True, "site_id": "app", PREVIOUS: {"flag": False}, PINNED: ["flag"]}
    assert OBJECTS["app"]["api_level"] == 1


def test_update_without_changes_writes_nothing_and_keeps_previous() -> None:
    state = {"site_id": "app", "level": 1, PREVIOUS: {"level": 0}, PINNED: ["level"]}
    outs = KnobAdapter().update(CTX, "app", state, KnobInputs(site_id="app", level=1))
    assert WRITES == [] and RESETS == []
    assert outs[PREVIOUS] == {"level": 0} and outs[PINNED] == ["level"]


def test_a_newly_managed_value_equal_to_the_live_one_is_pinned_by_the_update() -> None:
    state = {"site_id": "app", "level": 1, PREVIOUS: {"level": 1}, PINNED: ["level"]}
    outs = KnobAdapter().update(CTX, "app", state, KnobInputs(site_id="app", level=1, flag=False))
    assert WRITES == [("app", {"api_flag": False})]
    assert outs[PINNED] == ["level", "flag"]


class KnobProvider(PiwikProvider):
    adapter = KnobAdapter()


class GlobalKnobProvider(PiwikProvider):
    adapter = GlobalAdapter()


def test_a_state_from_before_pinning_is_stale_until_an_update_pins_it() -> None:
    """The upgrade path: a state without ``pinned`` is a diff, its update writes the equal values once."""
    old = {"site_id": "app", "level": 1, "flag": False, PREVIOUS: {"level": 1, "flag": False}}
    news = {"site_id": "app", "level": 1, "flag": False}
    assert KnobAdapter().stale(old) == ["level", "flag"]
    assert KnobProvider().diff("app", old, news).changes is True
    outs = KnobAdapter().update(CTX, "app", old, KnobInputs(site_id="app", level=1, flag=False))
    assert WRITES == [("app", {"api_level": 1, "api_flag": False})]
    assert KnobAdapter().stale(outs) == []
    assert KnobProvider().diff("app", outs, news).changes is False
    # The singleton pins nothing, so nothing of its state is stale.
    assert GlobalAdapter().stale({"level": 4, PREVIOUS: {"level": 3}}) == []
    assert GlobalKnobProvider().diff("global", {"level": 4, PREVIOUS: {"level": 3}}, {"level": 4}).changes is False


def test_update_of_a_missing_parent_names_it() -> None:
    with pytest.raises(ProviderError, match=r"^Knobs: update failed: app nope does not exist"):
        KnobAdapter().update(CTX, "nope", {"site_id": "nope", "level": 1}, KnobInputs(site_id="nope", level=2))


def test_a_dropped_field_is_reset_when_the_adapter_does_not_restore() -> None:
    state = {"site_id": "app", "level": 2, "flag": True, PINNED: ["level", "flag"]}
    outs = ResettingAdapter().update(CTX, "app", state, KnobInputs(site_id="app", flag=True))
    assert RESETS == [("app", ["api_level"])]
    assert outs == {"flag": True, "site_id": "app", PINNED: ["flag"]}  # nothing to restore, so no `previous`
    assert OBJECTS["app"]["api_level"] == "default"


def test_delete_restores_what_was_there_unless_it_is_already_back_or_unknown() -> None:
    OBJECTS["app"].update(api_level=2, api_flag=False)
    KnobAdapter().delete(CTX, "app", {"site_id": "app", "level": 2, "flag": False, PREVIOUS: {"level": 1}})
    assert WRITES == [("app", {"api_level": 1})]


def test_delete_resets_when_the_adapter_does_not_restore_and_ignores_a_gone_parent() -> None:
    ResettingAdapter().delete(CTX, "app", {"site_id": "app", "level": 2})
    assert RESETS == [("app", ["api_level"])]
    del OBJECTS["app"]
    KnobAdapter().delete(CTX, "app", {"site_id": "app", "level": 2, PREVIOUS: {"level": 1}})
    assert WRITES == []


def test_a_singleton_has_no_parent_key() -> None:
    id_, outs = GlobalAdapter().create(CTX, KnobInputs(level=4, flag=False))
    assert id_ == "global"
    assert outs == {"level": 4, "flag": False, PREVIOUS: {"level": 4, "flag": True}}
    assert GlobalAdapter().read(CTX, "global", {"level": 4}) == {"level": 4, PREVIOUS: {}}
    del OBJECTS["global"]
    with pytest.raises(ProviderError, match=r"^Knobs: create failed: global does not exist"):
        GlobalAdapter().create(CTX, KnobInputs(level=1))


def test_update_reports_the_values_read_back_after_writing() -> None:
    state = {"site_id": "app", "level": 1, PINNED: ["level"]}
    outs = KnobAdapter().update(CTX, "app", state, KnobInputs(site_id="app", level=3))
    assert WRITES == [("app", {"api_level": 3})]
    assert outs["level"] == 3


def test_a_singleton_restores_on_delete() -> None:
    GlobalAdapter().delete(CTX, "global", {"level": 4, PREVIOUS: {"level": 3}})
    assert WRITES == [("global", {"api_level": 3})]


class RecordingRestoreAdapter(KnobAdapter):
    """Records what `restore` receives (GlobalTrackerSettings reads its kept app ids from that state)."""

    restored: ClassVar[list[tuple[str, dict[str, Any], Mapping[str, object]]]] = []

    def restore(self, ctx: Context, parent: str, changes: dict[str, Any], state: Mapping[str, object]) -> None:
        self.restored.append((parent, dict(changes), state))
        super().restore(ctx, parent, changes, state)


def test_delete_hands_restore_the_state_of_the_resource() -> None:
    RecordingRestoreAdapter.restored.clear()
    state = {"site_id": "app", "level": 2, "kept": ["a1"], PREVIOUS: {"level": 3}}
    RecordingRestoreAdapter().delete(CTX, "app", state)
    assert RecordingRestoreAdapter.restored == [("app", {"api_level": 3}, state)]
    assert WRITES == [("app", {"api_level": 3})]


def test_an_import_by_the_parents_id_manages_nothing_yet() -> None:
    assert KnobAdapter().import_state("app-7") == {"site_id": "app-7"}
    assert GlobalAdapter().import_state("global") == {}  # a singleton is found without a parent


def test_delete_writes_nothing_when_the_value_found_at_create_is_back() -> None:
    KnobAdapter().delete(CTX, "app", {"site_id": "app", "level": 2, "flag": False, PREVIOUS: {"level": 1}})
    assert WRITES == []  # api_level is 1 again: restoring would be a useless write


class VanishingAdapter(KnobAdapter):
    """The parent disappears right after a write (deleted by someone else in between)."""

    def write(self, ctx: Context, parent: str, changes: dict[str, Any]) -> None:
        super().write(ctx, parent, changes)
        del OBJECTS[parent]


@pytest.mark.parametrize("op", ["create", "update"])
def test_a_parent_gone_after_the_write_names_the_operation(op: str) -> None:
    adapter = VanishingAdapter()
    with pytest.raises(ProviderError, match=rf"^Knobs: {op} failed: app app does not exist"):
        if op == "create":
            adapter.create(CTX, KnobInputs(site_id="app", level=2))
        else:
            adapter.update(CTX, "app", {"site_id": "app", "level": 1}, KnobInputs(site_id="app", level=2))


def test_a_settings_adapter_maps_the_properties_declared_with_an_api_name() -> None:
    # Defined here, not at import: the mapping is made when the class statement runs.
    class Declared(SettingsAdapter[KnobInputs]):
        inputs_model = KnobInputs

    class Inheriting(Declared):
        parent_key = None

    assert Declared.fields == {"level": "api_level", "flag": "api_flag"}  # site_id has no API name
    assert Inheriting.fields == {"level": "api_level", "flag": "api_flag"}
    assert "fields" not in Inheriting.__dict__  # inherited, not derived again
