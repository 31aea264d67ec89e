"""The generic engine's semantics (check, diff, read, update, errors, configuration), with a fake adapter."""

from __future__ import annotations

from typing import Any

import pytest
from pulumi.dynamic import Config, ConfigureRequest

from piwik_resources.providers import _connection
from piwik_resources.providers._values import UNKNOWN
from piwik_resources.providers.engine import ProviderError

from .fake import STORE, WidgetProvider, fake_world  # noqa: F401 (fake_world: the fixture of pytestmark)

PROV = "serialized-provider-blob"


pytestmark = pytest.mark.usefixtures("fake_world")


def provider(configured: bool = True) -> WidgetProvider:
    p = WidgetProvider()
    if configured:
        p.configure(
            ConfigureRequest(
                Config(
                    {
                        "piwik:baseUrl": "http://127.0.0.1:1",
                        "piwik:clientId": "cid",
                        "piwik:clientSecret": "s3cr3t-value",
                    },
                    "proj",
                )
            )
        )
    return p


# --- check -------------------------------------------------------------------------------------------


def test_check_accepts_valid_inputs_and_restores_ints() -> None:
    res = provider().check({}, {"__provider": PROV, "name": "a", "size": 3.0, "tags": ["x"]})
    assert res.failures == []
    assert res.inputs == {"name": "a", "size": 3, "tags": ["x"]}
    assert isinstance(res.inputs["size"], int)


def test_check_failure_names_property_value_and_allowed() -> None:
    res = provider().check({}, {"__provider": PROV, "name": "a", "size": 7.0})
    assert [f.property for f in res.failures] == ["size"]
    assert res.failures[0].reason == "size: 7 is not allowed (allowed: 0, 1, 2, 3, 4)"


def test_check_failure_for_missing_wrong_type_and_unknown_property() -> None:
    res = provider().check({}, {"__provider": PROV, "size": 2.5, "colour": "red", "tags": ["ok", 3.0]})
    reasons = {f.property: f.reason for f in res.failures}
    assert reasons["name"] == "name is required"
    assert reasons["size"].startswith("size: 2.5 is not allowed")
    assert reasons["colour"].startswith("colour is not a property of Widget (properties: ")
    assert reasons["tags"].startswith("tags[1]: 3 is not allowed")


def test_check_strict_types_refuse_coercion() -> None:
    res = provider().check({}, {"__provider": PROV, "name": "a", "size": "3"})
    assert [f.property for f in res.failures] == ["size"]
    assert "'3'" in res.failures[0].reason


def test_check_skips_unknown_values() -> None:
    res = provider().check({}, {"__provider": PROV, "name": UNKNOWN, "size": UNKNOWN, "tags": ["a", UNKNOWN]})
    assert res.failures == []
    res = provider().check({}, {"__provider": PROV, "name": UNKNOWN, "size": 9.0})
    assert [f.property for f in res.failures] == ["size"]


def test_check_keeps_unset_computed_values_from_old_inputs() -> None:
    olds = {"__provider": PROV, "name": "a", "ref": "ref-w1", "kind": "k"}
    res = provider().check(olds, {"__provider": PROV, "name": "b", "kind": "k"})
    assert res.inputs == {"name": "b", "kind": "k", "ref": "ref-w1"}
    # A set value wins.
    res = provider().check(olds, {"__provider": PROV, "name": "b", "kind": "k", "ref": "ref-w9"})
    assert res.inputs["ref"] == "ref-w9"


def test_check_does_not_carry_identifying_computed_values_into_a_replacement() -> None:
    olds = {"__provider": PROV, "name": "a", "ref": "ref-w1", "kind": "k"}
    res = provider().check(olds, {"__provider": PROV, "name": "a", "kind": "other"})
    assert res.inputs == {"name": "a", "kind": "other"}
    res = provider().check(olds, {"__provider": PROV, "name": "a", "kind": UNKNOWN})
    assert "ref" not in res.inputs


def test_check_needs_no_connection() -> None:
    res = provider(configured=False).check({}, {"__provider": PROV, "name": "a"})
    assert res.failures == []


# --- diff -------------------------------------------------------------------------------------------

OLD = {"__provider": "old-blob", "name": "a", "size": 1.0, "ref": "ref-w1", "widget_id": "w1"}


def test_diff_none_when_equal_and_ignores_provider_and_outputs() -> None:
    d = provider().diff("w1", OLD, {"__provider": "new-blob", "name": "a", "size": 1.0})
    assert d.changes is False
    assert d.replaces == []


def test_diff_update() -> None:
    d = provider().diff("w1", OLD, {"__provider": PROV, "name": "b", "size": 1.0})
    assert d.changes is True
    assert d.replaces == []


def test_diff_replace_sets_changes() -> None:
    d = provider().diff("w1", OLD, {"__provider": PROV, "name": "a", "size": 1.0, "kind": "k"})
    assert d.changes is True
    assert d.replaces == ["kind"]


def test_diff_unknown_is_a_change() -> None:
    d = provider().diff("w1", OLD, {"__provider": PROV, "name": UNKNOWN, "size": 1.0})
    assert d.changes is True
    d = provider().diff("w1", OLD, {"__provider": PROV, "name": "a", "size": 1.0, "kind": UNKNOWN})
    assert d.replaces == ["kind"]


def test_diff_removed_property_is_a_change() -> None:
    d = provider().diff("w1", OLD, {"__provider": PROV, "name": "a"})
    assert d.changes is True


def test_diff_lookup_key_unset_is_not_a_change_but_a_new_value_is() -> None:
    p = provider()
    assert p.diff("w1", OLD, {"__provider": PROV, "name": "a", "size": 1.0}).changes is False
    assert p.diff("w1", OLD, {"__provider": PROV, "name": "a", "size": 1.0, "ref": "ref-w1"}).changes is False
    d = p.diff("w1", OLD, {"__provider": PROV, "name": "a", "size": 1.0, "ref": "other"})
    assert d.changes is True
    assert d.replaces == ["ref"]


def test_diff_bool_is_not_int() -> None:
    old = {**OLD, "tags": ["1"]}
    new = {"name": "a", "size": True, "tags": ["1"], "ref": "ref-w1"}
    d = provider().diff("w1", {**old, "size": 1.0}, new)
    assert d.changes is True


# --- create/read/update/delete -----------------------------------------------------------------------------


def _create(p: WidgetProvider, **props: Any) -> tuple[str, dict[str, Any]]:
    res = p.create({"__provider": PROV, **props})
    assert res.outs is not None
    return res.id, res.outs


def test_create_then_read_gives_same_outputs_and_inputs() -> None:
    p = provider()
    id_, outs = _create(p, name="a", size=2.0)
    assert outs == {"name": "a", "size": 2, "ref": "ref-w1", "widget_id": "w1"}
    res = p.read(id_, {"__provider": PROV, **outs})
    assert res.id == id_
    assert res.outs == outs
    assert res.inputs == {"name": "a", "size": 2, "ref": "ref-w1"}


def test_read_reports_drift() -> None:
    p = provider()
    id_, outs = _create(p, name="a", size=2.0)
    STORE[id_]["size"] = 4
    res = p.read(id_, {"__provider": PROV, **outs})
    assert res.outs is not None and res.outs["size"] == 4
    # The program still asks for 2: the next diff sees the drift.
    desired = {"__provider": PROV, "name": "a", "size": 2.0}
    assert p.diff(id_, {"__provider": PROV, **res.outs}, desired).changes


def test_read_gone_returns_empty_id() -> None:
    p = provider()
    id_, outs = _create(p, name="a")
    STORE.clear()
    res = p.read(id_, {"__provider": PROV, **outs})
    assert res.id == ""
    assert res.outs == {}


def test_update_returns_full_outputs() -> None:
    p = provider()
    id_, outs = _create(p, name="a", size=1.0)
    res = p.update(id_, {"__provider": PROV, **outs}, {"__provider": PROV, "name": "b", "size": 1.0})
    assert res.outs == {"name": "b", "size": 1, "ref": "ref-w1", "widget_id": "w1"}


def test_api_error_is_explicit_and_scrubbed() -> None:
    p = provider()
    with pytest.raises(ProviderError) as info:
        _create(p, name="boom")
    text = str(info.value)
    assert text.startswith("Widget: create failed: POST /widgets returned HTTP 400: name boom refused")
    assert "s3cr3t-value" not in text
    assert "***" in text


def test_update_not_found_is_explicit() -> None:
    p = provider()
    with pytest.raises(ProviderError, match=r"Widget w9: update failed: PATCH /widgets/w9 returned HTTP 404"):
        p.update("w9", {"name": "a"}, {"__provider": PROV, "name": "b"})


# --- connection -------------------------------------------------------------------------------------------


def test_connection_from_config() -> None:
    p = provider()
    conn = p._connection()
    assert (conn.base_url, conn.client_id) == ("http://127.0.0.1:1", "cid")
    assert conn.client_secret.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t" not in repr(conn)


def test_connection_falls_back_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PIWIK_BASE_URL", "http://127.0.0.1:2")
    monkeypatch.setenv("PIWIK_CLIENT_ID", "env-id")
    monkeypatch.setenv("PIWIK_CLIENT_SECRET", "env-secret")
    p = provider(configured=False)
    assert p._connection().client_id == "env-id"
    # configure() with only part of the keys: each key falls back on its own.
    p.configure(ConfigureRequest(Config({"piwik:clientId": "cfg-id"}, "proj")))
    conn = p._connection()
    assert (conn.base_url, conn.client_id) == ("http://127.0.0.1:2", "cfg-id")
    assert conn.client_secret.get_secret_value() == "env-secret"


def test_missing_connection_names_config_and_env_keys() -> None:
    p = provider(configured=False)
    with pytest.raises(ProviderError) as info:
        p.delete("w1", {"__provider": PROV, "name": "a"})
    text = str(info.value)
    keys = ("piwik:baseUrl", "PIWIK_BASE_URL", "piwik:clientId", "piwik:clientSecret", "PIWIK_CLIENT_SECRET")
    for key in keys:
        assert key in text


def test_client_cache_is_shared_per_connection() -> None:
    built: list[str] = []

    def factory(conn: _connection.Connection) -> Any:
        built.append(conn.client_id)
        return object()

    _connection.set_client_factory(factory)
    a = _connection.resolve_connection(
        {"piwik:baseUrl": "https://h", "piwik:clientId": "i", "piwik:clientSecret": "s"}, environ={}
    )
    b = _connection.resolve_connection(
        {"piwik:baseUrl": "https://h", "piwik:clientId": "i", "piwik:clientSecret": "s"}, environ={}
    )
    c = _connection.resolve_connection(
        {"piwik:baseUrl": "https://h", "piwik:clientId": "j", "piwik:clientSecret": "s"}, environ={}
    )
    assert _connection.client_for(a) is _connection.client_for(b)
    assert _connection.client_for(c) is not _connection.client_for(a)
    assert built == ["i", "j"]
