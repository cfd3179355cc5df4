"""Reads for the staff workspace, scoped: a district counsellor sees their centre's cases,
a regional manager every case of the region's centres, an administrator all."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from matching import selectors as matching_selectors
from mobility.accounts.models import User
from mobility.cases.models import Case, CaseNote, EmploymentPlan, FamilyMember, PlanStep, Referral
from mobility.core.actors import Programme, Role, actor_of, serving_centre_q
from mobility.core.models import AuditEntry
from mobility.exchange.models import (
    Application,
    ApplicationStatus,
    Registration,
    SeekerSkill,
    Vacancy,
    VacancySkill,
)
from mobility.exchange.selectors import exchange_centre_ids
from mobility.reference.models import Centre


def centre_ids_in_scope(user: Any) -> set[int] | None:
    """The centres whose cases the user may see; None means every centre (administrators)."""
    return exchange_centre_ids(user)


def cases_visible_to(user: Any) -> QuerySet[Case]:
    qs = Case.objects.select_related("person__seeker_profile__region", "centre__region", "counsellor")
    scope = centre_ids_in_scope(user)
    return qs if scope is None else qs.filter(centre_id__in=scope)


def get_case_for_user(user: Any, case_id: int) -> Case:
    return get_object_or_404(cases_visible_to(user), id=case_id)


def get_referral_for_user(user: Any, referral_id: int) -> Referral:
    scope = centre_ids_in_scope(user)
    qs = Referral.objects.select_related("case")
    if scope is not None:
        qs = qs.filter(case__centre_id__in=scope)
    return get_object_or_404(qs, id=referral_id)


def caseload(user: Any, *, mine_only: bool = False, status: str = "open") -> QuerySet[Case]:
    """Cases by their plan's next deadline: overdue plans come first (their deadline is in the
    past), cases without a plan last. No aggregation: it scales to a whole centre."""
    qs = cases_visible_to(user).filter(status=status)
    if mine_only:
        qs = qs.filter(counsellor=user)
    return qs.select_related("plan").order_by(F("plan__next_due_on").asc(nulls_last=True), "id")


def overdue_steps_by_case(case_ids: list[int]) -> dict[int, int]:
    """How many planned steps are past their deadline, for the cases on one page (one query)."""
    today = timezone.localdate()
    rows = (
        PlanStep.objects.filter(plan__case_id__in=case_ids, status=PlanStep.Status.PLANNED, due_on__lt=today)
        .values("plan__case_id")
        .annotate(n=Count("id"))
        .values_list("plan__case_id", "n")
    )
    return dict(rows)


def counsellors_for(case: Case) -> QuerySet[User]:
    """Staff a case can be given to without leaving its centre: whoever will still see it (the
    centre's counsellors and the region's managers). Others take it by a transfer."""
    serving = serving_centre_q(
        case.centre, Role.COUNSELLOR, Role.REGIONAL_MANAGER, prefix="centre_memberships__"
    )
    return User.objects.filter(serving, is_active=True).distinct().order_by("last_name", "first_name")


def transfer_centres(case: Case) -> QuerySet[Centre]:
    """Centres a case can be transferred to: every other centre (a referral to another region's
    centre moves it there too)."""
    return Centre.objects.exclude(pk=case.centre_id).select_related("region").order_by("region__code", "code")


def family_of(case: Case) -> QuerySet[FamilyMember]:
    return case.family.all()


def get_family_member(case: Case, member_id: int) -> FamilyMember:
    """A family member of a case already fetched through the caller's scope, or 404."""
    return get_object_or_404(FamilyMember, case=case, id=member_id)


def open_referrals_for_person(user: Any) -> QuerySet[Referral]:
    """Vacancy referrals waiting for the person's answer in the portal."""
    return (
        Referral.objects.filter(case__person=user, kind=Referral.Kind.VACANCY, status=Referral.Status.SENT)
        .select_related("vacancy__organisation", "vacancy__region", "case__centre")
        .order_by("-created_at")
    )


def get_open_referral_for_person(user: Any, referral_id: int) -> Referral:
    """Fetch-or-404 a referral the signed-in person may answer."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return get_object_or_404(open_referrals_for_person(user), id=referral_id)


@dataclass
class TimelineItem:
    at: dt.datetime
    who: str
    action: str
    from_state: str
    to_state: str
    reason: str
    programme: str = ""


# Entries about these objects belong to a programme by their nature (their audit rows are written
# by the exchange, which knows nothing of cases).
PROGRAMME_OF_TARGET: dict[type, str] = {
    Registration: Programme.EMPLOYMENT,
    Application: Programme.EMPLOYMENT,
}


def timeline(case: Case, user: Any) -> list[TimelineItem]:
    """What happened to the case, newest first, that `user` may read: entries about the file
    itself, and those of the programmes the reader works in (`Actor.programmes()`): the audit
    trail of the case, of the person's registrations and applications, and consultation notes."""
    from django.contrib.contenttypes.models import ContentType

    programmes = actor_of(user).programmes()
    targets = Q(
        target_type=ContentType.objects.get_for_model(Case),
        target_id=str(case.pk),
        programme__in=[*programmes, ""],
    )
    sources = {
        Registration: Registration.objects.filter(profile__user_id=case.person_id),
        Application: Application.objects.filter(seeker__user_id=case.person_id),
    }
    for model, rows in sources.items():
        if PROGRAMME_OF_TARGET[model] not in programmes:
            continue
        ids = [str(pk) for pk in rows.values_list("pk", flat=True)]
        if ids:
            targets |= Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)
    items = [
        TimelineItem(
            e.created_at, e.actor_label or "—", e.action, e.from_state, e.to_state, e.reason, e.programme
        )
        for e in AuditEntry.objects.filter(targets)
    ]
    _in_words(items)
    items += [
        TimelineItem(n.created_at, str(n.author or "—"), f"note.{n.kind}", "", "", n.text, n.programme)
        for n in case.notes.filter(programme__in=programmes).select_related("author")
    ]
    return sorted(items, key=lambda i: i.at, reverse=True)


# Entries whose states are centre codes, and those whose states are user ids.
_CENTRE_STATES = ("case.transferred", "registration.transferred")
_PERSON_STATES = ("case.reassigned",)


def _in_words(items: list[TimelineItem]) -> None:
    """Show centres and people by name and the services' own reason codes in the reader's
    language (two queries at most, whatever the length of the timeline)."""
    from mobility.cases.services import REASON_LABELS

    codes = {s for i in items if i.action in _CENTRE_STATES for s in (i.from_state, i.to_state) if s}
    ids = {s for i in items if i.action in _PERSON_STATES for s in (i.from_state, i.to_state) if s.isdigit()}
    centres = {c.code: c.name for c in Centre.objects.filter(code__in=codes)} if codes else {}
    people = {str(u.pk): u.get_full_name() or str(u) for u in User.objects.filter(pk__in=ids)} if ids else {}
    names = {**centres, **people}
    for item in items:
        if item.action in _CENTRE_STATES or item.action in _PERSON_STATES:
            item.from_state = names.get(item.from_state, item.from_state)
            item.to_state = names.get(item.to_state, item.to_state)
        if item.reason in REASON_LABELS:
            item.reason = str(REASON_LABELS[item.reason])


# --- Dashboards ------------------------------------------------------------------------------------


@dataclass
class Dashboard:
    registered: int
    placements: int
    plans_on_time: int
    plans_overdue: int
    vacancies_open: int
    referrals: int
    missing_skills: list[tuple[str, int, int]]  # skill, demand (vacancies), supply (seekers)
    placements_by_month: list[tuple[str, int]]


def dashboard(user: Any, *, centre_ids: set[int] | None, start: dt.date, end: dt.date) -> Dashboard:
    """Figures for the centres in `centre_ids` (None: all), for the period [start, end]."""
    today = timezone.localdate()
    cases = Case.objects.all() if centre_ids is None else Case.objects.filter(centre_id__in=centre_ids)
    registrations = Registration.objects.filter(status=Registration.Status.ACTIVE)
    if centre_ids is not None:
        registrations = registrations.filter(centre_id__in=centre_ids)
    region_ids = (
        set(Centre.objects.filter(id__in=centre_ids).values_list("region_id", flat=True))
        if centre_ids is not None
        else None
    )
    hires = Application.objects.filter(
        status=ApplicationStatus.HIRED, updated_at__date__gte=start, updated_at__date__lte=end
    )
    vacancies = Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED)
    seeker_skills = SeekerSkill.objects.filter(profile__registrations__status=Registration.Status.ACTIVE)
    vacancy_skills = VacancySkill.objects.filter(vacancy__status=Vacancy.Status.PUBLISHED)
    if centre_ids is not None:
        hires = hires.filter(seeker__user__in=Case.objects.filter(centre_id__in=centre_ids).values("person"))
    if region_ids is not None:
        vacancies = vacancies.filter(region_id__in=region_ids)
        vacancy_skills = vacancy_skills.filter(vacancy__region_id__in=region_ids)
    if centre_ids is not None:
        seeker_skills = seeker_skills.filter(profile__registrations__centre_id__in=centre_ids)
    plan_counts = EmploymentPlan.objects.filter(case__in=cases.filter(status=Case.Status.OPEN)).aggregate(
        overdue=Count("id", filter=Q(next_due_on__lt=today)),
        on_time=Count("id", filter=Q(next_due_on__gte=today) | Q(next_due_on__isnull=True)),
    )
    gaps = _skill_gaps(vacancy_skills, seeker_skills)
    by_month = Counter(d.strftime("%Y-%m") for d in hires.values_list("updated_at", flat=True))
    referrals = Referral.objects.filter(created_at__date__gte=start, created_at__date__lte=end)
    if centre_ids is not None:
        referrals = referrals.filter(case__centre_id__in=centre_ids)
    return Dashboard(
        registered=registrations.count(),
        placements=hires.count(),
        plans_on_time=plan_counts["on_time"] or 0,
        plans_overdue=plan_counts["overdue"] or 0,
        vacancies_open=vacancies.count(),
        referrals=referrals.count(),
        missing_skills=gaps,
        placements_by_month=sorted(by_month.items()),
    )


def _skill_gaps(
    vacancy_skills: QuerySet[VacancySkill], seeker_skills: QuerySet[SeekerSkill]
) -> list[tuple[str, int, int]]:
    """The ten skills most demanded by vacancies and scarcest among job seekers, each named in
    the page's language: a skill of the taxonomy counts once whatever words people typed for it
    (a free-text skill typed with one of those words counts with it), any other by its name,
    case aside."""
    counted = Count("id")
    wanted = list(
        vacancy_skills.values("skill_id", "name").annotate(n=counted).values_list("skill_id", "name", "n")
    )
    offered = list(
        seeker_skills.values("skill_id", "name").annotate(n=counted).values_list("skill_id", "name", "n")
    )
    concept_of = {
        name.casefold(): skill_id for skill_id, name, _n in wanted + offered if skill_id is not None
    }

    def key(skill_id: int | None, name: str) -> int | str:
        return skill_id if skill_id is not None else concept_of.get(name.casefold(), name.casefold())

    demand: Counter[int | str] = Counter()
    typed: dict[int | str, str] = {}
    for skill_id, name, n in wanted:
        demand[key(skill_id, name)] += n
        typed.setdefault(key(skill_id, name), name)
    supply: Counter[int | str] = Counter()
    for skill_id, name, n in offered:
        supply[key(skill_id, name)] += n
    rows = sorted(demand.items(), key=lambda kv: (supply[kv[0]] - kv[1], -kv[1], str(kv[0])))[:10]
    names = matching_selectors.skill_labels([k for k, _n in rows if isinstance(k, int)])
    return [(names.get(k, typed[k]) if isinstance(k, int) else typed[k], n, supply[k]) for k, n in rows]


def notes_shared_with_person(person: Any) -> QuerySet[CaseNote]:
    """The notes of the person's open case that the counsellor chose to share (the rest are internal)."""
    return (
        CaseNote.objects.filter(case__person=person, case__status=Case.Status.OPEN, shared_with_person=True)
        .select_related("author")
        .order_by("-created_at", "-id")
    )
