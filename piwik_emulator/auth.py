"""OAuth client-credentials token endpoint (`POST /auth/token`) and bearer-token verification.

Tokens are JWT-shaped (header.payload.signature, base64url) with the claims of the spec's example
(iss, aud, iat, exp, sub, org, eml). Deviation: the real service signs RS256; the emulator signs HS256
with a secret kept in the state file, so tokens stay valid across a restart and cannot be forged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid
from typing import Any
from urllib.parse import parse_qs

from .errors import ApiError
from .messages import JSON, Request, Response, json_response

TOKEN_CONTENT_TYPE = "application/json; charset=UTF-8"
_SECRET_META = "token_secret"
_COUNT_META = "tokens_issued"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _secret(req: Request) -> bytes:
    stored = req.tx.get_meta(_SECRET_META)
    if stored is None:
        stored = secrets.token_hex(32)
        req.tx.set_meta(_SECRET_META, stored)
    return stored.encode()


def _oauth_error(status: int, error: str, description: str | None = None, hint: str | None = None) -> ApiError:
    body: dict[str, Any] = {"error": error}
    if description is not None:
        body["error_description"] = description
        body["message"] = description
    if hint is not None:
        body["hint"] = hint
    return ApiError(json_response(status, body, JSON))


_MALFORMED = (
    "The request is missing a required parameter, includes an invalid parameter value, includes a parameter "
    "more than once, or is otherwise malformed."
)


def _read_form(req: Request) -> dict[str, Any]:
    if req.media_type == "application/json":
        try:
            body = json.loads(req.body or b"null")
        except ValueError:
            raise _oauth_error(400, "invalid_request", _MALFORMED, "Check the request body") from None
        if not isinstance(body, dict):
            raise _oauth_error(400, "invalid_request", _MALFORMED, "Check the request body")
        return body
    if req.media_type == "application/x-www-form-urlencoded":
        return {k: v[-1] for k, v in parse_qs(req.body.decode("utf-8", "replace")).items()}
    raise _oauth_error(400, "invalid_request", _MALFORMED, "Send application/json or a form body")


def issue_token(req: Request) -> Response:
    form = _read_form(req)
    grant_type = form.get("grant_type")
    if not isinstance(grant_type, str) or not grant_type:
        raise _oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
            "Check that all required parameters have been provided",
        )
    if grant_type != "client_credentials":
        raise _oauth_error(
            400,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
            "Check that all required parameters have been provided",
        )
    for name in ("client_id", "client_secret"):
        if not isinstance(form.get(name), str) or not form[name]:
            raise _oauth_error(400, "invalid_client", _MALFORMED, f"Check the `{name}` parameter")
    cfg = req.config
    client = cfg.find_client(str(form["client_id"]), str(form["client_secret"]))
    if client is None:
        raise ApiError(json_response(401, {"error": "invalid_client"}, JSON))
    ttl = cfg.switches.token_ttl
    iat = int(req.now)
    # Each client acts as one person: the audit log names the author by these two claims.
    claims = {
        "iss": "oauth",
        "aud": client.client_id,
        "iat": iat,
        "exp": iat + ttl,
        "sub": client.author_id,
        "org": cfg.organization,
        "eml": client.email,
        "jti": str(uuid.uuid4()),
    }
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}).encode())
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_secret(req), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    count = int(req.tx.get_meta(_COUNT_META) or "0") + 1
    req.tx.set_meta(_COUNT_META, str(count))
    # expires_in is the real lifetime: the spec's enum is [1800], which holds unless --token-ttl
    # shortens it for a test (then the true value keeps clients that refresh early honest).
    body = {"token_type": "Bearer", "expires_in": ttl, "access_token": f"{header}.{payload}.{signature}"}
    return json_response(200, body, TOKEN_CONTENT_TYPE)


def verify_bearer(req: Request) -> dict[str, Any] | None:
    """The token's claims if the Authorization header carries a valid, unexpired token."""
    auth = req.headers.get("authorization", "")
    scheme, _, token = auth.partition(" ")
    if scheme.lower() != "bearer" or token.count(".") != 2:
        return None
    header, payload, signature = token.strip().split(".")
    expected = _b64(hmac.new(_secret(req), f"{header}.{payload}".encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(signature, expected):
        return None
    try:
        claims = json.loads(_unb64(payload))
    except ValueError:
        return None
    if not isinstance(claims, dict) or not isinstance(claims.get("exp"), int) or claims["exp"] <= req.now:
        return None
    return claims


COUNT_META = _COUNT_META
