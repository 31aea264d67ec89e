"""The base of every client model: populate by name or alias, keep unknown fields, dump by alias for the wire.

Python attributes are snake_case; each field's alias is the API's spelling (camelCase for the Apps API, snake_case
elsewhere), and both spellings are accepted on input. Unknown response fields are kept (``extra="allow"``), so a
new API attribute never breaks parsing; nor does an enumeration value the vendored OpenAPI files do not list yet in
an answer (a response model types it ``<Literal> | Unlisted``), while what the client sends keeps the ``Literal``
alone (docs/client.md, "Generated models").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, NewType, Self

from pydantic import BaseModel, ConfigDict

__all__ = ["PiwikModel", "Unlisted"]

#: A value of an enumerated attribute that the vendored OpenAPI files do not list, as an answer carried it (Piwik
#: PRO adds tag templates, for one): kept as the string it is, so that reading it never fails an operation. The
#: compliance rules judge such a value as not on any list they know (e.g. a template not on the allow-list).
Unlisted = NewType("Unlisted", str)


class PiwikModel(BaseModel):
    """Base: populate by name or alias, keep unknown fields, dump by alias for the wire."""

    model_config = ConfigDict(populate_by_name=True, extra="allow")

    #: JSON:API ``type`` of the resource this model describes (``None`` when it has no envelope).
    resource_type: ClassVar[str | None] = None

    @classmethod
    def from_resource(cls, resource: Mapping[str, Any]) -> Self:
        """Build the model from a JSON:API resource object (``id`` + ``attributes`` + ``relationships``)."""
        data: dict[str, Any] = dict(resource.get("attributes") or {})
        if resource.get("id") is not None:
            data["id"] = resource["id"]
        return cls.model_validate(data)

    def to_attributes(self, *, exclude: set[str] | None = None) -> dict[str, Any]:
        """The fields the caller set (not defaults), by API alias, JSON-ready."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True, exclude=exclude)

    @classmethod
    def wire_name(cls, key: str) -> str | None:
        """API name (alias) of ``key`` (a Python name or alias); ``None`` if the model has no such field."""
        for name, info in cls.model_fields.items():
            alias = info.alias or name
            if key in (name, alias):
                return alias
        return None
