"""Cards: issued on approval (valid for the scheme's maximum, never past the passport's expiry),
revoked on a terminating event such as acquiring citizenship (void from then on), and checked
by employers by number and holder's name."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from migration import scoring
from migration.models import Application, Card, ForeignApplicant
from migration.sides import card_sides
from migration.states import KAZAKH_CITIZENSHIP, CardStatus
from migration.workflows import CARD_WORKFLOW
from mobility.core.audit import audit_log
from mobility.core.workflow import SYSTEM, transition

REVOKED_ON_CITIZENSHIP = "citizenship"


def holder_name_of(application: Application) -> str:
    user = application.applicant.user
    return " ".join(part for part in (user.last_name, user.first_name) if part).upper()


def _new_number(prefix: str) -> str:
    while True:
        number = f"{prefix}{secrets.randbelow(10**9):09d}"
        if not Card.objects.filter(number=number).exists():
            return number


@transaction.atomic
def card_issue(*, application: Application, by: Any, on: dt.date | None = None) -> Card:
    """The card of an approved application (once)."""
    existing = Card.objects.filter(application=application).first()
    if existing is not None:
        return existing
    version = application.scheme_version
    issued_on = on or timezone.localdate()
    card = Card(
        application=application,
        number=_new_number(version.card_prefix),
        holder_name=holder_name_of(application),
        issued_on=issued_on,
        valid_until=scoring.card_valid_until(
            issued_on=issued_on,
            max_years=version.max_validity_years,
            passport_expires_on=application.applicant.passport_expires_on,
            cap_at_passport_expiry=version.cap_at_passport_expiry,
        ),
        status=CardStatus.ACTIVE,
    )
    card.full_clean()
    card.save()
    audit_log(
        actor=by,
        action="foreign_card.issued",
        obj=card,
        to_state=CardStatus.ACTIVE,
        data={
            "number": card.number,
            "valid_until": card.valid_until.isoformat(),
            "application": application.number,
        },
        programme=CARD_WORKFLOW.programme,
    )
    return card


@transaction.atomic
def card_revoke(*, card: Card, reason: str, by: Any) -> Card:
    """Revoke a card (void from now on); `by=None` is the system acting on a terminating event."""
    from migration.services.employer import reporting_duties_on_card_end

    side = SYSTEM if by is None else card_sides(by, card)
    revoked = transition(
        card,
        workflow=CARD_WORKFLOW,
        to=CardStatus.REVOKED,
        side=side,
        by=by,
        reason=reason,
        changes={"revoked_at": timezone.now(), "revoke_reason": reason},
    )
    reporting_duties_on_card_end(card=revoked, ended_on=timezone.localdate(), by=by)
    return revoked


@transaction.atomic
def cards_revoke_on_citizenship(*, applicant: ForeignApplicant, by: Any) -> list[Card]:
    """The holder acquired citizenship: every active card of a scheme void on it is revoked."""
    cards = Card.objects.filter(
        application__applicant=applicant,
        status=CardStatus.ACTIVE,
        application__scheme_version__void_on_citizenship=True,
    )
    return [card_revoke(card=card, reason=REVOKED_ON_CITIZENSHIP, by=by) for card in cards]


def cards_void_on_citizenship_sweep() -> int:
    """The system's daily pass: every holder recorded as a Kazakh citizen loses the cards of the
    schemes void on citizenship that are still active (one transaction per holder). Returns how
    many cards were revoked."""
    applicants = ForeignApplicant.objects.filter(
        citizenship=KAZAKH_CITIZENSHIP,
        applications__card__status=CardStatus.ACTIVE,
        applications__scheme_version__void_on_citizenship=True,
    ).distinct()
    return sum(len(cards_revoke_on_citizenship(applicant=a, by=None)) for a in applicants)


@transaction.atomic
def foreign_applicant_citizenship_record(
    *,
    applicant: ForeignApplicant,
    citizenship: str,
    by: Any,
    acquired_on: dt.date | None = None,
    evidence: str = "",
) -> ForeignApplicant:
    """Record a change of the applicant's citizenship (audited). Kazakh citizenship is recorded
    with the date it was acquired and the evidence seen (for example the decree or the identity
    card), and voids at once, in the same transaction, every card of a scheme void on it
    (`cards_revoke_on_citizenship`, which the daily sweep uses too)."""
    citizenship = citizenship.strip().upper()
    evidence = evidence.strip()
    if citizenship == KAZAKH_CITIZENSHIP:
        errors = {}
        if acquired_on is None:
            errors["acquired_on"] = _("Give the date the person acquired citizenship.")
        elif acquired_on > timezone.localdate():
            errors["acquired_on"] = _("The date cannot be in the future.")
        if not evidence:
            errors["evidence"] = _("Say what shows the citizenship (the document and its number).")
        if errors:
            raise ValidationError(errors)
    else:
        acquired_on, evidence = None, ""
    locked = ForeignApplicant.objects.select_for_update().get(pk=applicant.pk)
    before = {
        "citizenship": locked.citizenship,
        "citizenship_acquired_on": locked.citizenship_acquired_on,
        "citizenship_evidence": locked.citizenship_evidence,
    }
    locked.citizenship = citizenship
    locked.citizenship_acquired_on = acquired_on
    locked.citizenship_evidence = evidence
    locked.full_clean()
    locked.save(update_fields=list(before))
    changes = {
        field: [_iso(old), _iso(getattr(locked, field))]
        for field, old in before.items()
        if old != getattr(locked, field)
    }
    audit_log(actor=by, action="foreign_applicant.citizenship_changed", obj=locked, changes=changes)
    if locked.citizenship == KAZAKH_CITIZENSHIP:
        cards_revoke_on_citizenship(applicant=locked, by=by)
    return locked


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@dataclass(frozen=True)
class CardCheck:
    status: str  # "valid" | "expired" | "void" | "unknown"
    number: str
    valid_until: dt.date | None = None
    scheme: str = ""

    @property
    def label(self) -> str:
        return {
            "valid": _("Valid"),
            "expired": _("Expired"),
            "void": _("Void"),
            "unknown": _("No card with this number and name"),
        }[self.status]


def _normal(name: str) -> str:
    return " ".join(name.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def card_check(*, number: str, holder_name: str, on: dt.date | None = None) -> CardCheck:
    """What an employer may learn: valid, expired or void, for the number together with the
    holder's name (surname and first name in either order); anything else is "unknown"."""
    number = number.strip().upper().replace(" ", "")
    card = (
        Card.objects.select_related("application__scheme_version").filter(number=number).first()
        if number
        else None
    )
    wanted = _normal(holder_name)
    if card is None or not wanted:
        return CardCheck("unknown", number)
    parts = card.holder_name.split()
    names = {_normal(card.holder_name), _normal(" ".join(reversed(parts)))}
    if wanted not in names:
        return CardCheck("unknown", number)
    scheme = card.application.scheme_version.name
    if card.status == CardStatus.REVOKED:
        return CardCheck("void", number, card.valid_until, scheme)
    if card.valid_until < (on or timezone.localdate()):
        return CardCheck("expired", number, card.valid_until, scheme)
    return CardCheck("valid", number, card.valid_until, scheme)


__all__ = [
    "CardCheck",
    "ValidationError",
    "card_check",
    "card_issue",
    "card_revoke",
    "cards_revoke_on_citizenship",
    "cards_void_on_citizenship_sweep",
    "foreign_applicant_citizenship_record",
]
