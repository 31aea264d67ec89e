"""Reads a stack's config (`piwik-cnil:sites`, `piwik-cnil:account`) into component arguments.

The config is validated against the components' own argument dataclasses (no second list of fields to keep in
step). Unknown keys are refused — a typo must not silently drop a setting — and every error names the config
key as the user wrote it, e.g. ``piwik-cnil:sites[0].ip_masking_level``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import TypeAdapter, ValidationError

from .cnil_account import CnilAccountArgs
from .cnil_exempt_site import CnilExemptSiteArgs

NAMESPACE = "piwik-cnil"
SITE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")

_SITE = TypeAdapter(CnilExemptSiteArgs)
_ACCOUNT = TypeAdapter(CnilAccountArgs)


class StackConfigError(ValueError):
    """The stack config cannot be read; the message names each key and what is allowed."""


@dataclass(frozen=True)
class SiteConfig:
    """One entry of `piwik-cnil:sites`: its key (the component's name) and the component's arguments."""

    key: str
    args: CnilExemptSiteArgs


@dataclass(frozen=True)
class StackConfig:
    sites: list[SiteConfig]
    account: CnilAccountArgs | None


def _where(loc: tuple[int | str, ...]) -> str:
    out = f"{NAMESPACE}:{loc[0]}"
    for part in loc[1:]:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _problems(err: ValidationError, prefix: tuple[int | str, ...]) -> list[str]:
    return [f"  - {_where(prefix + tuple(e['loc']))}: {e['msg']} (got {e.get('input')!r})" for e in err.errors()]


def parse(raw: Mapping[str, object]) -> StackConfig:
    """``raw``: {"sites": [...], "account": {...}} as read from the stack (values already JSON-decoded)."""
    problems: list[str] = []
    unknown = sorted(set(raw) - {"sites", "account"})
    problems += [f"  - {NAMESPACE}:{key}: unknown key (allowed: sites, account)" for key in unknown]

    sites: list[SiteConfig] = []
    entries = raw.get("sites") or []
    if not isinstance(entries, list):
        problems.append(f"  - {NAMESPACE}:sites: must be a list of sites (got {type(entries).__name__})")
        entries = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            problems.append(f"  - {_where(('sites', i))}: must be an object (got {entry!r})")
            continue
        fields = dict(entry)
        key = fields.pop("key", None)
        if not isinstance(key, str) or not SITE_KEY.match(key):
            problems.append(
                f"  - {_where(('sites', i, 'key'))}: {key!r} is not allowed; allowed: 1 to 41 lowercase letters, "
                "digits and dashes (it names the site's resources)"
            )
        try:
            args = _SITE.validate_python(fields)
        except ValidationError as err:
            problems += _problems(err, ("sites", i))
            continue
        if isinstance(key, str):
            sites.append(SiteConfig(key, args))

    account = None
    if raw.get("account") is not None:
        try:
            account = _ACCOUNT.validate_python(raw["account"])
        except ValidationError as err:
            problems += _problems(err, ("account",))

    keys = [s.key for s in sites]
    duplicates = sorted({k for k in keys if keys.count(k) > 1})
    if duplicates:
        problems.append(f"  - {NAMESPACE}:sites: the keys {duplicates} are used twice; each site needs its own key")
    if problems:
        raise StackConfigError("the stack config is not valid:\n" + "\n".join(problems))
    return StackConfig(sites=sites, account=account)
