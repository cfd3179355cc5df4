"""Reads of the labour exchange, always scoped to the person asking."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import get_language

from matching import services as matching
from matching.engine import SeekerRecord
from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of
from mobility.exchange.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Interview,
    Registration,
    SavedSearch,
    SeekerProfile,
    Vacancy,
)
from mobility.exchange.scores import MatchScore, match_score
from mobility.reference import rules
from mobility.reference.models import ReceptionQuota, Region
from mobility.resettlement.calculator import MAX_FAMILY_SIZE, CalculatorError, SupportPackage, package_on

PAGE_SIZE = 20


def profile_of(user: Any) -> SeekerProfile | None:
    if not user.is_authenticated:
        return None
    return SeekerProfile.objects.select_related("region", "user").filter(user=user).first()


def published_vacancies() -> QuerySet[Vacancy]:
    today = timezone.localdate()
    return (
        Vacancy.objects.filter(status=Vacancy.Status.PUBLISHED)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
        .select_related("organisation", "region", "occupation__isco_group")
    )


def get_published_vacancy(vacancy_id: int) -> Vacancy:
    return get_object_or_404(published_vacancies().prefetch_related("skills"), id=vacancy_id)


# --- Who reaches whom (web pages, API and admin ask these, nobody else writes the rule) -------


def vacancies_open_to_candidates(subject: Any, *, scope: str | None = None) -> QuerySet[Vacancy]:
    """Vacancies whose candidates (ranked matches, profiles, the pipeline) the caller may read:
    those of the *verified* organisations they act for (an API key: with `scope`);
    administrators all. An organisation that is pending or refused reaches no candidate."""
    actor = actor_of(subject)
    if actor.is_admin:
        return Vacancy.objects.all()
    return Vacancy.objects.filter(organisation_id__in=actor.organisation_ids(verified=True, scope=scope))


def exchange_centre_ids(subject: Any, *, scope: str | None = None) -> set[int] | None:
    """Centres whose people the caller serves in the labour exchange: a counsellor (or a centre's
    API key with `scope`) their centre, a regional manager every centre of the region, an
    administrator all (None). Migration officers serve none here."""
    return actor_of(subject).centre_ids(*EXCHANGE_STAFF_ROLES, scope=scope)


def registrations_in_scope(subject: Any, *, scope: str | None = None) -> QuerySet[Registration]:
    """Registrations at the centres the caller serves."""
    centres = exchange_centre_ids(subject, scope=scope)
    qs = Registration.objects.all()
    return qs if centres is None else qs.filter(centre_id__in=centres)


def seekers_in_scope(subject: Any, *, scope: str | None = None) -> QuerySet[SeekerProfile]:
    """The people a member of staff sees, the same on every surface: the people registered at
    the centres they serve, and the people whose case is at one of those centres."""
    centres = exchange_centre_ids(subject, scope=scope)
    qs = SeekerProfile.objects.all()
    if centres is None:
        return qs
    from mobility.cases.models import Case  # cases build on the exchange, not the other way round

    registered = Registration.objects.filter(centre_id__in=centres).values("profile_id")
    with_case = Case.objects.filter(centre_id__in=centres).values("person_id")
    return qs.filter(Q(id__in=registered) | Q(user_id__in=with_case))


def seeker_centre_ids(profile: SeekerProfile) -> set[int]:
    """The centres one person is known at, by the rule of `seekers_in_scope` (registrations and
    cases at the centre), for checks about one object."""
    from mobility.cases.models import Case

    ids = set(profile.registrations.values_list("centre_id", flat=True))
    ids |= set(Case.objects.filter(person_id=profile.user_id).values_list("centre_id", flat=True))
    return ids


# --- Search ---------------------------------------------------------------------------------


@dataclass
class SearchParams:
    q: str = ""
    region: str = ""
    schedule: str = ""
    salary_min: int | None = None
    posted_within: int | None = None  # days
    housing: bool = False
    occupation: str = ""  # ISCO code prefix
    sort: str = "relevance"
    page: int = 1

    def as_query(self) -> dict[str, Any]:
        data = {
            "q": self.q,
            "region": self.region,
            "schedule": self.schedule,
            "salary_min": self.salary_min,
            "posted_within": self.posted_within,
            "housing": "1" if self.housing else "",
            "occupation": self.occupation,
            "sort": self.sort if self.sort != "relevance" else "",
        }
        return {k: v for k, v in data.items() if v not in ("", None)}


@dataclass
class SearchResult:
    page: Page[Any]
    total: int
    region_counts: list[tuple[Region, int]] = field(default_factory=list)


def _query_ranking(q: str, limit: int = 1000) -> list[int]:
    """Vacancy ids ranked for free text in any language, by the matcher (the text is
    read as a title and as a description, so 'есепші' finds accountants)."""
    record = SeekerRecord(id="__query__", title=q, text=q)
    matches = matching.get_engine().vacancies_for(record, k=limit, explain=False)
    if not matches:
        return []
    best = matches[0].score
    # Keep what is reasonably close to the best hit: a long tail of weak matches is noise.
    return [int(m.id) for m in matches if m.score >= max(0.15, best * 0.35)]


def _filtered(params: SearchParams) -> tuple[QuerySet[Vacancy], list[int]]:
    """Published vacancies passing the facets, and the matcher's ranking of the query."""
    qs = published_vacancies()
    if params.region:
        qs = qs.filter(region__code=params.region)
    if params.schedule:
        qs = qs.filter(schedule=params.schedule)
    if params.salary_min:
        qs = qs.filter(
            Q(salary_max__gte=params.salary_min)
            | Q(salary_max__isnull=True, salary_min__gte=params.salary_min)
        )
    if params.posted_within:
        qs = qs.filter(published_at__gte=timezone.now() - dt.timedelta(days=params.posted_within))
    if params.housing:
        qs = qs.filter(housing_offered=True)
    if params.occupation:
        qs = qs.filter(occupation__isco_group__code__startswith=params.occupation)
    ranked: list[int] = []
    q = params.q.strip()
    if q:
        ranked = _query_ranking(q)
        qs = qs.filter(Q(id__in=ranked) | Q(title__icontains=q) | Q(description__icontains=q))
    return qs, ranked


def _ordered(qs: QuerySet[Vacancy], ranked: list[int], sort: str) -> QuerySet[Vacancy] | list[int]:
    if sort == "date":
        return qs.order_by("-published_at", "-id")
    if sort == "salary":
        return qs.order_by(
            F("salary_max").desc(nulls_last=True), F("salary_min").desc(nulls_last=True), "-id"
        )
    if ranked:
        return _by_rank(list(qs.values_list("id", flat=True)), ranked)
    return qs.order_by("-published_at", "-id")


def _by_rank(ids: list[int], ranked: list[int]) -> list[int]:
    """The matcher's order first, then the words' other hits, newest first."""
    position = {vid: i for i, vid in enumerate(ranked)}
    return sorted(ids, key=lambda vid: (position.get(vid, len(position)), -vid))


def vacancy_search_ids(params: SearchParams, *, limit: int) -> list[int]:
    qs, ranked = _filtered(params)
    ordered = _ordered(qs, ranked, params.sort)
    if isinstance(ordered, list):
        return ordered[:limit]
    return list(ordered.values_list("id", flat=True)[:limit])


def vacancy_search(params: SearchParams) -> SearchResult:
    qs, ranked = _filtered(params)
    ordered: QuerySet[Vacancy] | list[int]
    if ranked and params.sort not in ("date", "salary"):
        # Ranked by relevance, every match's id is read anyway: count the regions from the same
        # rows instead of filtering the vacancies a second time (the words' `icontains` scans
        # every description: the load test's costliest query, issue #12 item 8).
        rows = list(qs.order_by().values_list("id", "region_id"))
        ordered = _by_rank([vid for vid, _region in rows], ranked)
        region_counts = list(Counter(region_id for _vid, region_id in rows).items())
    else:
        region_counts = list(
            qs.order_by().values("region").annotate(n=Count("id")).values_list("region", "n")
        )
        ordered = _ordered(qs, ranked, params.sort)
    regions = {r.id: r for r in Region.objects.filter(id__in=[rid for rid, _n in region_counts])}
    counts = sorted(((regions[rid], n) for rid, n in region_counts), key=lambda x: -x[1])
    paginator = Paginator(ordered, PAGE_SIZE)
    page = paginator.get_page(params.page)
    if isinstance(ordered, list):
        objects = published_vacancies().in_bulk(list(page.object_list))
        page.object_list = [objects[i] for i in page.object_list if i in objects]
    return SearchResult(page=page, total=paginator.count, region_counts=counts)


# --- "Vacancies for me" ---------------------------------------------------------------------


@dataclass
class RelocationSupport:
    """The family's whole support package for moving to a receiving region (the resettlement
    calculator's answer under the rules in force today), and whether the person meets the part of
    the eligibility rules the service already knows (an active registration at a career centre)."""

    region: Region
    package: SupportPackage
    registered: bool

    @property
    def family_size(self) -> int:
        return self.package.family_size


@dataclass
class RankedVacancy:
    vacancy: Vacancy
    score: float
    percent: int
    relation: str
    matched: list[str]
    missing: list[str]
    factors: list[Any]
    relocation: RelocationSupport | None = None
    match: MatchScore | None = None


def family_size_of(person: Any) -> int:
    """The people who would move: the person and the family members listed in their cases."""
    from mobility.cases.models import FamilyMember

    return 1 + FamilyMember.objects.filter(case__person=person).values("iin").distinct().count()


def relocation_packages(profile: SeekerProfile) -> tuple[dict[int, SupportPackage], bool]:
    """For each region receiving resettlers this year (other than the person's own), the family's
    support package today; and whether the person is registered at a career centre, which the
    resettler programme asks (see the domain brief). The rules are read once, not per vacancy."""
    today = timezone.localdate()
    size = family_size_of(profile.user)
    receiving = [
        quota.region
        for quota in rules.quotas(year=today.year, category=ReceptionQuota.Category.RESETTLER)
        if quota.region_id != profile.region_id
    ]
    packages: dict[int, SupportPackage] = {}
    if receiving:
        try:
            package = package_on(
                on=today,
                category=ReceptionQuota.Category.RESETTLER,
                destination=receiving[0],
                family_size=min(size, MAX_FAMILY_SIZE),
            )
        except CalculatorError:  # no rules or no MRP published for today: offer nothing
            package = None
        if package is not None:
            # The amounts are the same in every receiving region; only the destination differs.
            for region in receiving:
                packages[region.pk] = dataclasses.replace(package, destination=region.code)
    registered = profile.registrations.filter(status=Registration.Status.ACTIVE).exists()
    return packages, registered


def vacancies_for_me(profile: SeekerProfile, *, limit: int = 20) -> list[RankedVacancy]:
    """The matcher's ranking, hydrated in one query, skills shown in the page's language; for a
    foreign specialist tied to vacancies open to foreign specialists, only those."""
    from migration.selectors import foreign_vacancy_ids, needs_open_vacancy

    profile = matching.seeker_queryset().annotate(needs_open_vacancy=needs_open_vacancy()).get(pk=profile.pk)
    # A foreign specialist whose right to work depends on it is ranked only over the vacancies
    # open to foreign specialists (`migration.selectors`, where the rule is explained).
    among = foreign_vacancy_ids() if getattr(profile, "needs_open_vacancy", False) else None
    matches = matching.rank_vacancies_for(profile, limit=limit, among=among)
    vacancies = published_vacancies().in_bulk([int(m.id) for m in matches])
    packages, registered = relocation_packages(profile)
    results = []
    lang = (get_language() or "kk")[:2]
    for shown in matching.present_matches(matches, lang=lang):
        vacancy = vacancies.get(shown.id)
        if vacancy is None:
            continue
        package = packages.get(vacancy.region_id)
        relocation = RelocationSupport(vacancy.region, package, registered) if package else None
        results.append(
            RankedVacancy(
                vacancy=vacancy,
                score=shown.score,
                percent=shown.percent,
                relation=shown.relation,
                matched=shown.matched,
                missing=shown.missing,
                factors=shown.factors,
                relocation=relocation,
                match=match_score(shown),
            )
        )
    return results


# --- Applications, saved searches -------------------------------------------------------------


def applications_of(profile: SeekerProfile) -> QuerySet[Application]:
    """The seeker's applications, each with its history and (`scheduled_interviews`, at most one)
    the interview set for it."""
    return (
        Application.objects.filter(seeker=profile)
        .select_related("vacancy__organisation", "vacancy__region")
        .prefetch_related(
            Prefetch("events", queryset=ApplicationEvent.objects.order_by("created_at", "id")),
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(status=Interview.Status.SCHEDULED),
                to_attr="scheduled_interviews",
            ),
        )
        .order_by("-updated_at", "-id")
    )


def interview_of(application: Application) -> Interview | None:
    """The interview set for an application at the interview stage (None otherwise)."""
    if application.status != ApplicationStatus.INTERVIEW:
        return None
    return application.interviews.filter(status=Interview.Status.SCHEDULED).first()


def get_application_for_seeker(user: Any, application_id: int) -> Application:
    profile = profile_of(user)
    if profile is None:
        raise Http404
    return get_object_or_404(applications_of(profile), id=application_id)


def saved_searches_of(profile: SeekerProfile) -> QuerySet[SavedSearch]:
    return profile.saved_searches.annotate(
        new_hits=Count("hits", filter=Q(hits__notified_at__isnull=True))
    ).order_by("-created_at")


def get_saved_search_for_user(user: Any, search_id: int) -> SavedSearch:
    profile = profile_of(user)
    if profile is None:
        raise Http404
    return get_object_or_404(SavedSearch.objects.filter(profile=profile), id=search_id)
