"""Helpers the employer services share: mail to people, an organisation's owners."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from mobility.accounts.models import Organisation, OrganisationMembership, User


def _mail(*, to: Iterable[User], subject: str, template: str, context: dict[str, Any]) -> None:
    """Send one mail per person, each in their own language (call after commit)."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    for person in to:
        if not person.email:
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            body = render_to_string(template, {**context, "person": person})
            send_mail(_(subject), body, None, [person.email])


def _owners(organisation: Organisation) -> list[User]:
    return [
        m.user
        for m in OrganisationMembership.objects.filter(
            organisation=organisation, role=OrganisationMembership.Role.OWNER
        ).select_related("user")
    ]
