"""Reads a stack's config (`piwik-cnil:sites`, `piwik-cnil:account`) into component arguments.

Unknown keys are refused (a typo must not silently drop a setting), and every error names the config key as
the user wrote it, e.g. ``piwik-cnil:sites[0].ip_masking_level``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .cnil_account import CnilAccountArgs
from .cnil_exempt_site import Attestations, CnilExemptSiteArgs
from .texts import DEFAULT_CONSENT_MESSAGES

NAMESPACE = "piwik-cnil"


class StackConfigError(ValueError):
    """The stack config cannot be read; the message names each key and what is allowed."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class AttestationsConfig(_Strict):
    dpa_signed: bool | None = None
    integrations_off: bool | None = None
    no_export_credentials: bool | None = None
    session_log_hidden: bool | None = None
    retention_months: int | None = None
    hosting_region: str | None = None
    privacy_policy_published: bool | None = None
    opt_out_form_published: bool | None = None


class SiteConfig(_Strict):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,40}$")
    site_name: str
    urls: list[str]
    timezone: str = "Europe/Paris"
    currency: str = "EUR"
    ip_masking_level: int = 2
    geolocation_level: str = "City"
    cookie_lifetime_seconds: int = 31_536_000
    consent_messages: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_CONSENT_MESSAGES))
    consent_titles: dict[str, str] = Field(default_factory=dict)
    consent_template_mode: str = "manual"
    exports_needed: bool = False
    privacy_policy_url: str | None = None
    adopt_site_id: str | None = None
    attestations: AttestationsConfig = Field(default_factory=AttestationsConfig)

    def to_args(self) -> CnilExemptSiteArgs:
        data = self.model_dump(exclude={"key", "attestations"})
        return CnilExemptSiteArgs(**data, attestations=Attestations(**self.attestations.model_dump()))


class AccountConfig(_Strict):
    ip_masking_level: int = 2
    geolocation_level: str = "City"

    def to_args(self) -> CnilAccountArgs:
        return CnilAccountArgs(**self.model_dump())


class StackConfig(_Strict):
    sites: list[SiteConfig] = Field(default_factory=list)
    account: AccountConfig | None = None


def _where(loc: tuple[int | str, ...]) -> str:
    out = f"{NAMESPACE}:{loc[0]}"
    for part in loc[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def parse(raw: Mapping[str, Any]) -> StackConfig:
    """``raw``: {"sites": [...], "account": {...}} as read from the stack (values already JSON-decoded)."""
    try:
        parsed = StackConfig.model_validate(dict(raw))
    except ValidationError as err:
        lines = [f"  - {_where(e['loc'])}: {e['msg']} (got {e.get('input')!r})" for e in err.errors()]
        raise StackConfigError("the stack config is not valid:\n" + "\n".join(lines)) from None
    keys = [s.key for s in parsed.sites]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        raise StackConfigError(f"{NAMESPACE}:sites: the keys {duplicates} are used twice; each site needs its own key")
    return parsed
