"""Optional capture of every API request as received (`--capture-requests FILE`, one JSON object a line).

The test suite validates what the client sends against the request schemas of the OpenAPI files
(tests/fixtures/request_contract.py); the emulator only writes down what arrived and the status it answered
(``null`` for a dropped connection): method, path, query string,
Content-Type, User-Agent, whether an Authorization header came (never its value) and the body as text, with
the value of any ``client_secret`` replaced so that no credential is written to disk. The response it gave is
written beside it (``response``: Content-Type, the headers it set and the body; ``null`` for a dropped
connection), so that the suite validates the emulator's answers to every process, the providers' included,
against the response schemas too. An access token in a response body is replaced like a secret.
"""

from __future__ import annotations

import json
import re
import threading
import time
from pathlib import Path
from typing import Any

from .messages import Response

REDACTED = "[REDACTED]"
_FORM_SECRET = re.compile(r"(^|&)(client_secret=)[^&]*")


def _redact(body: str, content_type: str) -> str:
    if "json" in content_type:
        try:
            doc: Any = json.loads(body)
        except ValueError:
            return body
        if isinstance(doc, dict) and "client_secret" in doc:
            doc["client_secret"] = REDACTED
            return json.dumps(doc)
        return body
    return _FORM_SECRET.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", body)


def _redact_response(body: bytes, content_type: str | None) -> str:
    text = body.decode("utf-8", errors="replace")
    if not content_type or "json" not in content_type:
        return text
    try:
        doc: Any = json.loads(text)
    except ValueError:
        return text
    if isinstance(doc, dict) and isinstance(doc.get("access_token"), str):
        # Shape kept for the schema (a string), value withheld: tokens are never written to disk.
        doc["access_token"] = REDACTED
        return json.dumps(doc)
    return text


class RequestCapture:
    def __init__(self, path: Path) -> None:
        self._path = path
        self._lock = threading.Lock()

    def record(
        self,
        method: str,
        path: str,
        query: str,
        headers: dict[str, str],
        body: bytes,
        status: int | None,
        response: Response | None = None,
    ) -> None:
        content_type = headers.get("content-type", "")
        answer = None
        if response is not None:
            answer = {
                "content_type": response.content_type,
                "headers": response.headers,
                "body": _redact_response(response.body, response.content_type),
            }
        entry = {
            "ts": round(time.time(), 6),
            "status": status,
            "method": method,
            "path": path,
            "query": query,
            "content_type": content_type,
            "user_agent": headers.get("user-agent", ""),
            "authorization": "authorization" in headers,
            "body": _redact(body.decode("utf-8", errors="replace"), content_type),
            "response": answer,
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock, self._path.open("a", encoding="utf-8") as fh:
            fh.write(line)
