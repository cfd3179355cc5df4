"""After the decision: a card or visa holder joins the job-seeker portal through the exchange's one
profile path (`exchange.services.profile_create`), like any seeker, starting hidden until they
choose to be seen; what the matcher then shows them follows `migration.selectors` (holders tied
to vacancies open to foreign specialists see only those)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from migration.models import Card
from migration.selectors import valid_cards
from mobility.core.audit import audit_log
from mobility.exchange.models import SeekerProfile
from mobility.exchange.services import profile_create


@transaction.atomic
def holder_profile_start(*, card: Card, by: Any) -> SeekerProfile:
    """The holder's job-seeker profile (their own, once): the region of the centre that decided
    and the occupation they applied with; hidden until they publish it on the portal."""
    application = card.application
    user = application.applicant.user
    if getattr(by, "pk", None) != user.pk:
        raise ValidationError(_("Only the card holder joins the job-seeker portal."))
    if not valid_cards().filter(pk=card.pk).exists():
        raise ValidationError(_("The card is not in force."))
    existing = SeekerProfile.objects.filter(user=user).first()
    if existing is not None:
        return existing
    profile = profile_create(
        user=user,
        region=application.centre.region,
        desired_occupations=[application.occupation] if application.occupation_id else [],
        visibility=SeekerProfile.Visibility.HIDDEN,
    )
    audit_log(
        actor=by,
        action="foreign_holder.joined_portal",
        obj=application,
        data={"card": card.number, "profile": profile.pk},
        programme=application.programme,
    )
    return profile
