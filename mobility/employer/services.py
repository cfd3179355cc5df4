"""Writes of the employer pages and the centre's employer queues.

Each service is keyword-only, transactional, validated and audited; mail goes out after
commit, in the recipient's language. Vacancy and application state changes go through the
exchange's services (the one shared state machine); this module adds the employer's rules
on top: which moves an employer may make, who may invite colleagues, what a verified
organisation may do that a pending one may not.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from mobility.accounts.models import Organisation, OrganisationMembership, User
from mobility.accounts.services import organisation_create, organisation_set_status, user_create
from mobility.core.audit import audit_log
from mobility.core.identifiers import parse_bin
from mobility.employer.models import ApplicationNote, CentreRequest, OrganisationInvitation
from mobility.exchange import services as exchange
from mobility.exchange.models import (
    TRANSITIONS,
    Application,
    ApplicationStatus,
    SeekerProfile,
    Vacancy,
)
from mobility.reference.models import Centre, Region

INVITATION_SALT = "mobility.employer.invitation"
INVITATION_DAYS = 7

# The moves an employer makes; "applied" (accepting an invitation) and "withdrawn" are the seeker's.
EMPLOYER_MOVES = (
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
)

# Working days the centre takes to answer, by kind; override with EMPLOYER_REQUEST_ANSWER_DAYS.
ANSWER_DAYS = {
    CentreRequest.Kind.CANDIDATE_SELECTION: 5,
    CentreRequest.Kind.TRAINING: 10,
    CentreRequest.Kind.STAFF_MANAGEMENT: 10,
    CentreRequest.Kind.OTHER: 10,
}


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


# --- Sign-up, details and verification ------------------------------------------------------------


@transaction.atomic
def employer_sign_up(
    *,
    user: User | None,
    bin: str,
    name: str,
    region: Region,
    head_office_bin: str = "",
    account: dict[str, Any] | None = None,
    **details: Any,
) -> Organisation:
    """Register an organisation with the person as its owner; a new person gets an account first.

    A branch (6th BIN digit 1) names the BIN of its head office, which must already be registered.
    The organisation waits for verification by the centre before its vacancies are published.
    """
    parse_bin(bin)  # raises the precise message (length, type digit, attribute digit, check digit)
    if Organisation.objects.filter(bin=bin).exists():
        raise ValidationError(
            {"bin": _("An organisation with this BIN is already registered. Ask its owner to invite you.")}
        )
    head_office = None
    if parse_bin(bin).is_branch:
        if not head_office_bin:
            raise ValidationError({"head_office_bin": _("A branch must give the BIN of its head office.")})
        head_office = Organisation.objects.filter(bin=head_office_bin).first()
        if head_office is None:
            raise ValidationError(
                {"head_office_bin": _("The head office must register first; no organisation has this BIN.")}
            )
        if head_office.head_office_id is not None:
            raise ValidationError({"head_office_bin": _("This BIN belongs to a branch, not a head office.")})
    elif head_office_bin:
        raise ValidationError(
            {"head_office_bin": _("Only a branch (6th BIN digit 1) has a head office; leave this empty.")}
        )
    if user is None:
        if not account:
            raise ValidationError(_("Give your name, email and a password to create your account."))
        email = account["email"]
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError(
                {"email": _("An account with this email already exists. Sign in first, then register.")}
            )
        from django.contrib.auth.password_validation import validate_password

        try:
            validate_password(
                account["password"],
                User(
                    email=email,
                    first_name=account.get("first_name", ""),
                    last_name=account.get("last_name", ""),
                ),
            )
        except ValidationError as exc:
            raise ValidationError({"password1": exc.messages}) from exc
        user = user_create(
            email=email,
            password=account["password"],
            first_name=account.get("first_name", ""),
            last_name=account.get("last_name", ""),
            phone=account.get("phone", ""),
            language=account.get("language", "kk"),
        )
    return organisation_create(
        bin=bin, name=name, region=region, owner=user, head_office=head_office, **details
    )


ORGANISATION_DETAILS = ("sector", "address", "phone", "email", "website")


@transaction.atomic
def organisation_update(*, organisation: Organisation, by: User, **data: Any) -> Organisation:
    """Change contacts and details; the legal name and region change only before verification."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    allowed = set(ORGANISATION_DETAILS)
    if organisation.status != Organisation.Status.VERIFIED:
        allowed |= {"name", "region"}
    changed = []
    for key, value in data.items():
        if key not in allowed:
            raise ValidationError(
                {key: _("A verified organisation changes this through the centre.")}
                if key in ("name", "region")
                else _("Unknown field.")
            )
        if getattr(organisation, key) != value:
            setattr(organisation, key, value)
            changed.append(key)
    organisation.full_clean()
    organisation.save()
    if changed:
        audit_log(actor=by, action="organisation.updated", obj=organisation, data={"fields": sorted(changed)})
    return organisation


@transaction.atomic
def organisation_request_verification(*, organisation: Organisation, by: User) -> Organisation:
    """After a refusal, the owner corrects the details and asks again."""
    if organisation.status != Organisation.Status.REFUSED:
        raise ValidationError(_("Only a refused organisation asks for verification again."))
    return organisation_set_status(organisation=organisation, status=Organisation.Status.PENDING, by=by)


@transaction.atomic
def organisation_decide(
    *, organisation: Organisation, verify: bool, by: User, reason: str = ""
) -> Organisation:
    """The centre verifies or refuses an organisation waiting in its queue; owners are told."""
    current = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if current.status != Organisation.Status.PENDING:
        raise ValidationError(_("This organisation is not waiting for verification."))
    status = Organisation.Status.VERIFIED if verify else Organisation.Status.REFUSED
    result = organisation_set_status(organisation=current, status=status, by=by, reason=reason.strip())
    owners = _owners(result)
    transaction.on_commit(
        lambda: _mail(
            to=owners,
            subject=(
                gettext_noop("Your organisation is verified")
                if verify
                else gettext_noop("Your organisation's verification is refused")
            ),
            template="employer/emails/verification.txt",
            context={"organisation": result, "verified": verify},
        )
    )
    return result


# --- Colleagues ------------------------------------------------------------------------------------


def invitation_token(invitation: OrganisationInvitation) -> str:
    return signing.dumps({"i": invitation.pk, "e": invitation.email.lower()}, salt=INVITATION_SALT)


@transaction.atomic
def invitation_create(
    *, organisation: Organisation, email: str, role: str, by: User, accept_url: Any = None
) -> tuple[OrganisationInvitation, str]:
    """An owner invites a colleague; returns the invitation and its link token.

    `accept_url(token)` builds the absolute link mailed to the colleague.
    """
    email = email.strip().lower()
    if role not in OrganisationMembership.Role.values:
        raise ValidationError({"role": _("Choose owner or recruiter.")})
    if OrganisationMembership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise ValidationError({"email": _("This person already represents the organisation.")})
    # A fresh invitation replaces any still pending for the same address.
    OrganisationInvitation.objects.filter(
        organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    invitation = OrganisationInvitation(
        organisation=organisation,
        email=email,
        role=role,
        invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=INVITATION_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    audit_log(
        actor=by, action="organisation.invitation_sent", obj=organisation, data={"email": email, "role": role}
    )
    token = invitation_token(invitation)
    if accept_url is not None:
        link = accept_url(token)
        invitee = User(email=email, language=by.language)
        transaction.on_commit(
            lambda: _mail(
                to=[invitee],
                subject=gettext_noop("You are invited to represent an employer"),
                template="employer/emails/invitation.txt",
                context={"organisation": organisation, "invitation": invitation, "link": link, "by": by},
            )
        )
    return invitation, token


def invitation_from_token(token: str) -> OrganisationInvitation:
    """The invitation a link names, if the link is genuine, fresh, and still pending."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_DAYS * 24 * 3600)
    except signing.SignatureExpired as exc:
        raise ValidationError(_("This invitation has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("This invitation link is not valid.")) from exc
    invitation = (
        OrganisationInvitation.objects.select_related("organisation").filter(pk=data.get("i")).first()
    )
    if invitation is None or invitation.email.lower() != str(data.get("e", "")).lower():
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.revoked_at is not None:
        raise ValidationError(_("This invitation was withdrawn."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.expires_at <= timezone.now():
        raise ValidationError(_("This invitation has expired. Ask for a new one."))
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: OrganisationInvitation, user: User) -> OrganisationMembership:
    """The invited person (signed in with the invited address) joins the organisation."""
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_pending:
        raise ValidationError(_("This invitation is no longer valid."))
    if (user.email or "").lower() != invitation.email.lower():
        raise ValidationError(
            _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
            % {"email": invitation.email}
        )
    membership, _created = OrganisationMembership.objects.get_or_create(
        user=user, organisation_id=invitation.organisation_id, defaults={"role": invitation.role}
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        actor=user,
        action="organisation.member_added",
        obj=invitation.organisation,
        data={"user": user.pk, "role": membership.role, "invitation": invitation.pk},
    )
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: OrganisationInvitation, by: User) -> OrganisationInvitation:
    invitation = OrganisationInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been accepted."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_log(
            actor=by,
            action="organisation.invitation_revoked",
            obj=invitation.organisation,
            data={"email": invitation.email},
        )
    return invitation


@transaction.atomic
def member_remove(*, membership: OrganisationMembership, by: User) -> None:
    """An owner removes a representative; the last owner stays."""
    owners = list(
        OrganisationMembership.objects.select_for_update()
        .filter(organisation_id=membership.organisation_id, role=OrganisationMembership.Role.OWNER)
        .values_list("id", flat=True)
    )
    if membership.role == OrganisationMembership.Role.OWNER and len(owners) <= 1:
        raise ValidationError(_("An organisation keeps at least one owner."))
    audit_log(
        actor=by,
        action="organisation.member_removed",
        obj=membership.organisation,
        data={"user": membership.user_id, "role": membership.role},
    )
    membership.delete()


# --- Vacancies ---------------------------------------------------------------------------------------


# What a duplicate copies: the vacancy's content, but never its external id (unique per organisation).
COPY_FIELDS = tuple(f for f in exchange.VACANCY_EDITABLE_FIELDS if f != "external_id")


@transaction.atomic
def vacancy_duplicate(*, vacancy: Vacancy, by: User) -> Vacancy:
    """A draft copy of a vacancy, skills included (a past closing date is dropped)."""
    data = {f: getattr(vacancy, f) for f in COPY_FIELDS}
    if data["expires_on"] and data["expires_on"] < timezone.localdate():
        data["expires_on"] = None
    skills = list(vacancy.skills.all())
    copy = exchange.vacancy_create(
        organisation=vacancy.organisation,
        by=by,
        required_skills=[s.name for s in skills if s.required],
        optional_skills=[s.name for s in skills if not s.required],
        **data,
    )
    audit_log(actor=by, action="vacancy.duplicated", obj=copy, data={"from": vacancy.pk})
    return copy


# --- Candidates and the hiring pipeline ------------------------------------------------------------


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


# --- Requests to the centre ------------------------------------------------------------------------


def add_working_days(start: dt.date, days: int) -> dt.date:
    """`days` working days after `start` (Monday to Friday; public holidays not yet in the data)."""
    current = start
    while days > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def answer_days(kind: str) -> int:
    configured: dict[str, int] = getattr(settings, "EMPLOYER_REQUEST_ANSWER_DAYS", None) or {}
    defaults: dict[str, int] = {str(k): v for k, v in ANSWER_DAYS.items()}
    return int(configured.get(kind, defaults.get(kind, 10)))


@transaction.atomic
def centre_request_create(
    *,
    organisation: Organisation,
    by: User,
    kind: str,
    message: str,
    vacancy: Vacancy | None = None,
    needed_by: dt.date | None = None,
) -> CentreRequest:
    """Ask the career centre for candidates or for help; it lands in the region's staff queue."""
    today = timezone.localdate()
    errors: dict[str, str] = {}
    if kind == CentreRequest.Kind.CANDIDATE_SELECTION and vacancy is None:
        errors["vacancy"] = _("Choose the vacancy to select candidates for.")
    if vacancy is not None and vacancy.organisation_id != organisation.pk:
        errors["vacancy"] = _("Choose one of this organisation's vacancies.")
    if needed_by is not None and needed_by <= today:
        errors["needed_by"] = _("The date must be in the future.")
    if not message.strip():
        errors["message"] = _("Describe what you need.")
    if errors:
        raise ValidationError(errors)
    region = vacancy.region if vacancy is not None else organisation.region
    request = CentreRequest(
        organisation=organisation,
        vacancy=vacancy,
        kind=kind,
        message=message.strip(),
        region=region,
        centre=Centre.objects.filter(region=region, kind=Centre.Kind.REGIONAL).first(),
        deadline=needed_by or add_working_days(today, answer_days(kind)),
        created_by=by,
    )
    request.full_clean()
    request.save()
    audit_log(actor=by, action="centre_request.created", obj=request, to_state=request.status)
    return request


def _request_status(request: CentreRequest, to: str, *, allowed_from: tuple[str, ...]) -> str:
    if request.status not in allowed_from:
        raise ValidationError(_("This request is already closed."))
    previous = request.status
    request.status = to
    return previous


@transaction.atomic
def centre_request_cancel(*, request: CentreRequest, by: User) -> CentreRequest:
    request = CentreRequest.objects.select_for_update().get(pk=request.pk)
    previous = _request_status(
        request,
        CentreRequest.Status.CANCELLED,
        allowed_from=(CentreRequest.Status.SUBMITTED, CentreRequest.Status.IN_PROGRESS),
    )
    request.save(update_fields=["status"])
    audit_log(
        actor=by, action="centre_request.cancelled", obj=request, from_state=previous, to_state=request.status
    )
    return request


@transaction.atomic
def centre_request_take(*, request: CentreRequest, by: User) -> CentreRequest:
    """A member of staff takes the request into work."""
    request = CentreRequest.objects.select_for_update().get(pk=request.pk)
    previous = _request_status(
        request, CentreRequest.Status.IN_PROGRESS, allowed_from=(CentreRequest.Status.SUBMITTED,)
    )
    request.handled_by = by
    request.save(update_fields=["status", "handled_by"])
    audit_log(
        actor=by, action="centre_request.taken", obj=request, from_state=previous, to_state=request.status
    )
    return request


@transaction.atomic
def centre_request_answer(
    *, request: CentreRequest, by: User, answer: str, notify: bool = True
) -> CentreRequest:
    """The centre answers; the employer sees the answer on the request and gets a mail."""
    request = (
        CentreRequest.objects.select_for_update(of=("self",)).select_related("created_by").get(pk=request.pk)
    )
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer first.")})
    previous = _request_status(
        request,
        CentreRequest.Status.ANSWERED,
        allowed_from=(CentreRequest.Status.SUBMITTED, CentreRequest.Status.IN_PROGRESS),
    )
    request.answer = answer.strip()
    request.answered_at = timezone.now()
    request.handled_by = by
    request.full_clean()
    request.save()
    audit_log(
        actor=by, action="centre_request.answered", obj=request, from_state=previous, to_state=request.status
    )
    recipients = [request.created_by] if request.created_by and notify else []
    transaction.on_commit(
        lambda: _mail(
            to=recipients,
            subject=gettext_noop("The career centre answered your request"),
            template="employer/emails/request_answered.txt",
            context={"request": request},
        )
    )
    return request
