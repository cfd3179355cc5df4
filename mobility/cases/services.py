"""Writes of case management: transactional, validated, audited (the audit trail is the
case's timeline: each entry written for a case names the programme it belongs to, or none when it
concerns the file itself).

A case belongs to a person. It sits at one centre, together with the person's active
registration: every move of one moves the other (`case_transfer`, the desk, referrals to
another region's centre), so whoever holds the case also sees the registration."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mobility.accounts.models import User
from mobility.accounts.services import Activation, Channel, account_activation_start, account_create
from mobility.cases.models import (
    Case,
    CaseNote,
    EmploymentPlan,
    FamilyMember,
    OfflineSubmission,
    PlanRevision,
    PlanStep,
    Referral,
)
from mobility.cases.workflows import PLAN_WORKFLOW
from mobility.core.actors import Programme, Role, actor_of
from mobility.core.audit import audit_log
from mobility.core.documents.models import Document
from mobility.core.documents.services import document_upload
from mobility.core.outbox import outbox_add
from mobility.core.workflow import STAFF, transition
from mobility.exchange import services as exchange
from mobility.exchange.models import (
    CLOSED_STATUSES,
    ApplicationStatus,
    Registration,
    SeekerProfile,
    Vacancy,
)
from mobility.exchange.sides import plan_sides
from mobility.reference.models import Centre, Region

# Reasons the services write themselves, as codes; the timeline shows them in words.
REASON_RE_REGISTERED = "re-registered"
REASON_REFERRED_TO_REGION = "referred-to-region"
REASON_REFERRAL_ACCEPTED = "referral-accepted"
REASON_LABELS = {
    REASON_RE_REGISTERED: gettext_lazy("registered again at another centre"),
    REASON_REFERRED_TO_REGION: gettext_lazy("referred to another region's centre"),
    REASON_REFERRAL_ACCEPTED: gettext_lazy("the person accepted the centre's referral"),
    # Written before referrals waited for the person's consent.
    "referral by the career centre": gettext_lazy("referred by the career centre"),
}

# The programme a referral's timeline entries belong to.
REFERRAL_PROGRAMMES: dict[str, str] = {
    Referral.Kind.VACANCY: Programme.EMPLOYMENT,
    Referral.Kind.TRAINING: Programme.EMPLOYMENT,
    Referral.Kind.OTHER_REGION: Programme.EMPLOYMENT,
    Referral.Kind.ABROAD: Programme.EMPLOYMENT,
    Referral.Kind.RESETTLEMENT: Programme.RESETTLEMENT,
}


def _active_registration(person: User) -> Registration | None:
    return (
        Registration.objects.select_for_update(of=("self",))
        .filter(profile__user=person, status=Registration.Status.ACTIVE)
        .select_related("centre")
        .first()
    )


def _registration_follow(case: Case, *, by: User) -> None:
    """Keep the person's active registration at the case's centre."""
    registration = _active_registration(case.person)
    if registration is None or registration.centre_id == case.centre_id:
        return
    previous = registration.centre
    registration.centre = case.centre
    registration.save(update_fields=["centre"])
    audit_log(
        actor=by,
        action="registration.transferred",
        obj=registration,
        from_state=previous.code,
        to_state=case.centre.code,
        data={"case": case.pk},
    )


@transaction.atomic
def case_open(*, person: User, centre: Centre, by: User, counsellor: User | None = None) -> Case:
    """Open (or return) the one open case file of a person; their active registration, if any,
    sits at the same centre."""
    existing = Case.objects.filter(person=person, status=Case.Status.OPEN).first()
    if existing is not None:
        return existing
    if counsellor is None and actor_of(by).is_staff_member:
        counsellor = by  # staff opening a file hold it; a person applying on their own leaves it unassigned
    case = Case(person=person, centre=centre, counsellor=counsellor)
    case.full_clean()
    case.save()
    audit_log(
        actor=by, action="case.opened", obj=case, to_state=Case.Status.OPEN, data={"centre": centre.code}
    )
    _registration_follow(case, by=by)
    return case


@transaction.atomic
def case_transfer(*, case: Case, to_centre: Centre, by: User, reason: str) -> Case:
    """Move a case to another centre, with a record: the new centre's staff hold it from now on
    (unassigned until they give it to a counsellor), the old centre no longer sees it, and the
    person's active registration moves with it."""
    case = Case.objects.select_for_update(of=("self",)).select_related("centre", "person").get(pk=case.pk)
    if case.status != Case.Status.OPEN:
        raise ValidationError(_("A closed case cannot be transferred."))
    if to_centre.pk == case.centre_id:
        raise ValidationError({"centre": _("The case is already at this centre.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case moves to another centre.")})
    previous = case.centre
    case.centre = to_centre
    if case.counsellor is not None:
        serves = actor_of(case.counsellor).centre_ids(Role.COUNSELLOR, Role.REGIONAL_MANAGER)
        if serves is not None and to_centre.pk not in serves:
            case.counsellor = None
    case.save(update_fields=["centre", "counsellor"])
    audit_log(
        actor=by,
        action="case.transferred",
        obj=case,
        from_state=previous.code,
        to_state=to_centre.code,
        reason=reason,
    )
    _registration_follow(case, by=by)
    return case


@dataclass(frozen=True)
class DeskRegistration:
    case: Case
    person: User
    activation: Activation
    account_created: bool


@transaction.atomic
def registration_desk_register(
    *,
    by: User,
    centre: Centre,
    iin: str,
    last_name: str,
    first_name: str,
    region: Region,
    kind: str,
    registered_on: dt.date,
    documents: Sequence[str] = (),
    identity_document: Any = None,
    status_documents: Sequence[Any] = (),
    email: str | None = None,
    phone: str = "",
    channel: str = Channel.DESK,
    base_url: str = "",
) -> DeskRegistration:
    """Register a person at the desk (or from a mobile group's entry): account (if new), profile,
    registration and case file. A person who has never set a password gets a way in: the
    activation link by email, or else (at the desk, where they stand) a code to hand over.

    The desk uploads the identity document and any status documents (kept as the person's
    documents, attached to the registration); a mobile group working offline records which
    papers it checked (`documents`)."""
    account = account_create(
        channel=channel,
        by=by,
        iin=iin,
        email=email,
        phone=phone,
        last_name=last_name,
        first_name=first_name,
        language=by.language,
    )
    user = account.user
    if user.iin != iin:
        raise ValidationError({"email": _("This email belongs to another person's account.")})
    profile = SeekerProfile.objects.filter(user=user).first()
    if profile is None:
        profile = exchange.profile_create(
            user=user, region=region, visibility=SeekerProfile.Visibility.HIDDEN
        )
    registration = exchange.registration_create(
        profile=profile, centre=centre, kind=kind, registered_on=registered_on, by=by
    )
    if documents:
        audit_log(
            actor=by,
            action="registration.documents_checked",
            obj=registration,
            data={"documents": list(documents)},
        )
    uploads = [(Document.Kind.IDENTITY, identity_document)] if identity_document else []
    uploads += [(Document.Kind.STATUS, file) for file in status_documents]
    for kind, file in uploads:
        document_upload(file=file, kind=kind, owner=user, by=by, attached_to=registration)
    case = Case.objects.filter(person=user, status=Case.Status.OPEN).first()
    if case is not None and case.centre_id != centre.pk:
        # Registered again at another centre: the file follows the registration.
        case = case_transfer(case=case, to_centre=centre, by=by, reason=REASON_RE_REGISTERED)
    else:
        case = case_open(person=user, centre=centre, by=by)
    activation = account_activation_start(
        user=user, by=by, base_url=base_url, issue_code=channel == Channel.DESK
    )
    return DeskRegistration(case=case, person=user, activation=activation, account_created=account.created)


@transaction.atomic
def case_reassign(*, case: Case, counsellor: User, by: User, reason: str = "") -> Case:
    """Give the case to a member of staff who will still see it: a counsellor of its centre or a
    regional manager of its region. Someone at another centre takes it through `case_transfer`."""
    serves = actor_of(counsellor).centre_ids(Role.COUNSELLOR, Role.REGIONAL_MANAGER)
    if not counsellor.is_active or (serves is not None and case.centre_id not in serves):
        raise ValidationError(
            {
                "counsellor": _(
                    "Choose a counsellor of this centre or the regional manager; "
                    "to hand the case to another centre, transfer it."
                )
            }
        )
    previous = case.counsellor
    case.counsellor = counsellor
    case.save(update_fields=["counsellor"])
    audit_log(
        actor=by,
        action="case.reassigned",
        obj=case,
        from_state=str(previous.pk) if previous else "",
        to_state=str(counsellor.pk),
        reason=reason,
    )
    return case


@transaction.atomic
def case_close(*, case: Case, reason: str, by: User) -> Case:
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status == Case.Status.CLOSED:
        return case
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is closed.")})
    case.status, case.closed_at, case.close_reason = Case.Status.CLOSED, timezone.now(), reason
    case.save()
    audit_log(actor=by, action="case.closed", obj=case, from_state="open", to_state="closed", reason=reason)
    return case


# --- The individual employment plan ---------------------------------------------------------------


def _snapshot(plan: EmploymentPlan) -> dict[str, Any]:
    return {
        "goal": plan.goal,
        "status": plan.status,
        "steps": [
            {
                "kind": s.kind,
                "title": s.title,
                "due_on": s.due_on.isoformat(),
                "owner": s.owner,
                "status": s.status,
                "outcome": s.outcome,
            }
            for s in plan.steps.order_by("due_on", "id")
        ],
    }


def plan_refresh_deadline(plan: EmploymentPlan) -> None:
    """Recompute the plan's next deadline from its planned steps."""
    from django.db.models import Min

    plan.next_due_on = plan.steps.filter(status=PlanStep.Status.PLANNED).aggregate(d=Min("due_on"))["d"]
    EmploymentPlan.objects.filter(pk=plan.pk).update(next_due_on=plan.next_due_on)


def _revise(plan: EmploymentPlan, by: User | None, reason: str) -> None:
    PlanRevision.objects.create(
        plan=plan, number=plan.revision, snapshot=_snapshot(plan), author=by, reason=reason
    )


@transaction.atomic
def plan_save(
    *, case: Case, goal: str, steps: Sequence[dict[str, Any]], by: User, reason: str = ""
) -> EmploymentPlan:
    """Write the plan (goal and the full list of steps). A change to an agreed plan sends it
    back to the seeker for confirmation; every version is kept."""
    if not goal.strip():
        raise ValidationError({"goal": _("Write the goal of the plan.")})
    if not steps:
        raise ValidationError({"steps": _("A plan needs at least one step.")})
    today = timezone.localdate()
    plan = EmploymentPlan.objects.select_for_update().filter(case=case).first()
    previous = plan.status if plan else ""
    if plan is None:
        plan = EmploymentPlan.objects.create(case=case, goal=goal)
    else:
        plan.revision += 1
        plan.goal = goal
    keep: list[int] = []
    for data in steps:
        step_id = data.get("id")
        step = plan.steps.filter(pk=step_id).first() if step_id else None
        step = step or PlanStep(plan=plan)
        step.kind, step.title, step.due_on = data["kind"], data["title"], data["due_on"]
        step.owner = data.get("owner") or PlanStep.Owner.SEEKER
        if step.pk is None and step.due_on < today:
            raise ValidationError({"steps": _("A new step cannot have a deadline in the past.")})
        step.full_clean(exclude=["plan"])
        step.save()
        keep.append(step.pk)
    plan.steps.exclude(pk__in=keep).filter(status=PlanStep.Status.PLANNED).delete()
    plan.status = EmploymentPlan.Status.DRAFT
    plan.agreed_at = None
    plan.updated_at = timezone.now()
    plan.save()
    plan_refresh_deadline(plan)
    _revise(plan, by, reason or ("created" if not previous else "revised"))
    audit_log(
        actor=by,
        action="plan.saved",
        programme=Programme.EMPLOYMENT,
        obj=case,
        from_state=previous,
        to_state=plan.status,
        reason=reason,
        data={"revision": plan.revision, "steps": len(keep)},
    )
    return plan


@transaction.atomic
def plan_propose(*, plan: EmploymentPlan, by: User) -> EmploymentPlan:
    """The counsellor sends the draft to the job seeker for confirmation."""
    plan = EmploymentPlan.objects.select_related("case").get(pk=plan.pk)
    return transition(
        plan,
        workflow=PLAN_WORKFLOW,
        to=EmploymentPlan.Status.PROPOSED,
        side=STAFF,
        by=by,
        audit_obj=plan.case,
    )


@transaction.atomic
def plan_confirm(*, plan: EmploymentPlan, by: User) -> EmploymentPlan:
    """The job seeker agrees the plan in the portal."""
    plan = EmploymentPlan.objects.select_related("case").get(pk=plan.pk)
    plan = transition(
        plan,
        workflow=PLAN_WORKFLOW,
        to=EmploymentPlan.Status.AGREED,
        side=plan_sides(by, plan),
        by=by,
        # The agreed version is a revision of its own.
        changes=lambda locked, _previous: {"agreed_at": timezone.now(), "revision": locked.revision + 1},
        audit_obj=plan.case,
    )
    _revise(plan, by, "agreed by the job seeker")
    return plan


@transaction.atomic
def step_record_outcome(*, step: PlanStep, status: str, outcome: str, by: User) -> PlanStep:
    step = PlanStep.objects.select_for_update().select_related("plan__case").get(pk=step.pk)
    if status not in (PlanStep.Status.DONE, PlanStep.Status.MISSED, PlanStep.Status.CANCELLED):
        raise ValidationError({"status": _("Choose done, missed or cancelled.")})
    previous = step.status
    step.status, step.outcome, step.completed_at = status, outcome, timezone.now()
    step.save()
    plan_refresh_deadline(step.plan)
    audit_log(
        actor=by,
        action="plan.step_outcome",
        programme=Programme.EMPLOYMENT,
        obj=step.plan.case,
        from_state=previous,
        to_state=status,
        reason=outcome,
        data={"step": step.pk, "title": step.title},
    )
    return step


# --- Referrals and notes ------------------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    case: Case,
    kind: str,
    by: User,
    vacancy: Vacancy | None = None,
    target_centre: Centre | None = None,
    provider: str = "",
    note: str = "",
    client_key: uuid.UUID | None = None,
) -> Referral:
    """Refer a person. To a vacancy: a proposal the person answers in the portal; the employer
    learns nothing of them until they accept it (`referral_accept`). To another region: the
    receiving centre takes the case."""
    if client_key and (existing := Referral.objects.filter(client_key=client_key).first()):
        return existing
    referral = Referral(
        case=case,
        kind=kind,
        vacancy=vacancy,
        target_centre=target_centre,
        provider=provider,
        note=note,
        created_by=by,
        client_key=client_key,
    )
    referral.full_clean()
    if kind == Referral.Kind.VACANCY:
        assert vacancy is not None
        if vacancy.status != Vacancy.Status.PUBLISHED:
            raise ValidationError({"vacancy": _("Refer only to a published vacancy.")})
        profile = case.seeker
        if profile is None:
            raise ValidationError(
                {"vacancy": _("This person has no job-seeker profile, so they cannot apply for a vacancy.")}
            )
        if profile.applications.filter(vacancy=vacancy).exclude(status__in=CLOSED_STATUSES).exists():
            raise ValidationError({"vacancy": _("This person has already applied for this vacancy.")})
        if case.referrals.filter(vacancy=vacancy, status=Referral.Status.SENT).exists():
            raise ValidationError(
                {"vacancy": _("This person has not yet answered an earlier referral to this vacancy.")}
            )
    if kind == Referral.Kind.ABROAD and not provider.strip():
        raise ValidationError({"provider": _("Name the foreign employer or the agency.")})
    referral.save()
    audit_log(
        actor=by,
        action="referral.sent",
        obj=case,
        to_state=kind,
        reason=note,
        data={"referral": referral.pk},
        programme=REFERRAL_PROGRAMMES[kind],
    )
    if kind == Referral.Kind.VACANCY and case.person.email:
        # SMS to people without an email address comes with the notifications issue.
        outbox_add(
            person=case.person,
            topic="referral",
            template="referral_proposed",
            context={"vacancy": vacancy, "centre": case.centre, "note": note},
            key=f"referral.proposed:{referral.pk}",
        )
    if kind == Referral.Kind.OTHER_REGION:
        assert target_centre is not None
        case_transfer(case=case, to_centre=target_centre, by=by, reason=REASON_REFERRED_TO_REGION)
    return referral


def _answerable(referral: Referral, by: User) -> Referral:
    referral = (
        Referral.objects.select_for_update(of=("self",)).select_related("case", "vacancy").get(pk=referral.pk)
    )
    if referral.case.person_id != by.pk:
        raise ValidationError(_("Only the person referred can answer this referral."))
    if referral.kind != Referral.Kind.VACANCY or referral.status != Referral.Status.SENT:
        raise ValidationError(_("This referral is not waiting for your answer."))
    return referral


@transaction.atomic
def referral_accept(*, referral: Referral, by: User) -> Referral:
    """The person agrees to a vacancy referral: their application goes to the employer, who from
    now on sees their name and contacts (the consent is this answer)."""
    referral = _answerable(referral, by)
    profile = referral.case.seeker
    assert referral.vacancy is not None and profile is not None
    referral.application = exchange.application_create(
        seeker=profile,
        vacancy=referral.vacancy,
        status=ApplicationStatus.APPLIED,
        by=by,
        cover_note=referral.note,
        reason=REASON_REFERRAL_ACCEPTED,
    )
    referral.status, referral.answered_at = Referral.Status.ACCEPTED, timezone.now()
    referral.save(update_fields=["application", "status", "answered_at"])
    audit_log(
        actor=by,
        action="referral.accepted",
        obj=referral.case,
        from_state=Referral.Status.SENT,
        to_state=Referral.Status.ACCEPTED,
        data={"referral": referral.pk, "application": referral.application.pk},
        programme=REFERRAL_PROGRAMMES[referral.kind],
    )
    return referral


@transaction.atomic
def referral_decline(*, referral: Referral, by: User, reason: str = "") -> Referral:
    """The person turns a vacancy referral down: the employer never learns of it."""
    referral = _answerable(referral, by)
    referral.status, referral.answered_at, referral.outcome = Referral.Status.DECLINED, timezone.now(), reason
    referral.save(update_fields=["status", "answered_at", "outcome"])
    audit_log(
        actor=by,
        action="referral.declined",
        obj=referral.case,
        from_state=Referral.Status.SENT,
        to_state=Referral.Status.DECLINED,
        reason=reason,
        data={"referral": referral.pk},
        programme=REFERRAL_PROGRAMMES[referral.kind],
    )
    return referral


@transaction.atomic
def referral_record_outcome(*, referral: Referral, status: str, outcome: str, by: User) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if status not in (Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.COMPLETED):
        raise ValidationError({"status": _("Choose accepted, declined or completed.")})
    if (
        referral.kind == Referral.Kind.VACANCY
        and referral.status == Referral.Status.SENT
        and status != (Referral.Status.DECLINED)
    ):
        raise ValidationError(
            {"status": _("The person accepts a vacancy referral themselves, in their portal.")}
        )
    previous = referral.status
    referral.status, referral.outcome = status, outcome
    referral.save(update_fields=["status", "outcome"])
    audit_log(
        actor=by,
        action="referral.outcome",
        obj=referral.case,
        from_state=previous,
        to_state=status,
        reason=outcome,
        data={"referral": referral.pk},
        programme=REFERRAL_PROGRAMMES[referral.kind],
    )
    return referral


# --- Family members -------------------------------------------------------------------------------


@transaction.atomic
def family_member_add(
    *, case: Case, iin: str, last_name: str, first_name: str, relation: str, by: User
) -> FamilyMember:
    """List a family member in the case (no case or account of their own)."""
    if case.person.iin and case.person.iin == iin:
        raise ValidationError({"iin": _("This is the IIN of the person the case is about.")})
    if case.family.filter(iin=iin).exists():
        raise ValidationError({"iin": _("A family member with this IIN is already listed.")})
    member = FamilyMember(
        case=case, iin=iin, last_name=last_name, first_name=first_name, relation=relation, added_by=by
    )
    member.full_clean()
    member.save()
    audit_log(
        actor=by,
        action="family.added",
        obj=case,
        to_state=relation,
        data={"member": member.pk, "name": str(member)},
    )
    return member


@transaction.atomic
def family_member_remove(*, member: FamilyMember, by: User, reason: str = "") -> None:
    case = member.case
    audit_log(
        actor=by,
        action="family.removed",
        obj=case,
        from_state=member.relation,
        reason=reason,
        data={"member": member.pk, "name": str(member)},
    )
    member.delete()


@transaction.atomic
def note_add(
    *,
    case: Case,
    text: str,
    by: User,
    kind: str = CaseNote.Kind.CONSULTATION,
    programme: str = Programme.EMPLOYMENT,
    client_key: uuid.UUID | None = None,
    shared_with_person: bool = False,
) -> CaseNote:
    """A note in the case, in one programme's part of the timeline (staff of other programmes do
    not read it). Internal by default; a shared note shows on the person's plan page."""
    if not text.strip():
        raise ValidationError({"text": _("The note is empty.")})
    if client_key and (existing := CaseNote.objects.filter(client_key=client_key).first()):
        return existing
    note = CaseNote(
        case=case,
        text=text,
        author=by,
        kind=kind,
        programme=programme,
        shared_with_person=shared_with_person,
    )
    if client_key:
        note.client_key = client_key
    note.full_clean(exclude=["case"])
    note.save()
    audit_log(
        actor=by,
        action="case.note_added",
        obj=note,
        changes={"text": ["", note.text], "shared_with_person": [False, note.shared_with_person]},
        data={"case": case.pk, "kind": note.kind},
        programme=note.programme,
    )
    return note


# --- Offline entries from mobile groups ---------------------------------------------------------


# What a registration made offline says about the person: kept in the registration itself, never
# copied into the record of the entry (nor kept on the device once the server has it).
OFFLINE_PERSONAL_FIELDS = ("iin", "last_name", "first_name", "email", "phone")


def offline_submit(
    *, client_key: uuid.UUID, kind: str, payload: dict[str, Any], by: User, apply: Any
) -> dict[str, Any]:
    """Apply an entry made offline exactly once: the device's key is unique in the database,
    so a retry (or two tabs sending the same queue) returns the first result. An entry is only
    ever answered for the staff member who sent it first: the same key under another account
    is refused (PermissionDenied), whatever was stored."""
    done = OfflineSubmission.objects.filter(client_key=client_key).first()
    if done is not None:
        return _offline_replay(done, by)
    kept = {key: value for key, value in payload.items() if key not in OFFLINE_PERSONAL_FIELDS}
    try:
        with transaction.atomic():
            result = apply()
            OfflineSubmission.objects.create(
                client_key=client_key, kind=kind, payload=kept, author=by, result=result
            )
    except IntegrityError:
        done = OfflineSubmission.objects.get(client_key=client_key)
        return _offline_replay(done, by)
    return result


def _offline_replay(done: OfflineSubmission, by: User) -> dict[str, Any]:
    if done.author_id != by.pk:
        raise PermissionDenied(_("This entry was made by another staff member."))
    return {**done.result, "duplicate": True}


__all__ = ["Registration"]
