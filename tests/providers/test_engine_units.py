"""The engine's smaller promises, each pinned by a test (written against the survivors of `make mutation`,
docs/mutation.md): what is scrubbed from messages, what the adapter hooks receive, how a replacement is
ordered, how an unpickled provider behaves, and which operation a message names."""

from __future__ import annotations

import pickle
from typing import Any, ClassVar

import pytest
from pulumi.dynamic import Config, ConfigureRequest
from pydantic import Field

from piwik_resources.api import ServerError
from piwik_resources.providers import _connection
from piwik_resources.providers._fields import prop
from piwik_resources.providers._validation import InputsModel
from piwik_resources.providers._values import UNKNOWN
from piwik_resources.providers.engine import Adapter, Context, PiwikProvider, ProviderError, _scrub

from .fake import WidgetAdapter, WidgetInputs, WidgetProvider, fake_world  # noqa: F401 (the fixture of pytestmark)

SECRET = "s3cr3t-value"
CONFIG = {"piwik:baseUrl": "http://127.0.0.1:1", "piwik:clientId": "cid", "piwik:clientSecret": SECRET}


pytestmark = pytest.mark.usefixtures("fake_world")


def configured(cls: type[PiwikProvider] = WidgetProvider) -> PiwikProvider:
    provider = cls()
    provider.configure(ConfigureRequest(Config(CONFIG, "proj")))
    return provider


# --- scrubbing -------------------------------------------------------------------------------------------------


def test_scrub_replaces_every_secret_of_four_characters_or_more_by_three_stars() -> None:
    assert _scrub("a abcd b abcd", ["abcd"]) == "a *** b ***"
    # Shorter strings would blank out ordinary words of the message, and an empty one would match everywhere.
    assert _scrub("a abc b", ["abc", ""]) == "a abc b"


# --- the adapter hooks receive the property and the object id -------------------------------------------------


class LookupAdapter(WidgetAdapter):
    """A computed ``ref`` that matches whatever the program says (a lookup that always finds the object)."""

    delete_before_replace = True
    seen: list[tuple[str, Any, Any, str]] = []  # noqa: RUF012 (a test probe)

    def computed_matches(self, key: str, new: Any, old: Any, id_: str) -> bool:
        self.seen.append((key, new, old, id_))
        return True

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        raise ServerError(method="GET", path=f"/widgets/{id_}", status=500, detail="boom")


class LookupProvider(PiwikProvider):
    adapter = LookupAdapter()


def test_computed_matches_is_asked_with_the_key_and_the_object_id() -> None:
    LookupAdapter.seen.clear()
    diff = configured(LookupProvider).diff("w7", {"name": "a", "ref": "old"}, {"name": "a", "ref": "new"})
    assert LookupAdapter.seen == [("ref", "new", "old", "w7")]
    assert diff.changes is False  # the adapter said it matches


def test_an_unknown_computed_value_is_a_change_whatever_the_adapter_says() -> None:
    diff = configured(LookupProvider).diff("w7", {"name": "a", "ref": "old"}, {"name": "a", "ref": UNKNOWN})
    assert diff.changes is True and diff.replaces == ["ref"]


def test_delete_before_replace_is_reported_only_for_a_replacement() -> None:
    provider = configured(LookupProvider)
    replace = provider.diff("w7", {"name": "a", "kind": "k1"}, {"name": "a", "kind": "k2"})
    assert replace.replaces == ["kind"] and replace.delete_before_replace is True
    update = provider.diff("w7", {"name": "a"}, {"name": "b"})
    assert update.changes is True and update.replaces == [] and update.delete_before_replace is None
    plain = configured().diff("w7", {"name": "a", "kind": "k1"}, {"name": "a", "kind": "k2"})
    assert plain.delete_before_replace is False  # WidgetAdapter creates the replacement first


def test_a_read_failure_names_the_operation_and_the_id() -> None:
    with pytest.raises(ProviderError) as info:
        configured(LookupProvider).read("w9", {"name": "a"})
    assert str(info.value) == "Widget w9: read failed: GET /widgets/w9 returned HTTP 500: boom"


def test_an_adapter_returning_the_reserved_key_is_a_clear_error() -> None:
    class Leaky(WidgetAdapter):
        def create(self, ctx: Context, inputs: WidgetInputs) -> tuple[str, dict[str, Any]]:
            return "w1", {"name": inputs.name, "__provider": "blob"}

    class LeakyProvider(PiwikProvider):
        adapter = Leaky()

    with pytest.raises(ProviderError, match=r"^adapter returned the reserved key __provider$"):
        configured(LeakyProvider).create({"name": "a"})


# --- a provider after unpickling: its configuration is gone ---------------------------------------------------


def test_an_unpickled_provider_has_no_connection_and_no_secret() -> None:
    provider = pickle.loads(pickle.dumps(configured()))
    assert vars(provider) == {"_config": None}
    assert provider._secrets() == []
    with pytest.raises(ProviderError, match="connection is not configured"):
        provider.delete("w1", {"name": "a"})


def test_configure_keeps_only_the_connection_keys() -> None:
    provider = WidgetProvider()
    provider.configure(ConfigureRequest(Config({**CONFIG, "proj:other": "x", "piwik:readsPerMinute": "5"}, "proj")))
    assert provider._config == {
        **CONFIG,
        "piwik:readsPerMinute": "5",
        "piwik:writesPerMinute": None,
    }
    assert provider._connection().reads_per_minute == 5


def test_a_fresh_provider_is_not_configured() -> None:
    provider = WidgetProvider()
    assert provider._config is None
    with pytest.raises(_connection.ConnectionNotConfigured):
        provider._connection()


# --- what each operation hands the adapter ---------------------------------------------------------------------


class KnobInputs(WidgetInputs):
    mode: str = "auto"  # a plain default
    labels: list[str] = Field(default_factory=lambda: ["default"])  # a default made by a factory
    slot: str | None = None
    lane: str | None = None
    shelf: str | None = None


class RecordingAdapter(WidgetAdapter):
    """Records what each operation receives; ``ref`` identifies the object, the other computed keys do not."""

    inputs_model = KnobInputs
    replace_on_change = frozenset({"kind", "ref"})
    computed_keys = frozenset({"ref", "slot", "lane", "shelf"})
    calls: list[tuple[Any, ...]] = []  # noqa: RUF012 (a test probe)

    def computed_matches(self, key: str, new: Any, old: Any, id_: str) -> bool:
        self.calls.append(("matches", key, id_))
        return bool(new == old)

    def create(self, ctx: Context, inputs: Any) -> tuple[str, dict[str, Any]]:
        self.calls.append(("create", type(ctx), inputs.name))
        return "w1", {"name": inputs.name}

    def read(self, ctx: Context, id_: str, state: dict[str, Any]) -> dict[str, Any] | None:
        self.calls.append(("read", type(ctx), id_, state))
        return {"name": "a"}

    def update(self, ctx: Context, id_: str, state: dict[str, Any], inputs: Any) -> dict[str, Any]:
        self.calls.append(("update", type(ctx), id_, state, inputs.name))
        return {"name": inputs.name}

    def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
        self.calls.append(("delete", type(ctx), id_, state))


class RecordingProvider(PiwikProvider):
    adapter = RecordingAdapter()


def test_each_operation_hands_the_adapter_the_context_the_id_and_the_state_without_the_provider() -> None:
    RecordingAdapter.calls.clear()
    provider = configured(RecordingProvider)
    state = {"__provider": "blob", "name": "a"}
    provider.create({"name": "a"})
    provider.read("w1", state)
    provider.update("w1", state, {"name": "b"})
    provider.delete("w1", state)
    assert RecordingAdapter.calls == [
        ("create", Context, "a"),
        ("read", Context, "w1", {"name": "a"}),
        ("update", Context, "w1", {"name": "a"}, "b"),
        ("delete", Context, "w1", {"name": "a"}),
    ]


def test_check_fills_defaults_but_keeps_what_the_program_set() -> None:
    res = configured(RecordingProvider).check({}, {"name": "a"})
    assert res.inputs == {"name": "a", "mode": "auto", "labels": ["default"]}
    res = configured(RecordingProvider).check({}, {"name": "a", "mode": "manual", "labels": ["mine"]})
    assert res.inputs == {"name": "a", "mode": "manual", "labels": ["mine"]}


def test_check_carries_unset_computed_values_but_not_over_a_set_one() -> None:
    RecordingAdapter.calls.clear()
    old = {"name": "a", "ref": "r1", "slot": "s1", "lane": "l1", "shelf": "h1"}
    res = configured(RecordingProvider).check(old, {"name": "a", "slot": "s2"})
    assert res.inputs["slot"] == "s2"  # set by the program: not replaced by the old value
    assert (res.inputs["ref"], res.inputs["lane"], res.inputs["shelf"]) == ("r1", "l1", "h1")
    assert ("matches", "slot", "") in RecordingAdapter.calls  # check runs before any id is known


def test_a_replacement_keeps_the_unset_computed_values_that_do_not_identify_the_object() -> None:
    # The keys are visited in sorted order (lane, ref, shelf, slot): skipping `ref` must not end the loop, so the
    # keys after it are still carried.
    old = {"name": "a", "kind": "k1", "ref": "r1", "slot": "s1", "lane": "l1", "shelf": "h1"}
    res = configured(RecordingProvider).check(old, {"name": "a", "kind": "k2"})
    assert "ref" not in res.inputs  # the replacement finds or makes its own object
    assert (res.inputs["slot"], res.inputs["lane"], res.inputs["shelf"]) == ("s1", "l1", "h1")


class ImportingAdapter(RecordingAdapter):
    """Finds an object from its id alone, as `pulumi import` asks (the settings adapters: the app id)."""

    def import_state(self, id_: str) -> dict[str, Any]:
        return {"owner": id_}


class ImportingProvider(PiwikProvider):
    adapter = ImportingAdapter()


def test_a_read_without_state_is_an_import_and_hands_the_adapter_the_state_made_from_the_id() -> None:
    RecordingAdapter.calls.clear()
    provider = configured(ImportingProvider)
    provider.read("w9", {})
    provider.read("w9", {"name": "a"})  # a state of its own: import_state is not asked
    assert RecordingAdapter.calls == [("read", Context, "w9", {"owner": "w9"}), ("read", Context, "w9", {"name": "a"})]


def test_a_provider_error_from_the_adapter_is_scrubbed_and_otherwise_unchanged() -> None:
    class Talkative(WidgetAdapter):
        def delete(self, ctx: Context, id_: str, state: dict[str, Any]) -> None:
            raise ProviderError(f"Widget {id_}: refused, secret {SECRET}")

    class TalkativeProvider(PiwikProvider):
        adapter = Talkative()

    with pytest.raises(ProviderError) as info:
        configured(TalkativeProvider).delete("w3", {"name": "a"})
    assert str(info.value) == "Widget w3: refused, secret ***"


# --- a refused replacement, at check ----------------------------------------------------------------------------


class GuardedAdapter(WidgetAdapter):
    """Refuses every replacement, recording what it was asked about."""

    asked: list[tuple[dict[str, Any], dict[str, Any], str]] = []  # noqa: RUF012 (a test probe)

    def refuse_replacement(self, old_inputs: Any, new_inputs: Any, forcing: str) -> str | None:
        self.asked.append((dict(old_inputs), dict(new_inputs), forcing))
        return f"{forcing} would replace the widget"


class GuardedProvider(PiwikProvider):
    adapter = GuardedAdapter()


def test_a_refused_replacement_is_a_check_failure_on_the_property_that_forces_it() -> None:
    GuardedAdapter.asked.clear()
    res = configured(GuardedProvider).check({"name": "a", "kind": "k1"}, {"name": "a", "kind": "k2"})
    assert [(f.property, f.reason) for f in res.failures] == [("kind", "kind would replace the widget")]
    assert GuardedAdapter.asked == [({"name": "a", "kind": "k1"}, {"name": "a", "kind": "k2"}, "kind")]


def test_a_create_is_not_a_replacement_and_an_invalid_input_is_reported_alone() -> None:
    GuardedAdapter.asked.clear()
    assert configured(GuardedProvider).check({}, {"name": "a", "kind": "k1"}).failures == []
    # The program is wrong anyway: its own error is what the user must see first, not a refusal.
    res = configured(GuardedProvider).check({"name": "a", "kind": "k1"}, {"name": "a", "kind": "k2", "size": 9})
    assert [f.property for f in res.failures] == ["size"]
    assert GuardedAdapter.asked == []


# --- outputs an adapter did not declare ---------------------------------------------------------------------------


def test_an_undeclared_output_is_refused_naming_the_resource_and_every_such_key() -> None:
    class Sloppy(WidgetAdapter):
        def create(self, ctx: Context, inputs: WidgetInputs) -> tuple[str, dict[str, Any]]:
            return "w1", {"name": inputs.name, "zeta": 1, "alpha": 2, "widget_id": "w1"}

    class SloppyProvider(PiwikProvider):
        adapter = Sloppy()

    with pytest.raises(ProviderError) as info:
        configured(SloppyProvider).create({"name": "a"})
    assert str(info.value) == "Widget: undeclared output(s) alpha, zeta"


# --- what a subclass derives from its declarations ---------------------------------------------------------------


class DeclaredInputs(InputsModel):
    resource_type: ClassVar[str] = "Declared"

    name: str = prop(doc="A name.", api="api_name")
    kind: str | None = prop(None, doc="A kind.", replace=True)
    slot: int | None = prop(None, doc="A slot.", computed=True, api="api_slot")


def test_an_adapter_derives_replace_and_computed_sets_from_its_declarations() -> None:
    # Defined here, not at import: the derivation runs when the class statement does.
    class Declared(Adapter[DeclaredInputs]):
        inputs_model = DeclaredInputs

    class Narrowed(Adapter[DeclaredInputs]):
        inputs_model = DeclaredInputs
        replace_on_change = frozenset({"name"})
        computed_keys = frozenset()

    class Inheriting(Declared):
        pass

    derived = (frozenset({"kind"}), frozenset({"slot"}))
    assert (Declared.replace_on_change, Declared.computed_keys) == derived
    assert (Narrowed.replace_on_change, Narrowed.computed_keys) == (frozenset({"name"}), frozenset())  # kept
    assert (Inheriting.replace_on_change, Inheriting.computed_keys) == derived
