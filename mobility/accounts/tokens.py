"""Activation links and codes: how a person created by staff (or by signing up) sets their
first password.

A link carries Django's password-reset style token, keyed to the person's password, last
sign-in, email and active flag: setting a password changes the hash, so a used link fails.
A code is 8 characters from an alphabet without look-alikes, stored only as a keyed digest.
"""

from __future__ import annotations

import secrets
from typing import Any

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
