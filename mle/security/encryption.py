"""Encryption at rest for personal data, with key rotation.

Keys come from MLE_DATA_KEYS, newest first. MultiFernet encrypts with the first and decrypts
with any, so a new key can be added in front and old data re-encrypted at leisure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app


class DecryptionError(Exception):
    """Data that no configured key opens: tampered, or encrypted under a retired key."""


_ciphers: dict[tuple, MultiFernet] = {}


def _cipher() -> MultiFernet:
    # Built once per set of keys (a page decrypts and encrypts on every request), and built
    # again whenever the configured keys change.
    keys = tuple(current_app.config["MLE_DATA_KEYS"])
    cipher = _ciphers.get(keys)
    if cipher is None:
        if len(_ciphers) >= 8:
            _ciphers.clear()
        cipher = _ciphers[keys] = MultiFernet(
            [Fernet(k.encode() if isinstance(k, str) else k) for k in keys])
    return cipher


def encrypt_json(value: Any) -> bytes:
    return _cipher().encrypt(json.dumps(value, separators=(",", ":")).encode())


def decrypt_json(token: bytes) -> Any:
    try:
        return json.loads(_cipher().decrypt(token))
    except InvalidToken as error:
        raise DecryptionError("no configured key can open this data") from error


def rotate(token: bytes) -> bytes:
    """Re-encrypt under the newest key."""
    return _cipher().rotate(token)


def keyed_hash(purpose: str, value: str) -> str:
    """HMAC-SHA256 of a value under the app secret, separated by purpose."""
    key = hashlib.sha256(f"{purpose}:{current_app.config['SECRET_KEY']}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()
