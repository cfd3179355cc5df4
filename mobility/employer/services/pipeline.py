"""Candidates and the hiring pipeline: invitations, moves, notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.core.workflow import EMPLOYER
from mobility.employer.models import ApplicationNote
from mobility.exchange import services as exchange
from mobility.exchange.models import (
    Application,
    ApplicationStatus,
    SeekerProfile,
    Vacancy,
)
from mobility.exchange.sides import application_sides


@transaction.atomic
def candidate_invite(*, vacancy: Vacancy, profile: SeekerProfile, by: User, message: str = "") -> Application:
    """Invite a visible candidate to apply; their name and contacts stay hidden until they accept."""
    if not vacancy.organisation.is_verified:
        raise ValidationError(_("Candidates are invited once the organisation is verified by the centre."))
    if profile.visibility == SeekerProfile.Visibility.HIDDEN or not profile.user.is_active:
        raise ValidationError(_("This candidate is not available."))
    return exchange.application_create(
        seeker=profile,
        vacancy=vacancy,
        status=ApplicationStatus.INVITED,
        by=by,
        reason=message.strip() or "invited",
    )


@transaction.atomic
def application_move(
    *,
    application: Application,
    to: str,
    by: User,
    reason: str = "",
    interview: dict[str, Any] | None = None,
) -> Application:
    """The employer moves a candidate on the board, as the employer side only (the shared
    workflow says which moves that is; a hire closes the loop in the exchange). A move to the
    interview stage may set the interview at once (`interview`: starts_at, place, note); a
    refused date undoes the move."""
    return exchange.application_transition(
        application=application,
        to=to,
        by=by,
        side=application_sides(by, application) & {EMPLOYER},
        reason=reason,
        interview=interview,
    )


def applications_bulk_move(
    *, applications: Iterable[Application], to: str, by: User, reason: str = ""
) -> tuple[list[Application], list[tuple[Application, str]]]:
    """Move several candidates at once; each move stands alone, refusals are reported back."""
    moved: list[Application] = []
    refused: list[tuple[Application, str]] = []
    for application in applications:
        try:
            moved.append(application_move(application=application, to=to, by=by, reason=reason))
        except ValidationError as exc:
            refused.append((application, " ".join(exc.messages)))
    return moved, refused


@transaction.atomic
def application_note_add(*, application: Application, by: User, text: str) -> ApplicationNote:
    """An internal note on a candidate, seen only inside the vacancy's organisation."""
    note = ApplicationNote(application=application, author=by, text=text.strip())
    if not note.text:
        raise ValidationError({"text": _("Write the note first.")})
    note.full_clean()
    note.save()
    audit_log(actor=by, action="application.note_added", obj=application, data={"note": note.pk})
    return note
