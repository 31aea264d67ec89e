"""A dynamic provider kept in an importable module, so the engine pickles it by reference."""

from __future__ import annotations

from typing import Any

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, ResourceProvider, UpdateResult


class GreetingProvider(ResourceProvider):
    serialize_as_secret_always = False

    def _outs(self, props: dict[str, Any]) -> dict[str, Any]:
        return {"name": props["name"], "greeting": f"Bonjour, {props['name']}"}

    def create(self, props: dict[str, Any]) -> CreateResult:
        return CreateResult(f"greeting-{props['name']}", self._outs(props))

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        return DiffResult(changes=olds.get("name") != news.get("name"))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        return UpdateResult(self._outs(news))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        outs = self._outs(props)
        return ReadResult(id_, outs, inputs={"name": outs["name"]})
