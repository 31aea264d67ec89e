"""Contract checking of emulator responses against Piwik PRO's OpenAPI files, with openapi-core.

Each spec file holds one path; a response is validated with the file whose path template matches the
request (literal segments preferred over parameters). What cannot be validated as published is listed
here with its reason, never skipped silently:

- TAG_ONE_OF: the tag create/get responses are `oneOf` 44 template variants that are not
  discriminated (every variant's `template` enum lists all 37 templates), so a custom tag is valid under
  several variants at once and `oneOf` can never pass. The check rewrites those `oneOf` into `anyOf`
  (test_contract.py proves the ambiguity on the unmodified file).
- AUDIT_IP_ONE_OF: the audit log's `ip` is `oneOf [{format: IPv4}, {format: IPv6}]`; JSON Schema's format names
  are `ipv4`/`ipv6` (case matters), so both branches accept any string and `oneOf` can never pass. The check
  spells the formats as JSON Schema does and uses `anyOf`, so an IP is really checked (test_audit_log.py proves
  the defect on the unmodified file).
- CSV: openapi-core has no text/csv deserializer; a CSV answer (the audit log's `Accept: text/csv`) is parsed
  (payload from JSON, version as a number) and validated with jsonschema against the file's text/csv schema.
- UNDOCUMENTED: statuses the emulator sends that the file does not document (401 on apps, 404 on
  tracker settings, 409 on PATCH id mismatch, 429/503 from the switches, ...). Each allowed pair is in
  UNDOCUMENTED_STATUSES with its reason; the body must still be of the service's error family.
- The emulator's own consent-template paths have no spec; they are checked against CONSENT_TEMPLATE_SCHEMA.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import jsonschema  # type: ignore[import-untyped]
from openapi_core import OpenAPI
from openapi_core.testing import MockRequest, MockResponse

ROOT = Path(__file__).resolve().parents[2]
SPEC_DIR = Path(os.environ.get("PIWIK_OPENAPI_DIR", ROOT / "piwik_emulator" / "openapi"))
HOST_URL = "https://example.piwik.pro"  # matches the specs' server https://{account}.piwik.pro

TAG_ONE_OF_FILES = ("api_tag_v1_{app_id}_tags.json", "api_tag_v1_{app_id}_tags_{tag_id}.json")
AUDIT_LOG_FILE = "api_audit-log_v1_entries.json"
_IP_ONE_OF = [{"format": "IPv4"}, {"format": "IPv6"}]

# (method, template-prefix or template, status) -> why the spec does not document it.
UNDOCUMENTED_STATUSES: dict[tuple[str, str, int], str] = {
    ("*", "*", 401): "401 is documented only for tracker settings and Tag Manager; every API needs a token",
    ("*", "*", 429): "rate limits (June 2025) are not in the OpenAPI files",
    ("*", "*", 503): "injected faults; 503 is documented only for Tag Manager writes",
    ("*", "*", 500): "injected faults / internal errors",
    ("*", "*", 405): "a method the path does not have (e.g. DELETE of a custom dimension)",
    ("GET", "/api/apps/v2", 400): "invalid query parameter (limit, offset, sort): the list documents 200 only",
    ("*", "/api/apps/v2/{app_id}", 404): "apps PATCH/DELETE document no 404; GET does",
    ("PATCH", "/api/apps/v2/{app_id}", 409): "id mismatch: 409 as the users API documents it",
    ("*", "/api/tracker/v2/settings/app/{app_id}", 404): "unknown app: the file lists 200/400/401/403 only",
    ("*", "/api/tracker/v2/settings/app/{app_id}/{setting}", 404): "unknown app",
    ("PATCH", "/api/tracker/v2/settings/app/{app_id}", 409): "id mismatch (platform convention)",
    ("PATCH", "/api/tracker/v2/settings/app/global", 409): "id mismatch (platform convention)",
    ("PATCH", "/api/tag/v1/{app_id}/tags/{tag_id}", 409): "id mismatch (JSON:API convention)",
    ("*", "/api/analytics/v1/manage/custom-dimensions/{id}/", 404): "unknown dimension: only 200/403 documented",
    ("GET", "/api/analytics/v1/manage/custom-dimensions/slots/", 400): "missing/unknown website_id",
    ("GET", "/api/analytics/v1/manage/custom-dimensions/{id}/", 400): "missing/unknown website_id",
    ("PUT", "/api/analytics/v1/manage/custom-dimensions/{id}/", 409): "id mismatch",
    ("POST", "/api/tag/v1/{app_id}/versions/draft/publish", 204): "variant publish_mode sync: no operation, no body",
}

CONSENT_TEMPLATE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {
        "data": {
            "type": "object",
            "required": ["type", "id", "attributes"],
            "additionalProperties": False,
            "properties": {
                "type": {"const": "consent-manager/consent-form-template"},
                "id": {"type": "string", "pattern": "^[a-z]{2}(-[A-Z]{2})?$"},
                "attributes": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["title", "message", "accept_label", "reject_label", "privacy_policy_url"],
                    "properties": {
                        "title": {"type": "string", "minLength": 1},
                        "message": {"type": "string", "minLength": 1},
                        "accept_label": {"type": "string", "minLength": 1},
                        "reject_label": {"type": "string", "minLength": 1},
                        "privacy_policy_url": {"type": ["string", "null"]},
                    },
                },
            },
        }
    },
}
#: The archived reference's trigger and variable documents (piwik_emulator/tag_triggers.py): the fields it serves.
ARCHIVED_PATH = re.compile(r"^/api/tag/v1/[^/]+/(triggers|variables)(/[^/]+)?$")
_ARCHIVED_ITEM: dict[str, Any] = {
    "type": "object",
    "required": ["id", "type", "attributes"],
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "type": {"enum": ["trigger", "variable"]},
        "attributes": {
            "type": "object",
            "required": ["name"],
            "properties": {
                "name": {"type": "string", "minLength": 1},
                "trigger_type": {"type": "string"},
                "variable_type": {"type": "string"},
                "conditions": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["condition_id", "variable_id", "condition_type", "value", "options"],
                    },
                },
            },
        },
    },
}
ARCHIVED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["data"],
    "properties": {"data": {"anyOf": [_ARCHIVED_ITEM, {"type": "array", "items": _ARCHIVED_ITEM}]}},
}
CONSENT_LIST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["meta", "data"],
    "properties": {
        "meta": {"type": "object", "required": ["total"], "properties": {"total": {"type": "integer"}}},
        "data": {"type": "array", "items": CONSENT_TEMPLATE_SCHEMA["properties"]["data"]},
    },
}
PLATFORM_ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["status", "title"],
                "properties": {"status": {"type": "string"}, "code": {"type": "string"}, "title": {"type": "string"}},
            },
        }
    },
}
PLATFORM_401_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}},
}
TM_ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["errors"],
    "additionalProperties": False,
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "detail"],
                "additionalProperties": False,
                "properties": {
                    "code": {"type": "string"},
                    "detail": {"type": "string"},
                    "source": {"type": "object"},
                    "meta": {"type": "object"},
                },
            },
        }
    },
}
ANALYTICS_ERRORS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "object", "required": ["status", "detail"]},
        }
    },
}


def spec_dir() -> Path:
    if not SPEC_DIR.is_dir():
        raise FileNotFoundError(
            f"Piwik PRO OpenAPI files not found at {SPEC_DIR}; set PIWIK_OPENAPI_DIR to the piwik-openapi folder"
        )
    return SPEC_DIR


@cache
def raw_specs() -> dict[str, dict[str, Any]]:
    """file name -> the unmodified OpenAPI document."""
    return {p.name: json.loads(p.read_text()) for p in sorted(spec_dir().glob("*.json"))}


def _one_of_to_any_of(node: Any) -> Any:
    if isinstance(node, dict):
        return {("anyOf" if k == "oneOf" else k): _one_of_to_any_of(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_one_of_to_any_of(v) for v in node]
    return node


def _ip_formats(node: Any) -> Any:
    if isinstance(node, dict):
        if node.get("oneOf") == _IP_ONE_OF:
            rest = {k: v for k, v in node.items() if k != "oneOf"}
            node = {**rest, "anyOf": [{"format": "ipv4"}, {"format": "ipv6"}]}
        return {k: _ip_formats(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_ip_formats(v) for v in node]
    return node


def patched(name: str, document: dict[str, Any]) -> dict[str, Any]:
    """The document as validated (see TAG_ONE_OF and AUDIT_IP_ONE_OF in the module docstring)."""
    if name == AUDIT_LOG_FILE:
        fixed: dict[str, Any] = _ip_formats(document)
        return fixed
    if name not in TAG_ONE_OF_FILES:
        return document
    document = json.loads(json.dumps(document))
    for item in document["paths"].values():
        for operation in item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for response in operation["responses"].values():
                for media in response.get("content", {}).values():
                    if "oneOf" in media.get("schema", {}):
                        media["schema"] = _one_of_to_any_of(media["schema"])
    return document


@dataclass(frozen=True)
class SpecPath:
    file: str
    template: str
    regex: re.Pattern[str]
    document: dict[str, Any]


def _regex(template: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template)) + "$")


@cache
def spec_paths() -> list[SpecPath]:
    found = []
    for name, document in raw_specs().items():
        for template in document["paths"]:
            found.append(SpecPath(name, template, _regex(template), document))
    return sorted(found, key=lambda s: s.template.count("{"))


@cache
def openapi_for(file: str) -> OpenAPI:
    return OpenAPI.from_dict(patched(file, raw_specs()[file]))


def find_spec_path(path: str) -> SpecPath | None:
    return next((s for s in spec_paths() if s.regex.match(path)), None)


def _undocumented_reason(method: str, template: str, status: int) -> str | None:
    for key in ((method, template, status), ("*", template, status), ("*", "*", status)):
        if key in UNDOCUMENTED_STATUSES:
            return UNDOCUMENTED_STATUSES[key]
    return None


def _family_schema(path: str, status: int, content_type: str) -> dict[str, Any]:
    if path.startswith(("/api/tag/", "/api/container-settings/")):
        return TM_ERRORS_SCHEMA
    if path.startswith("/api/analytics/"):
        return ANALYTICS_ERRORS_SCHEMA
    if path.startswith("/auth/"):
        return PLATFORM_401_SCHEMA
    if status == 401 and content_type.startswith("application/json"):
        return PLATFORM_401_SCHEMA
    return PLATFORM_ERRORS_SCHEMA


class ContractViolation(AssertionError):
    pass


@dataclass
class ContractRecorder:
    """Validates every response it sees and keeps a tally (what was validated, what was allowed)."""

    validated: list[str] = field(default_factory=list)
    allowed: dict[str, str] = field(default_factory=dict)
    violations: list[str] = field(default_factory=list)

    def check(self, method: str, url: str, request_body: bytes, request_type: str, response: httpx.Response) -> None:
        parts = urlsplit(url)
        path = parts.path
        if path.startswith("/__emulator__/"):
            return
        body = response.read()
        label = f"{method} {path} -> {response.status_code}"
        try:
            self._check(method, path, parts.query, request_body, request_type, response, body, label)
        except ContractViolation as error:
            self.violations.append(str(error))
            raise

    def _check(
        self,
        method: str,
        path: str,
        query: str,
        request_body: bytes,
        request_type: str,
        response: httpx.Response,
        body: bytes,
        label: str,
    ) -> None:
        content_type = response.headers.get("content-type", "")
        status = response.status_code
        if ARCHIVED_PATH.match(path):  # not in the published files: the archived reference's shapes
            if status < 400:
                _validate_json(ARCHIVED_SCHEMA, body, label)
            else:
                _validate_json(_family_schema(path, status, content_type), body, label)
            self.validated.append(label)
            return
        if path.startswith("/api/consent-manager/"):
            if status < 400 and status != 204:
                schema = CONSENT_LIST_SCHEMA if path.endswith("/consent-form-templates") else CONSENT_TEMPLATE_SCHEMA
                _validate_json(schema, body, label)
            elif status >= 400:
                _validate_json(_family_schema(path, status, content_type), body, label)
            self.validated.append(label)
            return
        spec_path = find_spec_path(path)
        if spec_path is None:
            raise ContractViolation(f"{label}: no OpenAPI file has this path")
        operation = spec_path.document["paths"][spec_path.template].get(method.lower())
        documented = operation is not None and (
            str(status) in operation["responses"] or "default" in operation["responses"]
        )
        if not documented:
            reason = _undocumented_reason(method, spec_path.template, status)
            if reason is None:
                raise ContractViolation(f"{label}: status not documented in {spec_path.file} and not allowed")
            if status != 204:
                _validate_json(_family_schema(path, status, content_type), body, label)
            elif body:
                raise ContractViolation(f"{label}: a 204 answer with a body")
            self.allowed[f"{method} {spec_path.template} {status}"] = reason
            return
        if content_type.startswith("text/csv"):
            media = operation["responses"][str(status)]["content"]["text/csv"]
            _validate_csv(_ip_formats(media["schema"]), body, label)
            self.validated.append(label)
            return
        request = MockRequest(
            HOST_URL,
            method.lower(),
            path,
            path_pattern=spec_path.template,
            args=dict(parse_qsl(query)),
            data=request_body,
            content_type=request_type or "application/json",
        )
        mock = MockResponse(body, status_code=status, headers=dict(response.headers), content_type=content_type)
        if path == "/auth/token" and status == 200 and response.json().get("expires_in") != 1800:
            # --token-ttl: expires_in tells the true lifetime; everything else must still match.
            fixed = {**response.json(), "expires_in": 1800}
            mock = MockResponse(json.dumps(fixed).encode(), status_code=status, content_type=content_type)
            self.allowed["POST /auth/token 200 expires_in"] = "shortened --token-ttl reports its true lifetime"
        try:
            openapi_for(spec_path.file).validate_response(request, mock)
        except Exception as error:  # openapi-core raises several error classes; all are violations
            details = getattr(error, "__cause__", None)
            more = getattr(details, "schema_errors", None) or [details]
            raise ContractViolation(f"{label}: {error!r}: {[str(m)[:600] for m in more][:3]}") from error
        self.validated.append(label)


def _validate_json(schema: dict[str, Any], body: bytes, label: str) -> None:
    try:
        document = json.loads(body)
        jsonschema.validate(document, schema)
    except (ValueError, jsonschema.ValidationError) as error:
        raise ContractViolation(f"{label}: body does not match its error family: {error}") from error


def _validate_csv(schema: dict[str, Any], body: bytes, label: str) -> None:
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"))))
    try:
        for row in rows:
            row["payload"] = json.loads(row["payload"])
            row["version"] = int(row["version"])
        validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        validator.validate(rows)
    except (ValueError, KeyError, jsonschema.ValidationError) as error:
        raise ContractViolation(f"{label}: CSV body does not match the text/csv schema: {error}") from error
