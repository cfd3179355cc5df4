"""Job-seeker sign-up."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.exchange.models import (
    SeekerProfile,
)

from .profiles import profile_create


@transaction.atomic
def seeker_sign_up(
    *,
    iin: str,
    password: str,
    region: Any,
    email: str | None = None,
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "kk",
) -> SeekerProfile:
    """A citizen registers on the portal: an account plus a hidden profile to fill in."""
    from django.contrib.auth.password_validation import validate_password

    from mobility.accounts.services import user_create

    user = User(email=email or None, iin=iin, first_name=first_name, last_name=last_name, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    if User.objects.filter(iin=iin).exists():
        raise ValidationError(
            {"iin": _("An account with this IIN already exists. Sign in or reset the password.")}
        )
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    user = user_create(
        email=email,
        password=password,
        iin=iin,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        language=language,
    )
    return profile_create(user=user, region=region, visibility=SeekerProfile.Visibility.HIDDEN)
