"""API key and password hashing, password strength rules, and TOTP secrets for two-factor auth.

Passwords are kept only as salted PBKDF2 hashes, so a state export or a journal can
never reveal one. The iteration count is low on purpose: this is a simulator, and
hashing sits on the path of fixture loading and password-change requests.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os

import pyotp

_ALGORITHM = "pbkdf2_sha256"
_ITERATIONS = 1000

# Harness's default password policy: at least 8 characters (and at most 64).
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 64


# Presented tokens up to this length have their hash remembered (real keys are shorter
# than 100 characters).
_REMEMBERED_TOKEN_LENGTH = 256


def hash_token(token: str) -> str:
    """An API key as stored: a key is looked up on every request, so an unsalted SHA-256
    (one dict lookup away from its record) rather than a slow password hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def hash_presented_token(token: str) -> str:
    """`hash_token` of a key a request presents. Clients send the same few keys on
    every request, so their hashes are remembered (a bounded number of short tokens)
    rather than computed again each time."""
    if len(token) > _REMEMBERED_TOKEN_LENGTH:
        return hash_token(token)
    return _remembered_hash(token)


_remembered_hash = functools.lru_cache(maxsize=256)(hash_token)


def hash_password(password: str) -> str:
    salt = base64.b64encode(os.urandom(12)).decode("ascii")
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), _ITERATIONS)
    return f"{_ALGORITHM}${_ITERATIONS}${salt}${base64.b64encode(digest).decode('ascii')}"


def verify_password(password: str, encoded: str | None) -> bool:
    if not encoded:
        return False
    try:
        algorithm, iterations, salt, expected = encoded.split("$")
    except ValueError:
        return False
    if algorithm != _ALGORITHM:
        return False
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), int(iterations))
    return hmac.compare_digest(base64.b64encode(digest).decode("ascii"), expected)


def is_password_hash(value: str) -> bool:
    parts = value.split("$")
    return len(parts) == 4 and parts[0] == _ALGORITHM and parts[1].isdigit()


def password_is_strong(password: str) -> bool:
    return MIN_PASSWORD_LENGTH <= len(password) <= MAX_PASSWORD_LENGTH and not password.isspace()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str = "Harness") -> str:
    """The otpauth:// URL an authenticator app scans (Harness sends it as `totpqrurl`)."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def is_valid_totp_secret(secret: str) -> bool:
    if not secret or len(secret) < 16:
        return False
    try:
        base64.b32decode(secret.upper() + "=" * (-len(secret) % 8), casefold=True)
    except ValueError:
        return False
    return True
