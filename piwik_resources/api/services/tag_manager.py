"""Tag Manager (``/api/tag/v1/{app_id}/...``): tags, container versions and the asynchronous operations.

What the specs leave open, and how this module takes it (docs/client.md, "Open variants"): publishing may answer
``202`` with an operation or ``204`` with none (the vendor's own client accepts both); publishing a draft that
has no change may answer ``400`` — then the draft is read, and when it has no change the publication is already
done, so it is not a failure and is not retried; the Piwik PRO tag of a new app may appear only after a while,
so :meth:`TagsService.wait_for_template` waits for it, bounded.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping
from typing import Any

from ..errors import OperationFailedError, OperationTimeoutError, PiwikError, TriggersApiUnavailable
from ..jsonapi import MalformedResponse, document, single_resource
from ..models import Operation, Tag, TagAttributes, Trigger, Variable, Version
from ._base import M, Service, paginate, to_wire

__all__ = [
    "CREATE_ONLY_TAG_ATTRIBUTES",
    "TAG_WAIT_SECONDS",
    "TagWaitTimeoutError",
    "TagsService",
    "TriggersService",
    "VersionsService",
]

TAGS = "/api/tag/v1/{app_id}/tags"
TAG = "/api/tag/v1/{app_id}/tags/{tag_id}"
DRAFT = "/api/tag/v1/{app_id}/versions/draft"
PUBLISHED = "/api/tag/v1/{app_id}/versions/published"
PUBLISH_DRAFT = "/api/tag/v1/{app_id}/versions/draft/publish"
OPERATION = "/api/tag/v1/{app_id}/operations/{operation_id}"
#: Not in the published 2025 OpenAPI files: the paths of Piwik PRO's archived API reference (PPMS-PublicDocs,
#: ``tag_manager/authorized_api/src/triggers.yaml`` and ``variables.yaml``); docs/client.md says what follows.
TRIGGER = "/api/tag/v1/{app_id}/triggers/{trigger_id}"
VARIABLE = "/api/tag/v1/{app_id}/variables/{variable_id}"

CREATE_ONLY_TAG_ATTRIBUTES = frozenset({"template", "tag_type"})
#: How long to wait for the tag a new app's container gets (the ``tag_delay`` variant of docs/emulator.md).
TAG_WAIT_SECONDS = 120.0
#: The id of the :class:`Operation` returned for a publication answered without one (``204``, or "nothing to
#: publish"): it names no operation on the server.
NO_OPERATION = ""


class TagWaitTimeoutError(PiwikError):
    """The app's container still has no tag of the template after the bounded wait."""


class TagsService(Service):
    page_size = 100

    def list(self, app_id: str, template: str | None = None, name: str | None = None) -> builtins.list[Tag]:
        """Every tag of the app's container (summary fields), optionally filtered by template and name."""

        def fetch(offset: int, limit: int) -> tuple[builtins.list[Tag], int | None]:
            params: dict[str, Any] = {"page[offset]": offset, "page[limit]": limit}
            if template:
                params["filter[template]"] = template
            if name:
                params["filter[name]"] = name
            return self._many(Tag, "GET", TAGS, path_params={"app_id": app_id}, params=params)

        return builtins.list(paginate(fetch, self.page_size))

    def get(self, app_id: str, tag_id: str) -> Tag:
        return self._one(Tag, "GET", TAG, path_params={"app_id": app_id, "tag_id": tag_id})

    def wait_for_template(self, app_id: str, template: str, *, timeout: float = TAG_WAIT_SECONDS) -> builtins.list[Tag]:
        """The app's tags made from ``template``, waiting (polling, bounded by ``timeout`` s) until there is one.

        A new app's container may get its Piwik PRO tag a little after the app exists. Raises
        :class:`TagWaitTimeoutError` naming the app, the template and the time waited.
        """
        clock, sleep = self._client.retry.clock, self._client.retry.sleep
        deadline = clock() + timeout
        delay = 0.5
        while True:
            found = [t for t in self.list(app_id, template=template) if t.template == template]
            remaining = deadline - clock()
            if found or remaining <= 0:
                break
            sleep(min(delay, remaining))
            delay = min(delay * 2, 5.0)
        if not found:
            path = TAGS.format(app_id=app_id)
            raise TagWaitTimeoutError(
                f"app {app_id} still has no tag made from template {template!r} after waiting {timeout:g} s "
                f"(GET {path}); a new app's container gets its Piwik PRO tag shortly after the app is created — "
                "run `pulumi up` again in a minute, or check Tag Manager → Tags in the Piwik PRO UI",
                method="GET",
                path=path,
                status=200,
            )
        return found

    def create(self, app_id: str, attrs: TagAttributes | Mapping[str, Any]) -> Tag:
        model = attrs if isinstance(attrs, TagAttributes) else TagAttributes.model_validate(attrs)
        return self._one(Tag, "POST", TAGS, path_params={"app_id": app_id}, json=document("tag", model.to_attributes()))

    def update(self, app_id: str, tag_id: str, changes: Mapping[str, object]) -> None:
        """PATCH the given attributes. ``template_options`` replaces the whole object: send it complete."""
        attributes = to_wire(TagAttributes, changes, what="tag")
        fixed = sorted(CREATE_ONLY_TAG_ATTRIBUTES & attributes.keys())
        if fixed:
            raise ValueError(f"tag attribute(s) {', '.join(fixed)} can only be set when the tag is created")
        if not attributes:
            return
        self._call(
            "PATCH",
            TAG,
            path_params={"app_id": app_id, "tag_id": tag_id},
            json=document("tag", attributes, id=tag_id),
        )

    def delete(self, app_id: str, tag_id: str) -> None:
        self._call("DELETE", TAG, path_params={"app_id": app_id, "tag_id": tag_id})


#: Statuses of a path the host does not serve.
_NOT_SERVED = (404, 405)


class TriggersService(Service):
    """A tag's triggers and the variables their conditions test (the archived reference's paths, see TRIGGER).

    A host that does not serve these paths answers 404 or 405 to the first read: that read raises
    :class:`TriggersApiUnavailable`, and so does every later one of this client without a request. Once a read has
    succeeded the paths are served, and a 404 is an object that is gone (``NotFoundError``)."""

    def __init__(self, client: Any) -> None:
        super().__init__(client)
        self._served: bool | None = None  # None: not asked yet

    def get(self, app_id: str, trigger_id: str) -> Trigger:
        return self._read(Trigger, TRIGGER, {"app_id": app_id, "trigger_id": trigger_id})

    def variable(self, app_id: str, variable_id: str) -> Variable:
        return self._read(Variable, VARIABLE, {"app_id": app_id, "variable_id": variable_id})

    def _read(self, model: type[M], path: str, params: dict[str, str]) -> M:
        if self._served is False:
            raise TriggersApiUnavailable(f"{self._client.base_url} does not serve {path}", method="GET", path=path)
        try:
            found = self._one(model, "GET", path, path_params=params)
        except PiwikError as err:
            if self._served is None and err.status in _NOT_SERVED:
                self._served = False
                raise TriggersApiUnavailable(
                    f"{self._client.base_url} does not serve {path} (HTTP {err.status})",
                    method=err.method or "GET",
                    path=err.path or path,
                    status=err.status,
                    detail=err.detail,
                ) from None
            raise
        self._served = True
        return found


class VersionsService(Service):
    #: Poll delays: first poll after ``poll_initial`` s, doubling up to ``poll_max`` s.
    poll_initial = 0.2
    poll_max = 2.0

    def get_draft(self, app_id: str) -> Version:
        return self._one(Version, "GET", DRAFT, path_params={"app_id": app_id})

    def get_published(self, app_id: str) -> Version:
        return self._one(Version, "GET", PUBLISHED, path_params={"app_id": app_id})

    def get_operation(self, app_id: str, operation_id: str) -> Operation:
        return self._one(Operation, "GET", OPERATION, path_params={"app_id": app_id, "operation_id": operation_id})

    def publish_draft(self, app_id: str, *, wait: bool = True, timeout: float = 60) -> Operation:
        """Publish the draft (202 + operation) and, with ``wait``, poll the operation until it completes.

        A ``204`` answer, or a ``400`` while the draft has no change, returns a completed :class:`Operation`
        whose ``id`` is empty (there is no operation to poll).

        Raises :class:`OperationFailedError` when the operation fails and :class:`OperationTimeoutError` when
        it is still running after ``timeout`` seconds (the publication may still complete later).
        """
        # Publishing again publishes the same draft: safe to repeat after a 5xx or a lost answer.
        try:
            response = self._call("POST", PUBLISH_DRAFT, path_params={"app_id": app_id}, idempotent=True)
        except PiwikError as err:
            # "Nothing to publish" (400) is refused only when the draft equals the published version: that
            # is the state a publication reaches, so it is done — the draft, not the error text, decides.
            if err.status == 400 and self.get_draft(app_id).has_changes is False:
                return Operation(id=NO_OPERATION, operation_type="publish/version", state="completed")
            raise
        if response.status_code == 204:  # published at once, no operation to follow
            return Operation(id=NO_OPERATION, operation_type="publish/version", state="completed")
        body = self._client.json_body(response, "POST", PUBLISH_DRAFT)
        try:
            data = single_resource(body)
            op_ref = data["relationships"]["operation"]["data"]
            operation_id = str(op_ref["id"])
        except (MalformedResponse, KeyError, TypeError) as exc:
            raise self._client.malformed(
                response,
                "POST",
                MalformedResponse(f"no operation relationship in the publish answer ({exc})"),
            ) from None
        version_id = str(data["id"]) if data.get("id") is not None else None
        if not wait:
            return Operation(id=operation_id, state="created", version_id=version_id)
        return self.wait_operation(app_id, operation_id, timeout=timeout, version_id=version_id)

    def wait_operation(
        self, app_id: str, operation_id: str, *, timeout: float = 60, version_id: str | None = None
    ) -> Operation:
        """Poll ``GET .../operations/{id}`` with bounded exponential delays until done or ``timeout``."""
        clock = self._client.retry.clock
        sleep = self._client.retry.sleep
        deadline = clock() + timeout
        delay = self.poll_initial
        path = OPERATION.format(app_id=app_id, operation_id=operation_id)
        while True:
            op = self.get_operation(app_id, operation_id)
            op.version_id = version_id
            if op.state == "completed":
                return op
            if op.state == "failed":
                kind = op.operation_type or "publish"
                raise OperationFailedError(
                    f"Tag Manager operation {operation_id} ({kind}) of app {app_id} "
                    f"failed: {_summary_text(op.summary)}",
                    method="GET",
                    path=path,
                    status=200,
                    detail=_summary_text(op.summary),
                    operation_id=operation_id,
                    summary=op.summary,
                )
            kind = op.operation_type or "publish"
            remaining = deadline - clock()
            if remaining <= 0:
                raise OperationTimeoutError(
                    f"Tag Manager operation {operation_id} ({kind}) of app {app_id} "
                    f"is still '{op.state}' after {timeout:g} s; it may complete later — check the app's "
                    "published version before retrying",
                    method="GET",
                    path=path,
                    status=200,
                    operation_id=operation_id,
                    state=op.state,
                    timeout=timeout,
                )
            sleep(min(delay, remaining))
            delay = min(delay * 2, self.poll_max)


def _summary_text(summary: object) -> str:
    if isinstance(summary, dict) and summary.get("errors"):
        errors = summary["errors"]
        if isinstance(errors, builtins.list):
            return "; ".join(
                str(e.get("detail") or e.get("title") or e) if isinstance(e, dict) else str(e) for e in errors
            )
        return str(errors)
    return str(summary) if summary else "no detail given by the API"
