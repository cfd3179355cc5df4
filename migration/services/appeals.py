"""Appeals: the applicant asks for an administrative review of a refusal within the scheme
version's period; a migration officer other than the one who refused decides it. The rule is
the appeal's side (`migration.sides.appeal_sides`), checked here before the move as well."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from migration.models import Appeal, AppealEvent, Application, Decision, DecisionReason
from migration.services.applications import _check_reasons, _move, _reasons_text, decision_record
from migration.sides import appeal_sides, application_sides
from migration.states import AppealStatus, ApplicationStatus
from migration.workflows import appeal_workflow
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.core.workflow import MIGRATION_OFFICER, SEEKER, START, MoveForbidden, transition

FIRST_OFFICER = _("The officer who refused cannot decide the appeal: another officer of the region does.")


@transaction.atomic
def appeal_lodge(*, application: Application, grounds: str, by: Any) -> Appeal:
    locked = (
        Application.objects.select_for_update()
        .select_related("scheme_version__scheme")
        .get(pk=application.pk)
    )
    if SEEKER not in application_sides(by, locked):
        raise MoveForbidden({"status": _("Only the applicant appeals their refusal.")})
    if locked.status != ApplicationStatus.REFUSED:
        raise ValidationError(_("Only a refusal can be appealed."))
    refusal = (
        locked.decisions.filter(outcome=DecisionReason.Outcome.REFUSED).order_by("-decided_at", "-id").first()
    )
    if refusal is None or refusal.appeal_until is None:
        raise ValidationError(_("This decision cannot be appealed again."))
    today = timezone.localdate()
    if today > refusal.appeal_until:
        raise ValidationError(
            _("The period for an appeal ended on %(date)s.") % {"date": refusal.appeal_until.isoformat()}
        )
    if Appeal.objects.filter(refusal=refusal).exists():
        raise ValidationError(_("This refusal has already been appealed."), code="conflict")
    if not grounds.strip():
        raise ValidationError({"grounds": _("Say why the decision should change.")})
    appeal = Appeal(
        application=locked,
        refusal=refusal,
        grounds=grounds.strip(),
        due_on=add_working_days(today, locked.scheme_version.appeal_review_working_days),
    )
    appeal.full_clean()
    appeal.save()
    AppealEvent.objects.create(appeal=appeal, from_status=START, to_status=AppealStatus.LODGED, actor=by)
    audit_log(
        actor=by,
        action="foreign_appeal.lodged",
        obj=appeal,
        to_state=AppealStatus.LODGED,
        data={"application": locked.number},
        programme=locked.programme,
    )
    return appeal


@transaction.atomic
def appeal_decide(
    *, appeal: Appeal, outcome: str, reasons: Sequence[DecisionReason], text: str, by: Any
) -> Decision:
    """Grant (the refusal is overturned: the application is approved) or dismiss (the refusal
    stands; no further appeal here). Never by the officer who refused."""
    locked = (
        Appeal.objects.select_for_update()
        .select_related("refusal", "application__scheme_version__scheme")
        .get(pk=appeal.pk)
    )
    if getattr(by, "pk", None) is not None and locked.refusal.decided_by_id == by.pk:
        raise MoveForbidden({"status": str(FIRST_OFFICER)})
    if outcome not in (AppealStatus.GRANTED, AppealStatus.DISMISSED):
        raise ValidationError({"outcome": _("Grant or dismiss the appeal.")})
    application = locked.application
    decision_outcome = (
        DecisionReason.Outcome.APPROVED if outcome == AppealStatus.GRANTED else DecisionReason.Outcome.REFUSED
    )
    _check_reasons(application, decision_outcome, reasons)
    if not text.strip():
        raise ValidationError({"reason": _("Say why.")})
    sides = appeal_sides(by, locked)
    decided = transition(
        locked,
        workflow=appeal_workflow(application.programme),
        to=outcome,
        side=sides,
        by=by,
        reason=text.strip(),
        changes={"decided_by": by, "decided_at": timezone.now()},
        event_model=AppealEvent,
        event_fk="appeal",
    )
    if outcome == AppealStatus.GRANTED:
        application = _move(
            application,
            to=ApplicationStatus.APPROVED,
            by=by,
            side=sides,
            reason=_reasons_text(reasons, text),
            decided_at=timezone.now(),
            decided_by=by,
        )
    return decision_record(
        application=application, outcome=decision_outcome, reasons=reasons, text=text, by=by, appeal=decided
    )


@transaction.atomic
def appeal_withdraw(*, appeal: Appeal, by: Any) -> Appeal:
    return transition(
        appeal,
        workflow=appeal_workflow(appeal.application.programme),
        to=AppealStatus.WITHDRAWN,
        side=appeal_sides(by, appeal),
        by=by,
        event_model=AppealEvent,
        event_fk="appeal",
    )


__all__ = ["MIGRATION_OFFICER", "appeal_decide", "appeal_lodge", "appeal_withdraw"]
