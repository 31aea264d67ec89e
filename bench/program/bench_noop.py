"""A no-op dynamic provider: the engine's own cost, with no API behind it (the bench's engine floor).

It is swapped in for every Piwik PRO provider class by the bench program in ``mode: noop``, so the resource graph
(type tokens, names, parents, properties) stays exactly the one of ``mode: real``. Kept beside ``__main__.py`` so
the provider process (cwd = the program directory) imports it, and free of side effects.
"""

from __future__ import annotations

import uuid
from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult

PROVIDER_KEY = "__provider"


def _user(props: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k != PROVIDER_KEY}


class NoopProvider(ResourceProvider):
    """create returns a fresh id and the inputs; diff compares inputs; read/update/delete do nothing else."""

    # As the real providers (PiwikProvider): nothing secret is pickled, so no encryption per resource.
    serialize_as_secret_always = False

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(str(uuid.uuid4()), _user(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        old, new = _user(olds), _user(news)
        changed = [k for k in set(old) | set(new) if old.get(k) != new.get(k)]
        return DiffResult(changes=bool(changed), replaces=[])

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        outs = _user(props)
        return ReadResult(id_, outs, inputs=outs)

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(_user(news))

    def delete(self, _id: str, _props: dict[str, Any]) -> None:
        return None
