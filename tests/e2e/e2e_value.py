"""Opening an end-to-end encrypted value the way a recipient's browser does, for the tests.

The format is read from `tests/fixtures/e2e-vectors.json`, the file the Rust client and the
reveal page are tested against, so the prefix is written in one place for the Python tests too
(`hushlink_protocol::e2e::PREFIX` is the product's). The decryption is Python's own
(`cryptography`), independent of the code under test.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VECTORS = Path(__file__).resolve().parents[1] / "fixtures" / "e2e-vectors.json"
PREFIX = json.loads(VECTORS.read_text())["format"] + ":"


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def open_value(value: str, fragment: str) -> str:
    """The plaintext of `value`, sealed with the key in a link's `fragment`."""
    assert value.startswith(PREFIX), "a link with a key fragment carries ciphertext"
    sealed = b64url(value[len(PREFIX):])
    return AESGCM(b64url(fragment)).decrypt(sealed[:12], sealed[12:], None).decode()
