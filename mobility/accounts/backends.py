"""Sign-in with an email address or an IIN in the same field."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def find_user_by_login(identifier: str) -> Any | None:
    """The active-or-not user an identifier names: 12 digits is an IIN, otherwise an email."""
    User = get_user_model()
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    compact = identifier.replace(" ", "")
    try:
        if compact.isdigit() and len(compact) == 12:
            return User.objects.get(iin=compact)
        return User.objects.get(email__iexact=identifier)
    except User.DoesNotExist:
        return None


class EmailOrIinBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user_by_login(username)
        if user is None:
            # Spend the same time as a real check, so timing does not reveal who has an account.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
