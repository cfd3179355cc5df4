"""Reads for the employer pages and the centre's employer queues, always scoped to the person.

An employer representative sees the organisations they belong to and the branches of those
organisations; everything else (vacancies and their drafts, pipelines, notes, requests) is
reached through them, so "not yours" is a 404 exactly like "missing".
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from matching import services as matching
from matching.models import Occupation, OccupationLabel, OccupationSkill, SkillLabel
from mobility.accounts.access import centre_memberships, is_admin, region_ids_of
from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership
from mobility.employer.models import ApplicationNote, CentreRequest, OrganisationInvitation
from mobility.exchange.models import (
    Application,
    ApplicationEvent,
    ApplicationStatus,
    SeekerProfile,
    Vacancy,
)
from mobility.reference.models import Region

PIPELINE_COLUMNS = [
    ApplicationStatus.INVITED,
    ApplicationStatus.APPLIED,
    ApplicationStatus.SHORTLISTED,
    ApplicationStatus.INTERVIEW,
    ApplicationStatus.OFFER,
    ApplicationStatus.HIRED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
]


def _lang() -> str:
    return (get_language() or "kk")[:2]


# --- Organisations ------------------------------------------------------------------------------


def employer_organisations(user: Any) -> QuerySet[Organisation]:
    """Organisations the person represents, and the branches of those organisations."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    own = OrganisationMembership.objects.filter(user=user).values("organisation_id")
    return (
        Organisation.objects.filter(Q(id__in=own) | Q(head_office_id__in=own))
        .select_related("region", "head_office")
        .order_by("name", "id")
    )


def membership_roles(user: Any) -> dict[int, str]:
    """organisation id → the person's role there; a head office's role reaches its branches."""
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_employer_roles", None)
    if cached is not None:
        return cached
    roles: dict[int, str] = {}
    rows = list(OrganisationMembership.objects.filter(user=user).values_list("organisation_id", "role"))
    for organisation_id, role in rows:
        roles[organisation_id] = role
    direct = dict(roles)
    for branch_id, head_id in Organisation.objects.filter(head_office_id__in=list(direct)).values_list(
        "id", "head_office_id"
    ):
        roles.setdefault(branch_id, direct[head_id])
    user._employer_roles = roles
    return roles


def is_owner_of(user: Any, organisation: Organisation) -> bool:
    return membership_roles(user).get(organisation.pk) == OrganisationMembership.Role.OWNER


def organisation_members(organisation: Organisation) -> QuerySet[OrganisationMembership]:
    return (
        OrganisationMembership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("role", "user__last_name", "user__id")
    )


def pending_invitations(organisation: Organisation) -> QuerySet[OrganisationInvitation]:
    return organisation.invitations.filter(
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).select_related("invited_by")


# --- Vacancies ------------------------------------------------------------------------------------


def employer_vacancies(user: Any) -> QuerySet[Vacancy]:
    """Every vacancy of the person's organisations, drafts included, with pipeline counts."""
    open_statuses = [s for s in PIPELINE_COLUMNS if s not in ("hired", "rejected", "withdrawn")]
    return (
        Vacancy.objects.filter(organisation__in=employer_organisations(user).values("id"))
        .select_related("organisation", "region", "occupation__isco_group")
        .annotate(
            open_applications=Count("applications", filter=Q(applications__status__in=open_statuses)),
            new_applications=Count("applications", filter=Q(applications__status=ApplicationStatus.APPLIED)),
        )
        .order_by("-updated_at", "-id")
    )


def vacancy_with_skills(vacancy: Vacancy) -> Vacancy:
    """The vacancy as the matcher reads it (skills, occupation, region in two queries)."""
    return matching.vacancy_queryset().select_related("organisation").get(pk=vacancy.pk)


def occupation_label(occupation: Occupation | None, lang: str | None = None) -> str:
    if occupation is None:
        return ""
    wanted = lang or _lang()
    labels = list(OccupationLabel.objects.filter(concept=occupation).values_list("lang", "text", "preferred"))
    for code in (wanted, "ru", "en", "kk"):
        found = sorted((not preferred, text) for label_lang, text, preferred in labels if label_lang == code)
        if found:
            return found[0][1]
    return str(occupation.pk)


def occupation_by_label(text: str) -> Occupation | None:
    """The occupation a picked or typed label names (exact label first, then the best search hit)."""
    from matching.engine.normalize import normalize_text
    from matching.selectors import occupation_for_title

    key = normalize_text(text)
    if not key:
        return None
    exact = (
        OccupationLabel.objects.filter(search_key=key)
        .order_by("-preferred", "concept_id")
        .values_list("concept_id", flat=True)
        .first()
    )
    if exact is not None:
        return Occupation.objects.select_related("isco_group").get(pk=exact)
    return occupation_for_title(text)


def _skill_labels(skill_ids: list[int], lang: str) -> dict[int, str]:
    order = {code: i for i, code in enumerate(dict.fromkeys([lang, "ru", "en", "kk"]))}
    best: dict[int, tuple[int, str]] = {}
    for concept_id, label_lang, text, preferred in SkillLabel.objects.filter(
        concept_id__in=skill_ids, lang__in=list(order)
    ).values_list("concept_id", "lang", "text", "preferred"):
        rank = order[label_lang] * 2 + (0 if preferred else 1)
        if concept_id not in best or rank < best[concept_id][0]:
            best[concept_id] = (rank, text)
    return {cid: text for cid, (_rank, text) in best.items()}


def occupation_skill_suggestions(
    occupation: Occupation | None, *, lang: str | None = None
) -> tuple[list[str], list[str]]:
    """The occupation's essential and optional skills, named in the page's language."""
    if occupation is None:
        return [], []
    links = list(
        OccupationSkill.objects.filter(occupation=occupation)
        .order_by("relation", "skill_id")
        .values_list("skill_id", "relation")
    )
    names = _skill_labels([s for s, _r in links], lang or _lang())
    essential = [names[s] for s, r in links if r == OccupationSkill.Relation.ESSENTIAL and s in names]
    optional = [names[s] for s, r in links if r == OccupationSkill.Relation.OPTIONAL and s in names]
    return essential, optional


# --- Candidates (the matcher's ranking, hydrated in a constant number of queries) -------------------


@dataclass
class Candidate:
    profile: SeekerProfile
    percent: int
    score: float
    relation: str
    matched: list[str]
    missing: list[str]
    reveal: bool  # name and contacts may be shown
    application: Application | None = None
    same_region: bool = False
    factors: list[Any] = field(default_factory=list)

    @property
    def display_name(self) -> str:
        return self.profile.user.get_full_name() if self.reveal else ""


@dataclass
class CandidateFilters:
    region: str = ""  # "", "same" (the vacancy's region), "relocate" (elsewhere and willing), or a code
    max_salary: int | None = None
    min_percent: int = 0
    hide_in_pipeline: bool = False
    sort: str = "score"  # score | salary | recent


def visible_profiles() -> QuerySet[SeekerProfile]:
    """Profiles their owners made visible to employers (public or anonymous), active accounts."""
    return SeekerProfile.objects.exclude(visibility=SeekerProfile.Visibility.HIDDEN).filter(
        user__is_active=True
    )


def contacts_shared_with(organisation: Organisation, profile_ids: list[int]) -> set[int]:
    """Profiles that shared their contacts with this organisation (accepted an invitation or applied)."""
    return set(
        Application.objects.filter(
            vacancy__organisation=organisation, seeker_id__in=profile_ids, contacts_shared=True
        ).values_list("seeker_id", flat=True)
    )


def may_reveal(profile: SeekerProfile, shared: set[int]) -> bool:
    return profile.visibility == SeekerProfile.Visibility.PUBLIC or profile.pk in shared


def ranked_candidates(
    vacancy: Vacancy, filters: CandidateFilters | None = None, *, limit: int = 50, pool: int = 200
) -> list[Candidate]:
    """The matcher's candidates for a vacancy, explained, filtered and sorted; hidden profiles never."""
    filters = filters or CandidateFilters()
    vacancy = vacancy_with_skills(vacancy)
    matches = matching.rank_seekers_for(vacancy, limit=pool)
    ids = [int(m.id) for m in matches]
    profiles = visible_profiles().select_related("user", "region").in_bulk(ids)
    applications = {
        a.seeker_id: a
        for a in Application.objects.filter(vacancy=vacancy, seeker_id__in=ids).order_by("created_at", "id")
    }
    shared = contacts_shared_with(vacancy.organisation, ids)
    results: list[Candidate] = []
    for shown in matching.present_matches(matches, lang=_lang()):
        profile = profiles.get(shown.id)
        if profile is None:
            continue
        results.append(
            Candidate(
                profile=profile,
                score=shown.score,
                percent=shown.percent,
                relation=shown.relation,
                matched=shown.matched,
                missing=shown.missing,
                reveal=may_reveal(profile, shared),
                application=applications.get(profile.pk),
                same_region=profile.region_id == vacancy.region_id,
                factors=shown.factors,
            )
        )
    results = [c for c in results if _passes(c, filters, vacancy)]
    if filters.sort == "salary":
        results.sort(key=lambda c: (c.profile.expected_salary is None, c.profile.expected_salary or 0))
    elif filters.sort == "recent":
        results.sort(key=lambda c: c.profile.updated_at, reverse=True)
    return results[:limit]


def _passes(candidate: Candidate, filters: CandidateFilters, vacancy: Vacancy) -> bool:
    profile = candidate.profile
    if filters.region == "same" and not candidate.same_region:
        return False
    if filters.region == "relocate" and (candidate.same_region or not profile.will_relocate):
        return False
    if filters.region.startswith("KZ-") and profile.region.code != filters.region:
        return False
    if filters.max_salary and profile.expected_salary and profile.expected_salary > filters.max_salary:
        return False
    if candidate.percent < filters.min_percent:
        return False
    return not (filters.hide_in_pipeline and candidate.application is not None)


def candidate_profile(profile_id: int) -> QuerySet[SeekerProfile]:
    return visible_profiles().filter(pk=profile_id).select_related("user", "region")


# --- Pipeline ---------------------------------------------------------------------------------------


def vacancy_applications(vacancy: Vacancy) -> QuerySet[Application]:
    """The vacancy's applications with what the board shows, in a fixed number of queries."""
    return (
        Application.objects.filter(vacancy=vacancy)
        .select_related("seeker__user", "seeker__region")
        .annotate(note_count=Count("notes", distinct=True))
        .order_by("-updated_at", "-id")
    )


@dataclass
class PipelineCard:
    application: Application
    reveal: bool

    @property
    def display_name(self) -> str:
        return self.application.seeker.user.get_full_name() if self.reveal else ""


def pipeline_board(vacancy: Vacancy) -> list[tuple[str, str, list[PipelineCard]]]:
    """Columns (status, label, cards) of the hiring board."""
    applications = list(vacancy_applications(vacancy))
    shared = contacts_shared_with(vacancy.organisation, [a.seeker_id for a in applications])
    columns: dict[str, list[PipelineCard]] = {status: [] for status in PIPELINE_COLUMNS}
    for application in applications:
        reveal = application.contacts_shared or may_reveal(application.seeker, shared)
        columns.setdefault(application.status, []).append(PipelineCard(application, reveal))
    return [
        (str(status), str(ApplicationStatus(status).label), columns[status]) for status in PIPELINE_COLUMNS
    ]


def employer_applications(user: Any) -> QuerySet[Application]:
    return Application.objects.filter(
        vacancy__organisation__in=employer_organisations(user).values("id")
    ).select_related("vacancy__organisation", "vacancy__region", "seeker__user", "seeker__region")


def application_history(application: Application) -> QuerySet[ApplicationEvent]:
    return application.events.select_related("actor").order_by("created_at", "id")


def application_notes(application: Application) -> QuerySet[ApplicationNote]:
    return application.notes.select_related("author").order_by("created_at", "id")


# --- Requests to the centre -------------------------------------------------------------------------


def employer_requests(user: Any) -> QuerySet[CentreRequest]:
    return (
        CentreRequest.objects.filter(organisation__in=employer_organisations(user).values("id"))
        .select_related("organisation", "vacancy", "centre", "region", "handled_by")
        .order_by("-created_at", "-id")
    )


def staff_regions(user: Any) -> set[int] | None:
    """Regions whose employers a member of staff serves; None means every region (admin)."""
    if is_admin(user):
        return None
    return region_ids_of(user)


def staff_requests(user: Any) -> QuerySet[CentreRequest]:
    qs = CentreRequest.objects.select_related(
        "organisation", "vacancy", "centre", "region", "handled_by", "created_by"
    )
    regions = staff_regions(user)
    if regions is not None:
        qs = qs.filter(region_id__in=regions)
    return qs.order_by("deadline", "id")


# --- Verification queue -----------------------------------------------------------------------------


VERIFYING_ROLES = (CentreMembership.Role.COUNSELLOR, CentreMembership.Role.REGIONAL_MANAGER)


def may_verify(user: Any) -> bool:
    return is_admin(user) or any(m.role in VERIFYING_ROLES for m in centre_memberships(user))


def organisations_for_verification(user: Any) -> QuerySet[Organisation]:
    """Organisations of the regions the person verifies for (every region for an administrator)."""
    if not may_verify(user):
        return Organisation.objects.none()
    qs = Organisation.objects.select_related("region", "head_office")
    if not is_admin(user):
        regions = {m.centre.region_id for m in centre_memberships(user) if m.role in VERIFYING_ROLES}
        qs = qs.filter(region_id__in=regions)
    return qs


# --- Labour-market information ------------------------------------------------------------------------


@dataclass
class MarketInfo:
    region: Region
    occupation: Occupation | None
    occupation_name: str
    skills: list[tuple[str, int, int]]  # (skill, seekers in the region, willing to move here)
    seekers_in_region: int
    seekers_relocating: int
    salary_quartiles: tuple[int, int, int] | None
    salary_buckets: list[tuple[str, int]]
    offered_median: int | None
    others_by_month: list[tuple[dt.date, int]]
    others_total: int
    own_total: int


def _months_back(today: dt.date, count: int) -> list[dt.date]:
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(months))


def employer_occupations(user: Any) -> list[tuple[int, str]]:
    """Occupations of the person's vacancies, named in the page's language."""
    ids = list(
        Vacancy.objects.filter(
            organisation__in=employer_organisations(user).values("id"), occupation__isnull=False
        )
        .values_list("occupation_id", flat=True)
        .distinct()
    )
    lang = _lang()
    order = {code: i for i, code in enumerate(dict.fromkeys([lang, "ru", "en", "kk"]))}
    best: dict[int, tuple[int, str]] = {}
    for concept_id, label_lang, text, preferred in OccupationLabel.objects.filter(
        concept_id__in=ids, lang__in=list(order)
    ).values_list("concept_id", "lang", "text", "preferred"):
        rank = order[label_lang] * 2 + (0 if preferred else 1)
        if concept_id not in best or rank < best[concept_id][0]:
            best[concept_id] = (rank, text)
    return sorted(((cid, text) for cid, (_r, text) in best.items()), key=lambda x: x[1].casefold())


def _thousands(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


SALARY_BUCKETS = [0, 100_000, 150_000, 200_000, 300_000, 400_000, 600_000]


def market_info(
    *, region: Region, occupation: Occupation | None, organisation_ids: list[int], months: int = 6
) -> MarketInfo:
    """Seekers with the occupation's skills, what they expect to earn, and others' vacancies."""
    lang = _lang()
    visible = visible_profiles()
    skill_rows: list[tuple[str, int, int]] = []
    if occupation is not None:
        links = list(
            OccupationSkill.objects.filter(occupation=occupation)
            .order_by("relation", "skill_id")
            .values_list("skill_id", flat=True)[:10]
        )
        here = Counter(
            dict(
                visible.filter(region=region, skills__skill_id__in=links)
                .values("skills__skill_id")
                .annotate(n=Count("id", distinct=True))
                .values_list("skills__skill_id", "n")
            )
        )
        movers = Counter(
            dict(
                visible.filter(skills__skill_id__in=links, will_relocate=True)
                .exclude(region=region)
                .values("skills__skill_id")
                .annotate(n=Count("id", distinct=True))
                .values_list("skills__skill_id", "n")
            )
        )
        names = _skill_labels(links, lang)
        skill_rows = [(names.get(s, str(s)), here[s], movers[s]) for s in links]
        # People who want this kind of work: the same ISCO unit group, or the occupation's skills.
        relevant = visible.filter(
            Q(desired_occupations__isco_group_id=occupation.isco_group_id) | Q(skills__skill_id__in=links)
        )
        vacancies = Vacancy.objects.filter(occupation__isco_group_id=occupation.isco_group_id)
    else:
        relevant = visible
        vacancies = Vacancy.objects.all()
    in_region = relevant.filter(region=region)
    seekers_in_region = in_region.values("id").distinct().count()
    seekers_relocating = (
        relevant.exclude(region=region).filter(will_relocate=True).values("id").distinct().count()
    )
    salaries = sorted(
        v
        for v in SeekerProfile.objects.filter(
            id__in=in_region.values("id"), expected_salary__isnull=False
        ).values_list("expected_salary", flat=True)
        if v
    )
    quartiles: tuple[int, int, int] | None = None
    if len(salaries) >= 2:
        q1, q2, q3 = statistics.quantiles(salaries, n=4, method="inclusive")
        quartiles = (round(q1), round(q2), round(q3))
    elif salaries:
        quartiles = (salaries[0], salaries[0], salaries[0])
    buckets: list[tuple[str, int]] = []
    for i, low in enumerate(SALARY_BUCKETS):
        high = SALARY_BUCKETS[i + 1] if i + 1 < len(SALARY_BUCKETS) else None
        count = sum(1 for s in salaries if s >= low and (high is None or s < high))
        label = f"{_thousands(low)}–{_thousands(high)}" if high else f"{_thousands(low)}+"
        buckets.append((label, count))
    today = timezone.localdate()
    starts = _months_back(today, months)
    others = vacancies.filter(region=region, published_at__date__gte=starts[0]).exclude(
        organisation_id__in=organisation_ids
    )
    by_month: Counter[tuple[int, int]] = Counter()
    for published in others.values_list("published_at", flat=True):
        if published is not None:
            local = timezone.localtime(published)
            by_month[(local.year, local.month)] += 1
    offered: list[int] = sorted(
        (lo + hi) // 2 if lo and hi else (lo or hi or 0)
        for lo, hi in others.values_list("salary_min", "salary_max")
        if lo or hi
    )
    own_total = vacancies.filter(region=region, organisation_id__in=organisation_ids).count()
    return MarketInfo(
        region=region,
        occupation=occupation,
        occupation_name=occupation_label(occupation, lang) if occupation else "",
        skills=skill_rows,
        seekers_in_region=seekers_in_region,
        seekers_relocating=seekers_relocating,
        salary_quartiles=quartiles,
        salary_buckets=buckets,
        offered_median=int(statistics.median(offered)) if offered else None,
        others_by_month=[(m, by_month[(m.year, m.month)]) for m in starts],
        others_total=sum(by_month.values()),
        own_total=own_total,
    )


def employer_home_data(user: Any) -> dict[str, Any]:
    organisations = list(employer_organisations(user))
    vacancies = list(employer_vacancies(user)[:100])
    requests = list(
        employer_requests(user).filter(
            status__in=[CentreRequest.Status.SUBMITTED, CentreRequest.Status.IN_PROGRESS]
        )[:20]
    )
    return {"organisations": organisations, "vacancies": vacancies, "open_requests": requests}
