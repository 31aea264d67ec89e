"""Connection settings that are not allowed (`piwik:readsPerMinute: inf`, a non-number, a negative number, a
bad `piwik:baseUrl`, and their PIWIK_* environment equivalents): each is a ConfigurationError naming the key as
the user wrote it and the allowed values, before any request; never a bare ValueError or OverflowError.
The last test shows the message a user sees through the real engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pulumi import automation as auto
from pulumi.dynamic import Config, ConfigureRequest

from piwik_resources.api import ClientConfig, ConfigurationError, InsecureBaseUrlError, PiwikClient
from piwik_resources.api.config import BASE_URL_ALLOWED, MAX_PER_MINUTE, PER_MINUTE_ALLOWED, parse_per_minute
from piwik_resources.providers import _connection
from piwik_resources.providers.engine import ProviderError
from tests.fixtures.emulator import Emulator
from tests.fixtures.engine import StackFactory, set_config

from .fake import WidgetProvider

CREDENTIALS = {"piwik:baseUrl": "https://acme.piwik.pro", "piwik:clientId": "cid", "piwik:clientSecret": "s3cr3t-v"}
ENV_CREDENTIALS = {"PIWIK_BASE_URL": "https://acme.piwik.pro", "PIWIK_CLIENT_ID": "cid", "PIWIK_CLIENT_SECRET": "s3"}
BAD_RATES = ["inf", "-inf", "Infinity", "nan", "1e400", "fast", "", "-5", "-0.5", "1.5", str(MAX_PER_MINUTE + 1)]
BAD_URLS = [
    ("http://acme.piwik.pro", "plain http"),
    ("ftp://acme.piwik.pro", "scheme"),
    ("https://", "no host"),
    ("https://acme.piwik.pro:99999", "malformed"),
    ("https://acme piwik.pro", "not a host name"),
    ("https://acme.piwik.pro/?x=1", "query"),
    ("https://acme.piwik.pro/\x01x", "malformed"),
]


@pytest.fixture(autouse=True)
def _no_client(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in (*ENV_CREDENTIALS, "PIWIK_READS_PER_MINUTE", "PIWIK_WRITES_PER_MINUTE"):
        monkeypatch.delenv(var, raising=False)
    _connection.set_client_factory(lambda conn: object())  # type: ignore[arg-type,return-value]
    yield
    _connection.set_client_factory(None)


def refused(config: dict[str, Any], environ: dict[str, str] | None = None) -> ConfigurationError:
    with pytest.raises(ConfigurationError) as info:
        _connection.resolve_connection(config, environ=environ or {})
    return info.value


# --- requests a minute ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", [v for v in BAD_RATES if v])
@pytest.mark.parametrize("key", ["piwik:readsPerMinute", "piwik:writesPerMinute"])
def test_a_rate_that_is_not_a_whole_number_in_range_names_the_config_key(key: str, value: str) -> None:
    err = refused({**CREDENTIALS, key: value})
    assert str(err) == f"{key}: {value!r} is not allowed (allowed: {PER_MINUTE_ALLOWED})"
    assert err.key == key and err.allowed == PER_MINUTE_ALLOWED
    assert type(err) is ConfigurationError  # not the bare ValueError / OverflowError of float() and int()


@pytest.mark.parametrize("value", ["inf", "abc", "-5"])
@pytest.mark.parametrize(
    ("cfg_key", "env_key"),
    [("piwik:readsPerMinute", "PIWIK_READS_PER_MINUTE"), ("piwik:writesPerMinute", "PIWIK_WRITES_PER_MINUTE")],
)
def test_a_rate_from_the_environment_names_the_variable(cfg_key: str, env_key: str, value: str) -> None:
    err = refused({}, {**ENV_CREDENTIALS, env_key: value})
    assert str(err).startswith(f"{env_key}: {value!r} is not allowed (allowed: a whole number")
    assert cfg_key not in str(err)


def test_the_config_key_wins_over_a_bad_environment_value() -> None:
    conn = _connection.resolve_connection(
        {**CREDENTIALS, "piwik:readsPerMinute": "120"}, environ={"PIWIK_READS_PER_MINUTE": "inf"}
    )
    assert conn.reads_per_minute == 120


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 600), ("", 600), ("  ", 600), ("0", None), ("600", 600), (" 90 ", 90), ("1e3", 1000), (120, 120)],
)
def test_accepted_rates(value: Any, expected: int | None) -> None:
    assert parse_per_minute(value, "k", default=600) == expected


@pytest.mark.parametrize("value", [True, False, float("inf"), -1, 2.5, [600]])
def test_non_text_rates_are_refused_too(value: Any) -> None:
    with pytest.raises(ConfigurationError, match=r"^k: "):
        parse_per_minute(value, "k", default=600)


# --- base URL --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "problem"), BAD_URLS)
def test_a_bad_base_url_names_the_config_key_and_what_is_allowed(url: str, problem: str) -> None:
    err = refused({**CREDENTIALS, "piwik:baseUrl": url})
    assert isinstance(err, InsecureBaseUrlError)
    text = str(err)
    assert text.startswith(f"piwik:baseUrl: {url.strip()!r} is not allowed: "), text
    assert problem in text and text.endswith(f"(allowed: {BASE_URL_ALLOWED})"), text


@pytest.mark.parametrize(("url", "problem"), BAD_URLS[:3])
def test_a_bad_base_url_from_the_environment_names_the_variable(url: str, problem: str) -> None:
    err = refused({}, {**ENV_CREDENTIALS, "PIWIK_BASE_URL": url})
    assert str(err).startswith("PIWIK_BASE_URL: ") and problem in str(err)


def test_credentials_in_the_base_url_are_not_echoed() -> None:
    err = refused({**CREDENTIALS, "piwik:baseUrl": "https://user:hunter2-pw@acme.piwik.pro"})
    assert "hunter2-pw" not in str(err) and "embeds credentials" in str(err)


def test_the_base_url_is_normalized_once_for_the_client() -> None:
    conn = _connection.resolve_connection({**CREDENTIALS, "piwik:baseUrl": "acme.piwik.pro/"}, environ={})
    assert conn.base_url == "https://acme.piwik.pro"


def test_client_config_from_env_names_the_variable() -> None:
    with pytest.raises(ConfigurationError, match=r"^PIWIK_BASE_URL: 'http://acme\.piwik\.pro' is not allowed"):
        ClientConfig.from_env({**ENV_CREDENTIALS, "PIWIK_BASE_URL": "http://acme.piwik.pro"})
    with pytest.raises(ConfigurationError, match="PIWIK_CLIENT_ID"):
        ClientConfig.from_env({**ENV_CREDENTIALS, "PIWIK_CLIENT_ID": "  "})


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"client_id": " "}, "client_id"),
        ({"client_secret": ""}, "client_secret"),
        ({"timeout": float("nan")}, "timeout"),
    ],
)
def test_client_arguments_are_configuration_errors(kwargs: dict[str, Any], key: str) -> None:
    args: dict[str, Any] = {"base_url": "https://acme.piwik.pro", "client_id": "cid", "client_secret": "s", **kwargs}
    with pytest.raises(ConfigurationError, match=f"^{key}: ") as info:
        PiwikClient(args.pop("base_url"), args.pop("client_id"), args.pop("client_secret"), **args)
    assert info.value.key == key


# --- through the provider engine -----------------------------------------------------------------------------


def configured(values: dict[str, str]) -> WidgetProvider:
    provider = WidgetProvider()
    provider.configure(ConfigureRequest(Config(values, "proj")))
    return provider


def test_the_provider_reports_the_setting_as_its_operations_failure() -> None:
    provider = configured({**CREDENTIALS, "piwik:readsPerMinute": "inf"})
    with pytest.raises(ProviderError) as info:
        provider.delete("w1", {"name": "a"})
    assert str(info.value) == (
        f"Widget w1: delete failed: piwik:readsPerMinute: 'inf' is not allowed (allowed: {PER_MINUTE_ALLOWED})"
    )


def test_a_refused_setting_is_still_scrubbed_of_the_secret() -> None:
    secret = "my-own-secret-value"
    provider = configured({**CREDENTIALS, "piwik:clientSecret": secret, "piwik:baseUrl": f"http://{secret}.example"})
    with pytest.raises(ProviderError) as info:
        provider.delete("w1", {"name": "a"})
    assert "piwik:baseUrl" in str(info.value) and secret not in str(info.value)


# --- through the real engine ---------------------------------------------------------------------------------

SITE_PROGRAM = Path(__file__).resolve().parents[1] / "programs" / "site"


@pytest.mark.engine
def test_the_user_sees_the_key_and_the_allowed_values_from_pulumi_up(
    pulumi_stack: StackFactory, emulator: Emulator
) -> None:
    st = pulumi_stack(SITE_PROGRAM, config={"name": "Boutique", "piwik:readsPerMinute": "inf"}, emulator=emulator)
    for config, expected in (
        ({}, f"piwik:readsPerMinute: 'inf' is not allowed (allowed: {PER_MINUTE_ALLOWED})"),
        (
            {"piwik:readsPerMinute": "600", "piwik:baseUrl": "http://acme.piwik.pro"},
            "piwik:baseUrl: 'http://acme.piwik.pro' is not allowed: it uses plain http",
        ),
    ):
        set_config(st, config)
        emulator.clear_requests()
        with pytest.raises(auto.CommandError) as info:
            st.up()
        text = str(info.value)
        assert f"Site: create failed: {expected}" in text, text[-3000:]
        assert "Traceback (most recent call last)" not in text, text[-3000:]
        assert "OverflowError" not in text and "ValueError" not in text
        assert emulator.requests()["total"] == 0, emulator.requests()["counts"]

    env_st = pulumi_stack(
        SITE_PROGRAM, config={"name": "Boutique"}, emulator=emulator, env={"PIWIK_WRITES_PER_MINUTE": "-5"}
    )
    with pytest.raises(auto.CommandError) as info:
        env_st.up()
    assert "Site: create failed: PIWIK_WRITES_PER_MINUTE: '-5' is not allowed (allowed: a whole number" in str(
        info.value
    ), str(info.value)[-3000:]
    assert emulator.requests()["total"] == 0


def test_one_connection_model_for_the_client_the_providers_and_the_cli() -> None:
    """The providers' connection is the client's ClientConfig: the secret a SecretStr (out of every repr), the
    pacing shared per account and limits, whichever builds the client."""
    conn = _connection.resolve_connection({**CREDENTIALS, "piwik:readsPerMinute": "0"}, environ={})
    assert _connection.Connection is ClientConfig and isinstance(conn, ClientConfig)
    assert conn.reads_per_minute is None  # 0: unpaced
    assert conn.client_secret.get_secret_value() not in repr(conn)
    assert conn.pacing_key == f"{conn.base_url}|None|{conn.writes_per_minute}"
