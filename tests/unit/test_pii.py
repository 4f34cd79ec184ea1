import hashlib
import hmac

from lib.pii import hmac_pads, pseudonym


def _hmac_from_pads(key: bytes, message: bytes) -> str:
    inner, outer = (bytes.fromhex(h) for h in hmac_pads(key))
    return hashlib.sha256(outer + hashlib.sha256(inner + message).digest()).hexdigest()


def test_pads_reproduce_rfc2104_hmac_for_short_and_long_keys():
    for key in (b"k", b"x" * 64, b"y" * 100):
        for message in (b"", b"phone:79001112233", "name:иван".encode()):
            assert _hmac_from_pads(key, message) == hmac.new(key, message, hashlib.sha256).hexdigest()


def test_rfc4231_case_2():
    # RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?"
    expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
    assert pseudonym(b"Jefe", "what do ya want for nothing?") == expected
    assert _hmac_from_pads(b"Jefe", b"what do ya want for nothing?") == expected
