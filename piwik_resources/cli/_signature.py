"""Ed25519 signatures of a dossier: the key files, the public key's fingerprint, the detached signature file.

What is signed is the dossier's canonical JSON (``_dossier.canonical(content)``: the very bytes its SHA-256 is taken
of), with the private key of ``piwik-cnil evidence --sign-key FILE``; the signature goes into a file of its own beside
the JSON (``<dossier>.json.sig``), and the content names the signing key's fingerprint, so the fingerprint is itself
under the hash and the signature. Keys are read as the usual tools write them: PEM (``openssl genpkey -algorithm
ed25519``; PKCS#8 private, SubjectPublicKeyInfo public) or OpenSSH (``ssh-keygen -t ed25519``), unencrypted. The
fingerprint is the one ``ssh-keygen -l`` prints for the same key (``SHA256:`` and the unpadded base64 of the SHA-256
of the key's OpenSSH wire form), so a DPO can compare it with a key they already know.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "Ed25519"
#: The signature file is the dossier's JSON file name with this suffix.
SUFFIX = ".sig"
SIGNED_BYTES = "the dossier's canonical JSON: `content` as its hash_rule serialises it (the bytes of its SHA-256)"


class KeyFileError(ValueError):
    """A key file that cannot be used; the message names the file and what is accepted."""


def _accepted(path: Path, what: str) -> str:
    return (
        f"{path}: {what}; accepted: an unencrypted Ed25519 key in PEM (openssl genpkey -algorithm ed25519) or "
        "OpenSSH (ssh-keygen -t ed25519 -N '') form"
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    data = _read(path)
    loaders = (serialization.load_pem_private_key, serialization.load_ssh_private_key)
    key = None
    for load in loaders:
        try:
            key = load(data, password=None)
            break
        except TypeError:  # a password is needed
            raise KeyFileError(_accepted(path, "the key is encrypted")) from None
        except (ValueError, UnsupportedAlgorithm):
            continue
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(_accepted(path, "not an Ed25519 private key" if key else "not a private key"))
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    data = _read(path)
    key: Any = None
    for load in (serialization.load_pem_public_key, serialization.load_ssh_public_key):
        try:
            key = load(data)
            break
        except (ValueError, UnsupportedAlgorithm):
            continue
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(_accepted(path, "not an Ed25519 public key" if key else "not a public key"))
    return key


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise KeyFileError(f"{path}: cannot be read ({err.strerror or err})") from None


def fingerprint(key: Ed25519PublicKey) -> str:
    """``SHA256:…`` as ``ssh-keygen -l`` prints it for this key."""
    openssh = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    blob = base64.b64decode(openssh.split()[1])
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")


def public_pem(key: Ed25519PublicKey) -> str:
    return key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def signer(key: Ed25519PrivateKey) -> dict[str, str]:
    """What the dossier's content says of its signature (sealed with it): the algorithm and the key's fingerprint."""
    return {"algorithm": ALGORITHM, "public_key_fingerprint": fingerprint(key.public_key())}


def sign(key: Ed25519PrivateKey, signed: bytes, sha256: str) -> dict[str, str]:
    """The detached signature file's document."""
    public = key.public_key()
    return {
        "algorithm": ALGORITHM,
        "signed": SIGNED_BYTES,
        "sha256": sha256,
        "signature": base64.b64encode(key.sign(signed)).decode(),
        "public_key": public_pem(public),
        "public_key_fingerprint": fingerprint(public),
    }


def embedded_key(document: Any) -> Ed25519PublicKey | None:
    """The public key a signature file carries (None when it carries none that can be read)."""
    text = document.get("public_key") if isinstance(document, dict) else None
    if not isinstance(text, str):
        return None
    try:
        key = serialization.load_pem_public_key(text.encode())
    except (ValueError, UnsupportedAlgorithm):
        return None
    return key if isinstance(key, Ed25519PublicKey) else None


def valid(document: Any, signed: bytes, key: Ed25519PublicKey) -> bool:
    """Whether the signature file's signature is ``key``'s over ``signed``."""
    text = document.get("signature") if isinstance(document, dict) else None
    if not isinstance(text, str) or document.get("algorithm") != ALGORITHM:
        return False
    try:
        key.verify(base64.b64decode(text, validate=True), signed)
    except (InvalidSignature, ValueError):
        return False
    return True
