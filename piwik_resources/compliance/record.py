"""What a site declares and no API answers, as a CnilExemptSite records it in a stack's state, and read back.

The judge needs, besides the live values, a :class:`~.judge.Declared` per site: its profile, attestations (with who
and when), identifier patterns, consent mode and languages, export dimensions and name. No Piwik PRO API answers
them, so the CnilExemptSite component writes its ``Declared`` into its registered outputs (the output named
:data:`OUTPUT`), and `piwik-cnil watch`, `evidence` and `doctor` read it back from the state of any stack, whatever
program declared the site (Python, the stack config `piwik-cnil:sites`, or a YAML program through the provider
plugin). This module is the one place the record is written (:func:`to_record`) and read (:func:`from_record`);
its shape is ``Declared``'s own fields, so a field added there is recorded without a second list to keep in step.
Nothing secret is in it: ``Declared`` holds no credential.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from pydantic import TypeAdapter, ValidationError

from .judge import Declared

#: The component output that holds the record (``CnilExemptSite.declared``).
OUTPUT = "declared"
#: The record's format; a reader refuses another one rather than guess what it means.
FORMAT = 1
_FIELDS = frozenset(f.name for f in dataclasses.fields(Declared))
_ADAPTER = TypeAdapter(Declared)


class RecordError(ValueError):
    """A record that cannot be read; the message says what is wrong with it."""


def to_record(declared: Declared) -> dict[str, Any]:
    """``declared`` as plain JSON values (what Pulumi stores); unset attestations (``None``) are left out."""
    values: dict[str, Any] = _ADAPTER.dump_python(declared, mode="json", exclude_none=True)
    return {"format": FORMAT, **values}


def from_record(value: Any) -> Declared:
    """The ``Declared`` a record holds; :class:`RecordError` naming each problem when it is not one."""
    if not isinstance(value, Mapping):
        raise RecordError(f"not an object (got {type(value).__name__})")
    if value.get("format") != FORMAT:
        raise RecordError(
            f"format {value.get('format')!r} is not the one this version reads ({FORMAT}): "
            "read it with the piwik-resources version that wrote it, or run `pulumi up` with this one"
        )
    fields = {k: v for k, v in value.items() if k != "format"}
    unknown = sorted(set(fields) - _FIELDS)
    if unknown:
        raise RecordError(f"unknown field(s) {', '.join(unknown)} (known: {', '.join(sorted(_FIELDS))})")
    try:
        return _ADAPTER.validate_python(fields)
    except ValidationError as err:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in err.errors())
        raise RecordError(problems) from None
