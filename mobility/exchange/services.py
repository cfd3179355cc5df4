"""Writes of the labour exchange: each one transactional, validated, audited, and each change
that affects rankings queued for the matcher's index in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import IndexChange, MatchFeedback, Skill
from matching.services import index_touch, skill_resolve
from mobility.accounts.models import Organisation, User
from mobility.core.audit import audit_log
from mobility.exchange.models import (
    CLOSED_STATUSES,
    TRANSITIONS,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Registration,
    SavedSearch,
    SeekerProfile,
    SeekerSkill,
    Vacancy,
    VacancySkill,
)
from mobility.reference.models import Centre, MrpRate

PROFILE_FIELDS = (
    "region",
    "settlement",
    "headline",
    "about",
    "languages",
    "education_level",
    "will_relocate",
    "expected_salary",
    "employment_type",
    "schedule",
    "visibility",
)


# --- Seeker profiles ----------------------------------------------------------------------


@transaction.atomic
def profile_create(*, user: User, **data: Any) -> SeekerProfile:
    """Make a person a job seeker."""
    if SeekerProfile.objects.filter(user=user).exists():
        raise ValidationError(_("This person already has a job-seeker profile."))
    desired_regions = data.pop("desired_regions", None)
    desired_occupations = data.pop("desired_occupations", None)
    profile = SeekerProfile(user=user, **{k: v for k, v in data.items() if k in PROFILE_FIELDS})
    if profile.visibility != SeekerProfile.Visibility.HIDDEN:
        profile.consent_at = timezone.now()
    profile.full_clean()
    profile.save()
    if desired_regions is not None:
        profile.desired_regions.set(desired_regions)
    if desired_occupations is not None:
        profile.desired_occupations.set(desired_occupations)
    audit_log(actor=user, action="seeker.profile_created", obj=profile)
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
    return profile


@transaction.atomic
def profile_update(*, profile: SeekerProfile, by: User, **data: Any) -> SeekerProfile:
    """Change profile fields; publishing (leaving "hidden") records the consent moment."""
    desired_regions = data.pop("desired_regions", None)
    desired_occupations = data.pop("desired_occupations", None)
    # The stored state, not the instance's: a ModelForm bound to it has already changed it.
    before = SeekerProfile.objects.select_for_update().values_list("visibility", flat=True).get(pk=profile.pk)
    for key, value in data.items():
        if key in PROFILE_FIELDS:
            setattr(profile, key, value)
    # Every publication is a fresh consent: record it each time the profile leaves "hidden".
    if profile.visibility != SeekerProfile.Visibility.HIDDEN and (
        profile.consent_at is None or before == SeekerProfile.Visibility.HIDDEN
    ):
        profile.consent_at = timezone.now()
    profile.updated_at = timezone.now()
    profile.full_clean()
    profile.save()
    if desired_regions is not None:
        profile.desired_regions.set(desired_regions)
    if desired_occupations is not None:
        profile.desired_occupations.set(desired_occupations)
    if before != profile.visibility:
        audit_log(
            actor=by,
            action="seeker.visibility_changed",
            obj=profile,
            from_state=before,
            to_state=profile.visibility,
        )
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
    return profile


@transaction.atomic
def profile_set_skills(
    *, profile: SeekerProfile, skills: Sequence[tuple[str, int]], by: User
) -> list[SeekerSkill]:
    """Replace the skill list: (name as typed or picked, level). Names are linked to the
    taxonomy where a label matches; the text is kept either way."""
    profile.skills.all().delete()
    created = []
    seen: set[str] = set()
    for name, level in skills:
        name = " ".join(name.split())[:200]
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        row = SeekerSkill(profile=profile, skill=skill_resolve(name), name=name, level=level)
        row.full_clean()  # the level must be on the scale
        row.save()
        created.append(row)
    profile.updated_at = timezone.now()
    profile.save(update_fields=["updated_at"])
    index_touch(IndexChange.Kind.SEEKER, profile.pk)
    return created


# --- Registration at a career centre -------------------------------------------------------


@transaction.atomic
def registration_create(
    *, profile: SeekerProfile, centre: Centre, kind: str, registered_on: dt.date, by: User
) -> Registration:
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    if profile.registrations.filter(status=Registration.Status.ACTIVE).exists():
        raise ValidationError(_("This person is already registered; end that registration first."))
    registration = Registration(profile=profile, centre=centre, kind=kind, registered_on=registered_on)
    registration.full_clean()
    registration.save()
    audit_log(actor=by, action="registration.created", obj=registration, to_state=kind)
    return registration


@transaction.atomic
def registration_end(
    *, registration: Registration, reason: str, by: User, on: dt.date | None = None
) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.ACTIVE:
        raise ValidationError(_("This registration has already ended."))
    if not reason.strip():
        raise ValidationError({"end_reason": _("Say why the registration ends.")})
    ended_on = on or timezone.localdate()
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The end date cannot be in the future.")})
    registration.status = Registration.Status.ENDED
    registration.ended_on = ended_on
    registration.end_reason = reason
    registration.full_clean()
    registration.save()
    audit_log(
        actor=by,
        action="registration.ended",
        obj=registration,
        from_state="active",
        to_state="ended",
        reason=reason,
    )
    return registration


# --- Vacancies ------------------------------------------------------------------------------


def _minimum_wage(on: dt.date) -> int | None:
    rate = MrpRate.objects.filter(year__lte=on.year).order_by("-year").first()
    return rate.minimum_wage if rate else None


def vacancy_validate(vacancy: Vacancy) -> None:
    """The rules the web form, the API and the services share."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    floor = _minimum_wage(today)
    for field in ("salary_min", "salary_max"):
        value = getattr(vacancy, field)
        if value is not None and floor is not None and value < floor:
            errors[field] = _("The salary cannot be below the minimum wage (%(wage)s ₸ a month).") % {
                "wage": f"{floor:,}".replace(",", " ")
            }
    if vacancy.salary_min and vacancy.salary_max and vacancy.salary_max < vacancy.salary_min:
        errors["salary_max"] = _("The upper salary must not be lower than the lower one.")
    if vacancy.expires_on and vacancy.expires_on < today:
        errors["expires_on"] = _("The closing date cannot be in the past.")
    if errors:
        raise ValidationError(errors)


def _set_vacancy_skills(vacancy: Vacancy, required: Iterable[str], optional: Iterable[str]) -> None:
    vacancy.skills.all().delete()
    seen: set[str] = set()
    for names, is_required in ((required, True), (optional, False)):
        for name in names:
            name = " ".join(name.split())[:200]
            if not name or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            VacancySkill.objects.create(
                vacancy=vacancy, skill=skill_resolve(name), name=name, required=is_required
            )


@transaction.atomic
def vacancy_create(
    *,
    organisation: Organisation,
    by: User | None,
    required_skills: Iterable[str] = (),
    optional_skills: Iterable[str] = (),
    publish: bool = False,
    **data: Any,
) -> Vacancy:
    vacancy = Vacancy(organisation=organisation, created_by=by, **data)
    vacancy_validate(vacancy)
    vacancy.full_clean()
    vacancy.save()
    _set_vacancy_skills(vacancy, required_skills, optional_skills)
    audit_log(actor=by, action="vacancy.created", obj=vacancy, to_state=vacancy.status)
    if publish:
        # vacancy_set_status works on a fresh row; return that, not the stale draft.
        vacancy = vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED, by=by)
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    return vacancy


VACANCY_EDITABLE_FIELDS = (
    "occupation",
    "title",
    "description",
    "salary_min",
    "salary_max",
    "region",
    "settlement",
    "schedule",
    "employment_type",
    "languages",
    "positions",
    "housing_offered",
    "open_to_resettlers",
    "open_to_foreigners",
    "expires_on",
    "external_id",
)


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    by: User | None,
    required_skills: Iterable[str] | None = None,
    optional_skills: Iterable[str] | None = None,
    **data: Any,
) -> Vacancy:
    """Edit a vacancy's content. Status, publication date, filled positions and the
    organisation change only through their own services, never here."""
    unknown = set(data) - set(VACANCY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"vacancy_update cannot change {sorted(unknown)}")
    for key, value in data.items():
        setattr(vacancy, key, value)
    vacancy.updated_at = timezone.now()
    vacancy_validate(vacancy)
    vacancy.full_clean()
    vacancy.save()
    changed = sorted(data)
    if required_skills is not None or optional_skills is not None:
        _set_vacancy_skills(vacancy, required_skills or (), optional_skills or ())
        changed.append("skills")
    audit_log(actor=by, action="vacancy.updated", obj=vacancy, data={"fields": changed})
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    return vacancy


VACANCY_TRANSITIONS = {
    "draft": ("published", "closed"),
    "published": ("paused", "closed"),
    "paused": ("published", "closed"),
    "closed": ("published",),
}


@transaction.atomic
def vacancy_set_status(*, vacancy: Vacancy, status: str, by: User | None, reason: str = "") -> Vacancy:
    """Publish, pause, close or re-open. Publishing needs a verified organisation."""
    vacancy = Vacancy.objects.select_for_update().select_related("organisation").get(pk=vacancy.pk)
    previous = vacancy.status
    if status == previous:
        return vacancy
    if status not in VACANCY_TRANSITIONS.get(previous, ()):
        raise ValidationError(
            _("A vacancy cannot go from “%(from)s” to “%(to)s”.") % {"from": previous, "to": status}
        )
    if status == Vacancy.Status.PUBLISHED:
        if not vacancy.organisation.is_verified:
            raise ValidationError(
                _("Vacancies are published once the organisation is verified by the centre.")
            )
        if vacancy.expires_on and vacancy.expires_on < timezone.localdate():
            raise ValidationError({"expires_on": _("The closing date cannot be in the past.")})
        vacancy.published_at = timezone.now()
    vacancy.status = status
    vacancy.updated_at = timezone.now()
    vacancy.save()
    audit_log(
        actor=by,
        action="vacancy.status_changed",
        obj=vacancy,
        from_state=previous,
        to_state=status,
        reason=reason,
    )
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    return vacancy


# --- Applications ---------------------------------------------------------------------------


def _record_feedback(application: Application, event: str, reason: str = "") -> None:
    MatchFeedback.objects.create(
        seeker_id=application.seeker_id, vacancy_id=application.vacancy_id, event=event, reason=reason[:300]
    )


@transaction.atomic
def application_create(
    *, seeker: SeekerProfile, vacancy: Vacancy, status: str, by: User, cover_note: str = "", reason: str = ""
) -> Application:
    """A seeker applies, or an employer invites: the first step of the shared state machine."""
    if status not in TRANSITIONS[""]:
        raise ValidationError(_("An application starts as applied or invited."))
    if vacancy.status != Vacancy.Status.PUBLISHED:
        raise ValidationError(_("This vacancy is not open for applications."))
    application = Application(
        seeker=seeker,
        vacancy=vacancy,
        status=status,
        cover_note=cover_note,
        contacts_shared=status == ApplicationStatus.APPLIED,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(_("There is already an open application for this vacancy.")) from exc
    ApplicationEvent.objects.create(
        application=application, from_status="", to_status=status, actor=by, reason=reason
    )
    audit_log(actor=by, action="application.created", obj=application, to_state=status, reason=reason)
    _record_feedback(application, status, reason)
    return application


@transaction.atomic
def application_transition(*, application: Application, to: str, by: User, reason: str = "") -> Application:
    """Move an application along the shared state machine (invited → applied is the seeker
    accepting the invitation, which shares their contacts with the employer)."""
    current = Application.objects.select_for_update().get(pk=application.pk)
    if to not in TRANSITIONS.get(current.status, ()):
        raise ValidationError(
            _("An application cannot go from “%(from)s” to “%(to)s”.")
            % {
                "from": current.get_status_display(),
                "to": ApplicationStatus(to).label if to in ApplicationStatus.values else to,
            }
        )
    if to == ApplicationStatus.REJECTED and not reason.strip():
        raise ValidationError({"reason": _("Say why the application is rejected.")})
    previous = current.status
    current.status = to
    current.updated_at = timezone.now()
    if to == ApplicationStatus.APPLIED:
        current.contacts_shared = True
    current.save()
    ApplicationEvent.objects.create(
        application=current, from_status=previous, to_status=to, actor=by, reason=reason
    )
    audit_log(
        actor=by,
        action="application.status_changed",
        obj=current,
        from_state=previous,
        to_state=to,
        reason=reason,
    )
    _record_feedback(current, to, reason)
    if to == ApplicationStatus.HIRED:
        _close_the_loop_on_hire(current, by)
    return current


def _close_the_loop_on_hire(application: Application, by: User) -> None:
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    if vacancy.positions_filled >= vacancy.positions:
        raise ValidationError(_("Every position of this vacancy is already filled."))
    vacancy.positions_filled += 1
    vacancy.updated_at = timezone.now()
    vacancy.save(update_fields=["positions_filled", "updated_at"])
    # A full vacancy closes whether it was published or paused (paused while interviewing).
    if vacancy.positions_filled == vacancy.positions and vacancy.status in (
        Vacancy.Status.PUBLISHED,
        Vacancy.Status.PAUSED,
    ):
        vacancy_set_status(
            vacancy=vacancy, status=Vacancy.Status.CLOSED, by=by, reason="all positions filled"
        )
    active = application.seeker.registrations.filter(status=Registration.Status.ACTIVE).first()
    if active is not None:
        registration_end(registration=active, reason=_("Employed through the exchange"), by=by)
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    index_touch(IndexChange.Kind.SEEKER, application.seeker_id)


# --- Saved searches ---------------------------------------------------------------------------


@transaction.atomic
def saved_search_create(
    *, profile: SeekerProfile, name: str, kind: str, params: dict[str, Any]
) -> SavedSearch:
    search = SavedSearch(profile=profile, name=name.strip() or _("My search"), kind=kind, params=params)
    search.full_clean()
    search.save()
    return search


__all__ = [
    "CLOSED_STATUSES",
    "Skill",
    "application_create",
    "application_transition",
    "profile_create",
    "profile_set_skills",
    "profile_update",
    "registration_create",
    "registration_end",
    "saved_search_create",
    "vacancy_create",
    "vacancy_set_status",
    "vacancy_update",
    "vacancy_validate",
]


@transaction.atomic
def seeker_sign_up(
    *,
    iin: str,
    password: str,
    region: Any,
    email: str | None = None,
    phone: str = "",
    first_name: str = "",
    last_name: str = "",
    language: str = "kk",
) -> SeekerProfile:
    """A citizen registers on the portal: an account plus a hidden profile to fill in."""
    from django.contrib.auth.password_validation import validate_password

    from mobility.accounts.services import user_create

    user = User(email=email or None, iin=iin, first_name=first_name, last_name=last_name, phone=phone)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password1": exc.messages}) from exc
    if User.objects.filter(iin=iin).exists():
        raise ValidationError(
            {"iin": _("An account with this IIN already exists. Sign in or reset the password.")}
        )
    if email and User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    user = user_create(
        email=email,
        password=password,
        iin=iin,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        language=language,
    )
    return profile_create(user=user, region=region, visibility=SeekerProfile.Visibility.HIDDEN)


@transaction.atomic
def saved_search_mark_seen(*, search: SavedSearch) -> None:
    search.hits.filter(notified_at__isnull=True).update(notified_at=timezone.now())


def saved_search_collect(*, search: SavedSearch) -> int:
    """Store the vacancies published since the last check that match a saved search.

    Sending them (email, SMS) is the notifications feature's job; this keeps the list.
    """
    from mobility.exchange import selectors
    from mobility.exchange.models import SavedSearchHit

    since = search.last_checked_at or search.created_at
    now = timezone.now()
    if search.kind == SavedSearch.Kind.FOR_ME:
        vacancy_ids = [r.vacancy.id for r in selectors.vacancies_for_me(search.profile, limit=50)]
    else:
        p = search.params
        params = selectors.SearchParams(
            q=p.get("q", ""),
            region=p.get("region", ""),
            schedule=p.get("schedule", ""),
            salary_min=int(p["salary_min"]) if str(p.get("salary_min", "")).isdigit() else None,
            housing=bool(p.get("housing")),
        )
        vacancy_ids = selectors.vacancy_search_ids(params, limit=200)
    fresh = set(
        Vacancy.objects.filter(id__in=vacancy_ids, published_at__gt=since).values_list("id", flat=True)
    )
    fresh -= set(search.hits.values_list("vacancy_id", flat=True))
    with transaction.atomic():
        SavedSearchHit.objects.bulk_create(
            [SavedSearchHit(saved_search=search, vacancy_id=vid) for vid in sorted(fresh)],
            ignore_conflicts=True,
        )
        SavedSearch.objects.filter(pk=search.pk).update(last_checked_at=now)
    search.last_checked_at = now
    return len(fresh)


def vacancies_close_expired() -> int:
    """Close every published or paused vacancy whose closing date is in the past."""
    expired = Vacancy.objects.filter(
        status__in=[Vacancy.Status.PUBLISHED, Vacancy.Status.PAUSED], expires_on__lt=timezone.localdate()
    )
    count = 0
    for vacancy in expired.iterator():
        vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.CLOSED, by=None, reason="expired")
        count += 1
    return count
