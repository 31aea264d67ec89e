"""A dossier anyone can verify: Ed25519 signature of the canonical JSON, `evidence verify`, and the host it names.

`piwik-cnil evidence verify DOSSIER.json [--key PUB]` exits 0 for the file as written, 1 for any change (one byte
of the content, of the layout, of the recorded SHA-256 or of the signature; a wrong key; a dossier not signed by the
key asked for) and 2 for a usage error. The signature is an ordinary Ed25519 signature of the canonical JSON, so
OpenSSL verifies it too, and the fingerprint is the one `ssh-keygen -l` prints.
"""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from piwik_resources.cli import _dossier, _signature, main
from piwik_resources.cli._host import Host
from piwik_resources.cli.evidence import write_dossier
from tests.cli.test_evidence_render import document


def pem_pair(folder: Path, name: str = "dpo") -> tuple[Ed25519PrivateKey, Path, Path]:
    key = Ed25519PrivateKey.generate()
    private = folder / f"{name}.pem"
    private.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    public = folder / f"{name}.pub.pem"
    public.write_text(_signature.public_pem(key.public_key()))
    return key, private, public


def signed_dossier(tmp_path: Path) -> tuple[dict[str, Path], Path]:
    """A dossier signed with a fresh key, as `evidence --sign-key` writes it; (its files, the public key)."""
    key, _private, public = pem_pair(tmp_path)
    doc = document()
    signed = _signature.signer(key)
    content = {**doc["content"], "signature": signed}
    paths = write_dossier(tmp_path / "out", {"content": content, "sha256": _dossier.digest(content)}, key)
    return paths, public


def verify(*args: str | Path) -> Result:
    return CliRunner().invoke(main, ["evidence", "verify", *map(str, args)])


def altered(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert data.count(old) >= 1, old
    path.write_bytes(data.replace(old, new, 1))


def test_an_intact_signed_dossier_verifies_with_its_key(tmp_path: Path) -> None:
    paths, public = signed_dossier(tmp_path)
    assert set(paths) == {"json", "md", "html", "sig"} and paths["sig"].name.endswith(".json.sig")
    result = verify(paths["json"], "--key", public)
    assert result.exit_code == 0, result.output
    assert "intact" in result.output and "signature valid: Ed25519, by the key given with --key" in result.output
    without_key = verify(paths["json"], "--json")
    assert without_key.exit_code == 0, without_key.output
    verdict = json.loads(without_key.output)
    fingerprint = json.loads(paths["json"].read_text())["content"]["signature"]["public_key_fingerprint"]
    assert verdict["ok"] and verdict["key"] == "embedded" and verdict["fingerprint"] == fingerprint
    assert fingerprint in paths["md"].read_text() and fingerprint in paths["html"].read_text()


@pytest.mark.parametrize(
    ("what", "old", "new"),
    [
        ("a status of the content", b'"status": "enforced by API"', b'"status": "enforced by APJ"'),
        ("a space of the layout", b'\n  "sha256"', b'\n   "sha256"'),
        ("the recorded SHA-256", b'"sha256": "', b'"sha256": "0'),
        ("the signer's fingerprint", b'"public_key_fingerprint": "SHA256:', b'"public_key_fingerprint": "SHA256:A'),
    ],
)
def test_a_dossier_altered_by_one_byte_does_not_verify(tmp_path: Path, what: str, old: bytes, new: bytes) -> None:
    paths, public = signed_dossier(tmp_path)
    size = paths["json"].stat().st_size
    altered(paths["json"], old, new)
    assert abs(paths["json"].stat().st_size - size) <= 1, what
    for args in ((), ("--key", public)):
        result = verify(paths["json"], *args)
        assert result.exit_code == 1, (what, result.output)
        assert "CHANGED — does not verify" in result.output


def test_a_changed_signature_or_a_wrong_key_does_not_verify(tmp_path: Path) -> None:
    paths, public = signed_dossier(tmp_path)
    _other, _private, stranger = pem_pair(tmp_path, "someone-else")
    wrong = verify(paths["json"], "--key", stranger)
    assert wrong.exit_code == 1 and "not the key given with --key's" in wrong.output, wrong.output
    sig = json.loads(paths["sig"].read_text())
    raw = bytearray(base64.b64decode(sig["signature"]))
    raw[0] ^= 1
    paths["sig"].write_text(json.dumps({**sig, "signature": base64.b64encode(bytes(raw)).decode()}))
    assert verify(paths["json"], "--key", public).exit_code == 1
    # Re-signed by someone else with their own key: valid for their key, but the sealed content names another.
    content = json.loads(paths["json"].read_text())["content"]
    forged = _signature.sign(_other, _dossier.canonical(content), _dossier.digest(content))
    paths["sig"].write_text(json.dumps(forged))
    result = verify(paths["json"])
    assert result.exit_code == 1 and "the content names the signing key" in result.output
    paths["sig"].unlink()
    missing = verify(paths["json"])
    assert missing.exit_code == 1 and "the content says it is signed" in missing.output


def test_an_unsigned_dossier_verifies_its_hash_and_says_what_that_proves(tmp_path: Path) -> None:
    paths = write_dossier(tmp_path, document())
    assert "sig" not in paths
    result = verify(paths["json"])
    assert result.exit_code == 0, result.output
    assert "not signed: the hash is stored in the file it seals" in result.output
    _key, _private, public = pem_pair(tmp_path)
    asked = verify(paths["json"], "--key", public)
    assert asked.exit_code == 1 and "not signed" in asked.output


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = verify(tmp_path / "nothing.json")
    assert missing.exit_code == 2 and "no such file" in missing.output
    paths = write_dossier(tmp_path, document())
    not_a_key = tmp_path / "key.pem"
    not_a_key.write_text("hello")
    result = verify(paths["json"], "--key", not_a_key)
    assert result.exit_code == 2 and "not a public key; accepted: an unencrypted Ed25519 key" in result.output


@pytest.mark.emulator  # the tier of local processes: it runs openssl and ssh-keygen (tests/fixtures/tiers.py)
def test_openssl_verifies_the_signature_and_ssh_keygen_prints_the_fingerprint(tmp_path: Path) -> None:
    """Anyone can check a dossier without this package: the canonical bytes, the signature, an ordinary tool."""
    paths, public = signed_dossier(tmp_path)
    document_ = json.loads(paths["json"].read_text())
    canonical = tmp_path / "canonical.json"
    canonical.write_bytes(
        json.dumps(document_["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )
    raw = tmp_path / "signature.bin"
    raw.write_bytes(base64.b64decode(json.loads(paths["sig"].read_text())["signature"]))
    command = ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(public), "-rawin"]
    ok = subprocess.run([*command, "-in", str(canonical), "-sigfile", str(raw)], capture_output=True, text=True)
    assert ok.returncode == 0 and "Signature Verified Successfully" in ok.stdout, ok.stdout + ok.stderr
    canonical.write_bytes(canonical.read_bytes().replace(b"enforced by API", b"enforced by APJ", 1))
    bad = subprocess.run([*command, "-in", str(canonical), "-sigfile", str(raw)], capture_output=True, text=True)
    assert bad.returncode != 0
    key = serialization.load_pem_public_key(public.read_bytes())
    openssh = tmp_path / "dpo.pub"
    openssh.write_bytes(key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH))
    printed = subprocess.run(["ssh-keygen", "-l", "-f", str(openssh)], capture_output=True, text=True, check=True)
    assert document_["content"]["signature"]["public_key_fingerprint"] == printed.stdout.split()[1]
    # The OpenSSH public key is accepted by --key as well.
    assert verify(paths["json"], "--key", openssh).exit_code == 0


def test_sign_key_formats_refused_before_anything_is_read(tmp_path: Path) -> None:
    """An encrypted or non-Ed25519 key is a usage error naming what is accepted; no stack is read (exit 2)."""
    encrypted = tmp_path / "enc.pem"
    encrypted.write_bytes(
        Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"passphrase"),
        )
    )
    rsa_key = tmp_path / "rsa.pem"
    rsa_key.write_bytes(
        rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    for path, why in ((encrypted, "the key is encrypted"), (rsa_key, "not an Ed25519 private key")):
        args = ["evidence", "--stack", "never-read", "--out", str(tmp_path / "out"), "--sign-key", str(path)]
        result = CliRunner().invoke(main, args, env={"PIWIK_CNIL_PULUMI": "/nonexistent/pulumi"})
        assert result.exit_code == 2, result.output
        assert why in result.output and "accepted: an unencrypted Ed25519 key" in result.output
        assert not (tmp_path / "out").exists()


def test_the_dossier_names_its_host_and_the_emulator_is_never_called_a_piwik_pro_account(tmp_path: Path) -> None:
    emulator = write_dossier(tmp_path / "emulator", document())
    content = json.loads(emulator["json"].read_text())["content"]
    assert content["host"]["kind"] == "emulator" and content["host"]["said"] == "piwik-emulator 0.1.0"
    for path in emulator.values():
        text = path.read_text()
        assert "Piwik PRO account" not in text and "the Piwik PRO API" not in text, path.name
        assert "the emulator at http://127.0.0.1:8089" in text, path.name
    account = write_dossier(tmp_path / "account", document(host=Host("piwik-pro", "https://shop.piwik.pro")))
    text = account["md"].read_text()
    assert "- Host: a Piwik PRO account at https://shop.piwik.pro" in text
    assert "GET requests to the Piwik PRO API only" in text and "emulator" not in text
