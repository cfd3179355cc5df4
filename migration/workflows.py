"""The foreign-specialist state machines, declared once (`mobility.core.workflow`).

An application is worked in the `visa` programme (the B9 visa, the points pilot) or the `card`
programme (residence cards such as the Atameken card): the same moves, two declarations, so each
timeline entry names its programme. Which side a caller is for an object is answered by
`migration.sides`; the second-officer rule of appeals lives there (the officer who refused is not
a `migration_officer` side of the appeal) and in `migration.services.appeals`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from migration.states import AppealStatus, ApplicationStatus, CardStatus
from mobility.core.actors import Programme
from mobility.core.workflow import MIGRATION_OFFICER, SEEKER, START, SYSTEM, Workflow, move

S = ApplicationStatus

APPLICATION_MOVES = (
    move(START, S.DRAFT, SEEKER, action="started"),
    move(S.DRAFT, S.SUBMITTED, SEEKER, action="submitted"),
    # Points pilot: a scored application that passed the language test waits in the pool.
    move(S.SUBMITTED, S.POOLED, MIGRATION_OFFICER, SYSTEM, action="pooled"),
    move(S.POOLED, S.INVITED, SYSTEM, action="invited"),
    move(S.SUBMITTED, S.IN_REVIEW, MIGRATION_OFFICER, SYSTEM, action="review_started"),
    move(S.INVITED, S.IN_REVIEW, MIGRATION_OFFICER, SYSTEM, action="review_started"),
    move(S.IN_REVIEW, S.APPROVED, MIGRATION_OFFICER, action="approved"),
    move(S.SUBMITTED, S.REFUSED, MIGRATION_OFFICER, reason_required=True, action="refused"),
    move(S.POOLED, S.REFUSED, MIGRATION_OFFICER, reason_required=True, action="refused"),
    move(S.IN_REVIEW, S.REFUSED, MIGRATION_OFFICER, reason_required=True, action="refused"),
    # An appeal granted by a second officer overturns the refusal.
    move(S.REFUSED, S.APPROVED, MIGRATION_OFFICER, reason_required=True, action="approved_on_appeal"),
    *(
        move(source, S.WITHDRAWN, SEEKER, action="withdrawn")
        for source in (S.DRAFT, S.SUBMITTED, S.POOLED, S.INVITED, S.IN_REVIEW)
    ),
)

_REFUSED = _("An application cannot go from “%(from)s” to “%(to)s”.")
_NOT_YOUR_SIDE = _("Only a migration officer of the applicant's region makes this decision.")

VISA_APPLICATION_WORKFLOW = Workflow(
    name="foreign_application",
    states=ApplicationStatus,
    moves=APPLICATION_MOVES,
    programme=Programme.VISA,
    refused=_REFUSED,
    not_your_side=_NOT_YOUR_SIDE,
)
CARD_APPLICATION_WORKFLOW = Workflow(
    name="foreign_application",
    states=ApplicationStatus,
    moves=APPLICATION_MOVES,
    programme=Programme.CARD,
    refused=_REFUSED,
    not_your_side=_NOT_YOUR_SIDE,
)

A = AppealStatus
APPEAL_MOVES = (
    move(START, A.LODGED, SEEKER, action="lodged"),
    move(A.LODGED, A.GRANTED, MIGRATION_OFFICER, reason_required=True, action="granted"),
    move(A.LODGED, A.DISMISSED, MIGRATION_OFFICER, reason_required=True, action="dismissed"),
    move(A.LODGED, A.WITHDRAWN, SEEKER, action="withdrawn"),
)
_APPEAL_NOT_YOUR_SIDE = _(
    "An appeal is decided by a migration officer of the region other than the one who refused."
)
VISA_APPEAL_WORKFLOW = Workflow(
    name="foreign_appeal",
    states=AppealStatus,
    moves=APPEAL_MOVES,
    programme=Programme.VISA,
    not_your_side=_APPEAL_NOT_YOUR_SIDE,
)
CARD_APPEAL_WORKFLOW = Workflow(
    name="foreign_appeal",
    states=AppealStatus,
    moves=APPEAL_MOVES,
    programme=Programme.CARD,
    not_your_side=_APPEAL_NOT_YOUR_SIDE,
)

C = CardStatus
CARD_WORKFLOW = Workflow(
    name="foreign_card",
    states=CardStatus,
    moves=(
        move(START, C.ACTIVE, MIGRATION_OFFICER, SYSTEM, action="issued"),
        move(C.ACTIVE, C.REVOKED, MIGRATION_OFFICER, SYSTEM, reason_required=True, action="revoked"),
    ),
    programme=Programme.CARD,
    not_your_side=_("Only a migration officer of the holder's region revokes a card."),
)


def application_workflow(programme: str) -> Workflow:
    """The application declaration of a scheme's programme (`visa` or `card`)."""
    return CARD_APPLICATION_WORKFLOW if programme == Programme.CARD else VISA_APPLICATION_WORKFLOW


def appeal_workflow(programme: str) -> Workflow:
    return CARD_APPEAL_WORKFLOW if programme == Programme.CARD else VISA_APPEAL_WORKFLOW
