"""Invitation rounds of the points pool: staff prepare a round (field, places), run it once (the
highest-scoring pooled candidates are invited; ties go to the earlier submission, then the earlier
application: `migration.scoring.round_order`), and publish its cut-off and counts."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from migration import scoring
from migration.models import Application, InvitationRound, RoundInvitation, Scheme
from migration.services.applications import application_invite
from migration.sides import migration_centre_ids
from migration.states import ApplicationStatus
from mobility.core.actors import actor_of
from mobility.core.audit import audit_log
from mobility.reference.models import Centre


def _staff(by: Any, centre: Centre | None) -> None:
    """National rounds are an administrator's; a regional round is also its region's officers'."""
    served = migration_centre_ids(by)
    if served is None:
        return
    if centre is None or centre.pk not in served:
        raise ValidationError(_("Only administrators run national rounds, and officers their own centre's."))


def round_pool(round: InvitationRound) -> QuerySet[Application]:
    qs = Application.objects.filter(
        status=ApplicationStatus.POOLED, scheme_version__scheme=round.scheme, score__isnull=False
    )
    if round.field:
        qs = qs.filter(field=round.field)
    if round.centre_id:
        qs = qs.filter(centre_id=round.centre_id)
    return qs


def _candidates(round: InvitationRound) -> list[scoring.Candidate]:
    return [
        scoring.Candidate(pk, score, submitted_at)
        for pk, score, submitted_at in round_pool(round).values_list("pk", "score", "submitted_at")
        if score is not None and submitted_at is not None  # a pooled application has both
    ]


@transaction.atomic
def round_create(
    *, scheme: Scheme, places: int, by: Any, field: str = "", centre: Centre | None = None
) -> InvitationRound:
    if scheme.kind != Scheme.Kind.POINTS:
        raise ValidationError({"scheme": _("Rounds invite from a points pool.")})
    _staff(by, centre)
    round = InvitationRound(scheme=scheme, places=places, field=field, centre=centre, created_by=by)
    round.full_clean()
    round.save()
    audit_log(actor=by, action="foreign_round.created", obj=round, data={"places": places, "field": field})
    return round


def round_preview(*, round: InvitationRound) -> scoring.Selection:
    """Whom a run would invite now (nothing is written)."""
    return scoring.select_invitations(_candidates(round), round.places)


@transaction.atomic
def round_run(*, round: InvitationRound, by: Any) -> InvitationRound:
    """Invite the round's candidates, once: a round already run is returned as it is."""
    locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
    _staff(by, locked.centre)
    if locked.status != InvitationRound.Status.DRAFT:
        return locked
    # Lock the pool so a candidate withdrawing meanwhile is either in or out, not both.
    list(round_pool(locked).select_for_update().values_list("pk", flat=True))
    selection = scoring.select_invitations(_candidates(locked), locked.places)
    today = timezone.localdate()
    for rank, candidate in enumerate(selection.invited, start=1):
        application = Application.objects.select_related("scheme_version__scheme", "applicant__user").get(
            pk=candidate.id
        )
        RoundInvitation.objects.create(
            round=locked, application=application, rank=rank, score=candidate.score
        )
        application_invite(application=application, on=today, by=by)
    locked.status = InvitationRound.Status.RUN
    locked.pool_size, locked.invited_count, locked.cut_off_score = (
        selection.pool_size,
        len(selection.invited),
        selection.cut_off,
    )
    locked.run_at, locked.run_by = timezone.now(), by
    locked.full_clean()
    locked.save()
    audit_log(
        actor=by,
        action="foreign_round.run",
        obj=locked,
        from_state=InvitationRound.Status.DRAFT,
        to_state=InvitationRound.Status.RUN,
        data={"pool": selection.pool_size, "invited": len(selection.invited), "cut_off": selection.cut_off},
    )
    return locked


@transaction.atomic
def round_publish(*, round: InvitationRound, by: Any) -> InvitationRound:
    locked = InvitationRound.objects.select_for_update().get(pk=round.pk)
    _staff(by, locked.centre)
    if locked.status != InvitationRound.Status.RUN:
        raise ValidationError(_("Run the round before publishing it."))
    locked.status, locked.published_at = InvitationRound.Status.PUBLISHED, timezone.now()
    locked.save(update_fields=["status", "published_at"])
    audit_log(
        actor=by,
        action="foreign_round.published",
        obj=locked,
        from_state=InvitationRound.Status.RUN,
        to_state=InvitationRound.Status.PUBLISHED,
    )
    return locked


def round_invited_ids(round: InvitationRound) -> list[int]:
    return list(round.invitations.order_by("rank").values_list("application_id", flat=True))


__all__ = ["actor_of", "round_create", "round_preview", "round_publish", "round_run"]
