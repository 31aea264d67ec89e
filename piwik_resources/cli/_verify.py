"""`piwik-cnil evidence verify DOSSIER.json [--key PUB]`: is this dossier the one that was written, and by whom?

Three checks, any failure of which is a change (exit 1):

- the SHA-256: ``sha256`` must be the digest of ``content``'s canonical JSON (``_dossier.digest``);
- the bytes: the file must be exactly as ``piwik-cnil evidence`` writes that document (``_dossier.file_text``), so a
  change that leaves the JSON value alone (a space, a line break) is caught too;
- the signature, when there is one or ``--key`` asks for one: ``<DOSSIER>.json.sig`` must hold an Ed25519 signature
  of the canonical JSON by the key ``--key`` names, or, without ``--key``, by the key the signature file carries,
  whose fingerprint the (hashed) content must name. Without ``--key`` the result says which key signed: compare its
  fingerprint with the one you trust, since anyone can sign with a key of their own.

The hash alone is stored in the file it seals: it shows the file is as written unless someone recomputed it, which
anyone can. The signature shows who made the content: only the holder of the private key can make one that the
public key accepts.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from . import _dossier, _signature
from ._common import CommandError


@dataclass
class Verdict:
    file: str
    sha256: str | None = None
    hash_matches: bool = False
    bytes_match: bool = False
    signed: bool = False
    signature_valid: bool | None = None
    #: The fingerprint of the key the signature was checked with.
    fingerprint: str | None = None
    #: "given" (--key) or "embedded" (the signature file's own key).
    key: str | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "ok": self.ok}


def _document(path: Path, verdict: Verdict) -> dict[str, Any] | None:
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise CommandError(f"{path}: cannot be read ({err.strerror or err})") from None
    try:
        document = json.loads(raw.decode())
    except (UnicodeDecodeError, ValueError) as err:
        verdict.problems.append(f"not readable as JSON any more ({err}): the file changed")
        return None
    if not isinstance(document, dict) or not isinstance(document.get("content"), dict):
        verdict.problems.append("not a dossier (no `content` object): the file changed, or is another file")
        return None
    verdict.sha256 = str(document.get("sha256"))
    verdict.hash_matches = _dossier.verify(document)
    if not verdict.hash_matches:
        computed = _dossier.digest(document["content"])
        verdict.problems.append(f"the content's SHA-256 is {computed}, not the {verdict.sha256} recorded: it changed")
    verdict.bytes_match = raw == _dossier.file_text(document).encode()
    if not verdict.bytes_match:
        verdict.problems.append("the file's bytes are not those `piwik-cnil evidence` wrote for this content")
    return document


def verify(path: Path, key: Ed25519PublicKey | None) -> Verdict:
    """Every check of the module docstring; ``key``: the public key of ``--key`` (None: the embedded one)."""
    verdict = Verdict(str(path))
    document = _document(path, verdict)
    if document is None:
        return verdict
    claimed = document["content"].get("signature")
    sig_path = path.with_name(path.name + _signature.SUFFIX)
    if not sig_path.exists():
        if claimed:
            verdict.problems.append(f"the content says it is signed, but {sig_path.name} is missing")
        elif key is not None:
            verdict.problems.append(f"not signed ({sig_path.name} is missing), so not by the key given with --key")
        return verdict
    _check_signature(verdict, document, sig_path, claimed, key)
    return verdict


def _check_signature(
    verdict: Verdict, document: dict[str, Any], sig_path: Path, claimed: Any, key: Ed25519PublicKey | None
) -> None:
    verdict.signed = True
    try:
        signature = json.loads(sig_path.read_text())
    except (OSError, ValueError) as err:
        verdict.problems.append(f"{sig_path.name} cannot be read ({err})")
        verdict.signature_valid = False
        return
    verdict.key = "given" if key is not None else "embedded"
    used = key if key is not None else _signature.embedded_key(signature)
    if used is None:
        verdict.problems.append(f"{sig_path.name} carries no Ed25519 public key: pass --key PUB")
        verdict.signature_valid = False
        return
    verdict.fingerprint = _signature.fingerprint(used)
    named = claimed.get("public_key_fingerprint") if isinstance(claimed, dict) else None
    if named != verdict.fingerprint:
        verdict.problems.append(f"the content names the signing key {named}, not {verdict.fingerprint}")
    verdict.signature_valid = _signature.valid(signature, _dossier.canonical(document["content"]), used)
    if not verdict.signature_valid:
        whose = "the key given with --key" if key is not None else "the key it carries"
        verdict.problems.append(f"the signature in {sig_path.name} is not {whose}'s over this content")


def text(verdict: Verdict) -> str:
    """The verdict for a terminal."""
    if not verdict.ok:
        return "\n".join([f"{verdict.file}: CHANGED — does not verify", *(f"  - {p}" for p in verdict.problems)])
    lines = [f"{verdict.file}: intact", f"  SHA-256 {verdict.sha256} matches the content; the bytes are as written"]
    if not verdict.signed:
        lines.append(
            "  not signed: the hash is stored in the file it seals, so it shows no accidental edit, not who made "
            "the content (anyone can recompute it); sign with `piwik-cnil evidence --sign-key FILE`"
        )
    elif verdict.key == "given":
        lines.append(f"  signature valid: Ed25519, by the key given with --key ({verdict.fingerprint})")
    else:
        lines.append(
            f"  signature valid: Ed25519, by the key {verdict.fingerprint} that the signature file carries; compare "
            "this fingerprint with the signer's you trust, or pass --key PUB"
        )
    return "\n".join(lines)
