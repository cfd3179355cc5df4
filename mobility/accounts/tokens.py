"""Activation links and codes: how a person created by staff (or by signing up) sets their
first password.

A link carries Django's password-reset style token, keyed to the person's password, last
sign-in, email and active flag: setting a password changes the hash, so a used link fails.
A code is 8 characters from an alphabet without look-alikes, stored only as a keyed digest.

The second factor's recovery codes (`models.RecoveryCodeDevice`) are stored the same way, each
with a random salt of its own (OWASP ASVS 2.6.2: a lookup secret of less than 112 bits is kept
only salted and hashed), and compared in constant time under the current key and its fallbacks.
"""

from __future__ import annotations

import secrets
from base64 import b32encode
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.http import base36_to_int

ACTIVATION_DAYS = 14
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
CODE_MAX_ATTEMPTS = 5


class ActivationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "mobility.accounts.tokens.ActivationTokenGenerator"
    timeout_seconds = ACTIVATION_DAYS * 24 * 3600

    def _make_hash_value(self, user: Any, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"

    def check_token(self, user: Any, token: str | None) -> bool:
        """Django's check, with the activation's own validity instead of PASSWORD_RESET_TIMEOUT."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        for secret in [self.secret, *self.secret_fallbacks]:
            if constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token):
                break
        else:
            return False
        return (self._num_seconds(self._now()) - timestamp) <= self.timeout_seconds


activation_token_generator = ActivationTokenGenerator()


def new_activation_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(value: str) -> str:
    """What the person typed, as issued: upper case, without spaces or dashes."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def code_digest(code: str) -> str:
    key = "mobility.accounts.activation-code"
    return salted_hmac(key, normalise_code(code), algorithm="sha256").hexdigest()


# --- Recovery codes of the second factor ----------------------------------------------------------

RECOVERY_CODE_KEY = "mobility.accounts.recovery-code"


def new_recovery_code() -> str:
    """8 characters of base32 (40 random bits), lower case, as shown on the recovery-codes page."""
    return b32encode(secrets.token_bytes(5)).decode().lower()


def new_recovery_salt() -> str:
    return secrets.token_hex(16)


def normalise_recovery_code(value: str) -> str:
    """What the person typed, as issued: lower case, without spaces or dashes."""
    return "".join(ch for ch in (value or "").lower() if ch.isalnum())


def recovery_code_digest(code: str, salt: str, *, secret: str | bytes | None = None) -> str:
    """HMAC-SHA256, keyed by a key derived from `SECRET_KEY` (or `secret`), of the code's own salt
    and the normalised code. The database alone gives no code back, not even by trying all 2^40."""
    value = f"{salt}:{normalise_recovery_code(code)}"
    return salted_hmac(RECOVERY_CODE_KEY, value, secret=secret, algorithm="sha256").hexdigest()


def recovery_code_matches(code: str, *, salt: str, digest: str) -> bool:
    """Whether `code` is the one stored as (`salt`, `digest`), under the current key or a fallback
    (a rotated `SECRET_KEY` does not void everyone's recovery codes); constant time per key."""
    found = False
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        found |= constant_time_compare(recovery_code_digest(code, salt, secret=secret), digest)
    return found
