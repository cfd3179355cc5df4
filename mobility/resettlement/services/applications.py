"""A family's application: submitted by the person (or at the desk), forwarded by the career
centre of origin within 1 working day, checked, included in the quota or refused by the
receiving region's centre, withdrawn by the family."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.cases.models import Case, FamilyMember, Referral
from mobility.cases.services import case_open
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.core.documents.models import Document
from mobility.core.documents.services import document_upload
from mobility.core.workflow import REGIONAL_MANAGER, SEEKER, START, SYSTEM, Sides, transition
from mobility.exchange.models import Vacancy
from mobility.reference import rules
from mobility.reference.models import Centre, ReceivingSettlement, Region
from mobility.resettlement.eligibility import active_registration, check_eligibility
from mobility.resettlement.models import (
    APPLICATION_WORKFLOW,
    ApplicationEvent,
    ApplicationMember,
    ApplicationStatus,
    JobKind,
    QuotaUsage,
    ResettlementApplication,
)
from mobility.resettlement.sides import resettlement_sides

from ._common import notify, require_side


@dataclass(frozen=True)
class MemberInput:
    iin: str
    last_name: str
    first_name: str
    relation: str
    family_member: FamilyMember | None = None


def _event(application: ResettlementApplication, *, to: str, by: Any, reason: str = "") -> None:
    ApplicationEvent.objects.create(
        application=application,
        from_status="",
        to_status=to,
        actor=by if getattr(by, "pk", None) else None,
        reason=reason,
    )


def _centre_for(person: Any, centre: Centre | None) -> tuple[Case | None, Centre]:
    case = Case.objects.filter(person=person, status=Case.Status.OPEN).select_related("centre").first()
    if case is not None:
        return case, case.centre
    if centre is None:
        registration = active_registration(person)
        centre = registration.centre if registration is not None else None
    if centre is None:
        raise ValidationError({"centre": _("Choose the career centre that will forward your application.")})
    return None, centre


@transaction.atomic
def application_submit(
    *,
    person: Any,
    category: str,
    destination_region: Region,
    members: Iterable[MemberInput] = (),
    by: Any,
    consent: bool,
    settlement_type: str = "",
    destination_settlement: ReceivingSettlement | None = None,
    origin_region: Region | None = None,
    origin_settlement: str = "",
    centre: Centre | None = None,
    job_kind: str = JobKind.LOOKING,
    vacancy: Vacancy | None = None,
    offer_letter: Any = None,
    documents: Iterable[tuple[str, Any]] = (),
    permanent_registration_since: dt.date | None = None,
    kandas_status: bool = False,
    graduate_programme: str = "",
    graduated_on: dt.date | None = None,
    referral: Referral | None = None,
    on: dt.date | None = None,
) -> ResettlementApplication:
    """Record a family's application under the rules in force on its date (today).

    The head of the family is the person (their IIN and name from the account); `members` are
    the others who move. Refused, naming the field: no consent, an ineligible applicant (every
    failed rule's sentence), a settlement outside the destination, someone already in another
    active application, a vacancy elsewhere. `offer_letter` is an uploaded file (job_kind
    offer_letter); `documents` are (kind, file) pairs, stored through the kernel's documents."""
    today = on or timezone.localdate()
    if not consent:
        raise ValidationError({"consent": _("Agree to the processing of your family's data to apply.")})
    if not person.iin:
        raise ValidationError({"iin": _("Your account has no IIN: the career centre adds it at the desk.")})
    eligibility = check_eligibility(
        person=person,
        category=category,
        destination=destination_region,
        on=today,
        permanent_registration_since=permanent_registration_since,
        kandas_status=kandas_status,
        graduate_programme=graduate_programme,
        graduated_on=graduated_on,
    )
    if not eligibility.eligible:
        raise ValidationError({"eligibility": [r.message for r in eligibility.failed]}, code="not_eligible")
    if destination_settlement is not None:
        if (
            destination_settlement.region_id != destination_region.pk
            or destination_settlement.year != today.year
        ):
            raise ValidationError(
                {"destination_settlement": _("This settlement is not in the destination region.")}
            )
        settlement_type = destination_settlement.settlement_type
    elif ReceivingSettlement.objects.filter(
        status="published", region=destination_region, year=today.year
    ).exists():
        raise ValidationError(
            {"destination_settlement": _("Choose one of the settlements the region accepts.")}
        )
    if not settlement_type:
        raise ValidationError({"settlement_type": _("Say whether you move to a town or a village.")})
    if job_kind == JobKind.VACANCY and (vacancy is None or vacancy.region_id != destination_region.pk):
        raise ValidationError({"vacancy": _("Choose a vacancy in the destination region.")})
    if job_kind == JobKind.OFFER_LETTER and offer_letter is None:
        raise ValidationError({"offer_letter": _("Attach the employer's offer letter.")})

    case, centre = _centre_for(person, centre)
    if case is None:
        # The file opens as a side effect of the submission: the system's act, no counsellor yet.
        case = case_open(person=person, centre=centre, by=None)  # type: ignore[arg-type]
    profile_region = getattr(getattr(person, "seeker_profile", None), "region", None)
    application = ResettlementApplication(
        case=case,
        person=person,
        centre=centre,
        category=category,
        year=today.year,
        rules_on=today,
        origin_region=origin_region or profile_region or centre.region,
        origin_settlement=origin_settlement,
        destination_region=destination_region,
        destination_settlement=destination_settlement,
        settlement_type=settlement_type,
        job_kind=JobKind.VACANCY if job_kind == JobKind.VACANCY else JobKind.LOOKING,
        vacancy=vacancy if job_kind == JobKind.VACANCY else None,
        permanent_registration_since=permanent_registration_since,
        kandas_status=kandas_status,
        graduate_programme=graduate_programme,
        graduated_on=graduated_on,
        eligibility=eligibility.as_list(),
        referral=referral,
        consent_at=timezone.now(),
        status=ApplicationStatus.SUBMITTED,
        forward_due_on=add_working_days(today, 1),
    )
    side: Sides = {SEEKER} if by is not None and by.pk == person.pk else resettlement_sides(by, application)
    APPLICATION_WORKFLOW.check(START, ApplicationStatus.SUBMITTED, side)
    application.full_clean()
    application.save()
    _add_members(application, person, members)
    for kind, file in documents:
        document_upload(file=file, kind=kind, owner=person, by=by, attached_to=application)
    if job_kind == JobKind.OFFER_LETTER:
        letter = (
            offer_letter
            if isinstance(offer_letter, Document)
            else document_upload(
                file=offer_letter, kind=Document.Kind.OTHER, owner=person, by=by, attached_to=application
            )
        )
        ResettlementApplication.objects.filter(pk=application.pk).update(
            job_kind=JobKind.OFFER_LETTER, offer_letter=letter
        )
        application.refresh_from_db()
    _event(application, to=ApplicationStatus.SUBMITTED, by=by)
    audit_log(
        actor=by,
        action="resettlement_application.submitted",
        obj=application,
        to_state=ApplicationStatus.SUBMITTED,
        data={
            "category": category,
            "destination": destination_region.code,
            "family_size": application.members.count(),
            "rules_on": today.isoformat(),
        },
        programme="resettlement",
    )
    notify(application, template="resettlement_submitted", key=f"resettlement.submitted:{application.pk}")
    return application


def _add_members(application: ResettlementApplication, person: Any, members: Iterable[MemberInput]) -> None:
    rows = [
        MemberInput(person.iin, person.last_name, person.first_name, ApplicationMember.Relation.HEAD),
        *members,
    ]
    seen: set[str] = set()
    for row in rows:
        if row.relation == ApplicationMember.Relation.HEAD and row is not rows[0]:
            raise ValidationError({"members": _("The applicant is the head of the family; add the others.")})
        if row.iin in seen:
            raise ValidationError({"members": _("IIN %(iin)s is listed twice.") % {"iin": row.iin}})
        seen.add(row.iin)
        member = ApplicationMember(
            application=application,
            family_member=row.family_member,
            iin=row.iin,
            last_name=row.last_name,
            first_name=row.first_name,
            relation=row.relation,
        )
        try:
            member.full_clean(exclude=["application"], validate_constraints=False)
        except ValidationError as error:
            raise ValidationError(
                {"members": [f"{row.last_name} {row.first_name}: {m}" for m in error.messages]}
            ) from error
        try:
            with transaction.atomic():
                member.save()
        except IntegrityError as error:
            raise ValidationError(
                {
                    "members": _("%(name)s is already in another active resettlement application.")
                    % {"name": f"{row.last_name} {row.first_name}"}
                },
                code="conflict",
            ) from error


def _move(
    application: ResettlementApplication, *, to: str, by: Any, side: Sides, reason: str = "", **changes: Any
) -> ResettlementApplication:
    return transition(
        application,
        workflow=APPLICATION_WORKFLOW,
        to=to,
        side=side,
        by=by,
        reason=reason,
        changes={"updated_at": timezone.now(), **changes},
        event_model=ApplicationEvent,
        event_fk="application",
    )


@transaction.atomic
def application_forward(*, application: ResettlementApplication, by: Any) -> ResettlementApplication:
    """The career centre of origin forwards the file to the receiving region's centre."""
    return _move(
        application,
        to=ApplicationStatus.FORWARDED,
        by=by,
        side=resettlement_sides(by, application),
        forwarded_at=timezone.now(),
    )


@transaction.atomic
def application_check(*, application: ResettlementApplication, by: Any) -> ResettlementApplication:
    """The receiving region's centre has checked the documents."""
    return _move(
        application,
        to=ApplicationStatus.CHECKED,
        by=by,
        side=resettlement_sides(by, application),
        checked_at=timezone.now(),
    )


def _quota_usage(application: ResettlementApplication) -> QuotaUsage:
    """The locked usage row of the application's published quota (created at the first inclusion)."""
    quota = rules.quota_for(
        region=application.destination_region, year=application.year, category=application.category
    )
    if quota is None:
        raise ValidationError(
            {"status": _("The destination has no quota for this category and year.")}, code="quota_exhausted"
        )
    if not QuotaUsage.objects.filter(quota=quota).exists():
        try:
            with transaction.atomic():
                QuotaUsage.objects.create(quota=quota, limit=quota.persons)
        except IntegrityError:
            pass  # a concurrent inclusion created it first
    return QuotaUsage.objects.select_for_update().get(quota=quota)


def quota_take(usage: QuotaUsage, persons: int) -> None:
    """Take persons from a locked usage row; refuses beyond the quota (and so does the CHECK)."""
    if usage.used + persons > usage.limit:
        raise ValidationError(
            {
                "status": _("The quota has %(left)s places left; this family needs %(persons)s.")
                % {"left": usage.left, "persons": persons}
            },
            code="quota_exhausted",
        )
    usage.used += persons
    usage.save(update_fields=["used"])


@transaction.atomic
def application_include(*, application: ResettlementApplication, by: Any) -> ResettlementApplication:
    """Include the family in the quota: every person who moves takes a place, under the usage row's
    lock, so however many managers include at once the quota is never exceeded."""
    side = require_side(by, application, REGIONAL_MANAGER)
    persons = application.members.filter(active=True).count()
    usage = _quota_usage(application)
    quota_take(usage, persons)
    included = _move(
        application,
        to=ApplicationStatus.INCLUDED,
        by=by,
        side=side,
        quota_persons=persons,
        decided_at=timezone.now(),
    )
    notify(included, template="resettlement_included", key=f"resettlement.included:{included.pk}")
    return included


@transaction.atomic
def application_refuse(
    *, application: ResettlementApplication, by: Any, reason: str
) -> ResettlementApplication:
    """Refuse with a reason the family reads; everyone in it may apply again."""
    reason = reason.strip()
    refused = _move(
        application,
        to=ApplicationStatus.REFUSED,
        by=by,
        side=resettlement_sides(by, application),
        reason=reason,
        refusal_reason=reason,
        decided_at=timezone.now(),
    )
    refused.members.update(active=False)
    notify(refused, template="resettlement_refused", key=f"resettlement.refused:{refused.pk}", reason=reason)
    return refused


@transaction.atomic
def application_withdraw(*, application: ResettlementApplication, by: Any) -> ResettlementApplication:
    """The family withdraws; places taken from the quota go back to it."""
    current = ResettlementApplication.objects.select_for_update().get(pk=application.pk)
    persons = current.quota_persons
    if persons and current.status == ApplicationStatus.INCLUDED:
        usage = QuotaUsage.objects.select_for_update().get(
            quota=rules.quota_for(
                region=current.destination_region, year=current.year, category=current.category
            )
        )
        usage.used -= persons
        usage.save(update_fields=["used"])
    withdrawn = _move(
        current, to=ApplicationStatus.WITHDRAWN, by=by, side=resettlement_sides(by, current), quota_persons=0
    )
    withdrawn.members.update(active=False)
    return withdrawn


def application_follow_certificate(
    application: ResettlementApplication, *, to: str, by: Any, reason: str = ""
) -> ResettlementApplication:
    """The application's later states follow its certificate (issued, ended, paid): a side effect."""
    return _move(application, to=to, by=by, side=SYSTEM, reason=reason)
