"""The engine's `pulumi preview --json` output as resource changes: one per URN, with its property changes.

Fields relied on (Pulumi 3.260 preview digest): ``steps[]`` with ``op``, ``urn``, ``oldState``/``newState``
(``type``, ``custom``, ``inputs``), ``replaceReasons``, and ``detailedDiff`` when the provider gives one (dynamic
providers do not, so property changes are computed from old and new inputs); ``diagnostics[]`` (``severity``,
``message``). Secret values arrive as ``"[secret]"`` (the digest) or as Pulumi's secret signature object (engine
events); unknown values as the engine's placeholder string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

# The engine's placeholder for a value not known until the update runs, and its detector: defined once.
from piwik_resources.unknown import UNKNOWN as UNKNOWN
from piwik_resources.unknown import contains_unknown as contains_unknown

#: Pulumi's signature key for secret values in serialized state and events, and its value for secrets.
SECRET_SIG: Final = "4dabf18193072939515e22adb298388d"
SECRET_SIG_VALUE: Final = "1b47061264138c4ac30d75fd1eb44270"
MASK: Final = "[secret]"
PROVIDER_KEY: Final = "__provider"
#: Property names whose values are never shown, whatever the engine marked.
SECRET_NAME = re.compile(r"(?i)secret|token|password|passphrase|api[_-]?key|private[_-]?key|credential")

OPS: Final = ("create", "update", "replace", "delete")
# How the digest's step operations fold into the four a reviewer cares about (plus same/other).
_OP_GROUP: Final = {
    "create": "create",
    "update": "update",
    "delete": "delete",
    "replace": "replace",
    "create-replacement": "replace",
    "delete-replaced": "replace",
    "same": "same",
    "read": "read",
    "import": "import",
    "import-replacement": "replace",
    "discard": "forget",
    "discard-replaced": "replace",
    "refresh": "same",
    "remove-pending-replace": "replace",
}
_OP_RANK: Final = {"replace": 5, "delete": 4, "create": 3, "update": 2, "import": 1, "forget": 1, "read": 0, "same": -1}


class Missing:
    """The value of a property that is not set on one side of a change."""

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Final = Missing()


def is_secret_value(value: Any) -> bool:
    """True for a value the engine hides: the digest's ``"[secret]"`` or a secret signature object."""
    if isinstance(value, str):
        return value == MASK
    return isinstance(value, Mapping) and value.get(SECRET_SIG) == SECRET_SIG_VALUE


def is_secret_name(name: str) -> bool:
    return name == PROVIDER_KEY or bool(SECRET_NAME.search(name))


def mask(value: Any, name: str = "") -> Any:
    """``value`` with every secret (by engine marking or by property name, at any depth) replaced by MASK."""
    if value is MISSING:
        return value
    if (name and is_secret_name(name)) or is_secret_value(value):
        return MASK
    if isinstance(value, Mapping):
        return {str(k): mask(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask(v) for v in value]
    return value


def contains_secret(value: Any) -> bool:
    if value == MASK or is_secret_value(value):
        return True
    if isinstance(value, Mapping):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_secret(v) for v in value)
    return False


@dataclass(frozen=True)
class PropertyChange:
    """One property of one resource: its (masked) value before and after; MISSING when unset."""

    name: str
    old: Any
    new: Any
    forces_replacement: bool = False
    #: Both sides are hidden, so whether this property changed cannot be seen.
    hidden: bool = False


@dataclass(frozen=True)
class ResourceChange:
    op: str
    urn: str
    type: str
    name: str
    #: Inputs as the engine showed them (unmasked structure; secret values are already hidden by the engine).
    old_inputs: Mapping[str, Any] | None
    new_inputs: Mapping[str, Any] | None
    replace_reasons: tuple[str, ...] = ()
    properties: tuple[PropertyChange, ...] = ()
    #: False for component resources (CnilExemptSite, ...), which group others and hold no Piwik PRO object.
    custom: bool = True

    @property
    def short_type(self) -> str:
        return self.type.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Preview:
    resources: tuple[ResourceChange, ...]
    #: Count per op of the resources shown (components, the stack itself and providers are not counted).
    counts: Mapping[str, int]
    errors: tuple[str, ...] = ()
    components: tuple[ResourceChange, ...] = ()


def urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def urn_type(urn: str) -> str:
    parts = urn.split("::")
    return parts[2].rsplit("$", 1)[-1] if len(parts) >= 4 else ""


def is_bookkeeping(type_token: str) -> bool:
    """The stack resource and provider resources: engine bookkeeping rather than Piwik PRO objects."""
    return type_token == "pulumi:pulumi:Stack" or type_token.startswith("pulumi:providers:")


def _inputs(state: Any) -> Mapping[str, Any] | None:
    if not isinstance(state, Mapping):
        return None
    inputs = state.get("inputs")
    return inputs if isinstance(inputs, Mapping) else {}


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def property_changes(
    op: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None, replace_reasons: Iterable[str] = ()
) -> tuple[PropertyChange, ...]:
    """The rows of a resource's property table.

    create: every input set; delete: every input the resource had; update/replace: the inputs that differ.
    When an update shows no visible difference, its hidden (secret) inputs are listed as possibly changed,
    since a change of a secret is the only thing that can explain it.
    """
    reasons = set(replace_reasons)
    old = old or {}
    new = new or {}
    rows: list[PropertyChange] = []
    if op == "create":
        for key in sorted(new):
            if key != PROVIDER_KEY and new[key] is not None:
                rows.append(PropertyChange(key, MISSING, mask(new[key], key)))
        return tuple(rows)
    if op == "delete":
        for key in sorted(old):
            if key != PROVIDER_KEY and old[key] is not None:
                rows.append(PropertyChange(key, mask(old[key], key), MISSING))
        return tuple(rows)
    hidden: list[PropertyChange] = []
    for key in sorted(set(old) | set(new)):
        before = old.get(key, MISSING)
        after = new.get(key, MISSING)
        before = MISSING if before is None else before
        after = MISSING if after is None else after
        shown_before, shown_after = mask(before, key), mask(after, key)
        # Only values the engine hid are unknowable; a plaintext value masked for its name still compares.
        both_hidden = contains_secret(before) and contains_secret(after)
        if _same(before, after) and not (both_hidden and key in reasons):
            if both_hidden and key != PROVIDER_KEY:
                hidden.append(PropertyChange(key, shown_before, shown_after, key in reasons, hidden=True))
            continue
        if key == PROVIDER_KEY and not reasons:
            # The pickled provider changes whenever the provider code does; shown, but never its value.
            rows.append(PropertyChange(key, MASK, MASK))
            continue
        rows.append(PropertyChange(key, shown_before, shown_after, key in reasons))
    if not [r for r in rows if r.name != PROVIDER_KEY]:
        rows.extend(hidden)
    return tuple(rows)


def parse(preview: Mapping[str, Any]) -> Preview:
    """Fold the digest's steps into one change per URN (a replacement's steps become one `replace`)."""
    by_urn: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    for step in preview.get("steps") or []:
        urn = str(step.get("urn", ""))
        group = _OP_GROUP.get(str(step.get("op", "")), str(step.get("op", "")))
        entry = by_urn.get(urn)
        if entry is None:
            entry = {"op": group, "old": None, "new": None, "type": "", "reasons": [], "custom": True}
            by_urn[urn] = entry
            order.append(urn)
        elif _OP_RANK.get(group, 0) > _OP_RANK.get(entry["op"], 0):
            entry["op"] = group
        old_state, new_state = step.get("oldState"), step.get("newState")
        if entry["old"] is None and isinstance(old_state, Mapping):
            entry["old"] = old_state
        if isinstance(new_state, Mapping):
            entry["new"] = new_state
        for st in (old_state, new_state):
            if isinstance(st, Mapping) and st.get("custom") is False:
                entry["custom"] = False
        entry["type"] = entry["type"] or str(
            (new_state or {}).get("type") or (old_state or {}).get("type") or urn_type(urn)
        )
        for reason in list(step.get("replaceReasons") or []) + _detailed_replaces(step.get("detailedDiff")):
            if reason not in entry["reasons"]:
                entry["reasons"].append(reason)

    resources: list[ResourceChange] = []
    components: list[ResourceChange] = []
    counts: dict[str, int] = {}
    for urn in order:
        entry = by_urn[urn]
        if is_bookkeeping(entry["type"]):
            continue
        op = entry["op"]
        old_inputs = _inputs(entry["old"])
        new_inputs = None if op == "delete" else _inputs(entry["new"])
        reasons = tuple(str(r).split(".", 1)[0].split("[", 1)[0] for r in entry["reasons"])
        if not entry["custom"]:
            components.append(ResourceChange(op, urn, entry["type"], urn_name(urn), None, None, custom=False))
            continue
        props = property_changes(op, old_inputs, new_inputs, reasons) if op in OPS else ()
        resources.append(ResourceChange(op, urn, entry["type"], urn_name(urn), old_inputs, new_inputs, reasons, props))
        counts[op] = counts.get(op, 0) + 1

    errors = tuple(
        str(d.get("message", "")).strip()
        for d in preview.get("diagnostics") or []
        if isinstance(d, Mapping) and d.get("severity") == "error" and str(d.get("message", "")).strip()
    )
    return Preview(tuple(resources), counts, errors, tuple(components))


def _detailed_replaces(detailed: Any) -> list[str]:
    """Property paths that the provider's detailed diff marks as forcing a replacement (kinds ending -replace)."""
    if not isinstance(detailed, Mapping):
        return []
    return [str(path) for path, diff in detailed.items() if "replace" in str((diff or {}).get("kind", ""))]
