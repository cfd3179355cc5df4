"""Personal data: the view log, the person's own export, and retention (pseudonymisation).

- `personal_data_view_log`: one row per opening of a person's full record by staff.
- `personal_data_export`: everything the service holds about the person, as JSON-safe data,
  audited (`person.data_exported`); the page rate-limits it.
- `retention_run`: pseudonymises people whose cases are closed past the retention period
  (`settings.PERSONAL_DATA_RETENTION`), including personal values inside their audit rows
  (through `AuditRedaction`, never deleting a row), and reports what it did.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from mobility.core.actors import Role, actor_of
from mobility.core.audit import audit_log
from mobility.core.models import AuditEntry, AuditRedaction
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.selectors import audit_about_person

# --- The view log ---------------------------------------------------------------------------------


def _viewing_grant(viewer: Any, centre: Any) -> tuple[str, int | None]:
    """(role, centre id) the viewer acts in for a record kept at `centre`: the membership at
    that centre, else a region-wide one over its region, else their first membership."""
    actor = actor_of(viewer)
    if actor.is_admin:
        return Role.ADMIN, None
    grants = list(actor.centres)
    if centre is not None:
        for grant in grants:
            if grant.centre_id == centre.pk:
                return grant.role, grant.centre_id
        for grant in grants:
            if grant.region_id == centre.region_id:
                return grant.role, grant.centre_id
    return (grants[0].role, grants[0].centre_id) if grants else ("", None)


@transaction.atomic
def personal_data_view_log(
    *, viewer: Any, person: Any, record: str, obj: models.Model, centre: Any = None
) -> PersonalDataView | None:
    """THE rule of the view log, for the pages and the API alike: record that staff opened
    `person`'s full record `obj` (one row per view).

    `viewer` is whatever `actor_of` takes: the pages pass `request.user`, the API passes its
    request, so a centre's API key is recorded too (as its centre, in the counsellor's role a
    key acts in, through "the centre's information system"). Nothing is written when people
    look at their own data or when the viewer holds no staff role (an employer's candidate page,
    an organisation's key: not a staff view of the full record).
    """
    actor = actor_of(viewer)
    if not actor.is_authenticated:
        return None
    if actor.user is not None and actor.user.pk == person.pk:
        return None
    role, centre_id = _viewing_grant(actor, centre)
    if not role:
        return None
    if actor.key is not None:
        channel, viewer_id = PersonalDataView.Channel.API_KEY, actor.key.created_by_id
    else:
        api = hasattr(viewer, "successful_authenticator")  # a DRF request: the API
        channel = PersonalDataView.Channel.API if api else PersonalDataView.Channel.PAGE
        viewer_id = actor.user.pk
    view = PersonalDataView(
        person=person,
        viewer_id=viewer_id,
        viewer_role=role,
        centre_id=centre_id,
        record=record,
        object_id=str(obj.pk),
        channel=channel,
        api_key_prefix=actor.key.prefix if actor.key is not None else "",
    )
    view.full_clean(exclude=["person", "centre"])
    view.save()
    return view


# --- The person's own export ------------------------------------------------------------------------


@transaction.atomic
def personal_data_export(*, person: Any, by: Any) -> dict[str, Any]:
    """Everything about `person` (see `selectors.person_data`), recorded in the audit trail."""
    from mobility.core.privacy.selectors import person_data

    data = person_data(person=person)
    audit_log(
        actor=by,
        action="person.data_exported",
        obj=person,
        data={"sections": sorted(k for k, v in data.items() if v)},
    )
    return data


# --- Retention ---------------------------------------------------------------------------------------

REDACTED = "[pseudonymised]"


def pseudonym_of(person_id: int) -> str:
    """A stable label for a pseudonymised person: the same number gives the same label, and the
    label cannot be turned back into the number without the secret key."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"person:{person_id}".encode(), hashlib.sha256)
    return "P-" + digest.hexdigest()[:10]


def retention_cutoff(*, today: dt.date | None = None) -> dt.datetime:
    """Cases closed before this moment are past retention."""
    today = today or timezone.localdate()
    years = cast(int, settings.PERSONAL_DATA_RETENTION["closed_case_years"])
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return dt.datetime.combine(day, dt.time.min, tzinfo=timezone.get_current_timezone())


def people_past_retention(*, today: dt.date | None = None) -> models.QuerySet[Any]:
    """People with at least one case, every case closed before the cutoff, nothing still open
    (a registration, a resettlement or foreign application in progress), no sign-in since the
    cutoff, no staff or employer role, and not pseudonymised yet."""
    from mobility.accounts.models import User
    from mobility.cases.models import Case
    from mobility.exchange.models import Registration

    cutoff = retention_cutoff(today=today)
    open_cases = Case.objects.exclude(status=Case.Status.CLOSED).values("person_id")
    recent_cases = Case.objects.filter(closed_at__gte=cutoff).values("person_id")
    active_registrations = Registration.objects.filter(status=Registration.Status.ACTIVE).values(
        "profile__user_id"
    )
    return (
        User.objects.filter(cases__isnull=False, is_superuser=False)
        .exclude(pk__in=open_cases)
        .exclude(pk__in=recent_cases)
        .exclude(pk__in=active_registrations)
        .exclude(pk__in=_people_with_pending_applications())
        .exclude(last_login__gte=cutoff)
        .exclude(centre_memberships__isnull=False)
        .exclude(organisation_memberships__isnull=False)
        .exclude(pseudonymisation__isnull=False)
        .distinct()
    )


def _people_with_pending_applications() -> Iterable[int]:
    from migration.models import Application as ForeignApplication
    from mobility.resettlement.models import ResettlementApplication

    rules: dict[str, Any] = settings.PERSONAL_DATA_RETENTION
    ids = set(
        ResettlementApplication.objects.filter(status__in=rules["resettlement_in_progress"]).values_list(
            "person_id", flat=True
        )
    )
    ids |= set(
        ForeignApplication.objects.filter(status__in=rules["foreign_in_progress"]).values_list(
            "applicant__user_id", flat=True
        )
    )
    return ids


@dataclass
class RetentionReport:
    people: int = 0
    audit_rows: int = 0
    rows: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, count: int) -> None:
        if count:
            self.rows[name] = self.rows.get(name, 0) + count


def _identifiers(person: Any) -> list[str]:
    from mobility.core.identifiers import mask_iin, mask_passport

    values = [
        person.email or "",
        person.iin or "",
        mask_iin(person.iin),
        person.phone or "",
        person.get_full_name(),
        f"{person.first_name} {person.last_name}".strip(),
        str(person),
    ]
    from migration.models import ForeignApplicant

    applicant = ForeignApplicant.objects.filter(user=person).first()
    if applicant is not None:
        values += [applicant.passport_number, mask_passport(applicant.passport_number)]
    values += [n for n in (person.last_name, person.first_name, person.middle_name) if len(n or "") > 2]
    return sorted({v for v in values if v and len(v) > 2}, key=len, reverse=True)


def _scrub(value: Any, words: list[str], pseudonym: str) -> Any:
    if isinstance(value, str):
        for word in words:
            value = value.replace(word, pseudonym)
        return value
    if isinstance(value, list):
        return [_scrub(v, words, pseudonym) for v in value]
    if isinstance(value, dict):
        return {k: _scrub(v, words, pseudonym) for k, v in value.items()}
    return value


# Audit fields whose values are the person's own data: replaced whole, not scrubbed word by word.
_PERSONAL_CHANGE_FIELDS = {
    "first_name",
    "last_name",
    "middle_name",
    "email",
    "phone",
    "iin",
    "settlement",
    "headline",
    "about",
    "text",
    "experience",
    "education",
    "passport_number",
    "birth_date",
}


def _redact_audit(person: Any, pseudonym: str, *, rule: str) -> int:
    words = _identifiers(person)
    count = 0
    for entry in AuditEntry.objects.filter(audit_about_person(person)).order_by("id").iterator():
        changes = {
            k: ([REDACTED, REDACTED] if k in _PERSONAL_CHANGE_FIELDS else _scrub(v, words, pseudonym))
            for k, v in entry.changes.items()
        }
        data = _scrub(entry.data, words, pseudonym)
        reason = _scrub(entry.reason, words, pseudonym)
        label = pseudonym if entry.actor_id == person.pk else _scrub(entry.actor_label, words, pseudonym)
        if (changes, data, reason, label) == (entry.changes, entry.data, entry.reason, entry.actor_label):
            continue
        AuditRedaction.objects.create(entry=entry, rule=rule)
        AuditEntry.objects.filter(pk=entry.pk).update(
            changes=changes, data=data, reason=reason, actor_label=label
        )
        count += 1
    return count


@transaction.atomic
def person_pseudonymise(*, person: Any, rule: str, report: RetentionReport) -> None:
    """Replace the person's personal data with a pseudonym everywhere it is kept; statistics
    (cases, applications, decisions, payments, their dates and states) stay."""
    from migration.models import ForeignApplicant
    from mobility.cases.models import CaseNote, FamilyMember
    from mobility.core.documents.models import Document
    from mobility.core.documents.services import document_remove
    from mobility.core.privacy.models import Pseudonymisation
    from mobility.exchange.models import Education, SeekerProfile, SeekerSkill, WorkExperience
    from mobility.notifications.models import InboxMessage
    from mobility.resettlement.models import ApplicationMember

    pseudonym = pseudonym_of(person.pk)
    report.audit_rows += _redact_audit(person, pseudonym, rule=rule)  # before the words are gone
    profiles = SeekerProfile.objects.filter(user=person)
    report.add("work experience", WorkExperience.objects.filter(profile__in=profiles).delete()[0])
    report.add("education", Education.objects.filter(profile__in=profiles).delete()[0])
    report.add("skills", SeekerSkill.objects.filter(profile__in=profiles).delete()[0])
    report.add(
        "profiles",
        profiles.update(settlement="", headline="", about="", visibility=SeekerProfile.Visibility.HIDDEN),
    )
    report.add("case notes", CaseNote.objects.filter(case__person=person).update(text=REDACTED))
    for model, lookup in ((FamilyMember, "case__person"), (ApplicationMember, "application__person")):
        for member in model.objects.filter(**{lookup: person}):
            model.objects.filter(pk=member.pk).update(
                iin=f"X{member.pk:011d}"[-12:], last_name=pseudonym, first_name=""
            )
            report.add("family members", 1)
    report.add(
        "foreign applicant profiles",
        ForeignApplicant.objects.filter(user=person).update(passport_number=f"X{person.pk}", birth_date=None),
    )
    report.add("inbox messages", InboxMessage.objects.filter(person=person).delete()[0])
    for document in Document.objects.filter(owner=person):
        document_remove(document=document, by=None, reason=rule)
        report.add("documents", 1)
    person.first_name, person.middle_name, person.last_name = "", "", pseudonym
    # An account keeps an email or an IIN (a database constraint): a reserved, undeliverable one.
    person.email, person.iin, person.phone = f"{pseudonym.lower()}@pseudonymised.invalid", None, ""
    person.is_active = False
    person.set_unusable_password()
    person.save()
    report.add("accounts", 1)
    Pseudonymisation.objects.create(person=person, rule=rule)
    audit_log(actor=None, action="person.pseudonymised", obj=person, reason=rule)
    report.people += 1


def retention_run(*, today: dt.date | None = None, limit: int = 500) -> RetentionReport:
    """Pseudonymise up to `limit` people past retention (one transaction each), and report."""
    years = settings.PERSONAL_DATA_RETENTION["closed_case_years"]
    rule = f"closed cases, {years} years"
    report = RetentionReport()
    for person in people_past_retention(today=today).order_by("pk")[:limit]:
        person_pseudonymise(person=person, rule=rule, report=report)
    return report
