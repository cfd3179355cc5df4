"""Candidates and the hiring pipeline: invitations, moves, notes."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.employer.models import ApplicationNote
from mobility.exchange import services as exchange
from mobility.exchange.models import (
    TRANSITIONS,
    Application,
    ApplicationStatus,
    SeekerProfile,
    Vacancy,
)

EMPLOYER_MOVES = (
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
)


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
        reason=message.strip() or _("Invited by the employer"),
    )


def employer_moves_from(status: str) -> list[str]:
    """The moves the employer may make from a status."""
    return [s for s in TRANSITIONS.get(status, ()) if s in EMPLOYER_MOVES]


@transaction.atomic
def application_move(*, application: Application, to: str, by: User, reason: str = "") -> Application:
    """The employer moves a candidate on the board (a hire closes the loop in the exchange)."""
    if to not in EMPLOYER_MOVES:
        raise ValidationError(_("Only the candidate can accept an invitation or withdraw."))
    return exchange.application_transition(application=application, to=to, by=by, reason=reason.strip())


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
