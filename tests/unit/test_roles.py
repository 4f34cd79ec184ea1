import base64
import hashlib
import hmac

import pytest

from lib.roles import RoleNames, RolesError, role_passwords, scram_verifier, verifier_matches
from lib.warehouse import redact_secrets, url_secrets


def test_scram_verifier_follows_rfc_5802():
    salt = bytes(range(16))
    verifier = scram_verifier("pencil", salt, 4096)
    # Computed step by step from RFC 5802 §3, independently of the function.
    salted = hashlib.pbkdf2_hmac("sha256", b"pencil", salt, 4096)
    stored = hashlib.sha256(hmac.new(salted, b"Client Key", "sha256").digest()).digest()
    server = hmac.new(salted, b"Server Key", "sha256").digest()
    b64 = lambda raw: base64.b64encode(raw).decode()  # noqa: E731
    assert verifier == f"SCRAM-SHA-256$4096:{b64(salt)}${b64(stored)}:{b64(server)}"
    assert verifier_matches(verifier, "pencil")
    assert not verifier_matches(verifier, "pencil2")
    assert not verifier_matches(None, "pencil") and not verifier_matches("md5abc", "pencil")


def test_role_names_follow_the_prefix_and_refuse_odd_names(monkeypatch):
    monkeypatch.delenv("TSUR_ROLE_PREFIX", raising=False)
    monkeypatch.delenv("TSUR_BI_ROLE", raising=False)
    assert RoleNames.from_env() == RoleNames("tsur_loader", "tsur_transformer", "tsur_bi", "tsur_reporter")
    monkeypatch.setenv("TSUR_ROLE_PREFIX", "nao_")
    monkeypatch.setenv("TSUR_BI_ROLE", "powerbi")
    assert RoleNames.from_env().all() == ("nao_loader", "nao_transformer", "powerbi", "nao_reporter")
    monkeypatch.setenv("TSUR_ROLE_PREFIX", 'x"; drop table raw.appeal_events; --')
    with pytest.raises(RolesError, match="TSUR_ROLE_PREFIX"):
        RoleNames.from_env()


def test_role_passwords_are_generated_once_and_kept_private(tmp_path):
    names = RoleNames("a_loader", "a_transformer", "a_bi", "a_reporter")
    first = role_passwords(tmp_path, names)
    assert len(set(first.values())) == 4 and all(len(p) >= 32 for p in first.values())
    assert (tmp_path / "role-passwords.json").stat().st_mode & 0o777 == 0o600
    assert role_passwords(tmp_path, names) == first
    other = role_passwords(tmp_path, RoleNames("b_loader", "b_transformer", "b_bi", "b_reporter"))
    assert not set(other.values()) & set(first.values())
    assert role_passwords(tmp_path, names) == first


@pytest.mark.parametrize(
    "url, secret",
    [
        ("postgresql://u:S3cret PW@h:1/d", "S3cret PW"),
        ("postgresql://u:S3c%ZZret@h/d", "S3c%ZZret"),
        ("postgresql://u:a%40b@h/d", "a@b"),
        ("postgresql://u@/d?host=/tmp&password=Zz9x", "Zz9x"),
        ("host=h password='x y z' port=1", "x y z"),
    ],
)
def test_passwords_are_redacted_in_every_spelling(url, secret):
    assert secret in url_secrets(url)
    message = f'invalid token: "{secret}" in {url}'
    assert secret not in redact_secrets(message, url)
    assert "***" in redact_secrets(message, url)


def test_a_url_without_password_has_no_secret():
    assert url_secrets("postgresql://postgres@/tsur?host=/tmp/x&port=5432") == []
