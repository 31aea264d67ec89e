"""A read-only live snapshot of a stack: every managed Piwik PRO object, declared (state) and live values, per site.

The declared values are the outputs the stack's state holds for each resource (what the last `pulumi up` or
refresh recorded); the live values are what the resource's own provider adapter reads now, through its
``read(ctx, id, state)`` — the very code `pulumi refresh` runs, so the snapshot sees the API exactly as a refresh
would. Nothing is written: no API write is sent (adapters' reads only GET) and the state is only exported
(`pulumi stack export`), never imported. The client is built from the stack's `piwik:*` config (secrets
decrypted in this process only), falling back to the PIWIK_* environment like the providers.

Resources are grouped per site — the CnilExemptSite component they belong to (its name is the site's key; a
resource declared beside it on the same app joins it) or, for a resource on an app no component manages, its
`site_id` — and account-wide ones (the global tracker settings) go to the account group. Each CnilExemptSite of the
state, whatever program declared it, brings what it recorded of what no API answers (``record``: its
``compliance.Declared``, compliance/record.py). Each group offers ``declared``/``live`` as a ``compliance.LiveSite``,
the judge's input (the compliance package docstring has the contract), built by ``LiveSite.build`` exactly as
CnilExemptSite.live_values builds it from a program's outputs.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from piwik_resources.api import PiwikClient, PiwikError
from piwik_resources.compliance import Declared, LiveSite, short_type
from piwik_resources.compliance import record as declared_record
from piwik_resources.providers import PiwikProvider, ProviderError
from piwik_resources.providers import opt_out_form as _opt_out_form  # noqa: F401 (registers OptOutForm)
from piwik_resources.providers._connection import Connection, ConnectionNotConfigured, resolve_connection
from piwik_resources.providers._values import same, user_props
from piwik_resources.providers.engine import Adapter, Context
from piwik_resources.tokens import component_types, is_piwik_resource

from . import _pulumi

#: Type tokens of the component that makes one site exempt (components/cnil_exempt_site.py), either way made.
SITE_COMPONENTS = component_types("CnilExemptSite")
#: The group of the account-wide resources.
ACCOUNT = "account"
#: The key by which Pulumi marks a secret value in a checkpoint (it stays encrypted in an export).
_SECRET_SIG = "4dabf18193072939515e22adb298388d"


class LiveSnapshotError(RuntimeError):
    """The snapshot could not be taken; the message says why (never with a secret)."""


def adapters() -> dict[str, Adapter[Any]]:
    """Resource type -> its provider adapter, for every provider of piwik_resources.providers."""
    found: dict[str, Adapter[Any]] = {}
    pending: list[type[PiwikProvider]] = list(PiwikProvider.__subclasses__())
    while pending:
        provider = pending.pop()
        pending.extend(provider.__subclasses__())
        adapter = getattr(provider, "adapter", None)
        if isinstance(adapter, Adapter):
            found[adapter.resource_type] = adapter
    return found


@dataclass
class ResourceSnapshot:
    """One managed object: its declared (state) outputs and its live values (``None``: it is gone)."""

    urn: str
    type: str
    name: str
    id: str
    declared: dict[str, Any]
    live: dict[str, Any] | None
    #: The adapter's input properties: the ones a program declares (and a drift can be about).
    input_keys: tuple[str, ...] = ()
    #: When the state last recorded this resource (ISO-8601, if the backend keeps it).
    modified: str | None = None

    def drift(self) -> list[tuple[str, Any, Any]]:
        """(property, declared, live) of each declared input property whose live value differs."""
        if self.live is None:
            return [("(resource)", self.id, None)]
        found = []
        for key in self.input_keys:
            if key not in self.declared or _is_secret(self.declared[key]):
                continue
            if not same(self.declared[key], self.live.get(key)):
                found.append((key, self.declared[key], self.live.get(key)))
        return found


@dataclass
class SiteSnapshot:
    """The resources of one site (or of the account)."""

    key: str
    site_id: str | None
    resources: list[ResourceSnapshot] = field(default_factory=list)
    #: The URN of the CnilExemptSite this group is, None for resources outside any (or the account group).
    component: str | None = None
    #: What that CnilExemptSite recorded in the state (None: no component, or a state written before records).
    record: Declared | None = None

    @property
    def is_site(self) -> bool:
        """Whether a CnilExemptSite declared this group: only such a site is judged against the exemption."""
        return self.component is not None

    def declaration(self) -> Declared:
        """What the site's CnilExemptSite recorded; LiveSnapshotError when it recorded nothing."""
        if self.record is None:
            raise LiveSnapshotError(
                f"CnilExemptSite {self.key!r} ({self.component}) has no record of what no API answers in the "
                f"state (its output {declared_record.OUTPUT!r}): the state was written by an earlier piwik-resources; "
                "run `pulumi up` once with this version, which records it without changing anything in Piwik PRO"
            )
        return self.record

    @property
    def name(self) -> str:
        for resource in self.resources:
            if resource.type == "Site":
                return str((resource.live or resource.declared).get("name") or self.key)
        return self.key

    def judged(self, which: str) -> LiveSite:
        """``which`` = "declared" or "live": the values as the judge takes them (gone objects are left out)."""
        return LiveSite.build((r.type, r.declared if which == "declared" else r.live) for r in self.resources)

    @property
    def declared(self) -> LiveSite:
        return self.judged("declared")

    @property
    def live(self) -> LiveSite:
        return self.judged("live")


@dataclass
class StackSnapshot:
    stack: str
    sites: list[SiteSnapshot]

    def resources(self) -> Iterator[ResourceSnapshot]:
        for site in self.sites:
            yield from site.resources

    def no_site(self, command: str) -> str | None:
        """Why ``command`` finds no CnilExemptSite to judge in this stack (None when it finds one)."""
        if any(site.is_site for site in self.sites):
            return None
        count = sum(1 for _ in self.resources())
        held = (
            f"holds {count} Piwik PRO resource(s), none in a CnilExemptSite"
            if count
            else "holds no Piwik PRO resource (never deployed, or destroyed)"
        )
        return (
            f"the stack {self.stack!r} {held}: {command} judges the sites a CnilExemptSite declares (in a program, "
            "in the stack config piwik-cnil:sites that this repository's program reads, or through the provider "
            "plugin); declare one and run `pulumi up`"
        )


def _is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and _SECRET_SIG in value


def site_groups(resources: list[Mapping[str, Any]]) -> dict[str, SiteSnapshot]:
    """URN of each CnilExemptSite of the state -> its (empty) group, keyed by its name, with its record."""
    groups: dict[str, SiteSnapshot] = {}
    for r in resources:
        if r.get("type") not in SITE_COMPONENTS or r.get("delete"):
            continue
        outputs = r.get("outputs") or {}
        record = None
        if declared_record.OUTPUT in outputs:
            try:
                record = declared_record.from_record(outputs[declared_record.OUTPUT])
            except declared_record.RecordError as err:
                raise LiveSnapshotError(f"{r['urn']}: its record of what no API answers is unreadable: {err}") from None
        groups[r["urn"]] = SiteSnapshot(r["urn"].rsplit("::", 1)[-1], None, component=r["urn"], record=record)
    return groups


def _apps_of(resources: list[Mapping[str, Any]], components: Mapping[str, SiteSnapshot]) -> dict[str, str]:
    """App id -> the key of the CnilExemptSite whose Site it is."""
    return {
        str(r["id"]): components[str(r.get("parent"))].key
        for r in resources
        if short_type(str(r.get("type", ""))) == "Site" and r.get("id") and str(r.get("parent")) in components
    }


def managed_resources(state: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The checkpoint's live (not pending-delete) Piwik PRO resources, in state order."""
    resources = (state.get("deployment") or {}).get("resources") or []
    return [r for r in resources if is_piwik_resource(str(r.get("type", ""))) and r.get("id") and not r.get("delete")]


def _group_key(
    resource: Mapping[str, Any], components: Mapping[str, SiteSnapshot], apps: Mapping[str, str]
) -> tuple[str, str | None]:
    outputs = resource.get("outputs") or {}
    found = resource["id"] if short_type(resource["type"]) == "Site" else outputs.get("site_id")
    site_id = str(found) if found else None
    parent = str(resource.get("parent") or "")
    if parent in components:
        return components[parent].key, site_id
    if site_id:
        return apps.get(site_id, site_id), site_id
    return ACCOUNT, None


def connection_of(config: Mapping[str, Any]) -> Connection:
    """The Piwik PRO connection of a stack (its `piwik:*` config, then PIWIK_* environment variables)."""
    try:
        return resolve_connection(config)
    except (ConnectionNotConfigured, ValueError) as err:  # no credentials, or a bad pacing setting
        raise LiveSnapshotError(str(err)) from None


class _ClientContext(Context):
    """The adapters' context with the snapshot's own client (its pacing, token and stats are the snapshot's)."""

    def __init__(self, client: PiwikClient) -> None:
        super().__init__(
            lambda: Connection(base_url=client.base_url, client_id=client.client_id, client_secret=SecretStr("unused"))
        )
        self._client = client


def _read(adapter: Adapter[Any], ctx: Context, resource: Mapping[str, Any]) -> dict[str, Any] | None:
    state = user_props(resource.get("outputs") or {})
    try:
        live = adapter.read(ctx, str(resource["id"]), state)
    except (PiwikError, ProviderError) as err:
        raise LiveSnapshotError(f"{short_type(resource['type'])} {resource['id']}: read failed: {err}") from None
    return None if live is None else user_props(live)


def snapshot(stack: str, state: Mapping[str, Any], client: PiwikClient) -> StackSnapshot:
    """Read every managed resource of ``state`` with ``client``, grouped per site (by key, account group last)."""
    known = adapters()
    resources = managed_resources(state)
    components = site_groups((state.get("deployment") or {}).get("resources") or [])
    apps = _apps_of(resources, components)
    ctx = _ClientContext(client)
    groups: dict[str, SiteSnapshot] = {group.key: group for group in components.values()}
    for resource in resources:
        kind = short_type(resource["type"])
        adapter = known.get(kind)
        if adapter is None:
            continue  # a resource type this version does not know: nothing to read it with
        key, site_id = _group_key(resource, components, apps)
        group = groups.setdefault(key, SiteSnapshot(key, site_id))
        group.site_id = group.site_id or site_id
        declared = user_props(resource.get("outputs") or {})
        group.resources.append(
            ResourceSnapshot(
                urn=resource["urn"],
                type=kind,
                name=resource["urn"].rsplit("::", 1)[-1],
                id=str(resource["id"]),
                declared=declared,
                live=_read(adapter, ctx, resource),
                input_keys=adapter.input_keys(),
                modified=resource.get("modified"),
            )
        )
    ordered = sorted(groups.values(), key=lambda g: (g.key == ACCOUNT, g.key))  # stable output: by key
    return StackSnapshot(stack, ordered)


def live_snapshot(stack: str, cwd: Path | None = None) -> StackSnapshot:
    """The stack's snapshot: its state and config from the Pulumi CLI, its live values from Piwik PRO."""
    state = _pulumi.stack_state(stack, cwd)
    conn = connection_of(_pulumi.stack_config(stack, cwd))
    with client_for(conn) as client:
        return snapshot(stack, state, client)


def client_for(conn: Connection) -> PiwikClient:
    """A client of its own (not the providers' process-wide one), paced as the stack's config says."""
    return PiwikClient.from_config(conn)
