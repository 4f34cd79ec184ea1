"""Keyed pseudonyms (HMAC-SHA256) computed inside PostgreSQL without storing the key there.

PostgreSQL has sha256() but no hmac() without pgcrypto, which the embedded server lacks. HMAC is
sha256((K ^ opad) || sha256((K ^ ipad) || m)), so the two padded keys are derived here and handed to
the dbt sessions as custom settings (PGOPTIONS); the `pseudonym` macro does the two hashes.
"""

from __future__ import annotations

import hashlib
import hmac

_BLOCK = 64  # SHA-256 block size in bytes


def hmac_pads(key: bytes) -> tuple[str, str]:
    """(inner, outer) padded keys as hex, per RFC 2104."""
    if len(key) > _BLOCK:
        key = hashlib.sha256(key).digest()
    key = key.ljust(_BLOCK, b"\x00")
    inner = bytes(b ^ 0x36 for b in key)
    outer = bytes(b ^ 0x5C for b in key)
    return inner.hex(), outer.hex()


def pgoptions(key: bytes) -> str:
    inner, outer = hmac_pads(key)
    return f"-c tsur.pii_ipad={inner} -c tsur.pii_opad={outer}"


def pseudonym(key: bytes, value: str) -> str:
    """The same pseudonym the SQL macro computes, for tests and for tools outside dbt."""
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()
